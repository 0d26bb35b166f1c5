"""The install transaction (lock, partial file, staging folder, atomic rename) and what is installed."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.speechmodels.archive import ExtractLimits, extract_safely
from assistant.speechmodels.catalog import ModelEntry
from assistant.speechmodels.client import HttpClient
from assistant.speechmodels.errors import IntegrityError, ModelDownloadError, UnsafeArchiveError
from assistant.speechmodels.locate import ModelError, check_model_folder
from assistant.speechmodels.progress import Progress
from assistant.speechmodels.transfer import download_archive

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".zip.partial"
STAGING_SUFFIX = ".extracting"


@dataclass(frozen=True)
class InstallResult:
    path: Path
    already_installed: bool
    #: Bytes transferred by this run (0 when nothing was downloaded).
    downloaded: int = 0
    #: Offset the download resumed from (0 for a fresh download).
    resumed_from: int = 0


# --- Model folders ---------------------------------------------------------------------------


def model_problem(path: Path) -> str | None:
    """Why ``path`` is not a usable Vosk model folder (the voice input's own check), or None."""
    try:
        check_model_folder(path)
    except ModelError as error:
        return error.reason
    return None


def looks_like_vosk_model(path: Path) -> bool:
    return model_problem(path) is None


def partial_path(models_dir: Path, name: str) -> Path:
    return models_dir / f".{name}{PARTIAL_SUFFIX}"


def install_status(models_dir: Path, names: Sequence[str]) -> dict[str, str]:
    """``installed`` or ``partial`` per model name (absent when neither)."""
    status: dict[str, str] = {}
    for name in names:
        if looks_like_vosk_model(models_dir / name):
            status[name] = "installed"
        elif partial_path(models_dir, name).is_file():
            status[name] = "partial"
    return status


# --- Install -------------------------------------------------------------------------------------


def install_model(
    entry: ModelEntry,
    models_dir: Path,
    client: HttpClient,
    *,
    progress: Progress,
    limits: ExtractLimits | None = None,
) -> InstallResult:
    """Download, verify and install ``entry`` as ``models_dir/<name>``; atomic, no leftovers."""
    target = models_dir / entry.name
    if looks_like_vosk_model(target):
        return InstallResult(target, already_installed=True)
    if target.exists():
        raise ModelDownloadError(
            f"{target} exists but is not a complete Vosk model ({model_problem(target)}): "
            "move it away and run the command again"
        )
    models_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive(models_dir):
        return _install_locked(entry, models_dir, client, progress, limits or ExtractLimits())


def _install_locked(
    entry: ModelEntry, models_dir: Path, client: HttpClient, progress: Progress, limits: ExtractLimits
) -> InstallResult:
    target = models_dir / entry.name
    _remove_stale_staging(models_dir, entry.name)
    partial = partial_path(models_dir, entry.name)
    fetched, resumed_from = download_archive(entry, partial, client, progress)
    staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", suffix=STAGING_SUFFIX, dir=models_dir))
    try:
        root = extract_safely(partial, staging, entry.size, limits)
        problem = model_problem(root)
        if problem is not None:
            raise UnsafeArchiveError(f"the archive does not look like a Vosk model ({problem})")
        if target.exists():
            raise ModelDownloadError(f"{target} appeared while installing: run the command again")
        root.rename(target)
    except UnsafeArchiveError as error:
        partial.unlink(missing_ok=True)
        raise UnsafeArchiveError(
            f"refusing to install {entry.name}: {error}; nothing was installed"
        ) from error
    except IntegrityError:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    partial.unlink(missing_ok=True)
    logger.info("installed %s in %s", entry.name, target)
    return InstallResult(target, False, downloaded=fetched, resumed_from=resumed_from)


@contextlib.contextmanager
def _exclusive(models_dir: Path) -> Iterator[None]:
    """One install at a time per models folder (an advisory lock on the folder itself)."""
    descriptor = os.open(models_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise ModelDownloadError(
                f"another 'assistant models download' is installing into {models_dir}: "
                "wait for it to finish, then run the command again"
            ) from error
        yield
    finally:
        os.close(descriptor)


def _remove_stale_staging(models_dir: Path, name: str) -> None:
    """Folders left by a run that was killed mid-extraction."""
    for stale in models_dir.glob(f".{name}.*{STAGING_SUFFIX}"):
        logger.info("removing %s left by an interrupted install", stale)
        shutil.rmtree(stale, ignore_errors=True)
