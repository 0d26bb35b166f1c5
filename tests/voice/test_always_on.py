"""Always-on mode: the wake phrase (real PocketSphinx hearing of espeak-ng speech), buttons, and
conversation after conversation, from WAV files and through the fake ALSA microphone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.voice.audio import AudioChunk, mono_int16
from assistant.voice.buttons import Buttons
from assistant.voice.wake import WakeError, WakeSettings, WakeSpotter, wake_score
from assistant.voice.wavinput import read_wav
from tests.voice.conftest import Signals
from tests.voice.speech import Synth
from tests.voice.support import FIFO_FEEDER, ROOT, VOICE_ARGS, clean_env, fake_home, json_events, run_python

pytestmark = pytest.mark.voice

RATE = 16_000
WAKE = "okay assistant"


def test_wake_score_compares_the_best_run_of_words() -> None:
    assert wake_score(WAKE, "okay assistant") == 100
    assert wake_score(WAKE, "um okay assistant my leg") == 100
    assert wake_score(WAKE, "okay assistants") >= 90
    assert wake_score(WAKE, "than the assistant mottled now really") < 90
    assert wake_score(WAKE, "") == 0
    assert wake_score("computer", "hello computer") == 100


def test_wake_settings_refuse_what_cannot_work() -> None:
    assert WakeSettings("Okay, Assistant!").words == WAKE
    with pytest.raises(WakeError, match="one to six words"):
        WakeSettings("   ")
    with pytest.raises(WakeError, match="from 1 to 100"):
        WakeSettings(WAKE, threshold=0)
    with pytest.raises(WakeError, match="from 1 to 100"):
        WakeSettings(WAKE, threshold=250)


def test_sigusr1_and_lines_on_stdin_press_the_button() -> None:
    read, write = os.pipe()
    with os.fdopen(read, "rb") as stdin, Buttons(stdin) as buttons:
        assert not buttons.pressed()
        os.kill(os.getpid(), signal.SIGUSR1)
        assert buttons.pressed()
        assert not buttons.pressed()  # a press is used once
        os.write(write, b"\n")
        deadline = time.monotonic() + 5
        while not buttons.pressed():
            assert time.monotonic() < deadline, "Enter was not seen"
            time.sleep(0.01)
        os.close(write)
    assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL  # put back


@pytest.fixture(scope="module")
def recognizer() -> Any:
    pytest.importorskip("pocketsphinx", reason="pocketsphinx is not installed")
    from assistant.content.knowledge import SHIPPED_INTENTS, load_knowledge
    from assistant.voice.run import embedded_recognizer

    return embedded_recognizer(load_knowledge([SHIPPED_INTENTS]), WAKE)


def _chunks(samples: np.ndarray) -> list[AudioChunk]:
    pcm = samples.astype("<i2").tobytes()
    return [AudioChunk(pcm[i : i + 3200], RATE) for i in range(0, len(pcm), 3200)]


def _speech(synth: Synth, text: str, voice: str = "en-us", speed: int = 140) -> np.ndarray:
    return mono_int16(read_wav(synth(text, voice, speed)))


def test_the_wake_phrase_wakes_and_other_speech_does_not(recognizer: Any, synth: Synth, sig: Signals) -> None:
    spotter = WakeSpotter(recognizer, WakeSettings(WAKE))
    quiet = sig.noise(1.0, db=-60)
    chatter = [
        "the weather is lovely today, shall we go for a walk",
        "my assistant booked the meeting for tuesday",
        "okay, I will call you back later",
        "my calf feels hot",
    ]
    for text in chatter:
        stream = _chunks(np.concatenate([quiet, _speech(synth, text), quiet]))
        assert spotter.wait([stream], lambda: False) is None, text
    said = [
        _chunks(np.concatenate([quiet, _speech(synth, WAKE, voice, speed), quiet]))
        for voice, speed in (("en-us", 140), ("en-gb", 160), ("en-us+f3", 150), ("en-us+m3", 175))
    ]
    woken = [spotter.wait([stream], lambda: False) for stream in said]
    assert sum(w is not None and w.by == "phrase" for w in woken) >= 3, woken


def test_vosk_spots_its_wake_phrase_too(ko_model: Any, synth: Synth, sig: Signals) -> None:
    # The Korean model has no [unk]: a one-phrase grammar would fit any word to the wake phrase,
    # so it listens free-form and compares, as it must for such models.
    from assistant.voice.vosk_engine import VoskRecognizer

    spotter = WakeSpotter(VoskRecognizer(ko_model), WakeSettings("허리"))
    quiet = sig.noise(1.0, db=-60)

    def said(text: str) -> list[AudioChunk]:
        return _chunks(np.concatenate([quiet, _speech(synth, text, "ko", 140), quiet]))

    assert spotter.wait([said("아니요"), said("몰라요")], lambda: False) is None
    woken = spotter.wait([said("허리")], lambda: False)
    assert woken is not None and woken.heard == "허리"


def test_a_quiet_room_never_reaches_the_recognizer(recognizer: Any, sig: Signals) -> None:
    spotter = WakeSpotter(recognizer, WakeSettings(WAKE))
    assert spotter.wait([_chunks(sig.noise(30.0, db=-55))], lambda: False) is None
    assert spotter.heard_seconds == 0
    assert spotter.gated_seconds == pytest.approx(30.0)


def test_a_press_wakes_it_between_chunks(recognizer: Any, sig: Signals) -> None:
    spotter = WakeSpotter(recognizer, WakeSettings(WAKE))
    presses = iter([False, False, True])
    woken = spotter.wait([_chunks(sig.noise(5.0, db=-60))], lambda: next(presses, False))
    assert woken is not None and woken.by == "button" and woken.heard == ""


def _always_on(home: Path, *wavs: Path) -> subprocess.CompletedProcess[str]:
    """``assistant --always-on`` hearing the WAV files, in a clean HOME."""
    home.mkdir(exist_ok=True)
    return run_python(
        ["-m", "assistant", "--always-on", *VOICE_ARGS, "--wav", *map(str, wavs)], home, timeout=120
    )


def test_conversations_one_after_another_from_wav_files(synth: Synth, tmp_path: Path) -> None:
    chat = synth("the weather is lovely today, shall we go for a walk", "en-us", 150)
    wake, wake_gb = synth(WAKE, "en-us", 140), synth(WAKE, "en-gb", 160)
    calf, yes, stop = synth("my calf feels hot", "en-us", 140), synth("yes", "en-us", 140), synth("stop")
    done = _always_on(tmp_path / "home", chat, wake, calf, yes, chat, wake_gb, calf, stop)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    events = json_events(done.stdout)
    kinds = [e["type"] for e in events]
    assert kinds[0] == "waiting"  # before anything is heard: what to say
    wakes = [e for e in events if e["type"] == "wake"]
    assert [e["by"] for e in wakes] == ["phrase", "phrase"]  # the chatter woke nothing
    # Each conversation is new: the greeting, the complaint and the first red flag again.
    assert [e["question"] for e in events if e["type"] == "ask"][:2] == ["complaint", "rf_lungs"]
    assert [e["intent"] for e in events if e["type"] == "intent"] == ["leg_warmth", "leg_warmth"]
    assert [e["triage"] for e in events if e["type"] == "result"] == ["emergency"]
    assert [e["reason"] for e in events if e["type"] == "end"] == ["completed", "stopped"]
    # After each conversation it waits again; the disclaimer is said once per conversation.
    assert kinds.count("waiting") == 3
    assert sum(e["type"] == "say" and e["role"] == "disclaimer" for e in events) == 2


def test_always_on_flags_and_settings_are_checked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = _always_on(home)
    assert done.returncode == 2 and "--wav" in done.stderr  # --wav with no file
    done = run_python(["-m", "assistant", "--always-on", "--text"], home)
    assert done.returncode == 2 and "--always-on" in done.stderr
    done = _always_on(home, tmp_path / "none.wav")
    assert done.returncode == 2 and "no such WAV file" in done.stderr
    (home / ".config" / "assistant").mkdir(parents=True)
    # Set in the file, always-on is the plain start's; --text still types.
    (home / ".config" / "assistant" / "config.toml").write_text("always_on = true\n")
    typed = run_python(["-m", "assistant", "--text", "--no-summary"], home, stdin="my calf feels hot\n")
    assert typed.returncode == 0, typed.stderr
    assert "What's bothering you today?" in typed.stdout
    shown = run_python(["-m", "assistant", "config"], home)
    assert "okay assistant" in shown.stdout and "config.toml:1" in shown.stdout
    (home / ".config" / "assistant" / "config.toml").write_text('always_on = "yes"\nwake_threshold = 500\n')
    shown = run_python(["-m", "assistant", "config"], home)
    assert shown.returncode == 2
    assert "config.toml:1: always_on should be true or false (no quotes)" in shown.stderr


#: argv: FIFO, capture file, then the assistant's arguments (see test_microphone_conversation.py).
FED_ALWAYS_ON = (
    FIFO_FEEDER
    + """
