"""The labelled utterance corpus, spoken: what the ear understands, compared with the text path.

Each utterance is synthesized (espeak-ng, a voice and a rate; optionally mixed with white noise at
a signal-to-noise ratio), fed through the same :func:`~assistant.voice.recognizer.listen`,
end-of-turn detector, snapping and hypotheses understanding as ``assistant --wav`` uses, in the
context it is said in (free-form at the opening, the question's phrases at a question), and
labelled as :class:`~assistant.evaluation.utterances.Judge` labels the text path.

``bench/spoken_corpus.py`` runs it over the whole corpus and prints the tables.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.base.settings import TurnWindows
from assistant.content.knowledge import Knowledge
from assistant.conversation.expectation import Expectation
from assistant.evaluation.utterances import Judge, Utterance
from assistant.understanding.phrases import answer_and_command_phrases
from assistant.voice.endpoint import EndpointConfig, EndpointDetector
from assistant.voice.recognizer import Recognizer, listen
from assistant.voice.run import completes, turn_config
from assistant.voice.vocabulary import expected_phrases, snap, speakable
from assistant.voice.wavinput import iter_wav_chunks

RATE = 16000
#: Silence before and after each utterance, seconds (the end-of-turn detector needs the tail).
LEAD, TAIL = 0.3, 1.2


@dataclass(frozen=True)
class Rendering:
    """How one utterance is spoken: an espeak-ng voice, words per minute, and the noise mixed in."""

    voice: str
    rate: int
    #: Signal-to-noise ratio of white noise in dB; None for clean speech.
    snr_db: float | None = None

    @property
    def noise(self) -> str:
        return "clean" if self.snr_db is None else f"{self.snr_db:g} dB"


@dataclass(frozen=True)
class SpokenVerdict:
    utterance: Utterance
    rendering: Rendering
    #: What the text path understands the written utterance as.
    text_label: str
    #: What the assistant understands the spoken utterance as.
    spoken_label: str
    heard: str
    alternatives: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        """Understood as the text path understands it."""
        return self.spoken_label == self.text_label

    @property
    def acted_on(self) -> bool:
        """An emergency acted on at once or checked with one direct question."""
        return self.spoken_label in ("emergency", "possible_emergency")

    @property
    def polarity_flip(self) -> bool:
        """A no taken as yes, or a yes taken as no: the one mistake an answer must never make."""
        pair = {self.text_label, self.spoken_label}
        return pair == {"answer:yes", "answer:no"}


def synthesize(text: str, rendering: Rendering, folder: Path) -> Path:
    """The utterance as a 16 kHz mono WAV in ``folder`` (cached by content): espeak-ng, then sox."""
    key = hashlib.sha256(repr((text, rendering)).encode()).hexdigest()[:20]
    out = folder / f"{key}.wav"
    if out.exists():
        return out
    raw = folder / f"{key}.raw.wav"
    subprocess.run(
        ["espeak-ng", "-v", rendering.voice, "-s", str(rendering.rate), "-w", str(raw), text],
        check=True,
        capture_output=True,
    )
    clean = folder / f"{key}.16k.wav"
    subprocess.run(
        ["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(clean), "pad", str(LEAD), str(TAIL)],
        check=True,
        capture_output=True,
    )
    raw.unlink()
    if rendering.snr_db is None:
        clean.replace(out)
        return out
    samples = _read(clean)
    clean.unlink()
    seed = int(key[:8], 16)
    _write(out, with_noise(samples, rendering.snr_db, seed))
    return out


def with_noise(samples: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    """White noise mixed in so that speech power / noise power is ``snr_db`` (speech frames only)."""
    speech = samples[np.abs(samples) > 0.01 * max(1.0, float(np.abs(samples).max()))]
    power = float(np.mean(speech.astype(np.float64) ** 2)) if speech.size else 1.0
    noise_power = power / (10 ** (snr_db / 10))
    noise = np.random.default_rng(seed).normal(0.0, math.sqrt(noise_power), samples.size)
    return np.clip(samples + noise, -32768, 32767).astype(np.int16)


def _read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)


def _write(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.astype(np.int16).tobytes())


def tools_missing() -> list[str]:
    """The programs the spoken corpus needs that are not installed."""
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


class SpokenJudge:
    """Hears a WAV of an utterance in its context, as voice mode would, and labels it."""

    def __init__(self, knowledge: Knowledge, recognizer: Recognizer, windows: TurnWindows) -> None:
        self.knowledge = knowledge
        self.recognizer = recognizer
        self.windows = windows
        self.judge = Judge(knowledge)

    def allowed(self, utterance: Utterance) -> list[str] | None:
        """The phrases the recognizer is told to expect in the utterance's context (as the dialog's
        Expectation lists them); None at the opening."""
        expecting = self.judge.expecting(utterance)
        if expecting.kind == "open":
            return None
        phrases = answer_and_command_phrases(expecting.question, self.knowledge.system, expecting.kind)
        return expected_phrases(Expectation(kind=expecting.kind, phrases=tuple(phrases)))

    def hear(self, utterance: Utterance, wav: Path, rendering: Rendering) -> SpokenVerdict:
        allowed = self.allowed(utterance)
        expecting = self.judge.expecting(utterance)
        detector = EndpointDetector(turn_config(EndpointConfig(), self.windows, allowed))
        self.recognizer.set_phrases(allowed)
        result = listen(iter_wav_chunks(wav), self.recognizer, detector, is_complete=completes(allowed))
        raw = result.heard
        text = snap(raw, allowed)
        alternatives = tuple(speakable(a) for a in result.transcript.hypotheses)
        # As the dialog understands a first hearing (nothing checked yet).
        u = self.knowledge.understander.understand_hypotheses(text, alternatives, expecting, spoken=True)
        spoken, _ = self.judge.label(u, expecting)
        text_label = self.judge.judge(utterance).got
        return SpokenVerdict(utterance, rendering, text_label, spoken, text or raw, alternatives)
