"""Sentence templates and lists in intent files (hassil syntax): expansion, and mistakes reported
at file:line:column with what to write instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.base.templates import (
    Node,
    TemplateError,
    bind_lists,
    core,
    count,
    expand,
    parse_template,
)
from assistant.content.knowledge import check_files
from tests.support import SYSTEM_FILE, TOY_INTENTS

TOY = (TOY_INTENTS / "toe_pain.yaml").read_text(encoding="utf-8")
PHRASES = """phrases:
  - my big toe hurts
  - my toe is sore
  - pain in my big toe
  - my big toe is red and hot
"""


def bound(text: str, **lists: str) -> Node:
    return bind_lists(
        parse_template(text), {k: parse_template(v, allow_lists=False) for k, v in lists.items()}
    )


def test_alternatives_optional_words_and_lists_expand_to_every_sentence() -> None:
    tree = bound("my [big] {digit} (hurts|aches)", digit="(toe|toes)")
    assert count(tree) == 8
    assert expand(tree) == [
        "my big toe hurts",
        "my big toe aches",
        "my big toes hurts",
        "my big toes aches",
        "my toe hurts",
        "my toe aches",
        "my toes hurts",
        "my toes aches",
    ]


def test_nested_groups_and_spacing() -> None:
    tree = parse_template("((very|so) hot|[a bit] warm)  feet")
    assert expand(tree) == ["very hot feet", "so hot feet", "a bit warm feet", "warm feet"]


def test_a_large_template_keeps_every_short_form_and_is_the_same_every_time() -> None:
    text = "[oh] [my|the] [left|right] {part} [really|so|very] (is|feels) [quite|a bit] {heat} [today]"
    parts = "(" + "|".join(f"part{i}" for i in range(40)) + ")"
    heats = "(" + "|".join(f"heat{i}" for i in range(20)) + ")"
    tree = bound(text, part=parts, heat=heats)
    assert count(tree) > 100_000
    first = expand(tree, cap=2000, seed=3)
    assert first == expand(tree, cap=2000, seed=3)
    assert len(first) <= 2000
    short = set(expand(core(tree), cap=10_000))
    assert len(short) == 40 * 2 * 20 and short <= set(first)
    # The sample beyond the short forms still uses the optional words.
    assert any(s.startswith("oh ") for s in first) and any(" today" in s for s in first)


@pytest.mark.parametrize(
    ("template", "column", "says"),
    [
        ("my (big toe hurts", 4, "is never closed"),
        ("my big) toe hurts", 7, "closes nothing"),
        ("my (big|) toe hurts", 4, "write [words] for optional words"),
        ("my [] toe hurts", 4, "holds no words"),
        ("my {Digit} hurts", 4, "is not a list name"),
        ("my <toe> hurts", 4, "<rules> are not supported"),
        ("my {digit hurts", 4, "is never closed"),
    ],
)
def test_syntax_errors_name_the_column(template: str, column: int, says: str) -> None:
    with pytest.raises(TemplateError, match=re.escape(says)) as caught:
        parse_template(template)
    assert caught.value.column == column


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "toe_pain.yaml"
    path.write_text(TOY.replace(PHRASES, body, 1), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    _, found = check_files([SYSTEM_FILE, path])
    return [str(p) for p in found]


def test_an_intent_with_only_templates_loads_and_matches(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'lists:\n  digit: ["(toe|toes)", big toe]\ntemplates:\n  - "my {digit} (hurts|is sore)"\n'
        '  - "(pain|soreness) in my {digit}"\n',
    )
    knowledge, found = check_files([SYSTEM_FILE, path])
    assert found == [] and knowledge is not None
    intent = knowledge.intents[0]
    assert intent.phrases == () and "my big toe is sore" in intent.sentences()
    best = knowledge.matcher.match("soreness in my big toe")[0]
    assert best.intent.id == "toe_pain" and best.score >= knowledge.system.accept_score


def test_a_template_syntax_error_is_reported_at_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'templates:\n  - "my (big toe hurts"\n')
    (problem,) = problems(path)
    # line 7 of the file; the quote is column 5, so the "(" is column 9.
    assert problem.startswith(f"{path}:7:9: in template 'my (big toe hurts': '(' is never closed")


def test_an_unknown_list_suggests_the_nearest_name(tmp_path: Path) -> None:
    path = write(tmp_path, "lists:\n  digit: [toe, toes]\ntemplates:\n  - my {digits} hurts\n")
    (problem,) = [p for p in problems(path) if "warning" not in p]
    assert problem.startswith(f"{path}:9:8: the list {{digits}} is not defined; did you mean {{digit}}?")


def test_a_list_may_not_name_a_list_and_an_unused_list_is_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lists:\n  digit: [toe, '{other}']\n  spare: [heel]\ntemplates:\n  - my {digit} hurts\n"
        "phrases:\n  - my toe is sore\n",
    )
    found = problems(path)
    assert any("a list value cannot name another list" in p for p in found)
    assert any("warning: the list {spare} is used by no template" in p for p in found)


def test_a_template_that_explodes_gets_a_warning_and_still_loads(tmp_path: Path) -> None:
    many = "(" + "|".join(f"w{i}" for i in range(80)) + ")"
    path = write(tmp_path, f'templates:\n  - "my {many} {many} toe hurts"\n')
    knowledge, found = check_files([SYSTEM_FILE, path])
    assert knowledge is not None
    (warning,) = [str(p) for p in found]
    assert f"{path}:7:5: warning: even without its optional words this template says 6,400" in warning
    assert len(knowledge.intents[0].template_sentences) == 1000


def test_no_phrases_and_no_templates_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert any("the intent has no phrases" in p for p in problems(path))


def test_templates_are_text_never_code(tmp_path: Path) -> None:
    path = write(tmp_path, 'templates:\n  - "{__import__} (os|sys)"\n')
    (problem,) = problems(path)
    assert "is not a list name" in problem
