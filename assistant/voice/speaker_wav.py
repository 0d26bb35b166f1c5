"""WAV files written by speech output: private (mode 0600), numbered, appended sentence by sentence."""

from __future__ import annotations

import math
import os
import re
import wave
from dataclasses import dataclass
from pathlib import Path

#: Saved replies may hold what a person said about their health: owner-only access.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700

_NUMBERED = re.compile(r"^(\d{4,})-.*\.wav$")
_UNSAFE_LABEL = re.compile(r"[^a-z0-9_]+")


class SpeechFileError(Exception):
    """A WAV file for speech output could not be read or written."""


@dataclass(frozen=True)
class WavInfo:
    """The format and length of a WAV file."""

    path: Path
    sample_rate: int
    channels: int
    sample_width: int
    frames: int

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def wav_info(path: Path) -> WavInfo:
    """Read the header of a WAV file; raise :class:`SpeechFileError` if it is not one."""
    try:
        with wave.open(str(path), "rb") as wav:
            return WavInfo(
                path=path,
                sample_rate=wav.getframerate(),
                channels=wav.getnchannels(),
                sample_width=wav.getsampwidth(),
                frames=wav.getnframes(),
            )
    except (OSError, EOFError, wave.Error) as exc:
        raise SpeechFileError(f"{path} is not a readable WAV file: {exc}") from exc


def read_frames(path: Path) -> tuple[WavInfo, bytes]:
    """Return the header and all the PCM frames of a WAV file."""
    info = wav_info(path)
    with wave.open(str(path), "rb") as wav:
        return info, wav.readframes(info.frames)


def open_private(path: Path) -> int:
    """Create ``path`` (which must not exist) readable and writable by its owner only."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)


class PrivateWavWriter:
    """A WAV file created with mode 0600 and filled by :meth:`append`, in one or more pieces.

    The file is created by the first :meth:`append`; the format is taken from that piece and
    every later piece must have the same format.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._wav: wave.Wave_write | None = None
        self._params: tuple[int, int, int] | None = None
        self.frames = 0

    def append(self, info: WavInfo, frames: bytes) -> None:
        params = (info.sample_rate, info.channels, info.sample_width)
        if self._wav is None:
            try:
                fd = open_private(self.path)
            except OSError as exc:
                raise SpeechFileError(f"cannot create {self.path}: {exc.strerror}") from exc
            self._wav = wave.open(os.fdopen(fd, "wb"), "wb")  # noqa: SIM115 - open across appends
            self._wav.setframerate(info.sample_rate)
            self._wav.setnchannels(info.channels)
            self._wav.setsampwidth(info.sample_width)
            self._params = params
        elif params != self._params:
            raise SpeechFileError(
                f"cannot append {params} audio to {self.path}, which holds {self._params} audio"
            )
        self._wav.writeframes(frames)
        self.frames += len(frames) // (info.channels * info.sample_width)

    def close(self) -> None:
        if self._wav is not None:
            self._wav.close()
            self._wav = None


def copy_private(source: Path, target: Path) -> WavInfo:
    """Copy the WAV ``source`` to ``target`` (replacing it), created with mode 0600."""
    info, frames = read_frames(source)
    target.unlink(missing_ok=True)
    writer = PrivateWavWriter(target)
    try:
        writer.append(info, frames)
    finally:
        writer.close()
    return wav_info(target)


class NumberedFiles:
    """Hands out ``0001-<label>.wav``, ``0002-<label>.wav``... in a directory.

    Numbering continues after the highest number already in the directory, so a second run
    with the same ``--save-audio`` directory never overwrites the first one's files.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        try:
            directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        except OSError as exc:
            raise SpeechFileError(
                f"cannot create the audio directory {directory}: {exc.strerror}; "
                "choose a directory you can write to"
            ) from exc
        if not directory.is_dir():
            raise SpeechFileError(f"{directory} is not a directory; choose another place")
        numbers = [int(m.group(1)) for p in directory.iterdir() if (m := _NUMBERED.match(p.name))]
        self._last = max(numbers, default=0)

    def next_path(self, label: str) -> Path:
        """Reserve the next free number; the file itself is created by the caller."""
        safe = _UNSAFE_LABEL.sub("-", label.lower()).strip("-") or "say"
        while True:
            self._last += 1
            path = self.directory / f"{self._last:04d}-{safe}.wav"
            if not path.exists():
                return path


#: The chime of always-on mode: two short rising tones (E5 then A5), 0.22 s in all.
CHIME_TONES = ((659.25, 0.09), (880.0, 0.13))
CHIME_RATE = 22050


def write_chime(path: Path) -> Path:
    """A short, soft two-tone chime ("I'm listening") as a 16-bit mono WAV file."""
    frames = bytearray()
    for frequency, seconds in CHIME_TONES:
        count = round(seconds * CHIME_RATE)
        fade = round(0.01 * CHIME_RATE)
        for n in range(count):
            envelope = min(1.0, n / fade, (count - n) / fade)
            value = round(0.3 * 32767 * envelope * math.sin(2 * math.pi * frequency * n / CHIME_RATE))
            frames += value.to_bytes(2, "little", signed=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(CHIME_RATE)
        wav.writeframes(bytes(frames))
    return path
