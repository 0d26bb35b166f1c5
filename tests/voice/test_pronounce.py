"""Pronunciations for words CMUdict lacks, from espeak-ng's letter-to-sound rules."""

from __future__ import annotations

import shutil

import pytest

from assistant.voice.pronounce import guess, new_pronunciations, to_arpabet


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
