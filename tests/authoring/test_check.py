"""``assistant check``: every problem at once, at its line, with exit codes 0 / 1 / 2."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import pytest

from assistant.authoring.check import check_command, run_check
from assistant.authoring.workspace import SHIPPED_SYSTEM, load_workspace
from assistant.content.knowledge import SHIPPED_INTENTS, check_files

HERE = Path(__file__).parent
FLAWED = HERE / "data" / "flawed"
TOY = HERE.parent / "data" / "intents"
CONVERSATIONS = HERE / "data" / "conversations"


def check(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = check_command(list(argv), out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def flawed() -> str:
    code, text = check(str(FLAWED))
    assert code == 1
    return text


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("needle", "pattern"),
    [
        ('ask_if: "spreading is yes and spreading is no"', r"question 'blisters' can never be asked"),
        ('when: "risk >= 1"', r"this soon rule can never apply"),
        (
            'when: "spreading is yes and fever is yes"',
            r"this soon rule is never chosen: whenever it holds, the urgent rule at line \d+",
        ),
        ("  - id: shingles", r"cause 'shingles' can never be named"),
        ("  - help", r"the phrase 'help' is the command 'help'"),
        ("arms: [arms, arm, hands]", r"'arm' is a word of choices 'arms' and 'legs'"),
        ("back: [back, my back]", r"saying 'back' is the command 'go_back'"),
        ('"yes": [hot, burning up]', r"'hot' is listed under 'no' and 'yes'; keep it under one"),
        ('"no": [hot, stop]', r"saying 'stop' is the command 'stop'"),
        (
            "  - i have an itchy rash",
            r"the phrase 'i have an itchy rash' matches intent 'rash_twin' "
            r"\(score 100, its phrase 'i have an itchy rash' at "
            r".*rash_twin\.yaml:5\)",
        ),
    ],
)
def test_each_flaw_is_reported_at_its_line(flawed: str, needle: str, pattern: str) -> None:
    line = line_of(FLAWED / "itchy_rash.yaml", needle)
    assert re.search(rf"itchy_rash\.yaml:{line}:\d+: {pattern}", flawed), flawed


def test_score_points_and_evidence_that_never_apply(flawed: str) -> None:
    assert "these points of score 'risk' can never be added" in flawed
    assert "this evidence never applies: no answers make 'blisters is yes' true" in flawed


def test_warnings_are_marked_and_do_not_fail_alone(tmp_path: Path) -> None:
    code, text = check(str(TOY))
    assert code == 0, text
    assert "toe_pain.yaml:6:1: warning: only 4 phrases" in text
    assert "warning: intent 'toe_pain' has no conversation test" in text
    assert re.search(r"0 errors, \d+ warnings", text)
    code, _ = check("--strict", str(TOY))
    assert code == 1


def test_a_conversation_test_file_covers_its_intent() -> None:
    _, text = check(str(TOY), str(CONVERSATIONS))
    assert "has no conversation test" not in text


def test_json_output_lists_every_problem(flawed: str) -> None:
    code, text = check("--json", str(FLAWED))
    data = json.loads(text)
    assert code == 1
    lines = flawed.splitlines()[:-1]
    assert data["errors"] == len([x for x in lines if ": warning: " not in x])
    assert data["warnings"] == len([x for x in lines if ": warning: " in x])
    assert [f"{p['path']}:{p['line']}:{p['column']}: " for p in data["problems"]] == [
        x[: x.index(": ") + 2] for x in lines
    ]
    first = data["problems"][0]
    assert set(first) == {"path", "line", "column", "severity", "message"}
    assert {p["severity"] for p in data["problems"]} == {"error", "warning"}


@pytest.mark.parametrize("argv", [["--no-such-option"], ["/no/such/folder"], ["--json", "missing.yaml"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    code, text = check(*argv)
    assert code == 2
    assert text.startswith("assistant check: ")
    assert "usage: assistant check" in text


def test_loader_problems_come_with_the_lint_of_the_files_that_load(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("intent: broken\ntitle: yes\nphrses: [a]\n")
    (tmp_path / "itchy_rash.yaml").write_text((FLAWED / "itchy_rash.yaml").read_text())
    code, text = check(str(tmp_path))
    assert code == 1
    assert "broken.yaml:2:8: YAML reads the unquoted word yes as true/false" in text
    assert "broken.yaml:3:1: unknown key 'phrses' in the intent; did you mean 'phrases'?" in text
    assert "question 'blisters' can never be asked" in text


def test_the_workspace_finds_what_the_assistant_finds(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("intent: Broken\ntitle: [x]\n")
    for paths in ([SHIPPED_INTENTS], [SHIPPED_SYSTEM, TOY], [SHIPPED_SYSTEM, tmp_path], [TOY]):
        _, expected = check_files(paths)
        assert sorted(load_workspace(paths).problems) == sorted(expected)


def test_the_shipped_intents_have_no_errors_and_check_in_milliseconds() -> None:
    run_check()  # warm up imports and caches
    start = time.perf_counter()
    report = run_check()
    elapsed = time.perf_counter() - start
    assert [str(p) for p in report.errors] == []
    assert elapsed < 1.0, f"checking the shipped intents took {elapsed:.3f} s"


def test_never_a_traceback_on_garbage(tmp_path: Path) -> None:
    (tmp_path / "bytes.yaml").write_bytes(b"\xff\xfe\x00intent: x")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    (tmp_path / "tabs.yaml").write_text("intent: x\n\tphrases: [a]\n")
    (tmp_path / "tests.yaml").write_text("tests: 3\n")
    code, text = check(str(tmp_path))
    assert code == 1
    assert "bytes.yaml:1: the file is not UTF-8 text" in text
    assert "list.yaml:1:1: the intent should be a mapping" in text
    assert "tests.yaml:1:8: tests should be a list" in text
    assert "Traceback" not in text
