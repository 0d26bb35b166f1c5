"""Energy-based turn detection: when did the user start speaking, and when did they stop?

Pure code (no I/O, no clock): the detector is fed chunks of audio and counts time in samples,
so a WAV file and the microphone behave the same. It does not depend on any recognizer; an
engine's own endpoint (Vosk has one) may be used alongside it.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np

from assistant.voice.audio import AudioChunk, mono_int16

_MIN_DB = -96.0


@dataclass(frozen=True)
class EndpointConfig:
    """Tuning of :class:`EndpointDetector`. Times are in milliseconds."""

    #: Silence after speech that ends the turn.
    trailing_silence_ms: int = 800
    #: Silence that ends it once what was heard is already a complete answer (see ``complete``).
    complete_silence_ms: int = 400
    #: Time without any speech after which the turn ends as "no speech".
    no_speech_timeout_ms: int = 8000
    #: Consecutive loud audio needed before it counts as speech (ignores clicks).
    min_speech_ms: int = 100
    #: A turn that goes on this long is ended even if the user keeps talking.
    max_turn_ms: int = 20_000
    #: Analysis frame length.
    frame_ms: int = 20
    #: A frame louder than this (dBFS) may be speech...
    threshold_db: float = -42.0
    #: ...and must also be this much louder than the running noise floor.
    noise_margin_db: float = 10.0

    def __post_init__(self) -> None:
        for name in (
            "trailing_silence_ms",
            "complete_silence_ms",
            "no_speech_timeout_ms",
            "min_speech_ms",
            "frame_ms",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.max_turn_ms < self.trailing_silence_ms:
            raise ValueError("max_turn_ms must be at least trailing_silence_ms")


class TurnState(enum.Enum):
    WAITING = "waiting"  #: nothing heard yet
    SPEAKING = "speaking"  #: speech started, turn not over
    ENDED = "ended"  #: speech followed by enough silence (or the turn got too long)
    NO_SPEECH = "no_speech"  #: timeout without speech

    @property
    def done(self) -> bool:
        return self in (TurnState.ENDED, TurnState.NO_SPEECH)


def frame_db(samples: np.ndarray) -> float:
    """RMS level of int16 samples in dBFS (full scale = 0 dB), floored at -96 dB."""
    if samples.size == 0:
        return _MIN_DB
    rms = math.sqrt(float(np.mean(np.square(samples.astype(np.float64)))))
    if rms <= 0.0:
        return _MIN_DB
    return max(_MIN_DB, 20.0 * math.log10(rms / 32768.0))


class EndpointDetector:
    """Feed chunks with :meth:`feed`; read :attr:`state` (or the value ``feed`` returns).

    One detector per turn, or call :meth:`reset` between turns.
    """

    def __init__(self, config: EndpointConfig | None = None) -> None:
        self.config = config or EndpointConfig()
        self.reset()

    def reset(self) -> None:
        self.state = TurnState.WAITING
        #: Set by the listener while what has been heard so far is a complete allowed answer: the
        #: shorter silence then ends the turn.
        self.complete = False
        self._pending = np.zeros(0, dtype=np.int16)
        self._rate: int | None = None
        self._elapsed = 0.0
        self._run_loud = 0.0
        self._run_quiet = 0.0
        # Start from a quiet room; the floor then follows the actual background.
        self._noise_db = self.config.threshold_db - self.config.noise_margin_db
        #: Time (ms from the start of the turn) at which speech started, or None.
        self.speech_start_ms: float | None = None
        #: Time (ms) at which the last speech frame ended.
        self.speech_end_ms: float | None = None

    @property
    def elapsed_ms(self) -> float:
        """Audio time fed so far, in milliseconds."""
        return self._elapsed

    def feed(self, chunk: AudioChunk) -> TurnState:
        """Analyse one chunk; returns the state after it. Does nothing once the turn is done."""
        if self.state.done:
            return self.state
        if self._rate is None:
            self._rate = chunk.sample_rate
        elif chunk.sample_rate != self._rate:
            raise ValueError(f"sample rate changed from {self._rate} to {chunk.sample_rate}")
        samples = np.concatenate([self._pending, mono_int16(chunk)])
        step = max(1, self._rate * self.config.frame_ms // 1000)
        usable = samples.size - samples.size % step
        self._pending = samples[usable:]
        frame_ms = step * 1000.0 / self._rate
        for start in range(0, usable, step):
            self._frame(frame_db(samples[start : start + step]), frame_ms)
            if self.state.done:
                break
        return self.state

    def _is_loud(self, db: float) -> bool:
        return db > max(self.config.threshold_db, self._noise_db + self.config.noise_margin_db)

    def _frame(self, db: float, frame_ms: float) -> None:
        cfg = self.config
        self._elapsed += frame_ms
        loud = self._is_loud(db)
        if loud:
            self._run_loud += frame_ms
            self._run_quiet = 0.0
        else:
            self._run_quiet += frame_ms
            self._run_loud = 0.0
            # Noise floor: falls at once, rises slowly, so speech does not drag it up.
            self._noise_db = db if db < self._noise_db else 0.95 * self._noise_db + 0.05 * db

        if self.state is TurnState.WAITING:
            if loud and self._run_loud >= cfg.min_speech_ms:
                self.state = TurnState.SPEAKING
                self.speech_start_ms = self._elapsed - self._run_loud
                self.speech_end_ms = self._elapsed
            elif self._elapsed >= cfg.no_speech_timeout_ms:
                self.state = TurnState.NO_SPEECH
            return

        # SPEAKING
        if loud:
            self.speech_end_ms = self._elapsed
        started = self.speech_start_ms if self.speech_start_ms is not None else 0.0
        too_long = self._elapsed - started >= cfg.max_turn_ms
        window = (
            min(cfg.complete_silence_ms, cfg.trailing_silence_ms)
            if self.complete
            else cfg.trailing_silence_ms
        )
        if self._run_quiet >= window or too_long:
            self.state = TurnState.ENDED
