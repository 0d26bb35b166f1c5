"""Rendering text to WAV with pyttsx3, working around its espeak driver (pyttsx3 2.99).

What this module guards against (each reproduced on Debian 12 with pyttsx3 2.99, espeak-ng):

- espeak-ng calls the driver's synthesis callback from its own thread, so ``runAndWait()`` is
  not a reliable "done": when commands were queued while the driver was busy (always the case
  for the first run) it returns before the WAV is written, and the late callback then races
  with the next run (property changes were lost: the next render used the previous rate). A
  render waits for the ``finished-utterance`` notification, sent after the file is written,
  and then for the driver to become idle.
- Only the last command queued before ``runAndWait()`` runs, and ``runAndWait()`` with nothing
  queued repeats the previous text: every render queues exactly one ``save_to_file`` and then
  runs, and nothing is run for empty text.
- The driver never clears its save-file state, so after one ``save_to_file`` every later
  ``say()`` (by anyone in the process) is written into that file instead of being played. After
  each render the driver's ``_save_file`` is reset. Speech is never played by the driver
  anyway: it is rendered to a file and played by our own ``aplay`` call.
- espeak has one synthesis callback per process: a second ``pyttsx3.Engine`` silently takes it
  over and the first engine then renders nothing, with no error. One engine is shared by the
  whole process (and kept alive: a collected engine unregisters the callback), its use is
  serialised by a lock, and each render checks that a non-empty WAV was really written.
- Errors in queued commands (e.g. an unknown voice) are not raised but sent to ``error``
  listeners: they are collected and turned into an exception.
- The driver ``print``s "Audio saved to ..." on standard output, which would corrupt the JSON
  lines output: its module-level ``print`` is redirected to this module's debug log.
- ``runAndWait()`` cannot be interrupted: it runs in a worker thread with a timeout. A render
  that times out marks the engine as broken; later renders fail at once.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
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
PRIME_TIMEOUT = 10.0


class SpeechEngineError(Exception):
    """The speech engine failed; the message says why."""


class _EngineBrokenError(SpeechEngineError):
    """A failure after which the engine is not used again."""


class SpeechTimeoutError(_EngineBrokenError):
    """The speech engine did not finish in time (it may be hung)."""


class EngineLike(Protocol):
    """The part of ``pyttsx3.Engine`` used here."""

    def save_to_file(self, text: str, filename: str, name: str | None = None) -> None: ...
    def runAndWait(self) -> None: ...  # noqa: N802 - pyttsx3's name
    def setProperty(self, name: str, value: Any) -> None: ...  # noqa: N802
    def getProperty(self, name: str) -> Any: ...  # noqa: N802
    def isBusy(self) -> bool: ...  # noqa: N802
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
    """One engine, its lock, and the notifications of the render in progress."""

    engine: EngineLike
    default_voice: str | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    errors: list[BaseException] = field(default_factory=list)
    finished: threading.Event = field(default_factory=threading.Event)
    #: True when the synthesizer itself has stopped working on the last utterance.
    synth_idle: Callable[[], bool] = lambda: True
    #: Set when a render hung: the engine is never used again.
    broken: str | None = None

    def on_error(self, name: object = None, exception: BaseException | None = None) -> None:
        self.errors.append(exception or SpeechEngineError(f"unknown engine error ({name})"))

    def on_finished(self, name: object = None, completed: bool = True) -> None:
        if not completed:
            self.errors.append(SpeechEngineError("the utterance was cancelled"))
        self.finished.set()


_PROCESS_ENGINE: _Shared | None = None
_PROCESS_ENGINE_LOCK = threading.Lock()


def _quiet_print(*args: object, **_kwargs: object) -> None:
    logger.debug("pyttsx3: %s", " ".join(str(a) for a in args))


def _open_pyttsx3() -> _Shared:
    import pyttsx3  # noqa: PLC0415 - optional at import time: failures become a message
    import pyttsx3.drivers.espeak as espeak_driver  # noqa: PLC0415
    from pyttsx3.drivers import _espeak  # noqa: PLC0415

    espeak_driver.print = _quiet_print
    shared = _share(pyttsx3.init())

    def espeak_idle() -> bool:
        return not _espeak.IsPlaying()

    shared.synth_idle = espeak_idle
    # Until its first runAndWait the driver proxy counts as busy and queues property changes;
    # the first run also returns before its callback ends. One short render, with no property
    # changes, brings the engine to the state every later render relies on.
    with tempfile.TemporaryDirectory(prefix="assistant-tts-") as tmp:
        Renderer._run(shared, "Ready.", Path(tmp) / "prime.wav", None, PRIME_TIMEOUT)
    return shared


def _apply(shared: _Shared, settings: VoiceSettings) -> None:
    """Set voice, then rate and volume (a voice change can reset the other two)."""
    engine = shared.engine
    voice = settings.voice or shared.default_voice
    if voice:
        engine.setProperty("voice", voice)
    engine.setProperty("rate", settings.rate or DEFAULT_RATE)
    engine.setProperty("volume", DEFAULT_VOLUME if settings.volume is None else settings.volume)


def _share(engine: EngineLike) -> _Shared:
    try:
        voice = engine.getProperty("voice")
    except Exception:  # a driver without the property: keep its default
        voice = None
    shared = _Shared(engine=engine, default_voice=str(voice) if voice else None)
    engine.connect("error", shared.on_error)
    engine.connect("finished-utterance", shared.on_finished)
    return shared


def _process_engine() -> _Shared:
    global _PROCESS_ENGINE  # noqa: PLW0603 - one espeak engine per process, kept alive
    with _PROCESS_ENGINE_LOCK:
        if _PROCESS_ENGINE is None:
            _PROCESS_ENGINE = _open_pyttsx3()
        return _PROCESS_ENGINE


def _reset_save_file(engine: object) -> None:
    """Forget the save file, so that a later ``say()`` plays instead of overwriting it."""
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    if driver is not None and hasattr(driver, "_save_file"):
        driver._save_file = None


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
        if shared.broken is None and not shared.lock.acquire(timeout=timeout):
            raise SpeechTimeoutError("the speech engine is still busy with an earlier reply")
        if shared.broken is not None:
            raise SpeechEngineError(shared.broken)
        try:
            self._run(shared, text, path, settings, timeout)
        except _EngineBrokenError as exc:
            shared.broken = str(exc)
            if not isinstance(exc, SpeechTimeoutError):
                shared.lock.release()
            # after a timeout the lock stays taken: the engine may still be inside runAndWait
            raise
        except BaseException:
            shared.lock.release()
            raise
        shared.lock.release()
        try:
            info = wav_info(path)
        except SpeechFileError as exc:
            raise SpeechEngineError(f"the speech engine wrote no audio ({exc})") from exc
        if info.frames == 0:
            raise SpeechEngineError("the speech engine wrote an empty audio file")
        return info

    @staticmethod
    def _run(shared: _Shared, text: str, path: Path, settings: VoiceSettings | None, timeout: float) -> None:
        """Run one utterance in a worker thread; wait until its WAV is written and all is idle."""
        engine = shared.engine
        deadline = time.monotonic() + timeout
        shared.errors.clear()
        shared.finished.clear()
        path.unlink(missing_ok=True)
        failure: list[BaseException] = []

        def work() -> None:
            try:
                if settings is not None:
                    _apply(shared, settings)
                # espeak runs property changes on its own thread; the driver's stop() at the
                # start of runAndWait cancels "anything playing", including them and the text.
                _wait_until(shared.synth_idle, deadline)
                engine.save_to_file(text, str(path))
                engine.runAndWait()
            except Exception as exc:  # handed to the caller's thread
                failure.append(exc)

        worker = threading.Thread(target=work, name="pyttsx3-render", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if not worker.is_alive() and failure:
            _reset_save_file(engine)
            raise _EngineBrokenError(f"the speech engine failed: {failure[0]}") from failure[0]
        if worker.is_alive() or not shared.finished.wait(max(0.0, deadline - time.monotonic())):
            raise SpeechTimeoutError(
                f"the speech engine did not finish within {timeout:.1f} s "
                f"(it was rendering {len(text)} characters)"
            )
        # The callback thread marks the driver idle just after "finished", and espeak's thread
        # stays "playing" a little longer: starting the next run before that cancels it.
        _wait_until(lambda: shared.synth_idle() and not engine.isBusy(), deadline)
        _reset_save_file(engine)
        if shared.errors:
            error = shared.errors[0]
            raise SpeechEngineError(f"the speech engine failed: {error}") from error


def _wait_until(condition: Callable[[], bool], deadline: float) -> None:
    while not condition():
        if time.monotonic() > deadline:
            raise SpeechTimeoutError("the speech engine stayed busy")
        time.sleep(0.0005)
