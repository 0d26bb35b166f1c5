"""Content-level checks of intents/leg_warmth.yaml, through the real loader and the real dialog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.base.events import Result
from assistant.base.intents import Intent
from assistant.base.settings import Settings
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, load_knowledge
from assistant.conversation.triage import assess
from assistant.evaluation.report import Outcome
from assistant.evaluation.simulate import play
from assistant.evaluation.vignettes import Vignette

NO_RED_FLAGS = {"rf_lungs": "no", "rf_limb": "no", "rf_infection": "no"}
#: Words of home-care advice that must never follow an emergency instruction.
SELF_CARE_WORDS = (
    "rest it",
    "raise",
    "painkiller",
    "cold pack",
    "at home",
    "paracetamol",
    "ibuprofen",
    "ice",
)
REQUIRED_CAUSES = {
    "peripheral_neuropathy", "poor_circulation", "peripheral_artery_disease", "muscle_strain", "dvt",
    "pulmonary_embolism", "cellulitis", "superficial_thrombophlebitis", "gout", "baker_cyst",
    "erythromelalgia", "acute_limb_ischaemia", "compartment_syndrome", "charcot_foot",
}  # fmt: skip
#: The causes the source article names; every one must be covered.
ARTICLE_CAUSES = {
    "peripheral_neuropathy",
    "poor_circulation",
    "muscle_strain",
    "dvt",
    "peripheral_artery_disease",
}


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge([SHIPPED_INTENTS / "system.yaml", SHIPPED_INTENTS / "leg_warmth.yaml"])


@pytest.fixture(scope="module")
def intent(knowledge: Knowledge) -> Intent:
    found = knowledge.intent("leg_warmth")
    assert found is not None
    return found


def talk(
    knowledge: Knowledge, facts: dict[str, str], says: str = "my calf feels hot", number: str = "911"
) -> Outcome:
    vignette = Vignette("test", says, facts, "emergency", ("emergency",), ())
    outcome = play(vignette, knowledge, Settings(emergency_number=number))
    assert not outcome.error, outcome.error
    return outcome


def result_text(outcome: Outcome) -> str:
    return next(line for line in outcome.transcript if "Possible causes" in line or "Call " in line)


def spoken_texts(intent: Intent) -> list[tuple[str, str]]:
    texts = [(f"question {q.id}", t) for q in intent.questions for t in (q.ask, q.reprompt, q.explain) if t]
    texts += [(f"cause {c.id}", t) for c in intent.causes for t in (c.name, c.says, c.advice) if t]
    texts += [(f"rule {r.when_text}", t) for r in intent.triage for t in (r.say, r.safety_net) if t]
    return [*texts, ("intro", intent.intro)]


# -- coverage and sources ---------------------------------------------------------------------
def test_every_required_and_article_cause_is_present(intent: Intent) -> None:
    ids = {c.id for c in intent.causes}
    assert ids >= REQUIRED_CAUSES
    assert ids >= ARTICLE_CAUSES


def test_every_cause_score_and_rule_has_sources_and_words(intent: Intent) -> None:
    for cause in intent.causes:
        assert cause.says and cause.advice and cause.sources, cause.id
        assert all(s in intent.sources for s in cause.sources)
    for score in intent.scores:
        assert score.sources, score.id
    for rule in intent.triage:
        assert rule.sources, rule.when_text
    for question in intent.questions:
        assert question.explain, question.id


def test_sources_are_the_guidelines_of_the_brief(intent: Intent) -> None:
    urls = " ".join(s.url for s in intent.sources.values())
    for guideline in ("ng158", "ng141", "ng219", "cg147", "ng19"):
        assert f"nice.org.uk/guidance/{guideline}/" in urls


def test_many_phrases_and_all_of_them_match(knowledge: Knowledge, intent: Intent) -> None:
    assert len(intent.phrases) >= 30
    for heard in ("my cath feels hot", "my shin is burning", "there's heat in my ankle", "my calf is worm"):
        matches = knowledge.matcher.match(heard)
        assert matches and matches[0].intent.id == "leg_warmth", heard
        assert matches[0].score >= knowledge.system.accept_score, (heard, matches[0].score)


LOWER_LIMB = (
    "knee",
    "back of my knee",
    "kneecap",
    "calf",
    "shin",
    "ankle",
    "achilles",
    "heel",
    "sole of my foot",
    "top of my foot",
    "instep",
    "arch",
    "ball of my foot",
    "big toe",
    "little toe",
    "toes",
    "feet",
)


@pytest.mark.parametrize("part", LOWER_LIMB)
def test_every_part_of_the_lower_limb_starts_this_conversation(knowledge: Knowledge, part: str) -> None:
    """Knee to toes, front and back, each with a word for heat: no "did you mean" needed."""
    for heard in (f"my {part} feels hot", f"burning in my {part}", f"warm {part}"):
        understood = knowledge.understander.understand(heard)
        assert understood.matches and understood.matches[0].intent.id == "leg_warmth", heard
        assert understood.matches[0].score >= knowledge.system.accept_score, (heard, understood.matches)


@pytest.mark.parametrize(
    "heard", ["my hand feels hot", "my tea is too hot", "the oven is hot", "my face is burning"]
)
def test_heat_that_is_not_the_lower_limb_does_not_start_it(knowledge: Knowledge, heard: str) -> None:
    understood = knowledge.understander.understand(heard)
    assert not any(m.score >= knowledge.system.confirm_score for m in understood.matches), understood.matches


def test_the_templates_are_expanded_for_the_matcher_but_stay_small(intent: Intent) -> None:
    assert len(intent.templates) >= 10
    assert 2_000 <= len(intent.template_sentences) <= 20_000


def test_exactly_one_catch_all(intent: Intent) -> None:
    assert [r.when_text.strip() for r in intent.triage].count("always") == 1


# -- how it is said -----------------------------------------------------------------------------
def test_text_is_plain_for_a_speech_synthesiser(intent: Intent) -> None:
    for where, text in spoken_texts(intent):
        assert not re.search(r"[()<>=/&%]|\bDVT\b|\bPE\b|\bPAD\b|\be\.g\b|\betc\b", text), (where, text)
        for sentence in re.split(r"[.?!]\s+", text):
            assert len(sentence.split()) <= 32, (where, sentence)


def test_cause_names_can_be_listed_aloud(intent: Intent) -> None:
    """Names are joined with commas and "and" in the result, so a name holds neither."""
    for cause in intent.causes:
        assert "," not in cause.name and " and " not in cause.name, cause.name
        assert len(cause.name.split()) <= 10, cause.name


def test_peripheral_artery_disease_is_not_described_as_warm(intent: Intent) -> None:
    pad = next(c for c in intent.causes if c.id == "peripheral_artery_disease")
    assert "cold" in pad.says
    assert not re.search(r"(?<!not )\bwarm", pad.says + " " + pad.name), pad.says


def test_emergency_rules_call_first_and_give_no_self_care(intent: Intent) -> None:
    emergencies = [r for r in intent.triage if r.level == "emergency"]
    assert emergencies
    for rule in emergencies:
        assert rule.say.startswith("Call {emergency_number} now")
        assert "drive yourself" in rule.say
        assert not rule.safety_net
        assert not any(word in rule.say.lower() for word in SELF_CARE_WORDS), rule.say


def test_other_rules_have_a_safety_net(intent: Intent) -> None:
    for rule in intent.triage:
        if rule.level == "emergency":
            continue
        assert rule.safety_net, rule.when_text
        if rule.level in ("urgent", "self_care"):
            assert "{emergency_number}" in rule.safety_net, rule.when_text


def test_self_care_says_when_to_see_a_doctor(intent: Intent) -> None:
    for rule in intent.triage:
        if rule.level == "self_care":
            assert re.search(r"within (two weeks|a week)", rule.safety_net), rule.safety_net


# -- red flags through the real dialog ----------------------------------------------------------
@pytest.mark.parametrize("flag", ["rf_lungs", "rf_limb", "rf_infection"])
def test_red_flag_yes_is_an_emergency_at_once(knowledge: Knowledge, intent: Intent, flag: str) -> None:
    facts = {**NO_RED_FLAGS, flag: "yes"}
    outcome = talk(knowledge, facts, number="999")
    order = [q.id for q in intent.asking_order()]
    assert outcome.triage == "emergency"
    assert outcome.questions == order.index(flag) + 1  # nothing asked after the red flag
    text = result_text(outcome)
    assert "Call 999 now" in text
    assert not any(word in text.lower() for word in SELF_CARE_WORDS), text


@pytest.mark.parametrize("flag", ["rf_lungs", "rf_limb", "rf_infection"])
def test_red_flag_unsure_twice_is_an_emergency(knowledge: Knowledge, flag: str) -> None:
    outcome = talk(knowledge, {**NO_RED_FLAGS, flag: "I'm not sure"})
    assert outcome.triage == "emergency"
    assert sum(1 for line in outcome.transcript if line == "patient: I'm not sure") == 2


def test_red_flags_are_asked_first_and_are_few(intent: Intent) -> None:
    order = intent.asking_order()
    flags = [q for q in order if q.red_flag]
    assert 1 <= len(flags) <= 4
    assert list(order[: len(flags)]) == flags


# -- urgency rules --------------------------------------------------------------------------------
def test_one_sided_swollen_calf_is_same_day_whatever_the_wells_score(
    knowledge: Knowledge, intent: Intent
) -> None:
    facts = {**NO_RED_FLAGS, "injury": "no", "one_leg": "yes", "sign": "none", "swollen": "yes"}
    outcome = talk(knowledge, facts)
    assert outcome.triage == "urgent"
    answers: dict[str, str | int] = dict(facts)
    assert assess(intent, answers).scores["wells"] < 2


def test_wells_two_raises_to_same_day(knowledge: Knowledge) -> None:
    facts = {
        **NO_RED_FLAGS, "injury": "no", "one_leg": "yes", "sign": "none", "swollen": "no", "tender": "no",
        "pattern": "none", "immobile": "yes", "previous_clot": "no", "cancer": "yes",
    }  # fmt: skip
    assert talk(knowledge, facts).triage == "urgent"
    assert talk(knowledge, facts | {"cancer": "no"}).triage == "soon"


def test_wells_never_lowers_urgency(intent: Intent) -> None:
    """Adding a Wells point to any answer set never makes the advice less urgent."""
    levels = ("emergency", "urgent", "soon", "self_care")
    bases: list[dict[str, str | int]] = [
        {"injury": "yes", "worsening": "no"},
        {
            "injury": "no",
            "one_leg": "yes",
            "sign": "none",
            "swollen": "no",
            "tender": "no",
            "pattern": "none",
        },
        {"injury": "no", "one_leg": "no", "pattern": "heavy", "known_cause": "yes", "known_same": "yes"},
        {"injury": "no", "one_leg": "yes", "sign": "joint", "numb_feet": "no", "fever": "no"},
    ]
    for base in bases:
        before = levels.index(assess(intent, base).level)
        for risk in ("cancer", "immobile", "previous_clot"):
            after = levels.index(assess(intent, base | {risk: "yes"}).level)
            assert after <= before, (base, risk)


def test_settling_strain_without_risks_is_self_care_with_a_time_limit(knowledge: Knowledge) -> None:
    facts = {
        **NO_RED_FLAGS,
        "injury": "yes",
        "worsening": "no",
        "immobile": "no",
        "previous_clot": "no",
        "cancer": "no",
    }
    outcome = talk(knowledge, facts, says="I pulled my calf and it feels warm")
    assert outcome.triage == "self_care"
    assert outcome.causes[0] == "muscle_strain"
    assert "dvt" not in outcome.causes  # told "no risks for a clot", so a clot is not named either
    assert "two weeks" in result_text(outcome)


def test_result_event_carries_sources(knowledge: Knowledge) -> None:
    from assistant.conversation.dialog import Dialog

    dialog = Dialog(knowledge, Settings())
    dialog.start()
    dialog.handle("my calf is hot")
    events: list[object] = []
    for answer in ("no", "no", "no", "no", "yes", "none of these", "yes"):
        events = list(dialog.handle(answer))
    result = next(e for e in events if isinstance(e, Result))
    assert result.triage == "urgent"
    assert any("NG158" in s for s in result.sources)


def test_the_file_is_yaml_safe(tmp_path: Path) -> None:
    text = (SHIPPED_INTENTS / "leg_warmth.yaml").read_text(encoding="utf-8")
    assert "!!" not in text
