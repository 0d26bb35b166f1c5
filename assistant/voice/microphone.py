"""Microphone input through PortAudio (``sounddevice``), as 16 kHz mono 16-bit chunks.

Every PortAudio failure becomes :class:`AudioDeviceError`, whose message tells the user how to
carry on without a microphone. Open the microphone for one turn at a time (``with
Microphone(...) as mic``) so the assistant's own speech is not recorded between turns.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import Any

from assistant.voice.audio import TARGET_RATE, AudioChunk, AudioError, StreamConverter
from assistant.voice.wavinput import CHUNK_SECONDS

logger = logging.getLogger(__name__)

#: What every microphone error ends with: the way to carry on without one.
TEXT_MODE_HINT = "run with --text to continue in text mode"


class AudioDeviceError(AudioError):
    """No usable microphone."""


@dataclass(frozen=True)
class InputDevice:
    """An audio input device as PortAudio lists it."""

    index: int
    name: str
    channels: int
    default_samplerate: float
    is_default: bool = False


#: Whether the sound library was seen to start without crashing in a child process.
_PROBED: list[bool] = []
#: Seconds the child process may take to start the sound library.
PROBE_SECONDS = 15.0


def _probe_sound_library() -> None:
    """Start the sound library once in a child process before this one touches it.

    With a missing or broken ALSA configuration (``ALSA_CONFIG_PATH=/nonexistent``), PortAudio's
    start-up aborts the whole process (SIGABRT) with no message; seen in a child, it becomes a
    clear error here, and the caller can carry on by typing.
    """
    if _PROBED:
        return
    code = "import sounddevice; sounddevice.query_devices()"
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, timeout=PROBE_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AudioDeviceError(f"the sound system did not start ({exc}); {TEXT_MODE_HINT}") from None
    if done.returncode < 0:
        try:
            name = signal.Signals(-done.returncode).name
        except ValueError:
            name = f"signal {-done.returncode}"
        where = os.environ.get("ALSA_CONFIG_PATH")
        config = (
            f"ALSA_CONFIG_PATH={where}" if where else "the ALSA configuration (/usr/share/alsa/alsa.conf)"
        )
        raise AudioDeviceError(
            f"the sound system crashed while starting ({name}); check {config}, or {TEXT_MODE_HINT}"
        )
    _PROBED.append(True)


def _sounddevice() -> ModuleType:
    _probe_sound_library()
    try:
        import sounddevice  # noqa: PLC0415 (PortAudio is optional: text mode needs none)
    except OSError as exc:  # the PortAudio library itself is missing
        raise AudioDeviceError(
            f"no microphone support: the PortAudio library is not installed ({exc}); "
            f"install libportaudio2, or {TEXT_MODE_HINT}"
        ) from None
    module: ModuleType = sounddevice
    return module


def device_spec(device: str | None) -> int | str | None:
    """``--input-device``: a number is a device index, anything else part of a device name."""
    return int(device) if device and device.isdigit() else device


def list_input_devices() -> list[InputDevice]:
    """All devices with at least one input channel ([] when there are none)."""
    sd = _sounddevice()
    try:
        devices: Any = sd.query_devices()
        default_in = sd.default.device[0]
    except sd.PortAudioError as exc:
        raise AudioDeviceError(f"cannot list audio devices ({exc}); {TEXT_MODE_HINT}") from None
    return [
        InputDevice(
            index=int(info["index"]),
            name=str(info["name"]),
            channels=int(info["max_input_channels"]),
            default_samplerate=float(info["default_samplerate"]),
            is_default=int(info["index"]) == default_in,
        )
        for info in devices
        if int(info["max_input_channels"]) > 0
    ]


def find_input_device(spec: int | str | None) -> InputDevice:
    """The device for ``--input-device``: an index, a name substring, or None for the default."""
    devices = list_input_devices()
    if not devices:
        raise AudioDeviceError(f"no microphone found; {TEXT_MODE_HINT}")
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return next((d for d in devices if d.is_default), devices[0])
    if isinstance(spec, int) or spec.strip().isdigit():
        index = int(spec)
        match = next((d for d in devices if d.index == index), None)
    else:
        wanted = spec.strip().lower()
        match = next((d for d in devices if wanted in d.name.lower()), None)
    if match is None:
        listed = "; ".join(f"{d.index}: {d.name}" for d in devices)
        raise AudioDeviceError(
            f"no microphone matches {spec!r} (input devices: {listed}); "
            f"choose one with --input-device, or {TEXT_MODE_HINT}"
        )
    return match


class Microphone:
    """A live input stream yielding :class:`AudioChunk` of ``chunk_seconds`` each (16 kHz mono).

    Records at 16 kHz when the device allows it, otherwise at the device's own rate, converted.
    """

    def __init__(self, device: int | str | None = None, chunk_seconds: float = CHUNK_SECONDS):
        self.chunk_seconds = chunk_seconds
        self.device = find_input_device(device)
        self._sd = _sounddevice()
        self._stream: Any = None
        self._converter = StreamConverter()
        self.sample_rate = self._choose_rate()
        self._frames = max(1, round(chunk_seconds * self.sample_rate))

    def _choose_rate(self) -> int:
        try:
            self._sd.check_input_settings(
                device=self.device.index, samplerate=TARGET_RATE, channels=1, dtype="int16"
            )
        except Exception:  # sounddevice raises PortAudioError or ValueError here
            rate = int(self.device.default_samplerate)
            logger.info("%s does not take 16 kHz; recording at %d Hz", self.device.name, rate)
            return rate
        return TARGET_RATE

    def open(self) -> None:
        if self._stream is not None:
            return
        try:
            self._stream = self._sd.RawInputStream(
                samplerate=self.sample_rate,
                channels=1,
                dtype="int16",
                device=self.device.index,
                blocksize=self._frames,
            )
            self._stream.start()
        except self._sd.PortAudioError as exc:
            self._stream = None
            raise AudioDeviceError(
                f"cannot open microphone {self.device.name!r} ({exc}); {TEXT_MODE_HINT}"
            ) from None
        self._converter = StreamConverter()
        logger.debug("microphone %s open at %d Hz", self.device.name, self.sample_rate)

    def close(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.stop()
            self._stream.close()
        except self._sd.PortAudioError as exc:
            logger.debug("closing the microphone: %s", exc)
        self._stream = None

    def __enter__(self) -> Microphone:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def read(self) -> AudioChunk:
        """Block until the next chunk has been recorded."""
        if self._stream is None:
            self.open()
        try:
            data, overflowed = self._stream.read(self._frames)
        except self._sd.PortAudioError as exc:
            raise AudioDeviceError(f"microphone stopped working ({exc}); {TEXT_MODE_HINT}") from None
        if overflowed:
            logger.debug("microphone input overflowed: some audio was lost")
        return self._converter.convert(AudioChunk(bytes(data), self.sample_rate, 2, 1))

    def chunks(self, max_seconds: float | None = None) -> Iterator[AudioChunk]:
        """Chunks until ``max_seconds`` of audio (forever when None); stop iterating to end."""
        limit = None if max_seconds is None else round(max_seconds * self.sample_rate)
        recorded = 0
        while limit is None or recorded < limit:
            chunk = self.read()
            recorded += self._frames
            if chunk.pcm:
                yield chunk
