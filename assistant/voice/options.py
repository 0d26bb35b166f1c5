"""What voice mode is asked to do, as a typed value the command line builds (no argparse inside)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Engine = Literal["auto", "vosk", "pocketsphinx"]

#: The default wake phrase, chosen by measurement (bench/always_on_bench.py, espeak-ng speech, 8
#: voices): "okay assistant" was spotted 13 of 16 times with no false wake in 28 minutes of other
#: speech; "hey assistant" 11 of 16, "hello helper" 3 of 16.
DEFAULT_WAKE_PHRASE = "okay assistant"
#: How alike (0-100) the words heard must be to the wake phrase. 90 let through no false wake in
#: the measurement above; 80 let through 7 ("go assistant").
DEFAULT_WAKE_THRESHOLD = 90.0


@dataclass(frozen=True)
class VoiceOptions:
    #: ``auto``: Vosk when a model is configured or installed, else the built-in English recognizer.
    engine: Engine = "auto"
    #: A Vosk model folder given on the command line (else $VOSK_MODEL_PATH, else models/).
    model: Path | None = None
    #: Take each turn from these WAV files instead of the microphone.
    wav: tuple[Path, ...] = ()
    #: Microphone: index or part of its name.
    input_device: str | None = None
    #: Speak the replies (they are always printed first).
    speech_output: bool = True
    #: Also write every reply as a WAV file here.
    save_audio: Path | None = None
    #: Speaking rate in words per minute, and the synthesizer voice; None: the synthesizer's default.
    rate: int | None = None
    voice: str | None = None
    #: Silence (seconds) before a reprompt.
    listen_timeout: float = 8.0
    #: Always-on mode: wait for the wake phrase (or Enter), talk, wait again.
    always_on: bool = False
    wake_phrase: str = DEFAULT_WAKE_PHRASE
    #: How alike (1-100) the words heard must be to the wake phrase.
    wake_threshold: float = DEFAULT_WAKE_THRESHOLD
    #: Events are JSON lines (and typed input, if voice falls back to typing, is read as JSON lines).
    json: bool = False
