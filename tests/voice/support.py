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

from assistant.dialog import Dialog
from assistant.events import Event
from assistant.knowledge import Knowledge
from assistant.session import Session
from assistant.settings import Settings
from assistant.voice.endpoint import EndpointConfig
from assistant.voice.recognizer import Recognizer
from assistant.voice.run import Heard, run_turns, wav_turns
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


def spoken(synth: Synth, lines: Sequence[Line]) -> list[Path]:
    return [synth(text, voice, speed) for text, voice, speed in lines]


def fake_home(tmp_path: Path, infile: Path) -> Path:
    """A new HOME whose ``.asoundrc`` makes ``infile`` the default (and only) microphone."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(ASOUNDRC.format(infile=infile))
    return home


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
    session = Session(Dialog(knowledge, Settings(**settings)), [])
    shown = io.StringIO()
    run_turns(
        session, recognizer, wav_turns(list(wavs)), EndpointConfig(), Heard(shown, show=True, partials=False)
    )
    return session.events, shown.getvalue()
