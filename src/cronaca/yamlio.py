"""YAML for data files, without YAML 1.1's surprises.

Language data is full of words that YAML 1.1 reads as booleans ("no" in Spanish,
"on" as an Italian abbreviation, "off", "yes"): the loader here keeps every
scalar that is not a number as a string.
"""

from __future__ import annotations

from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataLoader(_Base):  # type: ignore[misc]
    pass


DataLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for ch, resolvers in _Base.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=DataLoader)