import sys
start_feeding(sys.argv[1], sys.argv[2])
from assistant.cli import main
sys.exit(main(sys.argv[3:]))
"""
)


def _capture(pieces: list[np.ndarray], gap_s: float = 1.5) -> bytes:
    quiet = np.zeros(round(gap_s * RATE), np.int16)
    out = [np.zeros(round(0.3 * RATE), np.int16)]
    for piece in pieces:
        out += [piece, quiet]
    return np.concatenate(out).astype("<i2").tobytes()


def test_three_conversations_through_the_microphone_then_a_clean_stop(synth: Synth, tmp_path: Path) -> None:
    pytest.importorskip("sounddevice", reason="sounddevice (and libportaudio2) not installed")

    def speak(text: str, voice: str = "en-us", speed: int = 140) -> np.ndarray:
        return _speech(synth, text, voice, speed)

    conversations = [
        [speak(WAKE), speak("my calf feels hot"), speak("yes")],  # emergency: ends at once
        [speak(WAKE, "en-gb", 150), speak("my calf feels hot"), speak("stop")],
        [speak(WAKE), speak("my leg feels warm"), speak("stop")],
    ]
    chatter = speak("shall we go for a walk later", "en-us", 150)
    fifo = tmp_path / "microphone.fifo"
    os.mkfifo(fifo)
    capture = tmp_path / "capture.raw"
    capture.write_bytes(_capture([chatter, *[p for c in conversations for p in c]]))
    env = clean_env(fake_home(tmp_path, fifo))
    process = subprocess.Popen(
        [sys.executable, "-c", FED_ALWAYS_ON, str(fifo), str(capture), "--always-on", *VOICE_ARGS],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    ended = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            # Three conversations over, and waiting again (the first wait, then one after each).
            if sum('"type": "waiting"' in seen for seen in lines) == 4:
                ended.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    finished = ended.wait(timeout=120)
    process.send_signal(signal.SIGTERM)  # how systemd stops it
    try:
        _, errors = process.communicate(timeout=30)
    finally:
        process.kill()
    reader.join(timeout=10)
    assert finished, f"three conversations did not end: {''.join(lines)}\n{errors}"
    assert process.returncode == 128 + signal.SIGTERM, errors
    assert "Traceback" not in errors
    events = [json.loads(line) for line in lines if line.strip()]
    assert [e["by"] for e in events if e["type"] == "wake"] == ["phrase"] * 3
    assert [e["reason"] for e in events if e["type"] == "end"] == ["completed", "stopped", "stopped"]
    assert [e["triage"] for e in events if e["type"] == "result"] == ["emergency"]
    assert [e["intent"] for e in events if e["type"] == "intent"] == ["leg_warmth"] * 3
    assert events[-1]["type"] == "waiting"  # stopped while waiting: nothing left half-said


def test_no_microphone_in_always_on_mode_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    pytest.importorskip("sounddevice", reason="sounddevice (and libportaudio2) not installed")
    home = fake_home(tmp_path, tmp_path / "missing.raw")
    done = run_python(["-m", "assistant", "--always-on", *VOICE_ARGS], home, stdin="")
    assert done.returncode == 1, done.stderr
    assert "always-on mode needs a working microphone" in done.stderr
    assert "Traceback" not in done.stderr
    assert "text mode" not in done.stderr


def test_a_wake_phrase_the_recognizer_cannot_hear_is_refused_at_start(synth: Synth, tmp_path: Path) -> None:
    # "shins" is left out of the built-in dictionary (one phone from "shin"): it could never wake.
    argv = [
        "-m",
        "assistant",
        "--always-on",
        *VOICE_ARGS,
        "--wake-phrase",
        "hey shins",
        "--wav",
        str(synth(WAKE)),
    ]
    done = run_python(argv, tmp_path / "home")
    assert done.returncode == 1
    assert "cannot hear the word shins of the wake phrase" in done.stderr
    assert "Traceback" not in done.stderr
    assert json_events(done.stdout) == []  # refused before anything was said
