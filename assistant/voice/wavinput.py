"""WAV files as the same stream of 16 kHz mono chunks the microphone yields."""

from __future__ import annotations

import struct
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from assistant.voice.audio import AudioChunk, AudioError, convert_stream

#: Chunk length used by both the microphone and WAV input.
CHUNK_SECONDS = 0.1


class WavFileError(AudioError):
    """A file that cannot be read as a PCM WAV file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"cannot read {str(path)!r} as audio: {reason}. "
            "Give a WAV file of 8, 16, 24 or 32-bit integer or 32/64-bit float samples."
        )
        self.path = path


class RiffWav:
    """A WAV file the standard library cannot open: the extensible header (sox's default for
    24/32-bit and multichannel files) or 32/64-bit float samples. Read from its chunks, with
    float samples given as 16-bit integers. Same methods as ``wave.Wave_read``."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        try:
            self._read_header(path)
        except BaseException:
            self._file.close()
            raise

    def _read_header(self, path: Path) -> None:
        head = self._file.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise WavFileError(path, "not a RIFF WAVE file")
        fmt: bytes | None = None
        while True:
            chunk = self._file.read(8)
            if len(chunk) < 8:
                raise WavFileError(path, "no audio data in the file")
            name, size = chunk[:4], int(struct.unpack("<I", chunk[4:])[0])
            if name == b"fmt ":
                fmt = self._file.read(size + size % 2)
            elif name == b"data":
                break
            else:
                self._file.seek(size + size % 2, 1)
        if fmt is None or len(fmt) < 16:
            raise WavFileError(path, "the format chunk is missing or too short")
        tag, channels, rate, _, align, bits = (int(v) for v in struct.unpack("<HHIIHH", fmt[:16]))
        if tag == _EXTENSIBLE and len(fmt) >= 26:
            tag = int(struct.unpack("<H", fmt[24:26])[0])  # the sub-format GUID starts with the tag
        if tag not in (_PCM, _FLOAT) or channels < 1 or rate < 1 or align != channels * (bits // 8):
            raise WavFileError(
                path, f"unsupported WAV format (format {tag}, {bits}-bit, {channels} channels)"
            )
        if tag == _FLOAT and bits not in (32, 64):
            raise WavFileError(path, f"unsupported float sample size {bits} bits")
        self._float = tag == _FLOAT
        self._in_width = bits // 8
        self._channels, self._rate = channels, rate
        self._frames = size // align
        self._left = self._frames

    def getframerate(self) -> int:
        return self._rate

    def getnchannels(self) -> int:
        return self._channels

    def getsampwidth(self) -> int:
        return 2 if self._float else self._in_width

    def getnframes(self) -> int:
        return self._frames

    def readframes(self, n: int) -> bytes:
        n = min(n, self._left)
        data = self._file.read(n * self._in_width * self._channels)
        self._left -= n
        if not self._float:
            return data
        kind = "<f4" if self._in_width == 4 else "<f8"
        usable = len(data) - len(data) % self._in_width
        samples = np.frombuffer(data[:usable], dtype=kind)
        return bytes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RiffWav:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE


def _open(path: Path) -> wave.Wave_read | RiffWav:
    if path.exists() and not path.is_file():
        kind = "a directory" if path.is_dir() else "not a regular file (a pipe or a device)"
        raise WavFileError(path, f"it is {kind}")
    try:
        return wave.open(str(path), "rb")
    except wave.Error as exc:
        if "unknown format" in str(exc):
            return RiffWav(path)
        raise WavFileError(path, f"not a PCM WAV file ({exc})") from None
    except FileNotFoundError:
        raise WavFileError(path, "no such file") from None
    except IsADirectoryError:
        raise WavFileError(path, "it is a directory") from None
    except PermissionError:
        raise WavFileError(path, "permission denied") from None
    except EOFError as exc:
        raise WavFileError(path, f"not a PCM WAV file ({exc or 'truncated header'})") from None


def _native_chunks(wav: wave.Wave_read | RiffWav, path: Path, frames: int) -> Iterator[AudioChunk]:
    rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
    try:
        while True:
            data = wav.readframes(frames)
            # A truncated last frame can leave a partial sample: drop it.
            data = data[: len(data) - len(data) % (width * channels)]
            if not data:
                return
            yield AudioChunk(data, rate, width, channels)
    except (wave.Error, EOFError, OSError) as exc:
        raise WavFileError(path, str(exc)) from None
    except AudioError as exc:
        raise WavFileError(path, str(exc)) from None


def read_wav_info(path: Path | str) -> tuple[int, int, int, int]:
    """``(sample_rate, sample_width, channels, frames)`` of a WAV file."""
    path = Path(path)
    with _open(path) as wav:
        return wav.getframerate(), wav.getsampwidth(), wav.getnchannels(), wav.getnframes()


def iter_wav_chunks(path: Path | str, chunk_seconds: float = CHUNK_SECONDS) -> Iterator[AudioChunk]:
    """Yield the file's audio as 16 kHz mono 16-bit chunks of ``chunk_seconds`` each.

    The last chunk may be shorter. Raises :class:`WavFileError` naming the file when it is
    missing or not a PCM WAV file (the header is checked before the first chunk is yielded).
    """
    path = Path(path)
    wav = _open(path)
    if wav.getsampwidth() not in (1, 2, 3, 4):
        wav.close()
        raise WavFileError(path, f"unsupported sample width {wav.getsampwidth()} bytes")
    frames_out = max(1, round(chunk_seconds * 16_000))
    frames_in = max(1, round(chunk_seconds * wav.getframerate()))

    def generate() -> Iterator[AudioChunk]:
        with wav:
            yield from convert_stream(_native_chunks(wav, path, frames_in), frames_out)

    return generate()


def read_wav(path: Path | str) -> AudioChunk:
    """The whole file as one 16 kHz mono 16-bit chunk."""
    return AudioChunk(b"".join(c.pcm for c in iter_wav_chunks(path, 1.0)), 16_000)
