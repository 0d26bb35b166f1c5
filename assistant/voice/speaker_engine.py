"""Rendering text to WAV with pyttsx3, working around its espeak driver (pyttsx3 2.99).

What this module guards against (each reproduced on Debian 12 with pyttsx3 2.99, espeak-ng):

- Only the last command queued before ``runAndWait()`` runs, and ``runAndWait()`` with nothing
  queued repeats the previous text: every render queues exactly one ``save_to_file`` and then
  runs, and nothing is run for empty text.
- The driver never clears its save-file state, so after one ``save_to_file`` every later
  ``say()`` (by anyone in the process) is written into that file instead of being played. After
  each render the driver's ``_save_file`` and ``_text_to_say`` are reset. Speech is never
  played by the driver either: it is rendered to a file and played by our own ``aplay`` call.
- espeak has one synthesis callback per process: a second ``pyttsx3.Engine`` silently takes it
  over and the first engine then renders nothing, with no error. One engine is shared by the
  whole process (and kept alive: a collected engine unregisters the callback), its use is
  serialised by a lock, and each render checks that a non-empty WAV was really written.
- Errors in queued commands (e.g. an unknown voice) are not raised but sent to ``error``
  listeners: they are collected and turned into an exception.
- The driver ``print``s "Audio saved to ..." on standard output, which would corrupt the JSON
  lines output: its module-level ``print`` is redirected to this module's debug log.
- ``runAndWait()`` cannot be interrupted: it runs in a worker thread with a timeout. A render
  that times out leaves the engine unusable, which the caller reports as a failure.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from assistant.voice.speaker_wav import SpeechFileError, WavInfo, wav_info

logger = logging.getLogger(__name__)

#: Words per minute when no rate is chosen: espeak-ng's own default, calmer than the 200 wpm
#: pyttsx3 sets.
DEFAULT_RATE = 175
DEFAULT_VOLUME = 1.0
MIN_RATE = 80
MAX_RATE = 450


class SpeechEngineError(Exception):
    """The speech engine failed; the message says why."""


class SpeechTimeoutError(SpeechEngineError):
    """The speech engine did not finish in time (it may be hung)."""


class EngineLike(Protocol):
    """The part of ``pyttsx3.Engine`` used here."""

    def save_to_file(self, text: str, filename: str, name: str | None = None) -> None: ...
    def runAndWait(self) -> None: ...  # noqa: N802 - pyttsx3's name
    def setProperty(self, name: str, value: Any) -> None: ...  # noqa: N802
    def getProperty(self, name: str) -> Any: ...  # noqa: N802
    def connect(self, topic: str, cb: Callable[..., None]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class VoiceSettings:
    """Rate in words per minute, an espeak voice id or name, volume from 0.0 to 1.0."""

    rate: int | None = None
    voice: str | None = None
    volume: float | None = None


@dataclass(frozen=True)
class VoiceInfo:
    """One voice the engine offers; ``id`` is what ``voice=`` accepts."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


@dataclass
class _Shared:
    """One engine, its lock, and where its error notifications go."""

    engine: EngineLike
    default_voice: str | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    errors: list[BaseException] = field(default_factory=list)

    def on_error(self, name: object = None, exception: BaseException | None = None) -> None:
        self.errors.append(exception or SpeechEngineError(f"unknown engine error ({name})"))


_PROCESS_ENGINE: _Shared | None = None
_PROCESS_ENGINE_LOCK = threading.Lock()


def _quiet_print(*args: object, **_kwargs: object) -> None:
    logger.debug("pyttsx3: %s", " ".join(str(a) for a in args))


def _open_pyttsx3() -> EngineLike:
    import pyttsx3  # noqa: PLC0415 - optional at import time: failures become a message
    import pyttsx3.drivers.espeak as espeak_driver  # noqa: PLC0415

    espeak_driver.print = _quiet_print
    engine: EngineLike = pyttsx3.init()
    return engine


def _share(engine: EngineLike) -> _Shared:
    try:
        voice = engine.getProperty("voice")
    except Exception:  # a driver without the property: keep its default
        voice = None
    shared = _Shared(engine=engine, default_voice=str(voice) if voice else None)
    engine.connect("error", shared.on_error)
    return shared


def _process_engine() -> _Shared:
    global _PROCESS_ENGINE  # noqa: PLW0603 - one espeak engine per process, kept alive
    with _PROCESS_ENGINE_LOCK:
        if _PROCESS_ENGINE is None:
            _PROCESS_ENGINE = _share(_open_pyttsx3())
        return _PROCESS_ENGINE


