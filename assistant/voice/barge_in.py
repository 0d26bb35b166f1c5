"""Saying "stop" while the assistant talks: heard between two sentences, on half-duplex audio."""

from __future__ import annotations

import logging

from assistant.voice.audio import AudioChunk, AudioError
from assistant.voice.endpoint import EndpointConfig, EndpointDetector, TurnState
from assistant.voice.microphone import device_spec
from assistant.voice.recognizer import Recognizer
from assistant.voice.vocabulary import snap

log = logging.getLogger(__name__)


class StopListener:
    """Between two spoken sentences, listens briefly for "stop" (barge-in on half-duplex audio).

    A short recording is taken only after a sentence has finished playing, so the assistant never
    hears itself. Silence costs nothing more; speech is recognized against the stop phrases and
    a few other short answers, and only a stop phrase interrupts.
    """

    def __init__(
        self,
        recognizer: Recognizer,
        device: str | None,
        stop_phrases: list[str],
        others: list[str],
        window_s: float = 0.4,
    ) -> None:
        self.recognizer = recognizer
        self.device = device
        self.stop_phrases = stop_phrases
        self.grammar = [*stop_phrases, *others]
        self.window_s = window_s
        self.detector = EndpointDetector(EndpointConfig(min_speech_ms=60))
        #: Set when "stop" was heard; the conversation loop stops the conversation and clears it.
        self.requested = False

    def __call__(self) -> bool:
        from assistant.voice.microphone import Microphone  # noqa: PLC0415

        try:
            with Microphone(device_spec(self.device)) as mic:
                chunks = list(mic.chunks(max_seconds=self.window_s))
        except AudioError:
            log.debug("stop listener: microphone unavailable", exc_info=True)
            return False
        self.detector.reset()
        if not any(self.detector.feed(c) is not TurnState.WAITING for c in chunks):
            return False
        try:
            text = self._recognize(chunks)
        except Exception:
            # Like a missing microphone, a failing recognizer is no "stop". Raised from here, it
            # would reach the speaker's caller as a speech failure and turn speech off for good.
            log.debug("stop listener: the recognizer failed", exc_info=True)
            return False
        if snap(text, self.stop_phrases):
            self.requested = True
        return self.requested

    def _recognize(self, chunks: list[AudioChunk]) -> str:
        previous = getattr(self.recognizer, "phrases", None)
        self.recognizer.set_phrases(self.grammar)
        try:
            for chunk in chunks:
                self.recognizer.accept(chunk)
            return self.recognizer.finish().text
        finally:
            self.recognizer.set_phrases(previous)  # the turn's own phrases again, whatever happened
