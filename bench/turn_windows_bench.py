"""End of speech to end of turn, per kind of turn, with the adaptive windows and with the old fixed
800 ms window (a script, not a test: prints figures for the closing notes).

    .venv/bin/python bench/turn_windows_bench.py [--rounds 3]

Each line is spoken by espeak-ng (two voices), followed by 1.5 s of silence, and fed to the real
built-in recognizer (PocketSphinx) through the same listen() and detector the microphone uses, with
the phrases the question allows. For each turn it reports the audio time from the last speech frame
to the end of the turn plus the processing time after it (what the person waits before the reply
can start), and whether the hearing was cut short (the words heard differ from the fixed-window
hearing). Lines with a pause inside (sox inserts 400 ms) check that nobody is cut off mid-answer or
mid-sentence.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from assistant.content.knowledge import load_knowledge
from assistant.voice.endpoint import EndpointConfig, EndpointDetector
from assistant.voice.recognizer import listen
from assistant.voice.run import completes, embedded_recognizer, turn_config
from assistant.voice.wavinput import iter_wav_chunks

VOICES = ("en-us", "en-gb")
YES_NO = ["yes", "no", "not really", "i don't know", "yeah"]
OPENING = ["my calf feels hot", "my lower leg is warm and swollen", "the top of my foot is burning"]
PAUSED = {  # (kind, words before the pause, words after it)
    "yes_no": ("no", "not really"),  # 400 ms: as long as the complete-answer window
    "open": ("my calf", "feels hot and swollen"),
}


TRIM = ["silence", "1", "0.02", "1%", "reverse", "silence", "1", "0.02", "1%", "reverse"]


def say(text: str, voice: str, out: Path) -> None:
    """espeak-ng speech with its own leading and trailing silence trimmed off."""
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", str(out), *TRIM], check=True)


def speak(text: str, voice: str, folder: Path, pause_after: str = "") -> Path:
    """The line, then 1.5 s of silence; with ``pause_after``, 400 ms of silence and more words first."""
    first, out = folder / "a.wav", folder / "line.wav"
    say(text, voice, first)
    parts = [str(first)]
    if pause_after:
        gap, second = folder / "gap.wav", folder / "b.wav"
        say(pause_after, voice, second)
        subprocess.run(
            ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(gap), "trim", "0", "0.4"], check=True
        )
        parts += [str(gap), str(second)]
    joined = folder / "joined.wav"
    subprocess.run(
        ["sox", *parts, str(joined)] if len(parts) > 1 else ["cp", parts[0], str(joined)], check=True
    )
    subprocess.run(["sox", str(joined), str(out), "pad", "0", "1.5"], check=True)
    return out


def turn(
    recognizer: object, wav: Path, config: EndpointConfig, allowed: list[str] | None
) -> tuple[float, str]:
    detector = EndpointDetector(config)
    start = time.perf_counter()
    chunks = iter_wav_chunks(wav)
    result = listen(chunks, recognizer, detector, is_complete=completes(allowed))  # type: ignore[arg-type]
    wall = (time.perf_counter() - start) * 1000
    end = detector.speech_end_ms or 0.0
    # Waiting = silence listened to after speech + processing beyond real time for that audio.
    waited = detector.elapsed_ms - end
    processing = max(0.0, wall - detector.elapsed_ms)
    return waited + processing, result.heard


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    knowledge = load_knowledge()
    recognizer = embedded_recognizer(knowledge)
    windows = knowledge.system.turn_windows
    fixed = EndpointConfig(trailing_silence_ms=800, complete_silence_ms=800)
    print(
        f"windows: opening {windows.opening_ms} ms, answer {windows.answer_ms} ms, "
        f"complete answer {windows.complete_ms} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, lines in (("yes_no", YES_NO), ("open", OPENING)):
            allowed = None if kind == "open" else sorted({*YES_NO, "yes", "no", "not sure", "repeat", "stop"})
            adaptive_cfg = turn_config(fixed, windows, allowed)
            old, new, cut = [], [], 0
            for _ in range(args.rounds):
                for voice in VOICES:
                    for line in lines:
                        wav = speak(line, voice, folder)
                        recognizer.set_phrases(allowed)
                        w_old, heard_old = turn(recognizer, wav, fixed, None)
                        recognizer.set_phrases(allowed)
                        w_new, heard_new = turn(recognizer, wav, adaptive_cfg, allowed)
                        old.append(w_old)
                        new.append(w_new)
                        cut += heard_old != heard_new
            p95 = sorted(new)[int(0.95 * (len(new) - 1))]
            print(
                f"{kind:<7} end of speech -> end of turn: fixed 800 ms window median "
                f"{statistics.median(old):4.0f} ms; adaptive median {statistics.median(new):4.0f} ms, "
                f"p95 {p95:4.0f} ms; hearings changed {cut}/{len(new)}"
            )
        for kind, (first, second) in PAUSED.items():
            allowed = None if kind == "open" else sorted({*YES_NO, "yes", "no", "not sure", "repeat", "stop"})
            cfg = turn_config(fixed, windows, allowed)
            for voice in VOICES:
                wav = speak(first, voice, folder, pause_after=second)
                recognizer.set_phrases(allowed)
                _, heard = turn(recognizer, wav, cfg, allowed)
                print(f"pause inside ({kind}, {voice}): {first!r} + 400 ms + {second!r} heard as {heard!r}")


if __name__ == "__main__":
    main()
