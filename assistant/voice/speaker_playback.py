"""Playing WAV files through ALSA's ``aplay``, and finding out whether that can work at all.

pyttsx3's espeak driver plays with ``os.system("aplay ...")`` and ignores the result: with no
sound device it prints an ALSA error and reports success. This module runs ``aplay`` itself so
that a missing device, an error or a hang is seen, and so playback can be stopped.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

logger = logging.getLogger(__name__)

#: How often a running playback checks ``should_stop``.
POLL_SECONDS = 0.05
PROBE_TIMEOUT = 5.0
_CARDS = Path("/proc/asound/cards")


class PlaybackError(Exception):
    """Audio could not be played; the message says why and what to do."""


class PlayResult(Enum):
    finished = "finished"
    stopped = "stopped"


@dataclass(frozen=True)
class AplayPlayer:
    """Plays WAV files with ``aplay`` on the default ALSA device."""

    program: str = "aplay"

    def probe(self, timeout: float = PROBE_TIMEOUT) -> tuple[bool, str]:
        """Play 20 ms of silence: ``(True, description)`` if a device accepted it.

        ``aplay -l`` is not enough: it exits 0 with no card, and a configured default device
        (PulseAudio, PipeWire, an ``.asoundrc``) can exist without any card.
        """
        if not sys.platform.startswith("linux"):
            return False, f"speech output plays through ALSA, which {sys.platform} does not have"
        path = shutil.which(self.program)
        if path is None:
            return False, (
                f"the '{self.program}' program is missing; install it with 'sudo apt install alsa-utils'"
            )
        with tempfile.TemporaryDirectory(prefix="assistant-probe-") as tmp:
            silence = Path(tmp) / "silence.wav"
            with wave.open(str(silence), "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(22050)
                wav.writeframes(b"\0\0" * 441)
            try:
                self.play(silence, timeout=timeout)
            except PlaybackError as exc:
                return False, str(exc)
        return True, f"audio plays through the default ALSA device ({_describe_cards()})"

    def play(
        self,
        path: Path,
        *,
        timeout: float,
        should_stop: Callable[[], bool] | None = None,
    ) -> PlayResult:
        """Play ``path`` to the end, or until ``should_stop()`` returns True.

        Raises :class:`PlaybackError` when aplay fails or runs longer than ``timeout`` seconds.
        """
        command = [self.program, "-q", "--", str(path)]
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        except OSError as exc:
            raise PlaybackError(f"cannot run {self.program}: {exc.strerror}") from exc
        deadline = time.monotonic() + timeout
        try:
            while process.poll() is None:
                if should_stop is not None and should_stop():
                    _end(process)
                    return PlayResult.stopped
                if time.monotonic() > deadline:
                    _end(process)
                    raise PlaybackError(
                        f"{self.program} did not finish within {timeout:.1f} s; "
                        "the sound device may be stuck or in use by another program"
                    )
                time.sleep(POLL_SECONDS)
            errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
        finally:
            if process.stderr is not None:
                process.stderr.close()
        if process.returncode != 0:
            raise PlaybackError(_explain_failure(errors))
        return PlayResult.finished


def _end(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _describe_cards() -> str:
    try:
        text = _CARDS.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no sound card listed in /proc/asound/cards"
    names = [line.split(":", 1)[1].strip() for line in text.splitlines() if " [" in line]
    names = [n for n in names if n]
    return "cards: " + ", ".join(names) if names else "no sound card listed"


def _explain_failure(errors: str) -> str:
    lines = [line.strip() for line in errors.splitlines() if line.strip()]
    detail = lines[-1] if lines else "no error message"
    return (
        f"no sound output device could be opened ({_describe_cards()}; aplay said: {detail}); "
        "connect speakers or headphones, or check 'aplay -L'"
    )
