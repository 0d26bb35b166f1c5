"""Download, verify and install Vosk models: the only code in the product that opens a connection.

It runs only when the user types ``assistant models list`` or ``assistant models download``.
Only the catalog's host and the hosts of the archives the catalog lists are ever contacted
(redirects elsewhere are refused), every network operation has a timeout, and nothing looks
installed until a verified archive has been extracted safely and renamed into place:

1. download to ``models/.<name>.zip.partial`` (resumed with an HTTP ``Range`` request when the
   server allows it, restarted cleanly when it does not);
2. check the size and the MD5 against the catalog, before anything is extracted;
3. check every archive member (no absolute path, no ``..``, no link, no device file, one top
   folder, bounded member count and uncompressed size), extract into a temporary folder next to
   the target, check it looks like a Vosk model, then rename it into place.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import http.client
import logging
import os
import re
import shutil
import stat
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TextIO
from urllib.parse import urlsplit

from assistant import __version__
from assistant.model_catalog import (
    CATALOG_ENV,
    DEFAULT_CATALOG_URL,
    DEFAULT_MODEL,
    Catalog,
    CatalogError,
    ModelEntry,
    format_table,
    is_plain_name,
    parse_catalog,
)
from assistant.voice.model_path import ModelError, check_model_folder

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
CHUNK_SIZE = 256 * 1024
MAX_CATALOG_BYTES = 8 * 1024 * 1024
PARTIAL_SUFFIX = ".zip.partial"
STAGING_SUFFIX = ".extracting"
_USER_AGENT = f"leg-symptom-assistant/{__version__} (model download)"
_CONTENT_RANGE_RE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class ModelDownloadError(Exception):
    """A download or install failed; the message says what happened and what to do."""


class NetworkError(ModelDownloadError):
    """The host could not be reached, answered an error, or the transfer broke off."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        #: The HTTP status when the server answered with an error.
        self.status = status


class IntegrityError(ModelDownloadError):
    """The archive is not the one the catalog describes (size, checksum, damaged zip)."""


class UnsafeArchiveError(ModelDownloadError):
    """The archive would write outside its folder, or is not shaped like a Vosk model."""


@dataclass(frozen=True)
class ExtractLimits:
    """Bounds that stop a hostile archive (zip bomb, millions of members) before extraction."""

    max_members: int = 20_000
    max_total_bytes: int = 16 * 1024**3
    #: Uncompressed size / archive size. Vosk models compress about 1.1-2x.
    max_ratio: float = 100.0


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


# --- Network -----------------------------------------------------------------------------------


