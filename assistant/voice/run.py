"""Voice mode: the same Session as text mode, with ears (Vosk or PocketSphinx) and a voice (pyttsx3).

Nothing here decides anything: the dialog does. This module turns audio into utterances for the
session, and the session's events into speech. Every line is printed before it is spoken, so a
speech failure never loses a word, and an emergency message is never cut short.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from assistant.app.output import Output, SafeOutput, TimeoutOutput
from assistant.app.session import Conversations, Session
from assistant.base.errors import AssistantError
from assistant.base.settings import TurnWindows
from assistant.content.knowledge import Knowledge
from assistant.conversation.speech_text import SpeechText
from assistant.speechmodels.locate import DOWNLOAD_COMMAND, ENV_VAR, ModelError, resolve_model_path
from assistant.voice.audio import AudioChunk, AudioError
from assistant.voice.barge_in import StopListener
from assistant.voice.endpoint import EndpointConfig, EndpointDetector, TurnState
from assistant.voice.microphone import device_spec
from assistant.voice.options import VoiceOptions
from assistant.voice.recognizer import Recognizer, listen
from assistant.voice.speech_output import make_speech_output
from assistant.voice.verify import VerifiedRecognizer
from assistant.voice.vocabulary import (
    alarm_sentences,
    domain_phrases,
    expected_phrases,
    opening_sentences,
    snap,
    speakable,
)
from assistant.voice.wavinput import iter_wav_chunks, read_wav_info

log = logging.getLogger(__name__)


class RecognitionError(AudioError):
    """The speech recognizer failed mid-conversation."""


class VoiceError(AssistantError):
    """Voice mode cannot start; the message says why and what to do."""


def make_recognizer(
    options: VoiceOptions, knowledge: Knowledge, notice: TextIO, wake_phrase: str | None = None
) -> Recognizer:
    """Vosk when a model is configured or installed; else the embedded English recognizer.

    A model named on purpose (``--model``, ``VOSK_MODEL_PATH``, ``--engine vosk``) that cannot be
    used stops with what to do. One merely found in models/ that is empty or damaged is passed
    over for the built-in recognizer, with one warning: an appliance keeps listening.
    """
    if options.engine != "pocketsphinx":
        chosen = bool(options.model) or bool(os.environ.get(ENV_VAR)) or options.engine == "vosk"
        try:
            recognizer = _vosk_recognizer(options)
        except ModelError as exc:
            if chosen:
                raise VoiceError(str(exc)) from None
            notice.write(
                f"The speech model in {exc.folder} cannot be used ({exc.reason}), so I'm "
                f"using the built-in English recognizer. To fix it, run: {DOWNLOAD_COMMAND}\n"
            )
            notice.flush()
            return embedded_recognizer(knowledge, wake_phrase)
        if recognizer is not None:
            return recognizer
        if options.engine == "vosk":
            raise VoiceError(
                f"no Vosk speech model found in models/: run `{DOWNLOAD_COMMAND}` to fetch one, "
                "or pass --model PATH; --engine pocketsphinx uses the built-in English recognizer"
            )
        notice.write(
            "No Vosk speech model is installed, so I'm using the built-in English recognizer. "
            f"For better recognition, run: {DOWNLOAD_COMMAND}\n"
        )
        notice.flush()
    return embedded_recognizer(knowledge, wake_phrase)


def _vosk_recognizer(options: VoiceOptions) -> Recognizer | None:
    """Vosk with the configured or installed model; None when there is none. ModelError when the
    folder is empty, incomplete or damaged."""
    folder = resolve_model_path(options.model)
    if folder is None:
        return None
    try:
        from assistant.voice.vosk_engine import VoskModel, VoskRecognizer  # noqa: PLC0415
    except (ImportError, OSError) as exc:
        raise _missing_package("vosk", exc) from None
    model = VoskModel(folder)
    if not model.has_unk:
        # Checking answers against free-form recognition needs a free-form model good
        # enough to agree with it; small models without [unk] were measured not to be.
        log.warning(
            "the speech model in %s has no [unk] word, so speech that is not an answer may "
            "be heard as one; the official small English model has it",
            folder,
        )
    return VoskRecognizer(model)


def embedded_recognizer(
    knowledge: Knowledge, wake_phrase: str | None = None, *, alarm: bool = True
) -> Recognizer:
    """The built-in English recognizer (PocketSphinx), with out-of-grammar rejection; with a wake
    phrase, it can also listen for that (:meth:`VerifiedRecognizer.hear_wake`). ``alarm``: hear
    each opening-model utterance again with the alarm model (see
    :func:`~assistant.voice.vocabulary.alarm_sentences`): an emergency it hears is checked with
    one question. Off only to measure what it adds."""
    try:
        from assistant.voice.sphinx_engine import ACCENTS, SphinxRecognizer  # noqa: PLC0415
    except (ImportError, OSError) as exc:
        raise _missing_package("pocketsphinx", exc) from None
    emergency = [speakable(p) for p in knowledge.system.commands["emergency"]]
    return VerifiedRecognizer(
        SphinxRecognizer(
            opening_sentences(knowledge),
            check_phrases=domain_phrases(knowledge),
            wake_phrases=[wake_phrase] if wake_phrase else (),
            alarm_phrases=alarm_sentences(knowledge) if alarm else (),
            alarm_on_request=True,
            accents=ACCENTS,
        ),
        knowledge.yes_no_parser.parse,
        trusted=emergency,
        settled=lambda heard: knowledge.understander.settled(speakable(heard)),
        beyond_answer=lambda heard: knowledge.understander.beyond_answer(speakable(heard)),
    )


def _missing_package(package: str, exc: BaseException) -> VoiceError:
    log.debug("cannot import %s", package, exc_info=exc)
    return VoiceError(
        f"the speech recognizer package {package!r} cannot be loaded ({exc}): "
        f"run `pip install {package}`, or use --text to continue in text mode"
    )


class Heard:
    """Shows what is being heard: partial results on a terminal, and the final words."""

    def __init__(self, stream: TextIO, *, show: bool, partials: bool) -> None:
        self.stream = stream
        self.show = show
        self.partials = partials
        self.width = 0

    def partial(self, text: str) -> None:
        if self.partials:
            line = f"\r… {text}"
            self.stream.write(line.ljust(self.width))
            self.width = len(line)
            self.stream.flush()

    def final(self, text: str) -> None:
        if self.partials and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.width = 0
        if self.show:
            self.stream.write(f"> {text}\n" if text else "> (nothing recognized)\n")
            self.stream.flush()


def run_turns(
    session: Session,
    recognizer: Recognizer,
    turns: Iterator[Iterable[AudioChunk]],
    endpoint: EndpointConfig,
    heard: Heard,
    barge_in: StopListener | None = None,
) -> None:
    """Listen for one turn at a time until the conversation ends or the turns run out.

    "stop" heard between two spoken sentences (``barge_in``) stops the conversation, as if it had
    been the answer.
    """
    windows = session.turn_windows
    session.start()
    while not session.finished:
        if barge_in is not None and barge_in.requested:
            barge_in.requested = False
            session.interrupt()
            return
        chunks = next(turns, None)
        if chunks is None:
            session.end_of_input()
            return
        allowed = expected_phrases(session.expecting)
        detector = EndpointDetector(turn_config(endpoint, windows, allowed))
        try:
            recognizer.set_phrases(allowed)
            result = listen(
                chunks, recognizer, detector, on_partial=heard.partial, is_complete=completes(allowed)
            )
        except AudioError:
            raise
        except Exception as exc:
            # The recognizer is an edge like the microphone: its failure ends listening, not the
            # conversation (the caller carries on by typing, or reports it for WAV input).
            log.debug("the recognizer failed", exc_info=True)
            raise RecognitionError(f"speech recognition stopped working ({exc})") from None
        finally:
            # End of the turn: release the microphone (or file) now, not after the reply.
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if result.state is TurnState.NO_SPEECH:
            heard.final("")
            session.silence()
            continue
        raw = result.heard
        text = snap(raw, allowed)
        log.debug("heard %r, understood as %r", raw, text)
        heard.final(text or raw)
        # Out-of-grammar speech snaps to nothing: "didn't catch that", never a guessed answer.
        # The other hypotheses go along: an emergency in any of them is checked, never dropped.
        session.said(text, [speakable(a) for a in result.transcript.hypotheses], spoken=True)


def turn_config(base: EndpointConfig, windows: TurnWindows, allowed: list[str] | None) -> EndpointConfig:
    """The end-of-turn silences for this turn: long for the open opening, shorter for an answer."""
    trailing = windows.opening_ms if allowed is None else windows.answer_ms
    return replace(
        base,
        trailing_silence_ms=trailing,
        complete_silence_ms=min(windows.complete_ms, trailing),
        max_turn_ms=max(base.max_turn_ms, trailing),
    )


def completes(allowed: list[str] | None) -> Callable[[str], bool] | None:
    """For a question (not the opening): whether a partial hearing is already one whole allowed answer."""
    if allowed is None:
        return None
    whole = {" ".join(p.lower().split()) for p in allowed}
    return lambda partial: " ".join(partial.lower().split()) in whole


def wav_turns(paths: list[Path]) -> Iterator[Iterable[AudioChunk]]:
    for path in paths:
        yield iter_wav_chunks(path)


def microphone_turns(device: str | None) -> Iterator[Iterable[AudioChunk]]:
    """One microphone stream per turn, opened after the reply was spoken (half-duplex).

    With no microphone, this raises at once, before the greeting is spoken.
    """
    from assistant.voice.microphone import find_input_device  # noqa: PLC0415

    spec = device_spec(device)
    find_input_device(spec)
    return _microphone_turns(spec)


def _microphone_turns(spec: int | str | None) -> Iterator[Iterable[AudioChunk]]:
    from assistant.voice.microphone import Microphone  # noqa: PLC0415

    def one_turn() -> Iterator[AudioChunk]:
        # Open while this turn is listened to, closed by run_turns as soon as it ends: never
        # while the reply is spoken, and never while the stop listener needs the device.
        with Microphone(spec) as mic:
            yield from mic.chunks()

    while True:
        yield one_turn()


def list_devices(out: TextIO) -> int:
    from assistant.voice.microphone import list_input_devices  # noqa: PLC0415

    try:
        devices = list_input_devices()
    except AudioError as exc:
        out.write(f"{exc}\n")
        return 1
    if not devices:
        out.write("No microphones found.\n")
        return 1
    for device in devices:
        out.write(f"{device.index}: {device.name}\n")
    return 0


@dataclass
class VoiceParts:
    """What every spoken conversation of one run shares: ears, voice, and how turns end."""

    recognizer: Recognizer
    #: The speaker (after the printed text, never before it), or nothing.
    speech: Sequence[Output]
    stop_listener: StopListener | None
    endpoint: EndpointConfig
    heard: Heard


def voice_parts(
    options: VoiceOptions, conversations: Conversations, wake_phrase: str | None = None
) -> VoiceParts:
    """The recognizer (listening also for ``wake_phrase``), the speaker and the stop listener."""
    knowledge = conversations.knowledge
    endpoint = EndpointConfig(no_speech_timeout_ms=max(1, round(options.listen_timeout * 1000)))
    recognizer = make_recognizer(options, knowledge, sys.stderr, wake_phrase)
    stop_listener = None
    if not options.wav:
        system = knowledge.system
        stop_listener = StopListener(
            recognizer,
            options.input_device,
            [speakable(p) for p in system.commands["stop"]],
            [speakable(p) for key in ("yes", "no") for p in system.answers[key]],
        )
    spoken_form = SpeechText.for_system(knowledge.system, conversations.settings.emergency_number)
    speech = make_speech_output(options, sys.stderr, stop_listener, spoken_form)
    # Spoken after the printed text, never before it; a failure or a hang is reported once and
    # the text goes on.
    extra: Sequence[Output] = (
        [] if speech is None else [SafeOutput(TimeoutOutput(speech), "speech output", sys.stderr)]
    )
    terminal = sys.stdout.isatty()
    heard = Heard(sys.stdout, show=not options.json, partials=terminal and not options.json)
    return VoiceParts(recognizer, extra, stop_listener, endpoint, heard)


def check_wav_files(paths: Sequence[Path]) -> None:
    """Every WAV file exists and has a readable header, before anything is said."""
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise VoiceError(f"no such WAV file: {', '.join(missing)}")
    try:
        for path in paths:
            read_wav_info(path)
    except AudioError as exc:
        raise VoiceError(str(exc)) from None


def run_voice(options: VoiceOptions, conversations: Conversations, list_only: bool = False) -> int:
    """Run one spoken conversation (microphone, or WAV files). Returns the exit status.

    ``list_only`` lists the microphones instead.
    """
    if list_only:
        return list_devices(sys.stdout)
    parts = voice_parts(options, conversations)
    session = conversations.new(parts.speech)
    if options.wav:
        check_wav_files(options.wav)
        try:
            run_turns(session, parts.recognizer, wav_turns(list(options.wav)), parts.endpoint, parts.heard)
        except AudioError as exc:
            raise VoiceError(str(exc)) from None
        return 0
    try:
        run_turns(
            session,
            parts.recognizer,
            microphone_turns(options.input_device),
            parts.endpoint,
            parts.heard,
            parts.stop_listener,
        )
    except AudioError as exc:
        return _offer_text_mode(session, exc, json_input=options.json)
    return 0


def _offer_text_mode(session: Session, exc: AudioError, *, json_input: bool) -> int:
    """No microphone: say so clearly and continue by typing (after asking, on a terminal).

    Typed lines are read as text mode reads them (``--json``: the JSON-lines input protocol).
    """
    from assistant.app.textio import run_text  # noqa: PLC0415

    sys.stderr.write(f"{exc}\n")
    if sys.stdin.isatty():
        sys.stderr.write("Continue in text mode instead? [Y/n] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() in ("n", "no"):
            return 1
    else:
        sys.stderr.write("Continuing in text mode.\n")
    if session.finished:
        return 0
    # The conversation starts, or goes on where it was, read exactly as text mode reads it.
    return run_text(
        session,
        sys.stdin.buffer,
        sys.stdout,
        prompt=sys.stdin.isatty(),
        json_input=json_input,
        resume=session.started,
    )
