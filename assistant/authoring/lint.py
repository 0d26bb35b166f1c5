"""Deeper checks of intents that loaded: logic that can never be reached, and style.

Works on the loaded model with the real engine (:func:`assistant.conversation.triage.assess`),
over every way a conversation can go (:mod:`assistant.authoring.reachability`). Every problem
points at a line and says what to write instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from assistant.authoring.reachability import Outcome, Reachable, reachable, satisfiable
from assistant.authoring.workspace import LoadedIntent
from assistant.base.conditions import AnswerValue, Condition, Facts, evaluate
from assistant.base.intents import Intent, TriageRule
from assistant.base.problems import Problem, Severity
from assistant.content.located_yaml import LoadedYaml, YamlPath
from assistant.conversation.triage import assess

#: Fewer phrases than this is a warning: people say the same thing in many ways.
MIN_PHRASES = 5


@dataclass
class Findings:
    """Problems for one intent file, located through its YAML."""

    source: LoadedYaml
    problems: list[Problem]

    def add(self, path: YamlPath, message: str, severity: Severity = "error", *, key: bool = False) -> None:
        self.problems.append(Problem(self.source.at(path, key=key), message, severity))

    def line(self, path: YamlPath) -> int:
        return self.source.at(path).line


def lint_intent(item: LoadedIntent, *, limit: int | None = None) -> list[Problem]:
    """Logic and style problems of one loaded intent."""
    found = Findings(item.source, [])
    intent = item.intent
    space = reachable(intent) if limit is None else reachable(intent, limit)
    if space is None:
        _lint_locally(found, intent)
    else:
        _lint_questions(found, intent, space)
        _lint_outcomes(found, intent, space.outcomes)
    _lint_style(found, intent)
    return found.problems


# -- with every conversation enumerated -----------------------------------------------------------
def _lint_questions(found: Findings, intent: Intent, space: Reachable) -> None:
    for i, q in enumerate(intent.questions):
        if q.id not in space.asked:
            found.add(
                ("questions", i, "ask_if"),
                f"question {q.id!r} can never be asked: its ask_if is false whatever the earlier "
                "questions are answered; loosen the condition or remove the question",
            )


def _lint_outcomes(found: Findings, intent: Intent, outcomes: tuple[Outcome, ...]) -> None:
    fires: dict[int, int] = defaultdict(int)
    wins: dict[int, int] = defaultdict(int)
    winners_when_fired: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    named: set[str] = set()
    raised: set[str] = set()
    points_fired: set[tuple[str, int]] = set()
    evidence_fired: set[tuple[int, int]] = set()
    rule_index = {id(rule): i for i, rule in enumerate(intent.triage)}
    no_guidance: Outcome | None = None
    forced: dict[str, Outcome] = {}
    for outcome in outcomes:
        answers = outcome.as_dict()
        scores = _scores_and_points(intent, answers, points_fired)
        facts = Facts(answers, scores)
        a = assess(intent, answers, emergency=outcome.emergency)
        winner = rule_index[id(a.rule)] if a.rule is not None else None
        for i, rule in enumerate(intent.triage):
            if evaluate(rule.when, facts):
                fires[i] += 1
                if winner is not None:
                    winners_when_fired[i][winner] += 1
        if winner is not None:
            wins[winner] += 1
        elif not a.forced:
            no_guidance = no_guidance or outcome
        if a.forced:
            flag = next((q for q, v in outcome.answers if v == "yes" and _is_red_flag(intent, q)), "?")
            forced.setdefault(flag, outcome)
        named.update(c.id for c, _ in a.causes)
        for i, cause in enumerate(intent.causes):
            weight = cause.base
            for j, ev in enumerate(cause.evidence):
                if evaluate(ev.when, facts):
                    evidence_fired.add((i, j))
                    weight += ev.add
            if weight > 0:
                raised.add(cause.id)

    for i, rule in enumerate(intent.triage):
        path: YamlPath = ("triage", i, "when")
        if not fires[i]:
            found.add(
                path,
                f"this {rule.level} rule can never apply: no answers make {rule.when_text!r} "
                "true; fix the condition or remove the rule",
            )
        elif not wins[i] and rule.when_text.strip() != "always":
            found.add(
                path,
                f"this {rule.level} rule is never chosen: whenever it holds, "
                + _winners(found, intent, winners_when_fired[i])
                + " wins instead (the most urgent "
                "rule wins, then the first in the file); make its condition narrower or remove it",
            )
    if no_guidance is not None:
        found.add(
            ("triage",),
            "these answers get no guidance: "
            + no_guidance.describe()
            + "; add a last rule with 'when: always'",
            key=True,
        )
    for flag, outcome in forced.items():
        found.add(
            ("triage",),
            f"red flag {flag!r} answered yes gives no emergency rule after "
            f"{outcome.describe()}; the engine forces an emergency with a generic message. Add an "
            f"emergency rule with 'when: \"{flag} is yes\"'",
            key=True,
        )

    for i, cause in enumerate(intent.causes):
        if cause.id not in raised:
            found.add(
                ("causes", i, "id"),
                f"cause {cause.id!r} can never be named: no answers raise its "
                "weight above zero; add evidence that can apply, or a base weight",
            )
        elif cause.id not in named:
            found.add(
                ("causes", i, "id"),
                f"cause {cause.id!r} is never among the {intent.max_causes} "
                "causes named: other causes always outweigh it; give it stronger evidence",
                "warning",
            )
        for j, ev in enumerate(cause.evidence):
            if (i, j) not in evidence_fired:
                found.add(
                    ("causes", i, "evidence", j, "when"),
                    f"this evidence never applies: no answers "
                    f"make {ev.text!r} true; fix the condition or remove it",
                )
    for score in intent.scores:
        for j, point in enumerate(score.points):
            if (score.id, j) not in points_fired:
                found.add(
                    ("scores", score.id, "points", j, "when"),
                    f"these points of score {score.id!r} "
                    f"can never be added: no answers make {point.text!r} true; fix the condition or "
                    "remove it",
                )


def _is_red_flag(intent: Intent, qid: str) -> bool:
    q = intent.question(qid)
    return q is not None and q.red_flag


def _scores_and_points(
    intent: Intent, answers: dict[str, AnswerValue], fired: set[tuple[str, int]]
) -> dict[str, int]:
    """The scores as :func:`assistant.conversation.triage.compute_scores` gives them, noting what applies."""
    scores: dict[str, int] = {}
    for score in intent.scores:
        facts = Facts(answers, scores)
        total = 0.0
        for j, p in enumerate(score.points):
            if evaluate(p.when, facts):
                fired.add((score.id, j))
                total += p.add
        scores[score.id] = round(total)
    return scores


def _winners(found: Findings, intent: Intent, counts: dict[int, int]) -> str:
    top = sorted(counts, key=lambda i: -counts[i])[:2]
    parts = [_rule_name(found, intent.triage[i], i) for i in top]
    return " or ".join(parts)


def _rule_name(found: Findings, rule: TriageRule, i: int) -> str:
    return f"the {rule.level} rule at line {found.line(('triage', i))} ({rule.when_text.strip()!r})"


# -- too many conversations to enumerate: one condition at a time ---------------------------------
def _lint_locally(found: Findings, intent: Intent) -> None:
    def never(cond: Condition) -> bool:
        return satisfiable(cond, intent) is False

    for i, q in enumerate(intent.questions):
        if q.ask_if is not None and never(q.ask_if):
            found.add(
                ("questions", i, "ask_if"),
                f"question {q.id!r} can never be asked: no answers "
                "make its ask_if true; loosen the condition or remove the question",
            )
    for i, rule in enumerate(intent.triage):
        if never(rule.when):
            found.add(
                ("triage", i, "when"),
                f"this {rule.level} rule can never apply: no answers make "
                f"{rule.when_text!r} true; fix the condition or remove the rule",
            )
    for i, cause in enumerate(intent.causes):
        for j, ev in enumerate(cause.evidence):
            if never(ev.when):
                found.add(
                    ("causes", i, "evidence", j, "when"),
                    f"this evidence never applies: no answers "
                    f"make {ev.text!r} true; fix the condition or remove it",
                )
        if cause.base <= 0 and all(e.add <= 0 or never(e.when) for e in cause.evidence):
            found.add(
                ("causes", i, "id"),
                f"cause {cause.id!r} can never be named: no answers raise its "
                "weight above zero; add evidence that can apply, or a base weight",
            )
    for score in intent.scores:
        for j, point in enumerate(score.points):
            if never(point.when):
                found.add(
                    ("scores", score.id, "points", j, "when"),
                    f"these points of score {score.id!r} "
                    f"can never be added: no answers make {point.text!r} true",
                )
    found.add(
        ("questions",),
        "too many answer combinations to follow every conversation, so shadowed "
        "triage rules were not looked for; split the intent or narrow its ask_if conditions",
        "warning",
        key=True,
    )


# -- style ------------------------------------------------------------------------------------------
def _lint_style(found: Findings, intent: Intent) -> None:
    if len(intent.phrases) < MIN_PHRASES:
        found.add(
            ("phrases",),
            f"only {len(intent.phrases)} phrase{'s' if len(intent.phrases) != 1 else ''}; "
            f"write at least {MIN_PHRASES} ways people say this, so the assistant recognises it",
            "warning",
            key=True,
        )
    for i, q in enumerate(intent.questions):
        if not q.explain:
            found.add(
                ("questions", i, "id"),
                f"question {q.id!r} has no 'explain:'; write one sentence "
                "saying why it is asked (people ask 'what do you mean?')",
                "warning",
            )
        if q.red_flag and not q.sources:
            found.add(
                ("questions", i, "id"),
                f"red flag {q.id!r} names no sources; add 'sources: [...]' with the guideline behind it",
                "warning",
            )
    for i, cause in enumerate(intent.causes):
        if not cause.sources:
            found.add(
                ("causes", i, "id"), f"cause {cause.id!r} names no sources; add 'sources: [...]'", "warning"
            )
    for i, rule in enumerate(intent.triage):
        if rule.level == "emergency" and not rule.sources:
            found.add(
                ("triage", i, "level"),
                "this emergency rule names no sources; add 'sources: [...]'",
                "warning",
            )
        if rule.level != "emergency" and not rule.safety_net:
            found.add(
                ("triage", i, "level"),
                f"this {rule.level} rule has no 'safety_net:'; say what would "
                "make it more urgent, e.g. 'If it gets worse, call {emergency_number}.'",
                "warning",
            )
