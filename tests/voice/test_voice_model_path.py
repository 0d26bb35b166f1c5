"""Finding the Vosk model folder, and clear errors for missing or broken ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.speechmodels.locate import (
    DOWNLOAD_COMMAND,
    ENV_VAR,
    ModelError,
    check_model_folder,
    resolve_model_path,
)


def fake_model(folder: Path) -> Path:
    """A folder with the layout of a Vosk model (contents not loadable)."""
    for name in ("am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"not a real model\n")
    return folder


def assert_helpful(error: ModelError, folder: Path) -> None:
    message = str(error)
    assert str(folder) in message
    assert DOWNLOAD_COMMAND in message
    assert "--text" in message


def test_explicit_path_wins(tmp_path: Path) -> None:
    explicit = fake_model(tmp_path / "mine")
    env_model = fake_model(tmp_path / "env")
    found = resolve_model_path(explicit, environ={ENV_VAR: str(env_model)}, search_dirs=[])
    assert found == explicit


def test_environment_variable_next(tmp_path: Path) -> None:
    env_model = fake_model(tmp_path / "env")
    models = tmp_path / "models"
    fake_model(models / "vosk-model-small-en-us-0.15")
    found = resolve_model_path(None, environ={ENV_VAR: str(env_model)}, search_dirs=[models])
    assert found == env_model


def test_first_vosk_model_folder_in_the_first_directory_that_has_one(tmp_path: Path) -> None:
    project, user = tmp_path / "project", tmp_path / "user"
    project.mkdir()
    (project / "README").write_text("not a model")
    fake_model(user / "vosk-model-small-en-us-0.15")
    fake_model(user / "vosk-model-en-us-0.22")
    fake_model(user / "other-model")
    assert resolve_model_path(None, environ={}, search_dirs=[project, user]) == (
        user / "vosk-model-en-us-0.22"
    )
    fake_model(project / "vosk-model-small-ko-0.22")
    assert resolve_model_path(None, environ={}, search_dirs=[project, user]) == (
        project / "vosk-model-small-ko-0.22"
    )


def test_none_when_nothing_is_configured_or_found(tmp_path: Path) -> None:
    assert resolve_model_path(None, environ={}, search_dirs=[tmp_path / "x", tmp_path]) is None


def test_missing_explicit_folder(tmp_path: Path) -> None:
    folder = tmp_path / "vosk-model-gone"
    with pytest.raises(ModelError, match="does not exist") as caught:
        resolve_model_path(folder, environ={}, search_dirs=[])
    assert_helpful(caught.value, folder)


def test_missing_environment_folder(tmp_path: Path) -> None:
    folder = tmp_path / "nowhere"
    with pytest.raises(ModelError) as caught:
        resolve_model_path(None, environ={ENV_VAR: str(folder)}, search_dirs=[])
    assert_helpful(caught.value, folder)


def test_incomplete_folder_names_what_is_missing(tmp_path: Path) -> None:
    folder = fake_model(tmp_path / "vosk-model-broken")
    (folder / "am" / "final.mdl").unlink()
    shutil.rmtree(folder / "graph")
    with pytest.raises(ModelError) as caught:
        check_model_folder(folder)
    assert "am/final.mdl" in str(caught.value)
    assert "graph/HCLG.fst" in str(caught.value)
    assert_helpful(caught.value, folder)


def test_a_file_is_not_a_model_folder(tmp_path: Path) -> None:
    file = tmp_path / "vosk-model.zip"
    file.write_bytes(b"PK")
    with pytest.raises(ModelError, match="not a folder"):
        check_model_folder(file)


def test_corrupt_model_that_vosk_cannot_load(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("vosk", reason="vosk is not installed")
    from assistant.voice.vosk_engine import VoskModel, VoskRecognizer

    folder = fake_model(tmp_path / "vosk-model-corrupt")
    with pytest.raises(ModelError, match="could not load") as caught:
        VoskModel(folder)
    assert_helpful(caught.value, folder)
    with pytest.raises(ModelError):
        VoskRecognizer(folder)
    # Kaldi's own error lines are kept off the terminal (they go to the debug log).
    assert "VoskAPI" not in capfd.readouterr().err


def test_vosk_model_checks_the_folder_first(tmp_path: Path) -> None:
    pytest.importorskip("vosk", reason="vosk is not installed")
    from assistant.voice.vosk_engine import VoskModel

    with pytest.raises(ModelError, match="does not exist"):
        VoskModel(tmp_path / "vosk-model-missing")
