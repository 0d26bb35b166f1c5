"""Bad intent files are refused with the file, the line and the fix: never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.base.errors import IntentError
from assistant.content.knowledge import check_files, load_knowledge
from tests.support import SYSTEM_FILE, TOY_INTENTS

TOY = (TOY_INTENTS / "toe_pain.yaml").read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str, name: str = "toe_pain.yaml") -> Path:
    assert old in TOY, old
    path = tmp_path / name
    path.write_text(TOY.replace(old, new, 1), encoding="utf-8")
    return path


def problems_for(path: Path) -> list[str]:
    knowledge, problems = check_files([SYSTEM_FILE, path])
    assert knowledge is None
    return [str(p) for p in problems if p.severity == "error"]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_toy_intent_loads_clean() -> None:
    knowledge, problems = check_files([SYSTEM_FILE, TOY_INTENTS])
    assert knowledge is not None and problems == []


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = broken(tmp_path, "    ask: Is the toe swollen?", "    ask: Note: is the toe swollen?")
    (problem,) = problems_for(path)
    assert problem.startswith(f"{path}:{line_of(path, 'Note: is')}:")
    assert "YAML syntax error" in problem and "double quotes" in problem


def test_missing_field(tmp_path: Path) -> None:
    path = broken(tmp_path, "    ask: How old are you?\n", "")
    (problem,) = problems_for(path)
    assert f"{path}:{line_of(path, '- id: age')}:" in problem
    assert "missing the required key 'ask:'" in problem


def test_unknown_question_in_a_condition(tmp_path: Path) -> None:
    path = broken(
        tmp_path, 'when: "swollen is yes and started is today"', 'when: "swolen is yes and started is today"'
    )
    (problem,) = problems_for(path)
    line = line_of(path, "swolen")
    assert problem.startswith(f"{path}:{line}:")
    assert "unknown question or score 'swolen'; did you mean 'swollen'?" in problem


def test_unknown_answer_value(tmp_path: Path) -> None:
    path = broken(tmp_path, 'ask_if: "started in [today, week]"', 'ask_if: "started in [today, weak]"')
    (problem,) = problems_for(path)
    assert "'weak' is not an answer to 'started'" in problem and "did you mean 'week'" in problem


def test_duplicate_question_id(tmp_path: Path) -> None:
    path = broken(tmp_path, "  - id: age", "  - id: swollen")
    problems = problems_for(path)
    first = line_of(path, "  - id: swollen")
    assert any(f"the question id 'swollen' is used twice (first at line {first})" in p for p in problems)


def test_duplicate_intent_id_across_files(tmp_path: Path) -> None:
    (tmp_path / "copy.yaml").write_text(TOY, encoding="utf-8")
    _, problems = check_files([SYSTEM_FILE, TOY_INTENTS, tmp_path])
    assert any("'toe_pain' is already used by" in str(p) for p in problems)


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    path = broken(tmp_path, "    reprompt: Is the big toe swollen?", "    repromt: Is the big toe swollen?")
    (problem,) = problems_for(path)
    assert f":{line_of(path, 'repromt')}:5:" in problem and "did you mean 'reprompt'?" in problem


def test_unquoted_yes_is_caught(tmp_path: Path) -> None:
    path = broken(tmp_path, "today: [today, this morning", "today: [yes, this morning")
    (problem,) = problems_for(path)
    assert 'write "yes" in quotes' in problem


def test_python_tags_are_refused(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = broken(
        tmp_path,
        "description: Pain in the big toe.",
        f"description: !!python/object/apply:os.system ['touch {marker}']",
    )
    (problem,) = problems_for(path)
    assert "is not allowed" in problem and "nothing in them is ever run" in problem
    assert not marker.exists()


def test_red_flag_needs_an_emergency_rule(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        '  - level: emergency\n    when: "fever is yes"',
        '  - level: urgent\n    when: "fever is yes"',
    )
    problems = problems_for(path)
    assert any("red flag 'fever' answered yes would not give an emergency result" in p for p in problems)


def test_emergency_text_needs_the_number(tmp_path: Path) -> None:
    path = broken(tmp_path, "say: Call {emergency_number} now.", "say: Call someone now.")
    (problem,) = problems_for(path)
    assert "must tell the person to call {emergency_number}" in problem


def test_load_knowledge_raises_with_every_problem(tmp_path: Path) -> None:
    path = broken(tmp_path, "  - id: age", "  - id: swollen")
    path.write_text(path.read_text().replace("kind: choice", "kind: choise"), encoding="utf-8")
    with pytest.raises(IntentError) as info:
        load_knowledge([SYSTEM_FILE, path])
    message = str(info.value)
    lines = message.splitlines()
    assert lines[0] == f"{len(lines) - 1} problems in the intent files; fix them and start again:"
    assert "the question id 'swollen' is used twice" in message
    assert "did you mean 'choice'" in message


def test_cli_refuses_to_start_without_a_traceback(tmp_path: Path) -> None:
    """With --strict a broken file stops the start; by default a drop-in is skipped (see below)."""
    broken(tmp_path, 'when: "swollen is yes and started is today"', 'when: "swolen is yes"')
    skipped = subprocess.run(
        [sys.executable, "-m", "assistant", "--text", "--intents", str(tmp_path)],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert skipped.returncode == 0 and "What's bothering you today?" in skipped.stdout
    assert "skipped this drop-in file" in skipped.stderr and "swolen" in skipped.stderr
    assert "Traceback" not in skipped.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "--text", "--strict", "--intents", str(tmp_path)],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "toe_pain.yaml:" in proc.stderr and "swolen" in proc.stderr
    assert proc.stdout == ""


def test_an_unquoted_yes_key_under_answers_is_reported(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "  - id: swollen\n    kind: yes_no\n",
        "  - id: swollen\n    kind: yes_no\n    answers:\n      yes: [puffy]\n",
    )
    knowledge, problems = check_files([SYSTEM_FILE, path])
    assert knowledge is not None  # taken as meant...
    warnings = [str(p) for p in problems if p.severity == "warning" and "in quotes" in p.message]
    # ...but said, at the key's line, with what to write instead.
    assert warnings == [
        f'{path}:{line_of(path, "yes: [puffy]")}:7: warning: write the key in quotes, "yes": '
        'unquoted, YAML reads yes as true or false (it was taken as "yes")'
    ]
