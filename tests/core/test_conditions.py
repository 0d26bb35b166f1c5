from __future__ import annotations

import pytest

from assistant.base.condition_parser import parse_condition
from assistant.base.conditions import Facts, evaluate, names
from assistant.base.errors import ConditionError


@pytest.mark.parametrize(
    ("source", "answers", "scores", "expected"),
    [
        ("always", {}, {}, True),
        ("swollen is yes", {"swollen": "yes"}, {}, True),
        ("swollen is yes", {"swollen": "unsure"}, {}, False),
        ("swollen is yes", {}, {}, False),
        ("swollen is not no", {}, {}, True),
        ("swollen is not no", {"swollen": "unsure"}, {}, True),
        ("swollen is not no", {"swollen": "no"}, {}, False),
        ("started in [today, week]", {"started": "week"}, {}, True),
        ("started in [today, week]", {"started": "longer"}, {}, False),
        ("age >= 60", {"age": 60}, {}, True),
        ("age >= 60", {"age": 59}, {}, False),
        ("age >= 60", {}, {}, False),
        ("age != 3", {"age": 4}, {}, True),
        ("wells >= 2", {}, {"wells": 2}, True),
        ("wells < 2", {}, {"wells": 2}, False),
        ("a is yes or b is yes and c is yes", {"a": "yes"}, {}, True),
        ("(a is yes or b is yes) and c is yes", {"a": "yes"}, {}, False),
        ("not a is yes", {"a": "no"}, {}, True),
        ("a answered", {"a": "unsure"}, {}, True),
        ("a answered", {}, {}, False),
    ],
)
def test_evaluation(
    source: str, answers: dict[str, str | int], scores: dict[str, int], expected: bool
) -> None:
    assert evaluate(parse_condition(source), Facts(answers, scores)) is expected


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("", 1, "empty"),
        ("swollen is", 11, "expected an answer"),
        ("age >= old", 8, "expected a number"),
        ("a is yes b is no", 10, "join conditions"),
        ("(a is yes", 10, "not closed"),
        ("a in [x y]", 9, "separate choices"),
        ("__import__('os').system('id')", 12, "unexpected character"),
        ("a.b()", 2, "unexpected character"),
        ("lambda: 1", 7, "unexpected character"),
        ("a swollen", 3, "after 'a'"),
    ],
)
def test_mistakes_name_the_column(source: str, column: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as info:
        parse_condition(source)
    assert info.value.column == column
    assert fragment in str(info.value)


def test_names_lists_every_reference() -> None:
    cond = parse_condition("(a is yes or b in [x]) and not c >= 2 and d answered")
    assert names(cond) == {"a", "b", "c", "d"}
