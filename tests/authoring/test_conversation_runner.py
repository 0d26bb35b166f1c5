"""``assistant test``: readable failures, problems in test files, exit codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant.authoring.casefile import load_case_file
from assistant.authoring.conversation_tests import test_command as run_tests

TOY = Path(__file__).parent.parent / "data" / "intents"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return run_tests(list(argv), out), out.getvalue()


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "toe.yaml"
    path.write_text(f"intents: [{TOY}]\ntests:\n{body}")
    return path


def run_file(tmp_path: Path, body: str, *flags: str) -> tuple[int, str]:
    """``assistant test [flags] toe.yaml`` on a test file of the toy intent with these cases."""
    return run(*flags, str(write(tmp_path, body)))


def test_a_failure_shows_expected_got_and_the_conversation(tmp_path: Path) -> None:
    code, text = run_file(
        tmp_path,
        """
  - name: wrong level
    turns:
      - say: my big toe hurts
        expect: {intent: toe_pain}
      - say: no
      - say: today
      - say: yes
      - say: "50"
        expect: {triage: soon, says: [at home], causes: [sprain, gout], top_causes: [sprain]}
""",
    )
    assert code == 1
    assert "FAIL toe: wrong level" in text
    assert "at turn 5 (" in text and "the person says '50':" in text
    assert "triage: expected 'soon', got 'urgent'" in text
    assert "says: expected the reply to contain 'at home'" in text
    assert "top_causes: expected ['sprain'], got ['gout']" in text
    assert "person:    my big toe hurts" in text
    assert "[understood age = 50]" in text
    assert "[result: urgent; causes: gout, sprain]" in text
    assert text.strip().endswith("0 passed, 1 failed (1 file)")


def test_passing_cases_are_listed_with_verbose(tmp_path: Path) -> None:
    result = run_file(
        tmp_path,
        """
  - name: emergency
    turns:
      - say: my toe is sore
      - say: yes
        expect: {triage: emergency, end: completed, events: [answer, result, end]}
""",
        "-v",
    )
    assert result == (0, "ok   toe: emergency\n1 passed, 0 failed (1 file)\n")


def test_problems_in_a_test_file_are_reported_at_their_line(tmp_path: Path) -> None:
    code, text = run_file(
        tmp_path,
        """
  - name: typo
    turns:
      - say: my toe is sore
        expect: {intnt: toe_pain, triage: urgnt}
      - silence: false
""",
    )
    assert code == 1
    assert "toe.yaml:7:18: unknown key 'intnt' in expect; did you mean 'intent'?" in text
    assert (
        "toe.yaml:7:43: triage 'urgnt' is not one of emergency, urgent, soon, self_care; "
        "did you mean 'urgent'?" in text
    )
    assert "toe.yaml:8:18: write 'silence: true'" in text


def test_unknown_ids_are_reported_before_running(tmp_path: Path) -> None:
    code, text = run_file(
        tmp_path,
        """
  - name: typo in a cause
    turns:
      - say: my toe is sore
        expect: {intent: toe_pian, causes: [gut]}
""",
    )
    assert code == 1
    assert "intent: 'toe_pian' is not known to the loaded intents; did you mean 'toe_pain'?" in text
    assert "causes: 'gut' is not known to the loaded intents; did you mean 'gout'?" in text


def test_unquoted_yes_and_no_mean_the_words(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
  - name: words
    turns:
      - say: my toe is sore
      - say: no
        expect: {answer: no}
""",
    )
    cf = load_case_file(path)
    assert cf.problems == []
    assert cf.cases[0].turns[1].say == "no"
    assert cf.cases[0].turns[1].expect.answer == "no"


@pytest.mark.parametrize("argv", [["--nope"], ["/no/such/file.yaml"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    code, text = run(*argv)
    assert code == 2
    assert "usage: assistant test" in text


def test_the_shipped_tests_pass_via_the_cli() -> None:
    code, text = run()
    assert code == 0, text
    assert " passed, 0 failed" in text