def _reset_driver(engine: object) -> None:
    """Forget the last text and save file, so a later ``say``/``runAndWait`` cannot reuse them."""
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    if driver is None:
        return
    if hasattr(driver, "_save_file"):
        driver._save_file = None
    if hasattr(driver, "_text_to_say"):
        driver._text_to_say = None


class Renderer:
    """Renders text to WAV files through one pyttsx3 engine, one utterance per run.

    ``engine_factory`` replaces the process-wide pyttsx3 engine (tests use it to simulate
    broken or hung engines); it is called once, on first use.
    """

    def __init__(self, engine_factory: Callable[[], EngineLike] | None = None) -> None:
        self._factory = engine_factory
        self._shared: _Shared | None = None

    def _get(self) -> _Shared:
        if self._shared is None:
            try:
                self._shared = _share(self._factory()) if self._factory else _process_engine()
            except Exception as exc:
                raise SpeechEngineError(
                    f"the speech engine could not start ({type(exc).__name__}: {exc}); "
                    "install espeak-ng ('sudo apt install espeak-ng')"
                ) from exc
        return self._shared

    def list_voices(self) -> list[VoiceInfo]:
        shared = self._get()
        voices = shared.engine.getProperty("voices") or []
        return [
            VoiceInfo(
                id=str(v.id),
                name=str(v.name),
                languages=tuple(str(x) for x in (getattr(v, "languages", None) or ())),
            )
            for v in voices
        ]

    def resolve_voice(self, wanted: str) -> str:
        """The id of the voice matching ``wanted`` (id, short id, language or name).

        An espeak variant suffix (``en-us+m3``) is kept. Raises ``LookupError`` when nothing
        matches.
        """
        base, plus, variant = wanted.partition("+")
        key = base.strip().lower()
        for voice in self.list_voices():
            names = {voice.id.lower(), voice.id.lower().rsplit("/", 1)[-1], voice.name.lower()}
            names.update(lang.lower() for lang in voice.languages)
            if key in names:
                return voice.id + plus + variant
        raise LookupError(wanted)

    def render(self, text: str, path: Path, settings: VoiceSettings, timeout: float) -> WavInfo:
        """Write ``text`` spoken with ``settings`` to the WAV file ``path``.

        Raises :class:`SpeechEngineError` (or :class:`SpeechTimeoutError` after ``timeout``
        seconds). ``text`` must contain something to say.
        """
        if not text.strip():
            raise ValueError("nothing to render: the text is empty")
        shared = self._get()
        if not shared.lock.acquire(timeout=timeout):
            raise SpeechTimeoutError("the speech engine is still busy with an earlier reply")
        failure: list[BaseException] = []
        worker = threading.Thread(
            target=self._run_locked,
            args=(shared, text, path, settings, failure),
            name="pyttsx3-render",
            daemon=True,
        )
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            raise SpeechTimeoutError(
                f"the speech engine did not finish within {timeout:.1f} s "
                f"(it was rendering {len(text)} characters)"
            )
        if failure:
            exc = failure[0]
            raise SpeechEngineError(f"the speech engine failed: {exc}") from exc
        try:
            info = wav_info(path)
        except SpeechFileError as exc:
            raise SpeechEngineError(f"the speech engine wrote no audio ({exc})") from exc
        if info.frames == 0:
            raise SpeechEngineError("the speech engine wrote an empty audio file")
        return info

    @staticmethod
    def _run_locked(
        shared: _Shared,
        text: str,
        path: Path,
        settings: VoiceSettings,
        failure: list[BaseException],
    ) -> None:
        """Runs in the worker thread, which owns (and releases) the lock."""
        engine = shared.engine
        try:
            shared.errors.clear()
            path.unlink(missing_ok=True)
            voice = settings.voice or shared.default_voice
            if voice:
                engine.setProperty("voice", voice)
            engine.setProperty("rate", settings.rate or DEFAULT_RATE)
            engine.setProperty("volume", DEFAULT_VOLUME if settings.volume is None else settings.volume)
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            if shared.errors:
                failure.append(shared.errors[0])
        except Exception as exc:  # handed to the caller's thread
            failure.append(exc)
        finally:
            _reset_driver(engine)
            shared.errors.clear()
            shared.lock.release()
