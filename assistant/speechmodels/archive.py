"""Check a model archive before a byte is written, then extract it into a folder it cannot escape."""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.speechmodels.errors import IntegrityError, ModelDownloadError, UnsafeArchiveError
from assistant.speechmodels.transfer import CHUNK_SIZE


@dataclass(frozen=True)
class ExtractLimits:
    """Bounds that stop a hostile archive (zip bomb, millions of members) before extraction."""

    max_members: int = 20_000
    max_total_bytes: int = 16 * 1024**3
    #: Uncompressed size / archive size. Vosk models compress about 1.1-2x.
    max_ratio: float = 100.0


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
