"""Pronunciations for words CMUdict lacks, from espeak-ng's letter-to-sound rules."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from assistant.voice.pronounce import Guessing, accent_variants, guess, new_pronunciations, to_arpabet


def test_espeak_phonemes_map_to_arpabet() -> None:
    assert to_arpabet("s t '3: n @ m") == "S T ER N AH M"
    assert to_arpabet("w 'i: z i") == "W IY Z IY"
    # "o@ r" is one R, not two.
    assert to_arpabet("d I2 s 'o@ r i@ n t ,eI t# I# d") == "D IH S AO R IY AH N T EY T IH D"


def test_an_unknown_phoneme_gives_no_pronunciation() -> None:
    assert to_arpabet("s t '3: Q@@ m") is None


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_missing_words_are_spelled_by_espeak_in_one_call() -> None:
    found = guess(["sternum", "varicose", "wheezy", "haemoptysis", "123", "two words"])
    assert found["sternum"] == "S T ER N AH M"
    assert found["varicose"].startswith("V AE R")
    assert set(found) == {"sternum", "varicose", "wheezy", "haemoptysis"}


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_word_sounding_like_a_known_one_is_left_out() -> None:
    known = {"ambulance": ["AE M B Y AH L AH N S"], "shin": ["SH IH N"]}
    found = new_pronunciations(["ambulence", "shins", "sternum"], known)
    assert set(found) == {"sternum"}


def test_without_espeak_nothing_is_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert guess(["sternum"]) == {}


def test_a_non_rhotic_accent_says_no_r_after_a_vowel_but_keeps_one_before_a_vowel() -> None:
    assert to_arpabet("h 'A@ t") == "HH AA R T"
    assert to_arpabet("h 'A@ t", rhotic=False) == "HH AA T"
    # "story": the R before a vowel is said in every accent.
    assert to_arpabet("s t 'o@ r i", rhotic=False) == "S T AO R IY"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_british_pronunciations_are_added_unless_they_are_another_words() -> None:
    """A British "warm" and "short" have no R; a British "calf" (K AA F) is an American
    "cough", and a British "heart" an American "hot": those are left out, the recognizer could not
    tell them apart."""
    known = {
        "warm": ["W AO R M"],
        "short": ["SH AO R T"],
        "calf": ["K AE F"],
        "cough": ["K AA F"],
        "heart": ["HH AA R T"],
        "hot": ["HH AA T"],
        "leg": ["L EH G"],
        "ya": ["Y AA"],
        "a": ["AH"],
    }
    # A British "ya" (Y AH) is one phone from "a" (AH): too short to tell apart, left out.
    added = accent_variants(guess(["warm", "short", "calf", "heart", "leg", "ya"], "en-gb"), known)
    assert added == {"warm": ["W AO M"], "short": ["SH AO T"]}
    assert known["warm"] == ["W AO R M"], "the known pronunciations are left as they are"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_words_are_spelled_while_the_caller_goes_on() -> None:
    """Started at once, read later: the same pronunciations as asked for and waited on."""
    started = Guessing(["sternum", "wheezy"], "en-gb")
    assert started.result() == guess(["sternum", "wheezy"], "en-gb")
    assert started.result() == {}, "read once"


def test_a_failing_espeak_gives_no_pronunciation_and_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: "/bin/false")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert Guessing(["sternum"], "en-gb").result() == {}
    assert list(tmp_path.iterdir()) == []
