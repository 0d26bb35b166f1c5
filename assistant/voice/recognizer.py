"""The speech recognizer protocol, its result type, and listening for one turn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from assistant.voice.audio import AudioChunk
from assistant.voice.endpoint import EndpointDetector, TurnState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transcript:
    """What a recognizer heard in one utterance ('' when nothing)."""

    text: str
    engine: str
    alternatives: tuple[str, ...] = ()
    #: What a hearing of the same audio that listens for emergencies heard (see
    #: :class:`~assistant.voice.sphinx_engine.SphinxRecognizer`): only ever a reason to ask the
    #: emergency's one check question, never an answer.
    alarms: tuple[str, ...] = ()

    @property
    def hypotheses(self) -> tuple[str, ...]:
        """The other hearings to weigh beside :attr:`text`: the alarms first (so that a limit on
        how many are looked at never drops them), then the alternatives."""
        return tuple(dict.fromkeys(h for h in (*self.alarms, *self.alternatives) if h and h != self.text))


@runtime_checkable
class Recognizer(Protocol):
    """A streaming speech recognizer.

    Phrases passed to :meth:`set_phrases` are already normalised: lowercase words separated by
    single spaces, no punctuation. Call it between utterances only (before the first
    :meth:`accept` of a turn or right after :meth:`finish`).
    """

    name: str

    def set_phrases(self, phrases: Sequence[str] | None) -> None:
        """``None``: free-form recognition; a list: recognise only these phrases."""
        ...

    def accept(self, chunk: AudioChunk) -> str | None:
        """Feed audio; returns the current partial text (for display) or None."""
        ...

    def finish(self) -> Transcript:
        """End of utterance: the final text ('' if nothing), then reset for the next one."""
        ...


def split_words(phrases: Iterable[str]) -> list[list[str]]:
    """Each non-empty phrase as its list of words."""
    return [words for words in (p.split() for p in phrases) if words]


@dataclass(frozen=True)
class TurnResult:
    """One listened turn: how it ended and what was recognized."""

    state: TurnState
    transcript: Transcript
    #: Audio fed, in seconds.
    audio_seconds: float

    @property
    def heard(self) -> str:
        """The recognized text, or '' when no speech was detected."""
        return self.transcript.text if self.state is TurnState.ENDED else ""


def listen(
    chunks: Iterable[AudioChunk],
    recognizer: Recognizer,
    detector: EndpointDetector | None = None,
    on_partial: Callable[[str], None] | None = None,
    is_complete: Callable[[str], bool] | None = None,
) -> TurnResult:
    """Feed chunks to the recognizer until the detector ends the turn (or the chunks run out).

    Chunks are consumed lazily: with a microphone, reading stops at the end of the turn. If the
    input ends first (end of a WAV file), the turn counts as ended when speech was detected,
    otherwise as ``NO_SPEECH``. The recognizer is always finished (and so reset).

    ``is_complete`` says whether a partial hypothesis is already a whole allowed answer; while it
    is, the detector ends the turn after its shorter silence.
    """
    detector = detector or EndpointDetector()
    detector.reset()
    seconds = 0.0
    last_partial: str | None = None
    for chunk in chunks:
        seconds += chunk.duration
        partial = recognizer.accept(chunk)
        if on_partial is not None and partial and partial != last_partial:
            on_partial(partial)
        last_partial = partial
        if is_complete is not None:
            detector.complete = bool(partial) and is_complete(partial or "")
        if detector.feed(chunk).done:
            break
    state = detector.state
    if not state.done:
        state = TurnState.ENDED if state is TurnState.SPEAKING else TurnState.NO_SPEECH
    transcript = recognizer.finish()
    logger.debug("turn %s after %.2f s: %r", state.value, seconds, transcript.text)
    return TurnResult(state, transcript, seconds)