class _RedirectGuard(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an allowed host over http(s)."""

    def __init__(self, allowed_hosts: frozenset[str]) -> None:
        super().__init__()
        self.allowed_hosts = allowed_hosts

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        parts = urlsplit(newurl)
        if parts.scheme not in ("http", "https") or parts.hostname not in self.allowed_hosts:
            raise NetworkError(
                f"{req.host} redirected to {newurl}, which is not a host the catalog names; "
                "refusing to follow it; nothing was changed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpClient:
    """urllib with a timeout on every operation and an allow-list of hosts."""

    def __init__(self, allowed_hosts: frozenset[str], *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.allowed_hosts = allowed_hosts
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_RedirectGuard(allowed_hosts))

    @contextlib.contextmanager
    def get(
        self, url: str, *, headers: Mapping[str, str] | None = None, unchanged: str
    ) -> Iterator[http.client.HTTPResponse]:
        """Open ``url``; any failure becomes a one-line :class:`NetworkError` ending in
        ``unchanged`` (what the user's files look like after the failure)."""
        host = urlsplit(url).hostname or url
        if urlsplit(url).scheme not in ("http", "https") or host not in self.allowed_hosts:
            raise NetworkError(f"refusing to contact {url}: not a catalog host; {unchanged}")
        sent = {"User-Agent": _USER_AGENT, **(headers or {})}
        request = urllib.request.Request(url, headers=sent)  # noqa: S310 (scheme checked above)
        logger.debug("GET %s %s", url, sent)
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            error.close()
            raise NetworkError(
                f"{host} answered HTTP {error.code} {error.reason} for {url}; {unchanged}",
                status=error.code,
            ) from error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise NetworkError(
                f"could not reach {host} ({reason}): check your internet connection; {unchanged}"
            ) from error
        with response:
            yield response


def fetch_catalog(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Catalog:
    """Download and parse the catalog (only ``url``'s host is contacted)."""
    host = urlsplit(url).hostname or ""
    client = HttpClient(frozenset({host}), timeout=timeout)
    with client.get(url, unchanged="nothing was changed") as response:
        try:
            raw = response.read(MAX_CATALOG_BYTES + 1)
        except (OSError, http.client.HTTPException) as error:
            raise NetworkError(
                f"could not read the model catalog from {host} ({error}): "
                "check your internet connection; nothing was changed"
            ) from error
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogError(f"the model catalog at {url} is larger than 8 MB; check --catalog")
    return parse_catalog(raw, source=url)


def catalog_url(option: str | None, environ: Mapping[str, str]) -> str:
    """``--catalog`` wins over ``$ASSISTANT_MODEL_CATALOG``, which wins over the official list."""
    return option or environ.get(CATALOG_ENV) or DEFAULT_CATALOG_URL


# --- Progress ----------------------------------------------------------------------------------


class Progress:
    """A text bar redrawn on a terminal; a single final line when ``stream`` is not a TTY."""

    def __init__(self, stream: TextIO, label: str, total: int) -> None:
        self.stream = stream
        self.label = label
        self.total = total
        self.tty = _isatty(stream)
        self._started = time.monotonic()
        self._first = 0
        self._done = 0
        self._active = False
        self._last_draw = 0.0

    def start(self, done: int) -> None:
        self._started = time.monotonic()
        self._first = done
        self._active = True
        self.update(done, force=True)

    def update(self, done: int, *, force: bool = False) -> None:
        self._done = done
        now = time.monotonic()
        if not self.tty or (not force and now - self._last_draw < 0.1):
            return
        self._last_draw = now
        fraction = min(done / self.total, 1.0) if self.total else 1.0
        bar = "#" * int(fraction * 30)
        self.stream.write(
            f"\r{self.label} [{bar:<30}] {fraction:4.0%} "
            f"{done / 1e6:.1f}/{self.total / 1e6:.1f} MB {self._rate(done):.1f} MB/s "
        )
        self.stream.flush()

    def finish(self) -> None:
        """End the bar; off a terminal, print one summary line if the download completed."""
        if not self._active:
            return
        self._active = False
        done = self._done
        if self.tty:
            self.update(done, force=True)
            self.stream.write("\n")
        elif done == self.total and done > self._first:
            elapsed = time.monotonic() - self._started
            resumed = f", resumed at {self._first / 1e6:.1f} MB" if self._first else ""
            self.stream.write(
                f"downloaded {self.label}: {(done - self._first) / 1e6:.1f} MB in {elapsed:.1f} s "
                f"({self._rate(done):.1f} MB/s{resumed})\n"
            )
        self.stream.flush()

    def _rate(self, done: int) -> float:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        return (done - self._first) / 1e6 / elapsed


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# --- Download ------------------------------------------------------------------------------------


@dataclass
class _Transfer:
    """Where a download stands: bytes on disk and their running MD5."""

    entry: ModelEntry
    partial: Path
    have: int
    hasher: hashlib._Hash

    def restart(self) -> None:
        self.partial.write_bytes(b"")
        self.have = 0
        self.hasher = hashlib.md5(usedforsecurity=False)


def download_archive(
    entry: ModelEntry, partial: Path, client: HttpClient, progress: Progress
) -> tuple[int, int]:
    """Bring ``partial`` to the catalog's size and checksum. Returns (bytes fetched, resumed at).

    A broken transfer keeps ``partial`` (the next run resumes); a wrong size or checksum
    deletes it.
    """
    if partial.is_symlink() or (partial.is_file() and partial.stat().st_size > entry.size):
        partial.unlink()
    have = partial.stat().st_size if partial.is_file() else 0
    hasher = _md5_of(partial) if have else hashlib.md5(usedforsecurity=False)
    transfer = _Transfer(entry, partial, have, hasher)
    resumed_from = have
    if have < entry.size:
        headers = {"Range": f"bytes={have}-"} if have else {}
        unchanged = "the partial download was kept: run the same command again to resume"
        try:
            with client.get(
                entry.url, headers=headers, unchanged=unchanged if have else "nothing was changed"
            ) as response:
                _start_body(transfer, response)
                resumed_from = transfer.have
                progress.start(transfer.have)
                _copy_body(transfer, response, progress)
        except NetworkError as error:
            if error.status == 416 and have:
                partial.unlink()  # the server cannot resume from there: start again next time
                raise NetworkError(
                    f"{entry.host} cannot resume this download; the partial file was removed: "
                    "run the same command again to download from the start"
                ) from error
            raise
        finally:
            progress.finish()
    if transfer.hasher.hexdigest() != entry.md5:
        partial.unlink()
        raise IntegrityError(
            f"the download of {entry.name} does not match the catalog's checksum "
            f"(md5 {transfer.hasher.hexdigest()}, expected {entry.md5}); it was deleted and "
            "nothing was installed: run the command again, and report it if it keeps happening"
        )
    return transfer.have - resumed_from, resumed_from


def _start_body(transfer: _Transfer, response: http.client.HTTPResponse) -> None:
    """Decide, from the response, whether to append to the partial file or start it again."""
    entry = transfer.entry
    if transfer.have and response.status == 206:
        match = _CONTENT_RANGE_RE.match(response.headers.get("Content-Range", ""))
        if match and int(match.group(1)) == transfer.have and int(match.group(3)) == entry.size:
            logger.info("resuming %s at byte %d", entry.name, transfer.have)
            return
        transfer.partial.unlink()
        raise IntegrityError(
            f"{entry.host} resumed {entry.name} with an unexpected range "
            f"({response.headers.get('Content-Range')}); the partial file was removed: "
            "run the same command again"
        )
    if transfer.have:
        logger.info("%s does not support resuming; downloading from the start", entry.host)
    length = response.headers.get("Content-Length")
    if length is not None and length.isdigit() and int(length) != entry.size:
        transfer.partial.unlink(missing_ok=True)
        raise IntegrityError(
            f"{entry.host} offers {int(length)} bytes for {entry.name} but the catalog says "
            f"{entry.size}; nothing was installed: the catalog may be out of date, try later"
        )
    transfer.restart()


def _copy_body(transfer: _Transfer, response: http.client.HTTPResponse, progress: Progress) -> None:
    entry = transfer.entry
    with transfer.partial.open("ab") as sink:
        try:
            while chunk := response.read(CHUNK_SIZE):
                if transfer.have + len(chunk) > entry.size:
                    sink.close()
                    transfer.partial.unlink()
                    raise IntegrityError(
                        f"{entry.host} sent more than the catalog's {entry.size} bytes for "
                        f"{entry.name}; the download was deleted and nothing was installed"
                    )
                transfer.hasher.update(chunk)
                sink.write(chunk)
                transfer.have += len(chunk)
                progress.update(transfer.have)
        except (OSError, http.client.HTTPException) as error:
            raise _interrupted(transfer, str(error) or type(error).__name__) from error
    if transfer.have < entry.size:
        raise _interrupted(transfer, "the server closed the connection early")


def _interrupted(transfer: _Transfer, why: str) -> NetworkError:
    entry = transfer.entry
    return NetworkError(
        f"the download of {entry.name} stopped at {transfer.have / 1e6:.1f} of "
        f"{entry.size_mb:.1f} MB ({why}); nothing was installed: "
        "run the same command again to resume"
    )


def _md5_of(path: Path) -> hashlib._Hash:
    hasher = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as source:
        while chunk := source.read(CHUNK_SIZE):
            hasher.update(chunk)
    return hasher


# --- Safe extraction ---------------------------------------------------------------------------


def check_members(
    archive: zipfile.ZipFile, archive_size: int, limits: ExtractLimits
) -> tuple[str, list[tuple[zipfile.ZipInfo, PurePosixPath]]]:
    """Refuse anything unsafe before a byte is written. Returns (top folder, members)."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise UnsafeArchiveError(f"the archive has {len(infos)} members (limit {limits.max_members})")
    total = sum(info.file_size for info in infos)
    if total > min(limits.max_total_bytes, limits.max_ratio * archive_size):
        raise UnsafeArchiveError(
            f"the archive would unpack to {total / 1e6:.0f} MB from {archive_size / 1e6:.1f} MB"
        )
    members: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    seen: set[PurePosixPath] = set()
    for info in infos:
        path = _safe_member_path(info.filename)
        mode = info.external_attr >> 16 if info.create_system == 3 else 0
        if stat.S_ISLNK(mode):
            target = archive.read(info)[:200].decode("utf-8", "replace")
            where = "outside the model folder" if _escapes(path, target) else "inside the archive"
            raise UnsafeArchiveError(
                f"member {info.filename!r} is a symbolic link to {target!r} ({where}); "
                "Vosk models contain no links"
            )
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise UnsafeArchiveError(f"member {info.filename!r} is a device or special file")
        if path in seen:
            raise UnsafeArchiveError(f"member {info.filename!r} appears twice")
        seen.add(path)
        members.append((info, path))
    tops = sorted({path.parts[0] for _, path in members})
    if len(tops) != 1:
        raise UnsafeArchiveError(
            f"the archive should hold exactly one top folder, found {', '.join(tops) or 'none'}"
        )
    if any(len(path.parts) == 1 and not info.is_dir() for info, path in members):
        raise UnsafeArchiveError(f"the archive's top entry {tops[0]!r} is a file, not a folder")
    return tops[0], members


def _safe_member_path(name: str) -> PurePosixPath:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name[:2]:
        raise UnsafeArchiveError(f"member {name!r} has an absolute or unsafe path")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafeArchiveError(f"member {name!r} has an empty, '.' or '..' path component")
    return PurePosixPath(*parts)


def _escapes(member: PurePosixPath, target: str) -> bool:
    if target.startswith("/"):
        return True
    depth = len(member.parts) - 1
    for part in target.split("/"):
        depth += -1 if part == ".." else (0 if part in ("", ".") else 1)
        if depth < 1:
            return True
    return False


def extract_safely(archive_path: Path, staging: Path, expected_size: int, limits: ExtractLimits) -> Path:
    """Extract a checked archive into the empty folder ``staging``; return its top folder."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            top, members = check_members(archive, expected_size, limits)
            need = sum(info.file_size for info, _ in members)
            free = shutil.disk_usage(staging).free
            if need > free:
                raise ModelDownloadError(
                    f"unpacking needs {need / 1e6:.0f} MB but only {free / 1e6:.0f} MB are free "
                    f"in {staging.parent}: free some space and run the command again"
                )
            root = staging.resolve()
            for info, path in members:
                dest = root.joinpath(*path.parts)
                if not dest.resolve().is_relative_to(root):
                    raise UnsafeArchiveError(f"member {info.filename!r} escapes the model folder")
                if info.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                _copy_member(archive, info, dest)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise IntegrityError(f"the archive is damaged ({error})") from error
    except (FileExistsError, NotADirectoryError) as error:
        raise UnsafeArchiveError(f"the archive's paths clash ({error.filename})") from error
    return staging / top


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path) -> None:
    written = 0
    with archive.open(info) as source, dest.open("xb") as sink:
        while chunk := source.read(CHUNK_SIZE):
            written += len(chunk)
            if written > info.file_size:
                raise UnsafeArchiveError(f"member {info.filename!r} is larger than it declares")
            sink.write(chunk)
    dest.chmod(0o644)


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


# --- Command line --------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dir", type=Path, help="models folder (default: the project's models/)")
    common.add_argument(
        "--catalog", metavar="URL", help=f"model catalog URL (default: ${CATALOG_ENV} or the official list)"
    )
    common.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="network timeout"
    )
    parser = argparse.ArgumentParser(
        prog="assistant models", description="List and download Vosk speech models."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{list,download}")
    lister = commands.add_parser("list", parents=[common], help="show the models you can download")
    lister.add_argument("--lang", help="only this language, e.g. en or en-us")
    lister.add_argument("--all", action="store_true", help="include big and obsolete models")
    loader = commands.add_parser("download", parents=[common], help="download and install a model")
    loader.add_argument("name", nargs="?", default=DEFAULT_MODEL, help=f"default: {DEFAULT_MODEL}")
    return parser


def models_command(argv: Sequence[str], *, models_dir: Path, out: TextIO, err: TextIO) -> int:
    """``assistant models list|download``: 0 on success, 1 on failure, 2 on a usage error."""
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = _parser().parse_args(list(argv))
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else 2
    url = catalog_url(args.catalog, os.environ)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        err.write(f"assistant models: error: the catalog must be an http(s) URL, got {url!r}\n")
        return 2
    if args.timeout <= 0:
        err.write("assistant models: error: --timeout must be a positive number of seconds\n")
        return 2
    folder: Path = args.dir or models_dir
    try:
        if args.command == "list":
            return _list(args, url=url, folder=folder, out=out, err=err)
        return _download(args, url=url, folder=folder, out=out, err=err)
    except (ModelDownloadError, CatalogError) as error:
        err.write(f"error: {error}\n")
    except KeyboardInterrupt:
        err.write("\ninterrupted: nothing was installed; run the same command again to resume\n")
    except OSError as error:
        err.write(f"error: {error.strerror or error} ({error.filename or folder}); nothing was installed\n")
    return 1


def _list(args: argparse.Namespace, *, url: str, folder: Path, out: TextIO, err: TextIO) -> int:
    lang: str | None = args.lang
    include_all: bool = args.all
    catalog = fetch_catalog(url, timeout=args.timeout)
    _warn_problems(catalog, err)
    chosen = catalog.select(lang=lang, include_all=include_all)
    if not chosen:
        err.write(
            f"no {'' if include_all else 'small '}model for language {lang!r}; try --all, or another --lang\n"
        )
        return 1
    out.write(format_table(chosen, install_status(folder, [e.name for e in chosen])))
    if not include_all:
        out.write("(small, current models only: --all shows every model)\n")
    return 0


def _download(args: argparse.Namespace, *, url: str, folder: Path, out: TextIO, err: TextIO) -> int:
    name: str = args.name
    timeout: float = args.timeout
    if not is_plain_name(name):
        err.write(f"assistant models: error: {name!r} is not a model name (see 'assistant models list')\n")
        return 2
    if looks_like_vosk_model(folder / name):
        out.write(f"{name} is already installed in {folder / name}\n")
        return 0
    catalog = fetch_catalog(url, timeout=timeout)
    _warn_problems(catalog, err)
    entry = catalog.get(name)
    if entry is None:
        broken = [p for p in catalog.problems if f"({name})" in p]
        if broken:
            err.write(
                f"error: the catalog entry for {name} is malformed ({broken[0]}); nothing was changed\n"
            )
            return 1
        close = catalog.suggest(name)
        hint = f": did you mean {' or '.join(close)}?" if close else "."
        err.write(
            f"error: unknown model {name!r}{hint} Run 'assistant models list --all' to see every model.\n"
        )
        return 1
    client = HttpClient(frozenset({urlsplit(url).hostname or ""}) | catalog.hosts(), timeout=timeout)
    result = install_model(entry, folder, client, progress=Progress(err, entry.name, entry.size))
    if result.already_installed:
        out.write(f"{name} is already installed in {result.path}\n")
    else:
        out.write(f"installed {name} in {result.path}\n")
    return 0


def _warn_problems(catalog: Catalog, err: TextIO) -> None:
    if catalog.problems:
        err.write(
            f"warning: skipped {len(catalog.problems)} malformed catalog "
            f"entr{'y' if len(catalog.problems) == 1 else 'ies'}: {catalog.problems[0]}\n"
        )
