"""Helpers shared by the voice tests (``tests.voice.support``); fixtures live in conftest.py.

What the voice benchmarks share with the tests (phrases, conversations, espeak-ng) is in
tests/voice/speech.py.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.app.output import EventLog
from assistant.app.session import Session
from assistant.base.events import Event
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from assistant.voice.audio import mono_int16
from assistant.voice.endpoint import EndpointConfig
from assistant.voice.recognizer import Recognizer
from assistant.voice.run import Heard, run_turns, wav_turns
from assistant.voice.wavinput import read_wav
from tests.voice.speech import (
    Line,
    Synth,
)

ROOT = Path(__file__).resolve().parents[2]

#: A spoken conversation on PocketSphinx, events as JSON lines, replies not played.
VOICE_ARGS = ("--json", "--engine", "pocketsphinx", "--no-speech-output")

#: ALSA configuration whose default capture device reads raw 16 kHz audio from ``infile``.
ASOUNDRC = """\
pcm.!default {{
  type asym
  playback.pcm "null"
  capture.pcm "filecap"
}}
pcm.filecap {{
  type file
  slave.pcm "null"
  file "/dev/null"
  infile "{infile}"
  format "raw"
}}
"""

#: ALSA configuration with both directions faked: capture reads raw 16 kHz audio from ``infile``,
#: playback appends raw 22.05 kHz audio to ``played`` (through a pipe: the ``file`` plugin would
#: truncate a plain file at every open, and aplay opens the device once per sentence).
DUPLEX_ASOUNDRC = """\
pcm.!default {{
  type asym
  playback.pcm "fileplay"
  capture.pcm "filecap"
}}
pcm.fileplay {{
  type file
  slave.pcm "null"
  file "|cat >>{played}"
  format "raw"
}}
pcm.filecap {{
  type file
  slave.pcm "null"
  file "/dev/null"
  infile "{infile}"
  format "raw"
}}
"""

#: Bytes per second the fake playback device receives (espeak's 22.05 kHz mono 16-bit).
PLAYED_BYTES_PER_SECOND = 22050 * 2

#: Python source for a subprocess: ``start_feeding(fifo, capture)`` makes the FIFO (the fake
#: microphone's ``infile``) deliver the raw ``capture`` file, then silence for as long as the
#: process lives. The FIFO is held open read-write, so every new input stream finds a writer and
#: what one stream did not read stays for the next (see test_microphone_conversation.py).
FIFO_FEEDER = """
import os, threading

def _feed(fifo, capture):
    fd = os.open(fifo, os.O_RDWR)
    with open(capture, "rb") as f:
        data = memoryview(f.read())
    while data:
        data = data[os.write(fd, data) :]  # a write to a pipe may be partial
    silence = bytes(3200)
    while True:
        os.write(fd, silence)

def start_feeding(fifo, capture):
    threading.Thread(target=_feed, args=(fifo, capture), daemon=True).start()
"""

RATE = 16_000


def spoken(synth: Synth, lines: Sequence[Line]) -> list[Path]:
    return [synth(text, voice, speed) for text, voice, speed in lines]


def fake_home(tmp_path: Path, infile: Path) -> Path:
    """A new HOME whose ``.asoundrc`` makes ``infile`` the default (and only) microphone."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(ASOUNDRC.format(infile=infile))
    return home


def duplex_home(tmp_path: Path, infile: Path, played: Path) -> Path:
    """A new HOME whose ``.asoundrc`` is :data:`DUPLEX_ASOUNDRC`; ``played`` is created empty."""
    home = tmp_path / "home"
    home.mkdir()
    played.touch()
    (home / ".asoundrc").write_text(DUPLEX_ASOUNDRC.format(infile=infile, played=played))
    return home


def capture_pcm(wavs: Sequence[Path], *, lead_s: float = 0.3, gap_s: float = 1.5) -> bytes:
    """One continuous raw recording (16 kHz mono s16le) of the WAV files, each followed by silence."""
    pieces = [np.zeros(round(lead_s * RATE), np.int16)]
    for wav in wavs:
        pieces += [mono_int16(read_wav(wav)), np.zeros(round(gap_s * RATE), np.int16)]
    return np.concatenate(pieces).astype("<i2").tobytes()


def clean_env(home: Path) -> dict[str, str]:
    """A clean environment: no user intents, no user or configured Vosk model."""
    env = {k: v for k, v in os.environ.items() if k not in ("VOSK_MODEL_PATH", "XDG_CONFIG_HOME")}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT), XDG_DATA_HOME=str(home / "data"))
    return env


def run_python(
    argv: Sequence[str], home: Path, *, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python *argv`` in the repository, with ``clean_env(home)``; never raises on failure."""
    return subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=clean_env(home),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def json_events(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def converse(
    knowledge: Knowledge, recognizer: Recognizer, wavs: Sequence[Path], **settings: Any
) -> tuple[list[Event], str]:
    """One conversation in-process through ``run_turns``; returns the events and the printed heard lines."""
    recorded = EventLog()
    session = Session(Dialog(knowledge, Settings(**settings)), [recorded])
    shown = io.StringIO()
    run_turns(
        session, recognizer, wav_turns(list(wavs)), EndpointConfig(), Heard(shown, show=True, partials=False)
    )
    return recorded.events, shown.getvalue()
