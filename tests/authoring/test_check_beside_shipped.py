"""`assistant check my-intents` checks the new intents against the shipped ones they will be loaded
beside; `assistant test my-intents/tests` says how to load the intents it tests."""

from __future__ import annotations

from pathlib import Path

from assistant.authoring.check import run_check
from tests.support import TOY_INTENTS


def folder_with(tmp_path: Path, extra_phrase: str) -> Path:
    folder = tmp_path / "my-intents"
    folder.mkdir()
    text = (TOY_INTENTS / "toe_pain.yaml").read_text(encoding="utf-8")
    assert "phrases:\n" in text
    (folder / "toe_pain.yaml").write_text(text.replace("phrases:\n", f"phrases:\n  - {extra_phrase}\n", 1))
    return folder


def test_a_phrase_the_shipped_leg_intent_takes_is_an_error(tmp_path: Path) -> None:
    report = run_check([folder_with(tmp_path, "my calf feels hot")])
    found = [str(p) for p in report.errors if "leg_warmth" in p.message]
    assert found and "toe_pain.yaml:" in found[0] and "'my calf feels hot'" in found[0]


def test_a_folder_without_collisions_has_none(tmp_path: Path) -> None:
    report = run_check([folder_with(tmp_path, "my big toe throbs at night")])
    assert not [p for p in report.problems if "leg_warmth" in p.message and p.severity == "error"]


def test_checking_the_shipped_folder_is_unchanged() -> None:
    from assistant.content.knowledge import SHIPPED_INTENTS

    report = run_check([SHIPPED_INTENTS])
    assert report.errors == []


def test_a_test_file_for_intents_not_loaded_says_how_to_load_them(tmp_path: Path) -> None:
    import io

    from assistant.authoring.conversation_tests import test_command

    folder = folder_with(tmp_path, "my big toe throbs at night")
    tests = folder / "tests"
    tests.mkdir()
    (tests / "toe_pain.yaml").write_text(
        "tests:\n"
        + "".join(
            f"  - name: case {n}\n    turns:\n      - say: my big toe is sore\n"
            "        expect: {intent: toe_pain}\n"
            for n in range(3)
        )
    )
    out = io.StringIO()
    test_command([str(tests)], out)
    lines = [line for line in out.getvalue().splitlines() if "is not known" in line]
    assert lines
    assert len(lines) == 3
    assert sum("--intents" in line for line in lines) == 1  # the hint once, not on every line
    assert f"--intents {folder}" in out.getvalue()
