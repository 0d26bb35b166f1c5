"""What the voice tests and the voice benchmarks both use: phrases, conversations, espeak-ng.

Standard library only, so that importing it does not change what bench/voice_bench.py and
bench/voice_e2e_bench.py measure (``tests.voice.speech``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

KO_INTENTS = Path(__file__).parent / "data" / "ko_intents"

#: ``synth(text, voice="en-us", speed=140) -> Path`` (the ``synth`` fixture of conftest.py).
Synth = Callable[..., Path]
#: A user line: (text, espeak-ng voice, words per minute).
Line = tuple[str, str, int]

#: Recognition accuracy phrases (tests/voice/test_voice_sphinx.py, bench/voice_bench.py).
ANSWERS = ["yes", "no", "not sure", "repeat", "stop"]
STATEMENTS = [
    "my lower leg feels warm",
    "my calf is hot",
    "i have chest pain",
    "my leg is swollen",
    "it hurts when i walk",
    "i had surgery last month",
]

#: English: the leg warmth opening, then answers to the red flags, injury and worsening.
ENGLISH_CONVERSATION: list[Line] = [
    ("my calf feels hot", "en-us", 140),
    ("no", "en-us+m3", 150),  # rf_lungs
    ("not really", "en-us", 130),  # rf_limb
    ("no", "en-us", 160),  # rf_infection
    ("yeah", "en-us+m3", 140),  # injury
    ("I don't know", "en-us", 150),  # worsening
]
#: Korean, for the test intent in tests/voice/data/ko_intents: "lower back", then numb (red
#: flag): "I don't know", then "no"; injury: "yes" (another word for it).
KOREAN_CONVERSATION: list[Line] = [
    ("허리", "ko", 140),
    ("몰라요", "ko", 140),
    ("아니요", "ko+m3", 130),
    ("예", "ko", 160),
]


def espeak(path: Path, text: str, voice: str = "en-us", speed: int = 140) -> Path:
    """Write ``text`` spoken by espeak-ng (22050 Hz mono WAV) to ``path``."""
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    return path
