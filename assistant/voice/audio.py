"""Audio chunks and their conversion to 16 kHz mono 16-bit PCM.

Every audio source (a WAV file, the microphone) yields :class:`AudioChunk` objects. Recognizers
want one format, 16 kHz mono signed 16-bit little-endian (:data:`TARGET_RATE`); this module
converts any chunk to it: numpy for sample width and channel mixing, soxr for resampling.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import soxr

TARGET_RATE = 16_000
TARGET_WIDTH = 2
TARGET_CHANNELS = 1

Int16Array = npt.NDArray[np.int16]


class AudioError(Exception):
    """Base class of the errors raised by the audio input path."""


class AudioFormatError(AudioError):
    """Audio in a sample format this program cannot convert."""


@dataclass(frozen=True)
class AudioChunk:
    """A run of interleaved little-endian PCM frames.

    ``sample_width`` is in bytes: 1 (unsigned 8-bit), 2, 3 or 4 (signed).
    """

    pcm: bytes
    sample_rate: int
    sample_width: int = TARGET_WIDTH
    channels: int = TARGET_CHANNELS

    def __post_init__(self) -> None:
        if self.sample_rate <= 0:
            raise AudioFormatError(f"sample rate must be positive, got {self.sample_rate}")
        if self.sample_width not in (1, 2, 3, 4):
            raise AudioFormatError(
                f"unsupported sample width {self.sample_width} bytes; use 8, 16, 24 or 32-bit PCM"
            )
        if self.channels <= 0:
            raise AudioFormatError(f"channel count must be positive, got {self.channels}")
        if len(self.pcm) % (self.sample_width * self.channels):
            raise AudioFormatError(
                f"{len(self.pcm)} bytes is not a whole number of "
                f"{self.channels}-channel {self.sample_width * 8}-bit frames"
            )

    @property
    def frames(self) -> int:
        """Number of frames (samples per channel)."""
        return len(self.pcm) // (self.sample_width * self.channels)

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate

    @property
    def is_target_format(self) -> bool:
        """True when the chunk is already 16 kHz mono 16-bit."""
        return (
            self.sample_rate == TARGET_RATE
            and self.sample_width == TARGET_WIDTH
            and self.channels == TARGET_CHANNELS
        )

    @classmethod
    def from_samples(cls, samples: Int16Array, sample_rate: int = TARGET_RATE) -> AudioChunk:
        """A mono 16-bit chunk from an int16 array."""
        return cls(np.asarray(samples, dtype="<i2").tobytes(), sample_rate, 2, 1)


def mono_int16(chunk: AudioChunk) -> Int16Array:
    """The chunk's samples as a 1-D int16 array at its own rate (channels averaged)."""
    width = chunk.sample_width
    raw = np.frombuffer(chunk.pcm, dtype=np.uint8)
    if width == 1:
        wide = (raw.astype(np.int32) - 128) << 8
    elif width == 2:
        wide = np.frombuffer(chunk.pcm, dtype="<i2").astype(np.int32)
    elif width == 3:
        triplets = raw.reshape(-1, 3).astype(np.int32)
        wide = triplets[:, 0] | (triplets[:, 1] << 8) | (triplets[:, 2] << 16)
        wide = np.where(wide >= 1 << 23, wide - (1 << 24), wide) >> 8
    else:
        wide = np.frombuffer(chunk.pcm, dtype="<i4").astype(np.int64) >> 16
    if chunk.channels > 1:
        mixed = wide.reshape(-1, chunk.channels).mean(axis=1)
        out: Int16Array = np.clip(np.round(mixed), -32768, 32767).astype(np.int16)
        return out
    return wide.astype(np.int16)


def to_target(chunk: AudioChunk) -> AudioChunk:
    """Convert one self-contained chunk (a whole recording) to 16 kHz mono 16-bit.

    For a stream of consecutive chunks use :class:`StreamConverter`, which keeps the
    resampler's state across chunk boundaries.
    """
    if chunk.is_target_format:
        return chunk
    samples = mono_int16(chunk)
    if chunk.sample_rate != TARGET_RATE and samples.size:
        resampled = soxr.resample(samples, chunk.sample_rate, TARGET_RATE, quality="HQ")
        samples = np.asarray(resampled, dtype=np.int16)
    return AudioChunk.from_samples(samples)


class StreamConverter:
    """Converts consecutive chunks of one stream to 16 kHz mono 16-bit.

    All chunks must share one sample rate. Call :meth:`flush` after the last chunk to get the
    resampler's remaining output.
    """

    def __init__(self) -> None:
        self._rate: int | None = None
        self._stream: soxr.ResampleStream | None = None

    def convert(self, chunk: AudioChunk) -> AudioChunk:
        if self._rate is None:
            self._rate = chunk.sample_rate
            if chunk.sample_rate != TARGET_RATE:
                self._stream = soxr.ResampleStream(
                    chunk.sample_rate, TARGET_RATE, 1, dtype="int16", quality="HQ"
                )
        elif chunk.sample_rate != self._rate:
            raise AudioFormatError(
                f"sample rate changed mid-stream from {self._rate} to {chunk.sample_rate} Hz"
            )
        if chunk.is_target_format:
            return chunk
        samples = mono_int16(chunk)
        if self._stream is not None:
            samples = np.asarray(self._stream.resample_chunk(samples, last=False), dtype=np.int16)
        return AudioChunk.from_samples(samples)

    def flush(self) -> AudioChunk:
        if self._stream is None:
            return AudioChunk(b"", TARGET_RATE)
        tail = self._stream.resample_chunk(np.zeros(0, dtype=np.int16), last=True)
        self._stream = None
        return AudioChunk.from_samples(tail)


def rechunk(chunks: Iterable[AudioChunk], frames_per_chunk: int) -> Iterator[AudioChunk]:
    """Regroup 16 kHz mono 16-bit chunks into chunks of exactly ``frames_per_chunk`` frames.

    The last chunk may be shorter; empty chunks are never yielded.
    """
    if frames_per_chunk <= 0:
        raise ValueError("frames_per_chunk must be positive")
    size = frames_per_chunk * TARGET_WIDTH
    pending = bytearray()
    for chunk in chunks:
        pending += chunk.pcm
        while len(pending) >= size:
            yield AudioChunk(bytes(pending[:size]), TARGET_RATE)
            del pending[:size]
    if pending:
        yield AudioChunk(bytes(pending), TARGET_RATE)


def convert_stream(chunks: Iterable[AudioChunk], frames_per_chunk: int | None = None) -> Iterator[AudioChunk]:
    """Convert a stream of chunks to 16 kHz mono 16-bit, optionally regrouped to a fixed size."""

    def converted() -> Iterator[AudioChunk]:
        converter = StreamConverter()
        for chunk in chunks:
            out = converter.convert(chunk)
            if out.pcm:
                yield out
        tail = converter.flush()
        if tail.pcm:
            yield tail

    if frames_per_chunk is None:
        return converted()
    return rechunk(converted(), frames_per_chunk)
