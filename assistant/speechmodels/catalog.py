"""The Vosk model catalog: parse the official ``model-list.json`` into frozen dataclasses.

The official list (``https://alphacephei.com/vosk/models/model-list.json``) is a JSON array with
one object per model, for example::

    {"lang": "en-us", "lang_text": "US English", "md5": "09ab50ccd62b674cbaa231b825f9c1cb",
     "name": "vosk-model-small-en-us-0.15", "obsolete": "false", "size": 41205931,
     "size_text": "39.3MiB", "type": "small",
     "url": "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
     "version": "0.15"}

Note that ``obsolete`` is the *string* ``"true"``/``"false"`` upstream (a JSON boolean is accepted
too), ``size`` is the archive size in bytes, and the only checksum published is an MD5 of the
archive. ``type`` is ``small`` for the lightweight models (``big``, ``big-lgraph``... otherwise).

This module is pure: no network, no files. Fetching lives in :mod:`assistant.speechmodels.client`.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

DEFAULT_CATALOG_URL = "https://alphacephei.com/vosk/models/model-list.json"
#: Environment variable that overrides the catalog URL (the ``--catalog`` option wins over it).
CATALOG_ENV = "ASSISTANT_MODEL_CATALOG"
#: The model ``assistant models download`` installs when no name is given.
DEFAULT_MODEL = "vosk-model-small-en-us-0.15"

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_MD5_RE = re.compile(r"^[0-9a-fA-F]{32}$")
_REQUIRED_TEXT = ("name", "url", "md5", "lang", "type")
_OPTIONAL_TEXT = ("lang_text", "size_text", "version")


class CatalogError(Exception):
    """The catalog cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class ModelEntry:
    """One downloadable model, as the catalog describes it."""

    name: str
    url: str
    #: Archive size in bytes.
    size: int
    #: Lower-case hex MD5 of the archive (the only checksum the official catalog publishes).
    md5: str
    lang: str
    type: str
    obsolete: bool
    version: str = ""
    lang_text: str = ""
    size_text: str = ""

    @property
    def is_small(self) -> bool:
        return self.type == "small"

    @property
    def size_mb(self) -> float:
        return self.size / 1_000_000

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    def matches_lang(self, lang: str) -> bool:
        """``en`` matches ``en``, ``en-us`` and ``en-in``; ``en-us`` matches only ``en-us``."""
        wanted = lang.strip().lower()
        mine = self.lang.lower()
        return mine == wanted or mine.startswith(wanted + "-")


@dataclass(frozen=True)
class Catalog:
    """The usable entries of a catalog, plus one message per entry that was rejected."""

    source: str
    entries: tuple[ModelEntry, ...]
    problems: tuple[str, ...] = ()

    def get(self, name: str) -> ModelEntry | None:
        for entry in self.entries:
            if entry.name == name:
                return entry
        return None

    def suggest(self, name: str) -> list[str]:
        """Close names for a misspelt one, best first."""
        names = [entry.name for entry in self.entries]
        return difflib.get_close_matches(name, names, n=3, cutoff=0.6)

    def select(self, *, lang: str | None = None, include_all: bool = False) -> list[ModelEntry]:
        """Small, current models by default; ``include_all`` adds big and obsolete ones."""
        chosen = [
            entry
            for entry in self.entries
            if (include_all or (entry.is_small and not entry.obsolete))
            and (lang is None or entry.matches_lang(lang))
        ]
        return sorted(chosen, key=lambda entry: (entry.lang, entry.name))

    def hosts(self) -> frozenset[str]:
        """Every host the catalog's archives live on."""
        return frozenset(entry.host for entry in self.entries)


def parse_catalog(raw: bytes | str, *, source: str) -> Catalog:
    """Parse catalog JSON. Malformed entries are left out and described in ``problems``.

    Raises :class:`CatalogError` when the document itself is unusable (not JSON, not a list) or
    when no entry at all is usable.
    """
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise CatalogError(
            f"the model catalog at {source} is not valid JSON ({error}); "
            "check the --catalog URL or try again later"
        ) from error
    if not isinstance(document, list):
        raise CatalogError(
            f"the model catalog at {source} is not a JSON list of models; check the --catalog URL"
        )
    entries: list[ModelEntry] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(document):
        try:
            entry = parse_entry(item)
        except CatalogError as error:
            problems.append(f"entry {index}{_label(item)}: {error}")
            continue
        if entry.name in seen:
            problems.append(f"entry {index} ({entry.name}): duplicate name, the first one is used")
            continue
        seen.add(entry.name)
        entries.append(entry)
    for problem in problems:
        logger.warning("skipped catalog entry %s", problem)
    if not entries:
        detail = f": {problems[0]}" if problems else ""
        raise CatalogError(f"the model catalog at {source} lists no usable model{detail}")
    return Catalog(source=source, entries=tuple(entries), problems=tuple(problems))


def parse_entry(item: object) -> ModelEntry:
    """One catalog object to a :class:`ModelEntry`; :class:`CatalogError` says what is wrong."""
    if not isinstance(item, Mapping):
        raise CatalogError(f"expected an object, got {type(item).__name__}")
    text = {key: _text(item, key, required=True) for key in _REQUIRED_TEXT}
    text.update({key: _text(item, key, required=False) for key in _OPTIONAL_TEXT})
    name = text["name"]
    if not is_plain_name(name):
        raise CatalogError(f"name {name!r} is not a plain folder name")
    url = text["url"]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CatalogError(f"url {url!r} is not an http(s) address")
    if not _MD5_RE.match(text["md5"]):
        raise CatalogError(f"md5 {text['md5']!r} is not 32 hexadecimal digits")
    size = item.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise CatalogError(f"size {size!r} is not a positive number of bytes")
    return ModelEntry(
        name=name,
        url=url,
        size=size,
        md5=text["md5"].lower(),
        lang=text["lang"],
        type=text["type"],
        obsolete=_flag(item.get("obsolete")),
        version=text["version"],
        lang_text=text["lang_text"],
        size_text=text["size_text"],
    )


def is_plain_name(name: str) -> bool:
    """A model name that is safe as a folder name: no separators, no ``..``."""
    return bool(_NAME_RE.match(name)) and ".." not in name


def catalog_url(option: str | None, environ: Mapping[str, str]) -> str:
    """``--catalog`` wins over ``$ASSISTANT_MODEL_CATALOG``, which wins over the official list."""
    return option or environ.get(CATALOG_ENV) or DEFAULT_CATALOG_URL


def format_table(entries: Iterable[ModelEntry], installed: Mapping[str, str]) -> str:
    """A plain-text table: name, language, size in MB, status (``installed``, ``partial``...)."""
    rows = [
        (
            entry.name + (" (default)" if entry.name == DEFAULT_MODEL else ""),
            entry.lang,
            f"{entry.size_mb:.1f}",
            " ".join(filter(None, [installed.get(entry.name), "obsolete" if entry.obsolete else None])),
        )
        for entry in entries
    ]
    header = ("NAME", "LANG", "MB", "STATUS")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = [
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}".rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines) + "\n"


def _text(item: Mapping[str, object], key: str, *, required: bool) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogError(f"field {key!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise CatalogError(f"obsolete {value!r} is not 'true' or 'false'")


def _label(item: object) -> str:
    if isinstance(item, Mapping) and isinstance(item.get("name"), str):
        return f" ({item['name']})"
    return ""
