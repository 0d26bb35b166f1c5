"""Every way a conversation about one intent can go, found by walking the questions in order.

Each question that its ``ask_if`` allows is answered in every way that matters (yes / no / not sure,
each choice, numbers either side of every threshold the intent compares them with); a red flag
answered yes ends the questions, as in the dialog. The walk is bounded: past ``limit`` complete
conversations it gives up and the checks fall back to looking at one condition at a time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.base.conditions import AnswerValue, Compare, Condition, Facts, evaluate, names, walk
from assistant.base.intents import Intent, Question
from assistant.conversation.triage import compute_scores

#: Complete conversations enumerated at most, per intent.
DEFAULT_LIMIT = 20_000

Answers = dict[str, AnswerValue]


@dataclass(frozen=True)
class Outcome:
    """One way a conversation can reach a result: the answers given, in asking order."""

    answers: tuple[tuple[str, AnswerValue], ...]
    #: A red flag was answered yes (the result is an emergency whatever the rules say).
    emergency: bool

    def as_dict(self) -> Answers:
        return dict(self.answers)

    def describe(self) -> str:
        return ", ".join(f"{q} {v}" for q, v in self.answers) or "no answers"


@dataclass(frozen=True)
class Reachable:
    outcomes: tuple[Outcome, ...]
    #: Ids of the questions asked in at least one conversation.
    asked: frozenset[str]


def conditions_of(intent: Intent) -> Iterator[Condition]:
    for q in intent.questions:
        if q.ask_if is not None:
            yield q.ask_if
    for s in intent.scores:
        yield from (p.when for p in s.points)
    for c in intent.causes:
        yield from (e.when for e in c.evidence)
    yield from (t.when for t in intent.triage)


def number_values(question: Question, intent: Intent) -> tuple[int, ...]:
    """Whole numbers that fall on each side of, and on, every threshold compared with the question."""
    points: set[int] = set()
    for cond in conditions_of(intent):
        for node in walk(cond):
            if isinstance(node, Compare) and node.name == question.id:
                low, high = math.floor(node.number), math.ceil(node.number)
                points.update({low - 1, low, high, high + 1})
    low, high = question.range if question.range else (0, 10**6)
    points.update({low, high} if question.range else {low})
    return tuple(sorted(p for p in points if low <= p <= high))


def domain(question: Question, intent: Intent) -> tuple[AnswerValue, ...]:
    """The answers that can be recorded for a question, one of each kind that matters."""
    if question.kind == "yes_no":
        # A red flag is asked again after "not sure", and a second "not sure" is recorded as yes.
        return ("yes", "no") if question.red_flag else ("yes", "no", "unsure")
    if question.kind == "choice":
        return question.choice_ids()
    return number_values(question, intent)


def reachable(intent: Intent, limit: int = DEFAULT_LIMIT) -> Reachable | None:
    """Every complete conversation, or None when there are more than ``limit``."""
    open_: list[Answers] = [{}]
    done: list[Outcome] = []
    asked: set[str] = set()
    for question in intent.asking_order():
        values = domain(question, intent)
        following: list[Answers] = []
        for answers in open_:
            if question.ask_if is not None:
                facts = Facts(answers, compute_scores(intent, answers))
                if not evaluate(question.ask_if, facts):
                    following.append(answers)
                    continue
            asked.add(question.id)
            for value in values:
                nxt = {**answers, question.id: value}
                if question.red_flag and value == "yes":
                    done.append(Outcome(tuple(nxt.items()), emergency=True))
                else:
                    following.append(nxt)
            if len(following) + len(done) > limit:
                return None
        open_ = following
    done.extend(Outcome(tuple(a.items()), emergency=False) for a in open_)
    return Reachable(tuple(done), frozenset(asked))


def satisfiable(cond: Condition, intent: Intent, limit: int = DEFAULT_LIMIT) -> bool | None:
    """Whether some answers to the questions ``cond`` names (asked or not) make it true.

    Scores are computed from the questions their points name. None when there are too many
    combinations to try. A False is certain: no conversation at all can make the condition true.
    """
    involved = _questions_behind(names(cond), intent)
    domains = [(q.id, (None, *domain(q, intent))) for q in involved]
    if math.prod(len(d) for _, d in domains) > limit:
        return None
    ids = [qid for qid, _ in domains]
    for combo in itertools.product(*(d for _, d in domains)):
        answers = {qid: v for qid, v in zip(ids, combo, strict=True) if v is not None}
        if evaluate(cond, Facts(answers, compute_scores(intent, answers))):
            return True
    return False


def _questions_behind(wanted: set[str], intent: Intent) -> list[Question]:
    scores = {s.id: s for s in intent.scores}
    todo, seen = list(wanted), set[str]()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in scores:
            for p in scores[name].points:
                todo.extend(names(p.when))
    return [q for q in intent.questions if q.id in seen]
