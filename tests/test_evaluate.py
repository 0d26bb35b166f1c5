"""``assistant evaluate``: the shipped vignettes meet their targets, and the report adds up."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from assistant.base.paths import PROJECT_DIR, SHIPPED_INTENTS
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge, load_knowledge
from assistant.evaluation.command import evaluate, evaluate_command
from assistant.evaluation.report import Report, wilson
from assistant.evaluation.vignettes import VignetteError, load_vignettes

VIGNETTES = PROJECT_DIR / "evaluation" / "vignettes.yaml"
#: The second set: look-alikes, the whole lower limb, facts said in passing, walking pain.
SECOND = PROJECT_DIR / "evaluation" / "vignettes_second.yaml"
INTENT_ARGS = [
    "--intents",
    str(SHIPPED_INTENTS / "system.yaml"),
    "--intents",
    str(SHIPPED_INTENTS / "leg_warmth.yaml"),
]

#: The facts of a calf strain: no red flag, an injury, nothing else worrying.
STRAIN_FACTS = """      rf_lungs: "no"
      rf_limb: "no"
      rf_infection: "no"
      injury: yes
      worsening: no
      immobile: no
      previous_clot: no
      cancer: no
"""

#: Three vignettes: an emergency caught, a strain at home care, and an "emergency" whose facts say
#: nothing alarming, so the dialog (rightly) does not give one: the report must count it as missed.
TINY = f"""vignettes:
  - id: caught
    says: my calf is hot and swollen
    facts:
      rf_lungs: yes
    expected: emergency
    acceptable: [emergency]
    causes: [pulmonary_embolism]
  - id: strain
    says: I pulled my calf and it feels warm
    facts:
{STRAIN_FACTS}    expected: self_care
    acceptable: [self_care, soon]
    causes: [muscle_strain, gout]
  - id: missed
    says: my calf is hot
    facts:
{STRAIN_FACTS}    expected: emergency
    acceptable: [emergency]
    causes: [muscle_strain]
