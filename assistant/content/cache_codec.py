"""Loaded content as JSON and back, for the content cache: data only, never code.

Compact, so that reading it back is quick: a record (a frozen dataclass) is a JSON array of its
type's number and its fields in order; a tuple, list, set, dict, path, pattern or enum is an
array that starts with a negative tag; strings, numbers, booleans and null are themselves. The
types are named once, with their fields, in a table beside the value. Reading checks every name
against the dataclasses and enums of the modules listed in :data:`MODULES` and their fields
against the table, then builds only those, through their constructors: a cache file, whoever
wrote it, can make nothing else, and one written for records with other fields is refused rather
than read askew. Anything else in the content (an object this codec does not know) makes
:func:`dumps` raise :class:`NotCacheableError`: the content is then simply not cached.
"""

from __future__ import annotations

import dataclasses
import enum
import gc
import importlib
import json
import re
from collections.abc import Callable
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

# The tags of the arrays that are not records (records are numbered 0, 1, 2... in the table).
TUPLE, LIST, FROZENSET, SET, DICT, PATH, REGEX, ENUM = range(-1, -9, -1)
_PLAIN = frozenset({str, int, float, bool, type(None)})


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


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: Any) -> tuple[str, ...]:
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    return found


def dumps(value: Any) -> str:
    """``value`` as one line of JSON (NotCacheableError for anything outside the content's types)."""
    encoder = _Encoder()
    data = encoder.encode(value)
    return json.dumps({"types": encoder.table, "value": data}, separators=(",", ":"))


class _Encoder:
    def __init__(self) -> None:
        self.numbers: dict[type, int] = {}
        self.table: list[list[Any]] = []

    def number(self, kind: type) -> int:
        found = self.numbers.get(kind)
        if found is None:
            name = f"{kind.__module__}.{kind.__qualname__}"
            if _types().get(name) is not kind:
                raise NotCacheableError(f"{name} is not content the cache may hold")
            found = self.numbers[kind] = len(self.table)
            self.table.append([name, None if issubclass(kind, enum.Enum) else list(_fields(kind))])
        return found

    def encode(self, value: Any) -> Any:
        if type(value) in _PLAIN:
            return value
        if isinstance(value, enum.Enum):
            return [ENUM, self.number(type(value)), self.encode(value.value)]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            number = self.number(type(value))
            return [number, *(self.encode(getattr(value, name)) for name in _fields(type(value)))]
        if isinstance(value, tuple | list):
            return [TUPLE if isinstance(value, tuple) else LIST, *(self.encode(v) for v in value)]
        if isinstance(value, frozenset | set):
            items = sorted((self.encode(v) for v in value), key=repr)
            return [FROZENSET if isinstance(value, frozenset) else SET, *items]
        if isinstance(value, dict):
            return [DICT, *(self.encode(x) for pair in value.items() for x in pair)]
        if isinstance(value, PurePath):
            return [PATH, str(value)]
        if isinstance(value, re.Pattern):
            return [REGEX, value.pattern, value.flags]
        raise NotCacheableError(f"{type(value).__name__} is not content the cache may hold")


def loads(text: str | bytes) -> Any:
    """What :func:`dumps` wrote, built again (BadCacheError for anything else)."""
    collecting = gc.isenabled()
    gc.disable()  # nothing built here is garbage; collecting as it grows would only slow it (by half)
    try:
        data = json.loads(text)
        if (
            not isinstance(data, dict)
            or set(data) != {"types", "value"}
            or not isinstance(data["types"], list)
        ):
            raise BadCacheError("not a cache entry")
        return _Builder([_known(entry) for entry in data["types"]]).build(data["value"])
    except (ValueError, TypeError, IndexError, KeyError, RecursionError) as exc:
        raise BadCacheError(str(exc) or type(exc).__name__) from None
    finally:
        if collecting:
            gc.enable()


def _known(entry: Any) -> type:
    """The type a table entry names, when it is content and its fields are those written."""
    if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[0], str):
        raise BadCacheError("a type is a name and its fields")
    name, fields = entry
    kind = _types().get(name)
    if kind is None:
        raise BadCacheError(f"{name!r} is not content the cache may hold")
    if not issubclass(kind, enum.Enum) if fields is None else fields != list(_fields(kind)):
        raise BadCacheError(f"{name} has other fields now")
    return kind


class _Builder:
    def __init__(self, kinds: list[type]) -> None:
        self.kinds = kinds
        #: Each record type's number of fields (-1 for an enum: not a record).
        self.sizes = [-1 if issubclass(k, enum.Enum) else len(_fields(k)) for k in kinds]
        self.special: dict[int, Callable[[list[Any]], Any]] = {
            TUPLE: lambda items: tuple(self.items(items)),
            LIST: self.items,
            FROZENSET: lambda items: frozenset(self.items(items)),
            SET: lambda items: set(self.items(items)),
            DICT: self.pairs,
            PATH: self.path,
            REGEX: self.regex,
            ENUM: self.enum,
        }

    def build(self, value: Any) -> Any:
        # The hot path of reading an entry: tuples and records are built here directly, each
        # plain item passed as it is, with one call per array (a quarter of a million of them
        # for 5,000 intents).
        plain, build = _PLAIN, self.build
        if type(value) in plain:
            return value
        if type(value) is not list or type(value[0]) is not int:
            raise BadCacheError("a value is plain or a tagged array")
        tag = value[0]
        if tag == TUPLE:
            return tuple([v if type(v) in plain else build(v) for v in value[1:]])
        if tag < 0:
            return self.special[tag](value[1:])  # KeyError: an unknown tag
        if len(value) - 1 != self.sizes[tag]:
            raise BadCacheError(f"{self.kinds[tag].__name__} is not written with these fields")
        return self.kinds[tag](*[v if type(v) in plain else build(v) for v in value[1:]])

    def items(self, items: list[Any]) -> list[Any]:
        build = self.build
        return [v if type(v) in _PLAIN else build(v) for v in items]

    def pairs(self, items: list[Any]) -> dict[Any, Any]:
        built = self.items(items)
        if len(built) % 2:
            raise BadCacheError("a dict is keys and values in turn")
        return dict(zip(built[::2], built[1::2], strict=True))

    def path(self, items: list[Any]) -> Path:
        if len(items) != 1 or not isinstance(items[0], str):
            raise BadCacheError("a path is one string")
        return Path(items[0])

    def regex(self, items: list[Any]) -> re.Pattern[str]:
        if len(items) != 2 or not isinstance(items[0], str) or type(items[1]) is not int:
            raise BadCacheError("a pattern is its text and flags")
        return re.compile(items[0], items[1])

    def enum(self, items: list[Any]) -> Any:
        if len(items) != 2 or type(items[0]) is not int or not issubclass(self.kinds[items[0]], enum.Enum):
            raise BadCacheError("an enum is its type and value")
        return self.kinds[items[0]](self.build(items[1]))
