"""Fuzzing the loader and the checker: a clean load or reported problems, never an exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import examples

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis generates the malformed inputs")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from assistant.authoring.casefile import load_case_file  # noqa: E402
from assistant.authoring.lint import lint_intent  # noqa: E402
from assistant.authoring.words import lint_words  # noqa: E402
from assistant.authoring.workspace import SHIPPED_SYSTEM, load_workspace  # noqa: E402
from assistant.base.problems import Problem  # noqa: E402

TOY = Path(__file__).parent.parent / "data" / "intents" / "toe_pain.yaml"
TOY_TEXT = TOY.read_text()
FAST = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

KEYS = [
    "intent",
    "title",
    "phrases",
    "questions",
    "causes",
    "triage",
    "id",
    "kind",
    "ask",
    "choices",
    "when",
    "add",
    "level",
    "say",
    "sources",
    "ask_if",
    "red_flag",
    "range",
    "scores",
    "points",
    "evidence",
    "tests",
    "turns",
    "expect",
    "yes",
    "no",
    "always",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(allow_nan=True),
    st.sampled_from(KEYS),
    st.text(max_size=30),
    st.sampled_from(
        [
            "fever is yes",
            "age >= 40",
            "started in [today]",
            "always",
            "(",
            "x is",
            "{emergency_number}",
            "yes_no",
            "choice",
            "number",
            "urgent",
        ]
    ),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
    ),
    max_leaves=40,
)


def check_text(tmp_path: Path, name: str, data: bytes) -> list[Problem]:
    path = tmp_path / name
    path.write_bytes(data)
    ws = load_workspace([SHIPPED_SYSTEM, path])
    problems = list(ws.problems)
    knowledge = ws.knowledge()
    for item in ws.intents:
        problems += lint_intent(item, limit=2000)
        if knowledge is not None:
            problems += lint_words(knowledge, item)
    for p in [*problems, *load_case_file(path).problems]:  # the same text read as a conversation test file
        assert isinstance(p, Problem) and str(p)
    return problems


@FAST
@given(st.binary(max_size=300))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    check_text(tmp_path, "bytes.yaml", data)


@FAST
@given(st.dictionaries(st.sampled_from(KEYS), structures, max_size=8))
def test_random_structures_dumped_to_yaml(tmp_path: Path, data: dict[str, Any]) -> None:
    check_text(tmp_path, "random.yaml", yaml.safe_dump(data, allow_unicode=True).encode())


@FAST
@given(st.integers(0, len(TOY_TEXT) - 1), st.integers(1, 40), st.text(max_size=12))
def test_a_real_intent_with_a_slice_replaced(tmp_path: Path, start: int, length: int, insert: str) -> None:
    text = TOY_TEXT[:start] + insert + TOY_TEXT[start + length :]
    check_text(tmp_path, "toe_pain.yaml", text.encode("utf-8", errors="replace"))


@FAST
@given(st.lists(st.sampled_from(TOY_TEXT.splitlines()), min_size=1, max_size=40))
def test_lines_of_a_real_intent_shuffled(tmp_path: Path, lines: list[str]) -> None:
    check_text(tmp_path, "shuffled.yaml", "\n".join(lines).encode())


def test_a_clean_intent_gives_no_errors(tmp_path: Path) -> None:
    assert [
        p for p in check_text(tmp_path, "toe_pain.yaml", TOY_TEXT.encode()) if p.severity == "error"
    ] == []
