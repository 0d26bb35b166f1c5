"""The understanding word lists and emergency concepts live in the system file: checked, and used."""

from __future__ import annotations

from pathlib import Path

from assistant.content.knowledge import check_files
from assistant.understanding.understand import Expecting
from tests.support import SYSTEM_FILE, TOY_INTENTS


def system_with(tmp_path: Path, old: str, new: str) -> Path:
    text = SYSTEM_FILE.read_text()
    assert old in text, old
    path = tmp_path / "system.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_an_unknown_word_list_in_a_pattern_is_reported_at_its_line(tmp_path: Path) -> None:
    path = system_with(tmp_path, '- "{unable} + {breath}"', '- "{unable} + {breth}"')
    knowledge, problems = check_files([path, TOY_INTENTS])
    assert knowledge is None
    (problem,) = [p for p in problems if "breth" in str(p)]
    assert f"system.yaml:{line_of(path, '{breth}')}:" in str(problem)
    assert "did you mean 'breath'" in str(problem)


def test_an_unknown_source_is_reported(tmp_path: Path) -> None:
    path = system_with(tmp_path, "sources: [nhs_999, nhs_pe]", "sources: [nhs_999, nhs_pee]")
    _, problems = check_files([path, TOY_INTENTS])
    assert any("unknown source 'nhs_pee'" in str(p) for p in problems)


def test_a_bad_ordinal_is_reported(tmp_path: Path) -> None:
    path = system_with(tmp_path, "first: 1,", "first: zero,")
    _, problems = check_files([path, TOY_INTENTS])
    assert any("position of 'first'" in str(p) for p in problems)


def test_rewording_needs_no_code(tmp_path: Path) -> None:
    """A new answer word, a new negation and a new emergency word, by YAML alone."""
    path = system_with(tmp_path, '    - "yeah"\n', '    - "yeah"\n    - "righto"\n')
    path.write_text(
        path.read_text()
        .replace("negations: [not,", "negations: [nae, not,")
        .replace("breath: [breath,", "breath: [puff, breath,")
    )
    knowledge, problems = check_files([path, TOY_INTENTS])
    assert knowledge is not None, problems
    understand = knowledge.understander.understand
    assert understand("righto", Expecting("yes_no")).answer == "yes"
    assert understand("I cannot get my puff").meaning == "emergency"
    assert understand("nae chest pain", Expecting("yes_no")).meaning != "emergency"
