"""Waiting for the wake phrase: always-on mode hears speech only to spot it, then steps aside.

The microphone's audio goes through an energy gate first (the endpoint detector): silence never
reaches the recognizer, so a quiet room costs almost nothing. Each stretch of speech, with a
little audio from just before it, is heard by the recognizer in its wake mode (PocketSphinx: a
language model of the wake phrase among everything the opening knows; Vosk: a grammar of the wake
phrase and ``[unk]``, or free-form with a model that has no ``[unk]``), and the words heard are
compared with the wake phrase. A button (Enter, a signal) wakes it too, checked between chunks.

PocketSphinx's keyphrase search was tried first and dropped: on espeak-ng speech it spotted none of
12 spoken wake phrases at any threshold from 1e-10 to 1e-100, while it still fired on other
sentences (7 false hits in 12 minutes at 1e-60).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz

from assistant.base.events import WakeCause
from assistant.voice.audio import AudioChunk
from assistant.voice.endpoint import EndpointConfig, EndpointDetector, TurnState
from assistant.voice.options import DEFAULT_WAKE_PHRASE, DEFAULT_WAKE_THRESHOLD
from assistant.voice.recognizer import Recognizer

log = logging.getLogger(__name__)

#: Audio kept from before the gate opens, so the first sound of the phrase is not lost.
PRE_ROLL_SECONDS = 0.4
#: Segments of speech: the silence that ends one, and the longest one heard whole.
SEGMENT = EndpointConfig(
    trailing_silence_ms=500,
    complete_silence_ms=500,
    no_speech_timeout_ms=10**12,  # waiting has no timeout
    max_turn_ms=8000,
)


class WakeError(ValueError):
    """A wake phrase or threshold that cannot be used; the message says what to write."""


@dataclass(frozen=True)
class WakeSettings:
    phrase: str = DEFAULT_WAKE_PHRASE
    threshold: float = DEFAULT_WAKE_THRESHOLD

    def __post_init__(self) -> None:
        words = normalized(self.phrase).split()
        if not 1 <= len(words) <= 6:
            raise WakeError(
                f"the wake phrase {self.phrase!r} should be one to six words (two or three distinct "
                f"words work best), e.g. {DEFAULT_WAKE_PHRASE!r}"
            )
        if not 0 < self.threshold <= 100:
            raise WakeError(
                f"the wake threshold should be a number from 1 to 100 (how alike the words heard must "
                f"be to the wake phrase; default {DEFAULT_WAKE_THRESHOLD:g}), not {self.threshold:g}"
            )

    @property
    def words(self) -> str:
        """The phrase as the recognizer hears it: lowercase words, no punctuation."""
        return normalized(self.phrase)


def normalized(text: str) -> str:
    kept = "".join(c if c.isalnum() or c in " '" else " " for c in text.lower())
    return " ".join(kept.split())


def wake_score(phrase: str, heard: str) -> float:
    """How alike (0-100) the best run of words in ``heard`` is to the wake phrase."""
    words = normalized(heard).split()
    size = len(phrase.split())
    if not words:
        return 0.0
    runs = (" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))
    return max(fuzz.ratio(phrase, run) for run in runs)


@runtime_checkable
class WakeListening(Protocol):
    """A recognizer with a mode made for spotting its wake phrase."""

    def hear_wake(self) -> None: ...


def wake_mode(recognizer: Recognizer, settings: WakeSettings) -> Callable[[], None]:
    """What puts ``recognizer`` into listening for the wake phrase."""
    if isinstance(recognizer, WakeListening):
        return recognizer.hear_wake
    model = getattr(recognizer, "model", None)
    if model is not None and getattr(model, "has_unk", True) is False:
        # A grammar with no [unk] fits every sound to the wake phrase: every word would wake it.
        # Free-form hearing with the whole model is compared with the phrase instead.
        log.info("the speech model has no [unk] word: listening for the wake phrase free-form")
        return lambda: recognizer.set_phrases(None)
    phrase = settings.words
    return lambda: recognizer.set_phrases([phrase])


@dataclass(frozen=True)
class Woken:
    by: WakeCause
    heard: str = ""


class WakeSpotter:
    """Listens to a stream of audio until the wake phrase is heard or a button is pressed."""

    def __init__(self, recognizer: Recognizer, settings: WakeSettings) -> None:
        self.recognizer = recognizer
        self.settings = settings
        self._prepare = wake_mode(recognizer, settings)
        #: Seconds of audio heard by the recognizer, and seconds passed through the gate only.
        self.heard_seconds = 0.0
        self.gated_seconds = 0.0

    def prepare(self) -> None:
        """Put the recognizer into listening for the wake phrase; WakeError if it cannot."""
        try:
            self._prepare()
        except ValueError as exc:
            raise WakeError(str(exc)) from None

    def wait(self, streams: Iterable[Iterable[AudioChunk]], pressed: Callable[[], bool]) -> Woken | None:
        """Until woken, reading one stream after the other (a microphone: one endless stream; WAV
        files: one each). None when the streams run out first."""
        self.prepare()
        for stream in streams:
            try:
                woken = self._listen(stream, pressed)
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()  # the microphone is released before anything is said
            if woken is not None:
                return woken
        return None

    def _listen(self, stream: Iterable[AudioChunk], pressed: Callable[[], bool]) -> Woken | None:
        gate = EndpointDetector(SEGMENT)
        before: deque[AudioChunk] = deque()
        before_seconds = 0.0
        for chunk in stream:
            if pressed():
                self._drop_segment(gate)
                return Woken("button")
            state = gate.feed(chunk)
            if state is TurnState.WAITING:
                self.gated_seconds += chunk.duration
                before.append(chunk)
                before_seconds += chunk.duration
                while before and before_seconds - before[0].duration >= PRE_ROLL_SECONDS:
                    before_seconds -= before.popleft().duration
                continue
            for piece in (*before, chunk):
                self.recognizer.accept(piece)
                self.heard_seconds += piece.duration
            before.clear()
            before_seconds = 0.0
            if state is TurnState.ENDED:
                woken = self._segment_heard()
                if woken is not None:
                    return woken
                gate.reset()
        if gate.state is TurnState.SPEAKING:
            return self._segment_heard()  # the stream ended mid-speech (the end of a WAV file)
        return None

    def _segment_heard(self) -> Woken | None:
        heard = self.recognizer.finish().text
        score = wake_score(self.settings.words, heard)
        log.debug("while waiting heard %r (%.0f alike the wake phrase)", heard, score)
        return Woken("phrase", heard) if heard and score >= self.settings.threshold else None

    def _drop_segment(self, gate: EndpointDetector) -> None:
        if gate.state is TurnState.SPEAKING:
            self.recognizer.finish()
