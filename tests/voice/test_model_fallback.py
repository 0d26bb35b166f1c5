"""A Vosk model folder that is only found (not named) and cannot be used, empty or damaged, is
passed over for the built-in recognizer with one warning; one named on purpose stops with the
reason (issue: plain `assistant` gave a traceback on a model whose ivector/ was removed)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant.content.knowledge import Knowledge
from assistant.speechmodels import locate
from assistant.voice.options import VoiceOptions
from assistant.voice.run import VoiceError, make_recognizer

pytestmark = pytest.mark.voice


def damaged_copy(ko_model_dir: Path, into: Path) -> Path:
    """The Korean model without its ivector/ folder, made of links to the real files."""
    folder = into / "vosk-model-damaged"
    for source in ko_model_dir.rglob("*"):
        if source.is_file() and "ivector" not in source.relative_to(ko_model_dir).parts:
            target = folder / source.relative_to(ko_model_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
    return folder


@pytest.fixture
def found_in(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(locate, "default_search_dirs", lambda: (tmp_path,))
    monkeypatch.delenv(locate.ENV_VAR, raising=False)
    return tmp_path


def test_an_empty_model_folder_found_falls_back(shipped_knowledge: Knowledge, found_in: Path) -> None:
    (found_in / "vosk-model-small-en-us").mkdir()
    notice = io.StringIO()
    recognizer = make_recognizer(VoiceOptions(), shipped_knowledge, notice)
    assert recognizer.name == "pocketsphinx"
    assert notice.getvalue().count("\n") == 1  # one warning, saying what is wrong and what to do
    assert "cannot be used" in notice.getvalue() and "assistant models download" in notice.getvalue()


def test_a_damaged_model_found_falls_back(
    shipped_knowledge: Knowledge, found_in: Path, ko_model_dir: Path
) -> None:
    damaged_copy(ko_model_dir, found_in)
    notice = io.StringIO()
    recognizer = make_recognizer(VoiceOptions(), shipped_knowledge, notice)
    assert recognizer.name == "pocketsphinx"
    assert "vosk-model-damaged" in notice.getvalue()


def test_a_damaged_model_named_on_purpose_stops_with_the_reason(
    shipped_knowledge: Knowledge, found_in: Path, ko_model_dir: Path
) -> None:
    folder = damaged_copy(ko_model_dir, found_in)
    with pytest.raises(VoiceError, match=r"damaged|cannot make a recognizer|no usable"):
        make_recognizer(VoiceOptions(model=folder), shipped_knowledge, io.StringIO())