"""


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge([SHIPPED_INTENTS / "system.yaml", SHIPPED_INTENTS / "leg_warmth.yaml"])


@pytest.fixture(scope="module")
def shipped(knowledge: Knowledge) -> Report:
    return evaluate(VIGNETTES, knowledge, Settings())


# -- the shipped vignettes meet the targets ---------------------------------------------------
def test_shipped_vignettes_cover_every_cause_and_enough_emergencies(knowledge: Knowledge) -> None:
    vignettes = load_vignettes(VIGNETTES, knowledge)
    assert len(vignettes) >= 36
    intent = knowledge.intent("leg_warmth")
    assert intent is not None
    covered = {c for v in [*vignettes, *load_vignettes(SECOND, knowledge)] for c in v.causes}
    assert {c.id for c in intent.causes} <= covered
    emergencies = sum(v.expected == "emergency" for v in vignettes)
    assert 0.2 <= emergencies / len(vignettes) <= 0.35
    for flag in (q.id for q in intent.questions if q.red_flag):
        said = [v.facts.get(flag, "") for v in vignettes if v.expected == "emergency"]
        assert any(s.startswith(("yes", "yeah", "I'm not sure")) for s in said), flag


def test_no_emergency_is_triaged_below_emergency(shipped: Report) -> None:
    assert shipped.missed_emergencies == []
    assert shipped.emergencies_caught.value == 1.0


def test_triage_within_acceptable_levels(shipped: Report) -> None:
    assert shipped.within.value >= 0.95, shipped.to_text()


def test_expected_cause_in_top_three(shipped: Report) -> None:
    assert shipped.top3.value >= 0.90, shipped.to_text()


def test_few_questions(shipped: Report) -> None:
    assert shipped.median_questions <= 8
    assert all(not o.error for o in shipped.outcomes), [o.error for o in shipped.outcomes if o.error]


# -- the arithmetic of the report -------------------------------------------------------------
def test_wilson_interval_matches_the_textbook() -> None:
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3)
    assert high == pytest.approx(0.9433, abs=1e-3)
    assert wilson(0, 0) == (0.0, 0.0)
    low, high = wilson(10, 10)
    assert high == pytest.approx(1.0)
    assert low == pytest.approx(0.7225, abs=1e-3)


def test_report_counts_a_tiny_file(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    report = evaluate(path, knowledge, Settings())
    by_id = {o.id: o for o in report.outcomes}
    assert by_id["caught"].triage == "emergency" and by_id["caught"].questions == 1
    # "I pulled my calf" answers the injury question in passing: one question fewer.
    assert by_id["strain"].triage == "self_care" and by_id["strain"].questions == 7
    assert by_id["missed"].triage == "self_care"
    assert (report.exact.hits, report.exact.total) == (2, 3)
    assert (report.within.hits, report.within.total) == (2, 3)
    assert report.missed_emergencies == ["missed"]
    assert (report.emergencies_caught.hits, report.emergencies_caught.total) == (1, 2)
    levels = {s.level: s for s in report.levels()}
    assert (levels["emergency"].under, levels["emergency"].over) == (1, 0)
    assert levels["self_care"].exact.hits == 1
    # top 1: the first expected cause named first; top 3: every expected cause in the top 3.
    assert (report.top1.hits, report.top1.total) == (3, 3)
    assert (report.top3.hits, report.top3.total) == (2, 3)  # "gout" is not named for the strain
    assert report.median_questions == 7
    assert report.max_questions == 8


def test_command_exits_1_and_names_the_missed_emergency(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    out = io.StringIO()
    assert evaluate_command([str(path), *INTENT_ARGS], out) == 1
    text = out.getvalue()
    assert "Emergencies missed:          missed" in text
    assert "Semigran 2015" in text and "Gilbert 2020" in text
    assert "95% CI" in text


def test_command_json_and_exit_0_when_all_emergencies_caught(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(TINY.split("  - id: missed", maxsplit=1)[0], encoding="utf-8")
    out = io.StringIO()
    assert evaluate_command([str(path), "--json", *INTENT_ARGS], out) == 0
    data = json.loads(out.getvalue())
    assert data["vignettes"] == 2
    assert data["missed_emergencies"] == []
    assert data["triage_exact"]["hits"] == 2
    assert data["levels"]["emergency"]["under_triage"] == 0
    low, high = data["cause_top3"]["ci95"]
    assert low < data["cause_top3"]["rate"] <= high


def test_vignette_file_errors_name_path_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "vignettes:\n"
        "  - id: one\n"
        "    says: my calf is hot\n"
        "    facts:\n"
        "      swolen: yes\n"
        "    expected: urgnet\n"
        "    causes: [dvt, flu]\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert evaluate_command([str(path), *INTENT_ARGS], out) == 2
    text = out.getvalue()
    assert "bad.yaml:5:" in text and "swolen" in text
    assert "bad.yaml:6:" in text and "urgnet" in text
    assert "bad.yaml:7:" in text and "flu" in text


def test_unsafe_yaml_is_refused(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("vignettes:\n  - !!python/object/apply:os.system [echo hi]\n", encoding="utf-8")
    with pytest.raises(VignetteError, match=r"evil\.yaml:2"):
        load_vignettes(path, knowledge)


def test_an_answer_the_dialog_cannot_understand_is_reported(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "muddled.yaml"
    path.write_text(
        "- id: muddled\n  says: my calf is hot\n  facts:\n    rf_lungs: purple elephants\n"
        "  expected: urgent\n  acceptable: [urgent]\n  causes: [dvt]\n",
        encoding="utf-8",
    )
    report = evaluate(path, knowledge, Settings())
    outcome = report.outcomes[0]
    assert outcome.triage is None and outcome.under
    assert "rf_lungs" in outcome.error and "purple elephants" in outcome.error
    assert "muddled" in report.to_text()


def test_the_second_vignette_set_meets_the_targets(knowledge: Knowledge) -> None:
    """Look-alikes, the whole lower limb, facts said in passing, walking pain (issue targets:
    every emergency caught, none under-triaged, 97% acceptable, 90% exact, 90% cause in top 3)."""
    report = evaluate(SECOND, knowledge, Settings())
    outcomes = report.outcomes
    assert len(outcomes) >= 40
    assert report.missed_emergencies == []
    assert not [o.id for o in outcomes if o.under and o.expected in ("emergency", "urgent")]
    assert sum(o.within for o in outcomes) >= 0.97 * len(outcomes)
    assert sum(o.exact for o in outcomes) >= 0.90 * len(outcomes)
    with_causes = [o for o in outcomes if o.expected_causes]
    assert sum(o.top3 for o in with_causes) >= 0.90 * len(with_causes)
