"""Whole spoken conversations through the real microphone code (``microphone_turns``, sounddevice).

The microphone is a fake ALSA capture device (the ``file`` plugin, see test_voice_microphone.py),
in a subprocess whose HOME holds the ``.asoundrc``. Two facts shape the harness:

- The voice loop opens a new input stream for every turn, and the ``file`` plugin re-opens its
  ``infile`` with every stream: a plain file would replay the first turn each time. So the
  ``infile`` is a FIFO, fed by a thread of the subprocess that holds it open read-write (it never
  sees a closed pipe, and what the last stream did not read stays for the next one).
- The device does not pace in real time. After the recorded turns the thread feeds silence for
  as long as the process lives, so every run ends by itself: the dialog finishes, or the
  no-speech timeout (in audio time, not wall time) ends it.

Each turn in the capture is speech followed by enough silence for the endpoint detector.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.voice.audio import mono_int16
from assistant.voice.wavinput import read_wav
from tests.voice.speech import Synth
from tests.voice.support import FIFO_FEEDER, VOICE_ARGS, fake_home, json_events, run_python

pytestmark = pytest.mark.voice

RATE = 16_000

#: argv: FIFO, capture file, report file, then the assistant's arguments. The report lists, for
#: every event the session emitted, how many microphone streams were open at that moment.
FED_MICROPHONE = (
    FIFO_FEEDER
    + """
import json, sys

start_feeding(sys.argv[1], sys.argv[2])

from assistant.app.session import Session
from assistant.voice.microphone import Microphone

streams = {"open": 0, "opened": 0}
report = []
mic_open, mic_close, emit = Microphone.open, Microphone.close, Session._emit

def counted_open(self):
    was = self._stream
    mic_open(self)
    if was is None and self._stream is not None:
        streams["open"] += 1
        streams["opened"] += 1

def counted_close(self):
    was = self._stream
    mic_close(self)
    if was is not None:
        streams["open"] -= 1

def recorded_emit(self, event):
    report.append([event.type, streams["open"]])
    emit(self, event)

Microphone.open, Microphone.close, Session._emit = counted_open, counted_close, recorded_emit
from assistant.cli import main
status = main(sys.argv[4:])
with open(sys.argv[3], "w") as out:
    json.dump({"events": report, "streams_opened": streams["opened"]}, out)
sys.exit(status)
"""
)


@pytest.fixture(scope="module")
def portaudio() -> None:
    pytest.importorskip("sounddevice", reason="sounddevice (and libportaudio2) not installed")
    pytest.importorskip("pocketsphinx", reason="pocketsphinx is not installed")


def capture_of(turns: Sequence[Path], gap_s: float = 1.5) -> bytes:
    """Each turn's speech, 16 kHz mono, between short silences: one continuous recording."""
    pieces = [np.zeros(int(0.3 * RATE), np.int16)]
    for wav in turns:
        pieces += [mono_int16(read_wav(wav)), np.zeros(int(gap_s * RATE), np.int16)]
    return np.concatenate(pieces).astype("<i2").tobytes()


def talk_into_microphone(
    tmp_path: Path, turns: Sequence[Path], *args: str
) -> subprocess.CompletedProcess[str]:
    fifo = tmp_path / "microphone.fifo"
    os.mkfifo(fifo)
    capture = tmp_path / "capture.raw"
    capture.write_bytes(capture_of(turns))
    home = fake_home(tmp_path, fifo)
    report = tmp_path / "streams.json"  # see FED_MICROPHONE
    return run_python(["-c", FED_MICROPHONE, str(fifo), str(capture), str(report), *args], home)


@pytest.mark.usefixtures("portaudio")
def test_spoken_conversation_through_the_microphone(synth: Synth, tmp_path: Path) -> None:
    turns = [
        synth("my calf feels hot", "en-us", 140),
        synth("no", "en-us+m3", 150),
        synth("yes", "en-us", 130),
    ]
    done = talk_into_microphone(tmp_path, turns, *VOICE_ARGS)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    events = json_events(done.stdout)
    assert [(e["intent"], e["heard"]) for e in events if e["type"] == "intent"] == [
        ("leg_warmth", "my calf feels hot")
    ]
    assert [(e["question"], e["value"]) for e in events if e["type"] == "answer"] == [
        ("rf_lungs", "no"),
        ("rf_limb", "yes"),
    ]
    assert [e["triage"] for e in events if e["type"] == "result"] == ["emergency"]
    assert events[-1] == {"type": "end", "reason": "completed"}

    # Half-duplex: one stream per turn, and none open while a reply is being said.
    report = json.loads((tmp_path / "streams.json").read_text())
    assert report["streams_opened"] == 3
    assert [event for event, open_streams in report["events"] if open_streams] == []


