"""What ``assistant models list`` can say with no network: the models installed, and the last
catalog it saw (kept in the cache folder after every successful listing)."""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.base.paths import cache_home
from assistant.speechmodels.catalog import Catalog, parse_catalog
from assistant.speechmodels.install import looks_like_vosk_model

log = logging.getLogger(__name__)

_LANG = re.compile(r"^vosk-model-(?:small-)?(?P<lang>[a-z]{2,3}(?:-[a-z]{2,3})?)")


def catalog_copy_path() -> Path:
    return cache_home() / "model-catalog.json"


def save_catalog_copy(raw: bytes, source: str, path: Path | None = None) -> None:
    """Keep the catalog just read, for listing when the network is down. Failing to is only logged."""
    path = catalog_copy_path() if path is None else path
    record = {
        "source": source,
        "fetched": datetime.now(UTC).isoformat(timespec="seconds"),
        "catalog": raw.decode("utf-8", "replace"),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(tmp, path)
    except OSError:
        log.debug("could not keep a copy of the model catalog", exc_info=True)


@dataclass(frozen=True)
class CatalogCopy:
    catalog: Catalog
    source: str
    fetched: str


def load_catalog_copy(path: Path | None = None) -> CatalogCopy | None:
    """The last catalog seen, or None (none kept, or the copy is damaged)."""
    path = catalog_copy_path() if path is None else path
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return CatalogCopy(
            parse_catalog(record["catalog"], source=record["source"]),
            str(record["source"]),
            str(record["fetched"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class InstalledModel:
    name: str
    lang: str
    size_mb: float


def installed_models(folder: Path) -> list[InstalledModel]:
    """The usable Vosk models in ``folder``, with their language (from the name) and size."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and looks_like_vosk_model(path):
            size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            match = _LANG.match(path.name)
            found.append(InstalledModel(path.name, match.group("lang") if match else "?", size / 1e6))
    return found


def format_installed(models: list[InstalledModel], folder: Path) -> str:
    if not models:
        return f"No model is installed in {folder} (the built-in English recognizer is used).\n"
    width = max(len(m.name) for m in models)
    lines = [f"Installed in {folder}:"]
    lines += [f"  {m.name:<{width}}  {m.lang:<6} {m.size_mb:7.1f} MB" for m in models]
    return "\n".join(lines) + "\n"
