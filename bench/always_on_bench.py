"""Always-on benchmark (a script, not a test): prints figures for the closing notes.

- wake phrase: how often it is spotted, per voice, clean and in noise (espeak-ng speech);
- false wakes per hour of other speech (sentences from the README, the docs and the source
  article, read by eight voices, with pauses of room noise) and per hour of noise alone;
- CPU while waiting: process CPU seconds per second of audio, for a quiet room and for continuous
  speech (the share of one core it would use listening in real time);
- emergencies said without the wake phrase: how many would be caught, and how many false
  alarms the same hearing gives in the hour of other speech (the measurement behind the decision);
- memory over many wake/conversation cycles (``--cycles N``, default 1000): RSS of an
  ``assistant --always-on --wav ...`` process sampled as conversations end.

Run: .venv/bin/python bench/always_on_bench.py [--minutes 60] [--cycles 1000]
Needs espeak-ng and sox. WAV files are made in a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from assistant.content.knowledge import SHIPPED_INTENTS, load_knowledge
from assistant.voice.audio import AudioChunk, mono_int16
from assistant.voice.options import DEFAULT_WAKE_PHRASE, DEFAULT_WAKE_THRESHOLD
from assistant.voice.run import embedded_recognizer
from assistant.voice.verify import VerifiedRecognizer
from assistant.voice.wake import WakeSettings, WakeSpotter
from assistant.voice.wavinput import read_wav

ROOT = Path(__file__).resolve().parent.parent
RATE = 16_000
EMERGENCIES = "evaluation/utterances/emergencies.yaml"
VOICES = [
    ("en-us", 140),
    ("en-gb", 160),
    ("en-us+f3", 150),
    ("en-gb-x-rp+m3", 130),
    ("en-us+m3", 175),
    ("en-gb+f2", 140),
    ("en-us+f4", 120),
    ("en-gb-scotland", 150),
]


def speak(folder: Path, text: str, voice: str, speed: int) -> np.ndarray:
    path = folder / f"s{abs(hash((text, voice, speed)))}.wav"
    if not path.exists():
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return mono_int16(read_wav(path))  # read as the recognizer hears it: 16 kHz


def noise(seconds: float, db: float, rng: np.random.Generator) -> np.ndarray:
    scale = 32768 * 10 ** (db / 20)
    return rng.normal(0, scale, round(seconds * RATE)).astype(np.int16)


def with_snr(speech: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    power = float(np.mean(speech.astype(np.float64) ** 2))
    scale = np.sqrt(power / 10 ** (snr_db / 10))
    return np.clip(speech + rng.normal(0, scale, speech.size), -32768, 32767).astype(np.int16)


def chunks(samples: np.ndarray) -> list[AudioChunk]:
    pcm = samples.astype("<i2").tobytes()
    return [AudioChunk(pcm[i : i + 3200], RATE) for i in range(0, len(pcm), 3200)]


def background_sentences() -> list[str]:
    texts = [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        ROOT.parent / "shared" / "source-article.txt",
    ]
    out: list[str] = []
    for path in texts:
        if not path.is_file():
            continue
        for piece in re.split(r"[.!?\n]", path.read_text(encoding="utf-8")):
            words = re.sub(r"[^A-Za-z' ,]", " ", piece).split()
            if 4 <= len(words) <= 30:
                out.append(" ".join(words))
    return out


def spot_all(spotter: WakeSpotter, stream: list[AudioChunk]) -> tuple[list[str], float]:
    """Every wake in one long stream (listening again after each), and the CPU seconds it took."""
    rest = iter(stream)  # each wait goes on where the last one stopped
    wakes: list[str] = []
    start = time.process_time()
    while (woken := spotter.wait([rest], lambda: False)) is not None:
        wakes.append(woken.heard)
    return wakes, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0, help="minutes of other speech")
    parser.add_argument("--cycles", type=int, default=1000, help="wake/conversation cycles for memory")
    parser.add_argument("--threshold", type=float, default=DEFAULT_WAKE_THRESHOLD)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    knowledge = load_knowledge([SHIPPED_INTENTS])
    settings = WakeSettings(DEFAULT_WAKE_PHRASE, args.threshold)
    recognizer = embedded_recognizer(knowledge, settings.words)
    assert isinstance(recognizer, VerifiedRecognizer)
    spotter = WakeSpotter(recognizer, settings)
    with tempfile.TemporaryDirectory(prefix="always-on-bench-") as tmp:
        folder = Path(tmp)

        def quiet(seconds: float) -> np.ndarray:
            return noise(seconds, -60, rng)

        print(f"wake phrase {DEFAULT_WAKE_PHRASE!r}, threshold {args.threshold:g}")

        # 1. The wake phrase, per voice, clean and at 10 dB SNR, plain and after "um".
        hits = {"clean": 0, "10 dB": 0}
        total = 0
        for voice, speed in VOICES:
            for said in (settings.words, f"um {settings.words}"):
                speech = speak(folder, said, voice, speed)
                total += 1
                for name, sample in (("clean", speech), ("10 dB", with_snr(speech, 10, rng))):
                    stream = chunks(np.concatenate([quiet(1.0), sample, quiet(1.0)]))
                    hits[name] += spotter.wait([stream], lambda: False) is not None
        for name, count in hits.items():
            print(f"wake phrase spotted, {name}: {count}/{total} ({100 * count / total:.0f}%)")

        # 2. An hour (or --minutes) of other speech with pauses of room noise.
        sentences = background_sentences()
        pieces: list[np.ndarray] = []
        seconds = 0.0
        index = 0
        while seconds < args.minutes * 60:
            voice, speed = VOICES[index % len(VOICES)]
            speech = speak(folder, sentences[index % len(sentences)], voice, speed)
            pause = quiet(float(rng.uniform(0.3, 2.0)))
            pieces += [speech, pause]
            seconds += (speech.size + pause.size) / RATE
            index += 1
        talk = np.concatenate(pieces)
        wakes, cpu = spot_all(spotter, chunks(talk))
        hours = talk.size / RATE / 3600
        print(
            f"other speech: {talk.size / RATE / 60:.1f} min, {index} sentences "
            f"({len(set(sentences))} distinct), "
            f"false wakes {len(wakes)} ({len(wakes) / hours:.2f} per hour) {wakes[:5]}"
        )
        print(f"CPU while hearing continuous speech: {100 * cpu / (talk.size / RATE):.1f}% of one core")

        # 3. Noise alone: a quiet room, then a loud fan (white noise well above the gate).
        for name, db, minutes in (("quiet room (-60 dBFS)", -60, 10), ("fan noise (-30 dBFS)", -30, 10)):
            room = noise(minutes * 60, db, rng)
            wakes, cpu = spot_all(spotter, chunks(room))
            print(
                f"{name}: {minutes} min, false wakes {len(wakes)}, "
                f"CPU {100 * cpu / (room.size / RATE):.2f}% of one core"
            )

        # 4. Emergencies said without the wake phrase: what the wake hearing plus the text path
        # would catch, and the false alarms the same hearing gives on the other speech.
        understander = knowledge.understander

        def wake_hearing(text: str, voice: str, speed: int) -> str:
            recognizer.hear_wake()
            for chunk in chunks(np.concatenate([quiet(0.3), speak(folder, text, voice, speed), quiet(0.5)])):
                recognizer.accept(chunk)
            return recognizer.finish().text

        emergencies = [
            u["text"]
            for u in yaml.safe_load((ROOT / "evaluation/utterances/emergencies.yaml").read_text())[
                "utterances"
            ]
            if u["expect"] == "emergency"
        ]
        caught = 0
        for i, text in enumerate(emergencies):
            voice, speed = VOICES[i % len(VOICES)]
            caught += understander.understand(wake_hearing(text, voice, speed)).meaning == "emergency"
        alarms = 0
        for i, text in enumerate(sentences[:index]):
            voice, speed = VOICES[i % len(VOICES)]
            alarms += understander.understand(wake_hearing(text, voice, speed)).meaning == "emergency"
        print(
            f"emergencies without the wake phrase: caught {caught}/{len(emergencies)} "
            f"({100 * caught / len(emergencies):.0f}%), "
            f"false alarms {alarms} in {hours:.2f} h of other speech "
            f"({alarms / hours:.1f} per hour)"
        )

        # 5. Memory over many wake/conversation cycles, in a real process.
        if args.cycles:
            files = [
                folder / "wake.wav",
                folder / "calf.wav",
                folder / "stop.wav",
            ]
            for path, text in zip(files, (settings.words, "my calf feels hot", "stop"), strict=True):
                subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(path), text], check=True)
            command = [
                sys.executable,
                "-m",
                "assistant",
                "--always-on",
                "--json",
                "--engine",
                "pocketsphinx",
                "--no-speech-output",
                "--no-summary",
                "--wav",
                *[str(f) for _ in range(args.cycles) for f in files],
            ]
            process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            samples: list[tuple[int, int]] = []
            ends = 0
            marks = {1, 10, 100, args.cycles // 2, args.cycles}
            started = time.monotonic()
            assert process.stdout is not None
            for line in process.stdout:
                if '"type": "end"' in line:
                    ends += 1
                    if ends in marks:
                        samples.append((ends, rss_kb(process.pid)))
            process.wait()
            took = time.monotonic() - started
            shown = ", ".join(f"after {n}: {kb / 1024:.1f} MB" for n, kb in samples)
            print(f"RSS over {ends} wake/conversation cycles ({took:.0f} s): {shown}")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
