"""Bring a model archive to disk: resumed with ``Range`` when possible, checked by size and MD5."""

from __future__ import annotations

import hashlib
import http.client
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.speechmodels.catalog import ModelEntry
from assistant.speechmodels.client import HttpClient
from assistant.speechmodels.errors import IntegrityError, NetworkError
from assistant.speechmodels.progress import Progress

logger = logging.getLogger(__name__)

CHUNK_SIZE = 256 * 1024
#: A download must bring at least SLOW_MIN_BYTES in every SLOW_WINDOW_SECONDS, or it is stopped:
#: a server trickling a byte at a time never trips the per-read timeout, and would hold the
#: command forever (about 0.5 KB/s; the small English model is 40 MB).
SLOW_WINDOW_SECONDS = 60.0
SLOW_MIN_BYTES = 32 * 1024
_CONTENT_RANGE_RE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


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
    mark_time, mark_have = time.monotonic(), transfer.have
    with transfer.partial.open("ab") as sink:
        try:
            # read1: what has arrived, without waiting for a whole chunk (a slow server is seen).
            while chunk := response.read1(CHUNK_SIZE):
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
                now = time.monotonic()
                if now - mark_time >= SLOW_WINDOW_SECONDS:
                    if transfer.have - mark_have < SLOW_MIN_BYTES:
                        sent = transfer.have - mark_have
                        why = f"the server sent only {sent} bytes in {now - mark_time:.0f} s, far too slowly"
                        raise _interrupted(transfer, why)
                    mark_time, mark_have = now, transfer.have
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