@pytest.mark.usefixtures("portaudio")
def test_microphone_silence_ends_by_itself(synth: Synth, tmp_path: Path) -> None:
    # After the opening, nothing more is said: a reprompt, then the polite end.
    done = talk_into_microphone(
        tmp_path, [synth("my leg feels warm", "en-us", 150)], *VOICE_ARGS, "--listen-timeout", "2"
    )
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    assert [e["intent"] for e in events if e["type"] == "intent"] == ["leg_warmth"]
    assert not [e for e in events if e["type"] == "answer"]
    says = [(e["role"], e["text"]) for e in events if e["type"] == "say"]
    assert ("reprompt", "I didn't hear anything.") in says
    assert says[-1][1].startswith("I haven't heard anything, so I'll stop here.")
    asks = [e["question"] for e in events if e["type"] == "ask"]
    assert asks == ["complaint", "rf_lungs", "rf_lungs"]
    assert events[-1] == {"type": "end", "reason": "no_response"}


def run_without_microphone(tmp_path: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    # The capture file does not exist: ALSA cannot open the device and PortAudio lists none.
    return run_python(["-m", "assistant", *args], fake_home(tmp_path, tmp_path / "missing.raw"), stdin=stdin)


def skip_if_real_devices(tmp_path: Path) -> None:
    (tmp_path / "probe").mkdir()
    home = fake_home(tmp_path / "probe", tmp_path / "missing.raw")
    probe = run_python(
        ["-c", "from assistant.voice.microphone import list_input_devices as l; print(len(l()))"], home
    )
    if probe.returncode == 0 and probe.stdout.strip() != "0":
        pytest.skip("this machine has real microphones")


@pytest.mark.usefixtures("portaudio")
def test_no_microphone_continues_in_text_mode(tmp_path: Path) -> None:
    skip_if_real_devices(tmp_path)
    done = run_without_microphone(tmp_path, "my calf feels hot\nno\nyes\n", *VOICE_ARGS)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "no microphone found; run with --text to continue in text mode" in done.stderr
    assert "Continuing in text mode." in done.stderr
    events = json_events(done.stdout)
    # The microphone is checked before the greeting: the conversation starts once, by typing.
    asks = [e["question"] for e in events if e["type"] == "ask"]
    assert asks[:2] == ["complaint", "rf_lungs"]
    assert done.stderr.index("Continuing in text mode.") >= 0
    assert [e["type"] for e in events][:2] == ["say", "ask"]
    assert [(e["question"], e["value"]) for e in events if e["type"] == "answer"] == [
        ("rf_lungs", "no"),
        ("rf_limb", "yes"),
    ]
    assert [e["triage"] for e in events if e["type"] == "result"] == ["emergency"]
    assert events[-1] == {"type": "end", "reason": "completed"}


@pytest.mark.usefixtures("portaudio")
def test_no_microphone_text_fallback_speaks_the_json_protocol(tmp_path: Path) -> None:
    # With --json, typed input follows the JSON-lines protocol of text mode: {"text": ...} is an
    # utterance and {"silence": true} a listening timeout, exactly as in `assistant --text --json`.
    skip_if_real_devices(tmp_path)
    lines = ['{"text": "my calf feels hot"}', '{"silence": true}', '{"text": "no"}', ""]
    done = run_without_microphone(tmp_path, "\n".join(lines), *VOICE_ARGS)
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    assert [(e["intent"], e["heard"]) for e in events if e["type"] == "intent"] == [
        ("leg_warmth", "my calf feels hot")
    ]
    assert ("reprompt", "I didn't hear anything.") in [
        (e["role"], e["text"]) for e in events if e["type"] == "say"
    ]
    assert [(e["question"], e["value"]) for e in events if e["type"] == "answer"] == [("rf_lungs", "no")]
    assert events[-1] == {"type": "end", "reason": "end_of_input"}
