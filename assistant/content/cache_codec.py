"""Loaded content as JSON and back, for the content cache: data only, never code.

Frozen dataclasses, tuples, lists, dicts, sets, enums and paths become plain JSON with a type tag;
reading builds only the dataclasses and enums of the modules listed in :data:`MODULES` (by name,
through their constructors, as the JSON parser meets them), so a cache file, whoever wrote it, can
make nothing else. Anything else in the content (an object this codec does not know) makes
:func:`encode` raise :class:`NotCacheableError`: the content is then simply not cached.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import re
from functools import cache
from pathlib import Path, PurePath
from typing import Any

#: The modules whose dataclasses and enums content is made of.
MODULES = (
    "assistant.base.intents",
    "assistant.base.conditions",
    "assistant.base.templates",
    "assistant.base.settings",
    "assistant.base.language",
    "assistant.base.problems",
)


class NotCacheableError(TypeError):
    """The value holds something the codec does not write (and so could not read back)."""


class BadCacheError(ValueError):
    """A cache file that is not what this codec writes."""


@cache
def _types() -> dict[str, type]:
    found: dict[str, type] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            own = isinstance(value, type) and value.__module__ == name
            if own and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum)):
                found[f"{name}.{value.__qualname__}"] = value
    return found


def _name(kind: type) -> str:
    name = f"{kind.__module__}.{kind.__qualname__}"
    if _types().get(name) is not kind:
        raise NotCacheableError(f"{name} is not content the cache may hold")
    return name


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data (NotCacheableError for anything outside the content's types)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return {"$enum": _name(type(value)), "value": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"$": _name(type(value)), "fields": fields}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, frozenset | set):
        items = sorted((encode(v) for v in value), key=repr)
        return {"$frozenset" if isinstance(value, frozenset) else "$set": items}
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, PurePath):
        return {"$path": str(value)}
    if isinstance(value, re.Pattern):
        return {"$regex": value.pattern, "flags": value.flags}
    raise NotCacheableError(f"{type(value).__name__} is not content the cache may hold")


def loads(text: str) -> Any:
    """What :func:`encode` wrote, read from JSON text and built again (BadCacheError for anything
    else). The JSON parser hands each object to :func:`_built`, innermost first."""
    try:
        return json.loads(text, object_hook=_built)
    except (ValueError, TypeError, RecursionError) as exc:
        raise BadCacheError(str(exc)) from None


def _built(data: dict[str, Any]) -> Any:
    if "$" in data:
        kind = _known(data["$"])
        fields = data.get("fields")
        if not dataclasses.is_dataclass(kind) or not isinstance(fields, dict) or len(data) != 2:
            raise BadCacheError(f"{data['$']} is not a record")
        return kind(**fields)
    if len(data) != 1 and "$enum" not in data and "$regex" not in data:
        return data  # a record's fields: built by the record around them
    if "$enum" in data:
        return _known(data["$enum"])(data.get("value"))
    if "$tuple" in data:
        return tuple(_items(data["$tuple"]))
    if "$frozenset" in data:
        return frozenset(_items(data["$frozenset"]))
    if "$set" in data:
        return set(_items(data["$set"]))
    if "$dict" in data:
        pairs = _items(data["$dict"])
        if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise BadCacheError("a dict is a list of pairs")
        return dict(pairs)  # a key that cannot be one (a list) is a TypeError: a bad entry
    if "$path" in data and isinstance(data["$path"], str):
        return Path(data["$path"])
    if "$regex" in data and isinstance(data["$regex"], str) and isinstance(data.get("flags"), int):
        return re.compile(data["$regex"], data["flags"])
    return data  # a record's fields


def _known(name: Any) -> type:
    kind = _types().get(name) if isinstance(name, str) else None
    if kind is None:
        raise BadCacheError(f"{name!r} is not content the cache may hold")
    return kind


def _items(items: Any) -> list[Any]:
    if not isinstance(items, list):
        raise BadCacheError("a collection is a list")
    return items
