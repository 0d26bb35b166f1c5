"""Speech output: the :class:`Speaker` interface and its pyttsx3 implementation.

The voice loop prints every line *before* speaking it, so a speaker that fails never loses
text: a failure is reported once ("speech output is not working: ...; the text is printed
instead") and later calls return :attr:`SpeakOutcome.failed` at once.

How speech is produced (see :mod:`assistant.voice.speaker_engine` for the pyttsx3 problems this
works around): a reply is split into sentences; each sentence is rendered to a WAV file by
pyttsx3's espeak driver and then played with ``aplay``, checking ``should_stop()`` between
sentences and during playback. With ``save_dir`` each reply is also kept as a numbered WAV
file (``0001-say.wav``, ...), mode 0600. :class:`FileSpeaker` only writes those files.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import weakref
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from assistant.base.errors import SettingsError
from assistant.voice.speaker_engine import (
    DEFAULT_RATE,
    MAX_RATE,
    MIN_RATE,
    EngineLike,
    Renderer,
    SpeechEngineError,
    VoiceInfo,
    VoiceSettings,
)
from assistant.voice.speaker_playback import AplayPlayer, PlaybackError, PlayResult
from assistant.voice.speaker_text import split_sentences
from assistant.voice.speaker_wav import (
    NumberedFiles,
    PrivateWavWriter,
    SpeechFileError,
    WavInfo,
    copy_private,
    read_frames,
    write_chime,
)

__all__ = [
    "FileSpeaker",
    "Pyttsx3Speaker",
    "SpeakOutcome",
    "Speaker",
    "SpeakerSettingsError",
    "SpeechOutputError",
    "VoiceInfo",
    "WavInfo",
    "list_voices",
    "render_wav",
    "speaker_available",
]

logger = logging.getLogger(__name__)

#: Seconds allowed on top of the expected time of any synthesis or playback.
BASE_TIMEOUT = 5.0


class SpeakOutcome(StrEnum):
    spoken = "spoken"
    failed = "failed"
    interrupted = "interrupted"


class Speaker(Protocol):
    """Says text aloud. Never raises for a speech problem: it returns ``failed``."""

    def say(self, text: str, *, interruptible: bool = True) -> SpeakOutcome: ...

    def close(self) -> None: ...


class SpeakerSettingsError(SettingsError):
    """A speech rate, volume or voice that cannot be used."""


class SpeechOutputError(Exception):
    """Speech could not be rendered; the message says why."""


def _check_settings(rate: int | None, volume: float | None) -> None:
    if rate is not None and not MIN_RATE <= rate <= MAX_RATE:
        raise SpeakerSettingsError(
            f"speech rate {rate} is out of range: choose {MIN_RATE} to {MAX_RATE} words per "
            f"minute (default {DEFAULT_RATE})"
        )
    if volume is not None and not 0.0 <= volume <= 1.0:
        raise SpeakerSettingsError(f"speech volume {volume} is out of range: choose 0.0 to 1.0")


def _expected_seconds(text: str, rate: int | None) -> float:
    return len(text.split()) * 60.0 / (rate or DEFAULT_RATE)


class Pyttsx3Speaker:
    """Speaks through pyttsx3 (espeak) and ``aplay``; see the module documentation.

    ``should_stop`` is called between sentences (and while a sentence plays) unless a reply is
    said with ``interruptible=False``. ``playback=False`` renders to files only (see
    :class:`FileSpeaker`). ``engine_factory`` and ``player`` replace the real pyttsx3 engine
    and ``aplay`` (for tests). ``base_timeout`` is added to every expected duration to get the
    time after which synthesis or playback is abandoned as hung.

    Raises :class:`SpeakerSettingsError` for an unusable rate, volume or voice.
    """

    def __init__(
        self,
        rate: int | None = None,
        voice: str | None = None,
        volume: float | None = None,
        save_dir: Path | None = None,
        should_stop: Callable[[], bool] | None = None,
        *,
        playback: bool = True,
        stop_during_playback: bool = True,
        base_timeout: float = BASE_TIMEOUT,
        engine_factory: Callable[[], EngineLike] | None = None,
        player: AplayPlayer | None = None,
    ) -> None:
        _check_settings(rate, volume)
        self._rate = rate
        self._volume = volume
        self._should_stop = should_stop
        #: False when ``should_stop`` listens to the microphone: it may run between sentences
        #: only, never while the speaker is playing (the assistant would hear itself).
        self._stop_during_playback = stop_during_playback
        self._playback = playback
        self._base_timeout = base_timeout
        self._player = player or AplayPlayer()
        self._renderer = Renderer(engine_factory)
        self._problem: str | None = None
        self._warned = False
        self._pending_warning: str | None = None
        self._closed = False
        self._files = NumberedFiles(save_dir) if save_dir is not None else None
        self._tmp = Path(tempfile.mkdtemp(prefix="assistant-speech-"))
        # Removed on close(), and in any case when the speaker is collected or the program exits:
        # the last reply must not stay behind in /tmp.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._tmp, True)
        self._voice = self._resolve_voice(voice) if voice else None
        if playback and self._problem is None:
            available, reason = self._player.probe()
            if not available:
                self._problem = reason

    def _resolve_voice(self, voice: str) -> str | None:
        try:
            return self._renderer.resolve_voice(voice)
        except LookupError:
            examples = ", ".join(v.id for v in self._renderer.list_voices()[:5])
            raise SpeakerSettingsError(
                f"there is no voice '{voice}': use a voice id such as {examples} "
                "(list_voices() gives them all)"
            ) from None
        except SpeechEngineError as exc:
            self._problem = str(exc)
            return None

    @property
    def unavailable_reason(self) -> str | None:
        """Why speech output does not work, or None if it is (as far as known) working."""
        return self._problem

    def pop_warning(self) -> str | None:
        """The one warning for the user, the first time it is asked for after a failure."""
        warning, self._pending_warning = self._pending_warning, None
        return warning

    def say(self, text: str, *, interruptible: bool = True, label: str = "say") -> SpeakOutcome:
        """Speak ``text`` sentence by sentence. ``label`` names the saved file (``0001-say.wav``)."""
        if self._closed:
            return SpeakOutcome.failed
        if self._problem is not None:
            self._warn_once()
            return SpeakOutcome.failed
        sentences = split_sentences(text)
        if not sentences:
            return SpeakOutcome.spoken
        writer = PrivateWavWriter(self._files.next_path(label)) if self._files else None
        try:
            return self._say_sentences(sentences, interruptible, writer)
        except (SpeechEngineError, PlaybackError, SpeechFileError) as exc:
            self._problem = str(exc)
            self._warn_once()
            return SpeakOutcome.failed
        finally:
            if writer is not None:
                writer.close()

    def _say_sentences(
        self, sentences: list[str], interruptible: bool, writer: PrivateWavWriter | None
    ) -> SpeakOutcome:
        should_stop = self._should_stop if interruptible else None
        settings = VoiceSettings(rate=self._rate, voice=self._voice, volume=self._volume)
        sentence_wav = self._tmp / "sentence.wav"
        for index, sentence in enumerate(sentences):
            if index > 0 and should_stop is not None and should_stop():
                return SpeakOutcome.interrupted
            timeout = self._base_timeout + _expected_seconds(sentence, self._rate)
            self._renderer.render(sentence, sentence_wav, settings, timeout)
            info, frames = read_frames(sentence_wav)
            if writer is not None:
                writer.append(info, frames)
            if self._playback:
                result = self._player.play(
                    sentence_wav,
                    timeout=self._base_timeout + 1.5 * info.duration,
                    should_stop=should_stop if self._stop_during_playback else None,
                )
                if result is PlayResult.stopped:
                    return SpeakOutcome.interrupted
        return SpeakOutcome.spoken

    def chime(self) -> SpeakOutcome:
        """Play the short "I'm listening" chime (always-on mode, on waking)."""
        if self._closed or not self._playback:
            return SpeakOutcome.failed
        if self._problem is not None:
            self._warn_once()
            return SpeakOutcome.failed
        chime = self._tmp / "chime.wav"
        try:
            if not chime.exists():
                write_chime(chime)
            self._player.play(chime, timeout=self._base_timeout)
        except (OSError, PlaybackError) as exc:
            self._problem = str(exc)
            self._warn_once()
            return SpeakOutcome.failed
        return SpeakOutcome.spoken

    def _warn_once(self) -> None:
        if self._warned:
            return
        self._warned = True
        message = f"speech output is not working: {self._problem}; the text is printed instead"
        logger.info("%s", message)  # the caller shows pop_warning() to the person
        self._pending_warning = message

    def close(self) -> None:
        self._closed = True
        self._cleanup()


class FileSpeaker(Pyttsx3Speaker):
    """Writes every reply to a numbered WAV file in ``save_dir``; plays nothing.

    For ``--save-audio`` on a machine with no sound card, and for tests.
    """

    def __init__(
        self,
        save_dir: Path,
        rate: int | None = None,
        voice: str | None = None,
        volume: float | None = None,
        should_stop: Callable[[], bool] | None = None,
        *,
        base_timeout: float = BASE_TIMEOUT,
        engine_factory: Callable[[], EngineLike] | None = None,
    ) -> None:
        super().__init__(
            rate,
            voice,
            volume,
            save_dir,
            should_stop,
            playback=False,
            base_timeout=base_timeout,
            engine_factory=engine_factory,
        )


def speaker_available(player: AplayPlayer | None = None) -> tuple[bool, str]:
    """Whether speech can be heard here: ``(True, description)`` or ``(False, reason)``.

    Checks that the speech engine starts and that a playback device accepts audio.
    """
    try:
        voices = Renderer().list_voices()
    except SpeechEngineError as exc:
        return False, str(exc)
    available, reason = (player or AplayPlayer()).probe()
    if not available:
        return False, reason
    return True, f"pyttsx3 with {len(voices)} espeak voices; {reason}"


def list_voices() -> list[VoiceInfo]:
    """The voices of the speech engine. Raises :class:`SpeechOutputError` if it cannot start."""
    try:
        return Renderer().list_voices()
    except SpeechEngineError as exc:
        raise SpeechOutputError(str(exc)) from exc


def render_wav(
    text: str,
    path: Path,
    *,
    rate: int | None = None,
    voice: str | None = None,
    volume: float | None = None,
    timeout: float | None = None,
) -> WavInfo:
    """Render ``text`` to the WAV file ``path`` (replaced if present, created with mode 0600).

    Raises :class:`SpeakerSettingsError` for bad settings and :class:`SpeechOutputError` when
    nothing could be rendered.
    """
    _check_settings(rate, volume)
    if not text.strip():
        raise SpeechOutputError("there is no text to render")
    renderer = Renderer()
    with tempfile.TemporaryDirectory(prefix="assistant-render-") as tmp:
        try:
            resolved = renderer.resolve_voice(voice) if voice else None
            settings = VoiceSettings(rate=rate, voice=resolved, volume=volume)
            limit = timeout if timeout is not None else BASE_TIMEOUT + _expected_seconds(text, rate)
            rendered = Path(tmp) / "render.wav"
            renderer.render(text, rendered, settings, limit)
            return copy_private(rendered, path)
        except LookupError:
            raise SpeakerSettingsError(
                f"there is no voice '{voice}': see list_voices() for the voice ids"
            ) from None
        except (SpeechEngineError, SpeechFileError) as exc:
            raise SpeechOutputError(str(exc)) from exc
