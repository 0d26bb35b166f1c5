"""WAV files as the same stream of 16 kHz mono chunks the microphone yields."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

from assistant.voice.audio import AudioChunk, AudioError, convert_stream

#: Chunk length used by both the microphone and WAV input.
CHUNK_SECONDS = 0.1


class WavFileError(AudioError):
    """A file that cannot be read as a PCM WAV file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"cannot read {str(path)!r} as audio: {reason}. "
            "Give a PCM WAV file (8, 16, 24 or 32-bit integer samples)."
        )
        self.path = path


def _open(path: Path) -> wave.Wave_read:
    try:
        return wave.open(str(path), "rb")
    except FileNotFoundError:
        raise WavFileError(path, "no such file") from None
    except IsADirectoryError:
        raise WavFileError(path, "it is a directory") from None
    except PermissionError:
        raise WavFileError(path, "permission denied") from None
    except (wave.Error, EOFError) as exc:
        raise WavFileError(path, f"not a PCM WAV file ({exc or 'truncated header'})") from None


def _native_chunks(wav: wave.Wave_read, path: Path, frames: int) -> Iterator[AudioChunk]:
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
