"""Prompts a listener can hold (issue 14): `assistant check` warns on a sentence estimated to take
longer to say than its budget, at its line."""

from __future__ import annotations

from pathlib import Path

from assistant.authoring.check import run_check
from assistant.authoring.prompt_budget import BUDGET, estimate_seconds, over_budget
from assistant.content.knowledge import Knowledge
from tests.support import SYSTEM_FILE, TOY_INTENTS

LONG = (
    "Since this started, have you noticed any swelling, redness, warmth, pain when walking, pain at "
    "night, numbness, tingling, weakness, a rash, a wound, a bite, or anything else at all that worries you?"
)


def test_the_estimate_grows_with_the_words_and_says_codes_digit_by_digit() -> None:
    assert estimate_seconds("Is it sore?") < estimate_seconds("Is it sore when you press along the calf?")
    assert estimate_seconds("Call 911 now.") > estimate_seconds("Call now.") + 0.5


def test_the_shipped_content_is_within_budget(shipped_knowledge: Knowledge) -> None:
    assert over_budget(shipped_knowledge.system, shipped_knowledge.intents) == []


def test_a_long_question_gets_a_warning_at_its_line(tmp_path: Path) -> None:
    toy = (TOY_INTENTS / "toe_pain.yaml").read_text(encoding="utf-8")
    path = tmp_path / "toe_pain.yaml"
    path.write_text(toy.replace("ask: Do you have a fever or feel very unwell?", f"ask: {LONG}"))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "any swelling" in text)
    report = run_check([SYSTEM_FILE, path])
    warnings = [str(p) for p in report.warnings if "budget" in str(p)]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path}:{line}:")
    assert f"over its {BUDGET['question']:.0f} s budget" in warnings[0]


def test_sources_off_the_trusted_publishers_or_not_https_are_warned(tmp_path: Path) -> None:
    toy = (TOY_INTENTS / "toe_pain.yaml").read_text(encoding="utf-8")
    path = tmp_path / "toe_pain.yaml"
    path.write_text(
        toy.replace(
            "url: https://www.nice.org.uk/guidance/ng219",
            "url: https://www.nice.org.uk/guidance/ng219\n  copy:\n    title: A copy\n"
            "    url: https://pharmacy.example.com/nhs-copy\n  old:\n    title: Old\n    url: http://www.nhs.uk/old",
        )
    )
    warnings = [str(p) for p in run_check([SYSTEM_FILE, path]).warnings if "source" in str(p)]
    assert any("'copy' is on pharmacy.example.com, not a trusted publisher" in w for w in warnings), warnings
    assert any("'old' is not https" in w for w in warnings), warnings
    assert all(w.startswith(f"{path}:") for w in warnings)
