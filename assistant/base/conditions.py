"""A tiny condition language for intent files: the parsed nodes and how they are evaluated.

Parsed by hand in :mod:`assistant.base.condition_parser`, never evaluated as code.

Grammar (``and`` binds tighter than ``or``)::

    expr    := and_ ("or" and_)*
    and_    := unary ("and" unary)*
    unary   := "not" unary | atom
    atom    := "(" expr ")" | "always" | NAME "answered"
             | NAME "is" ["not"] WORD | NAME "in" "[" WORD ("," WORD)* "]"
             | NAME OP NUMBER            OP: < <= > >= = == !=

Examples: ``swelling is yes and one_leg is not no``, ``wells >= 2``, ``started in [today, days]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

AnswerValue = str | int


# Each node answers ``holds(facts)`` itself: one call per node instead of a chain of type tests
# (conditions are evaluated tens of thousands of times when `assistant check` explores an intent).


@dataclass(frozen=True)
class Always:
    column: int = 1

    def holds(self, facts: Facts) -> bool:
        return True


@dataclass(frozen=True)
class Is:
    name: str
    value: str
    negated: bool
    column: int
    value_column: int

    def holds(self, facts: Facts) -> bool:
        return (facts.value(self.name) == self.value) != self.negated


@dataclass(frozen=True)
class In:
    name: str
    values: tuple[str, ...]
    column: int
    value_columns: tuple[int, ...]

    def holds(self, facts: Facts) -> bool:
        return facts.value(self.name) in self.values


@dataclass(frozen=True)
class Compare:
    name: str
    op: str
    number: float
    column: int

    def holds(self, facts: Facts) -> bool:
        value = facts.value(self.name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        return OPERATORS[self.op](float(value), self.number)


@dataclass(frozen=True)
class Answered:
    name: str
    column: int

    def holds(self, facts: Facts) -> bool:
        return facts.value(self.name) is not None


@dataclass(frozen=True)
class Not:
    inner: Condition
    column: int

    def holds(self, facts: Facts) -> bool:
        return not self.inner.holds(facts)


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]
    column: int

    def holds(self, facts: Facts) -> bool:
        return all(item.holds(facts) for item in self.items)


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]
    column: int

    def holds(self, facts: Facts) -> bool:
        return any(item.holds(facts) for item in self.items)


Condition = Always | Is | In | Compare | Answered | Not | AllOf | AnyOf

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


class Facts:
    """What a condition can look at: answers given so far and score totals."""

    def __init__(self, answers: dict[str, AnswerValue], scores: dict[str, int] | None = None) -> None:
        self.answers = answers
        self.scores = scores or {}

    def value(self, name: str) -> AnswerValue | None:
        if name in self.scores:
            return self.scores[name]
        return self.answers.get(name)


def evaluate(cond: Condition, facts: Facts) -> bool:
    """Evaluate a parsed condition. Unanswered questions make comparisons false."""
    return cond.holds(facts)


def walk(cond: Condition) -> Iterator[Condition]:
    """Every node of a condition, outermost first."""
    yield cond
    if isinstance(cond, Not):
        yield from walk(cond.inner)
    elif isinstance(cond, AllOf | AnyOf):
        for item in cond.items:
            yield from walk(item)


def names(cond: Condition) -> set[str]:
    """The question and score names a condition refers to."""
    return {n.name for n in walk(cond) if isinstance(n, Is | In | Compare | Answered)}
