"""From answers to scores, ranked causes and one triage level with its guidance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assistant.base.conditions import AnswerValue, Facts, evaluate, names
from assistant.base.events import TRIAGE_LEVELS, TriageLevel
from assistant.base.intents import Cause, Intent, Source, TriageRule


@dataclass(frozen=True)
class Assessment:
    level: TriageLevel
    rule: TriageRule | None
    #: Causes to name, most likely first, with their weights.
    causes: tuple[tuple[Cause, float], ...]
    scores: dict[str, int]
    sources: tuple[Source, ...]
    #: True when a red flag demanded an emergency that no rule gave (the safety net of the engine).
    forced: bool = False
    #: True when no cause had evidence and the causes are common ones that fit the level.
    common: bool = False


def compute_scores(intent: Intent, answers: dict[str, AnswerValue]) -> dict[str, int]:
    scores: dict[str, int] = {}
    for score in intent.scores:
        facts = Facts(answers, scores)
        total = sum(p.add for p in score.points if evaluate(p.when, facts))
        scores[score.id] = round(total)
    return scores


def rank_causes(intent: Intent, facts: Facts) -> list[tuple[Cause, float]]:
    weighted = [
        (cause, cause.base + sum(e.add for e in cause.evidence if evaluate(e.when, facts)))
        for cause in intent.causes
    ]
    order = {c.id: i for i, c in enumerate(intent.causes)}
    return sorted(weighted, key=lambda cw: (-cw[1], order[cw[0].id]))


def assess(
    intent: Intent,
    answers: dict[str, AnswerValue],
    *,
    emergency: bool = False,
    mentioned: Mapping[str, AnswerValue] | None = None,
) -> Assessment:
    """Decide the triage level: the most urgent rule that holds wins.

    ``emergency`` (a red flag answered yes) makes the result an emergency whatever the rules say.
    ``mentioned``: facts said in passing for questions never reached ("something bit my ankle"
    when the questions stopped at a swollen leg). They help rank the causes to name, never the
    level or the scores.
    """
    scores = compute_scores(intent, answers)
    facts = Facts(answers, scores)
    fired = [rule for rule in intent.triage if evaluate(rule.when, facts)]
    fired.sort(key=lambda rule: TRIAGE_LEVELS.index(rule.level))  # stable: file order within a level
    rule = fired[0] if fired else None
    forced = False
    if emergency and (rule is None or rule.level != "emergency"):
        rule, forced = None, True
    level: TriageLevel = "emergency" if forced else rule.level if rule else TRIAGE_LEVELS[1]
    known = rule is not None and rule.known_diagnosis
    ranked, common = causes_to_name(intent, facts, level, known=known)
    if mentioned and len(ranked) < intent.max_causes:
        # Causes only what was said in passing points to come after those the answers point to
        # (and replace common possibilities named for want of any).
        kept = [] if common else ranked
        extra, _ = causes_to_name(intent, Facts({**mentioned, **answers}, scores), level, known=known)
        more = [(c, w) for c, w in extra if w > 0 and all(c.id != k.id for k, _ in kept)]
        if more:
            ranked, common = (kept + more)[: intent.max_causes], False
    source_ids: list[str] = []
    for sid in (*(rule.sources if rule else ()), *(s for c, _ in ranked for s in c.sources)):
        if sid not in source_ids:
            source_ids.append(sid)
    sources = tuple(intent.sources[s] for s in source_ids if s in intent.sources)
    return Assessment(level, rule, tuple(ranked), scores, sources, forced, common)


def causes_to_name(
    intent: Intent, facts: Facts, level: TriageLevel, *, known: bool = False
) -> tuple[list[tuple[Cause, float]], bool]:
    """The causes a result names, most likely first, and whether they are only common ones that fit.

    Never none, when the intent has causes. Below an emergency, a cause whose own advice is more
    urgent than the result's is not named (the rules, not the list of causes, decide urgency; a
    result saying "see a doctor this week" must not name only a clot, whose advice is the same
    day). When no cause has evidence for it, the likeliest causes that fit the level are named as
    common possibilities. An emergency names every cause with evidence except those for home care,
    and a rule for a known diagnosis that has not changed (``known``): the diagnosis is named.
    """
    rank = TRIAGE_LEVELS.index(level)
    ranked = rank_causes(intent, facts)

    def fits(cause: Cause) -> bool:
        if known or cause.level is None:
            return True
        if level == "emergency":
            # Everything that fits, but never a cause for home care beside a call for an ambulance.
            return cause.level != TRIAGE_LEVELS[-1]
        return TRIAGE_LEVELS.index(cause.level) >= rank

    named = [(c, w) for c, w in ranked if w > 0 and fits(c)][: intent.max_causes]
    if named:
        return named, False
    fitting = [(c, w) for c, w in ranked if fits(c)]
    # Common causes "that fit the answers": not one whose every sign was already answered away
    # (no gout once the person said no hot joint, no strain once they said no injury).
    open_ = [(c, w) for c, w in fitting if not ruled_out(c, facts)]
    common = (open_ or fitting)[: min(2, intent.max_causes)]
    return common, bool(common)


def ruled_out(cause: Cause, facts: Facts) -> bool:
    """Every piece of evidence for the cause is false, on questions already answered."""
    known = set(facts.answers) | set(facts.scores)
    signs = [e for e in cause.evidence if e.add > 0]
    return bool(signs) and all(names(e.when) <= known and not evaluate(e.when, facts) for e in signs)


def fill(text: str, **values: str) -> str:
    """Replace ``{name}`` placeholders; anything else in braces is left as written."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def join_names(names: list[str], conjunction: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]
