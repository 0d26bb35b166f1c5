"""Every conversation test case in YAML, one pytest test each, named after the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.authoring.casefile import Case, CaseFile, load_case_file
from assistant.authoring.conversation_tests import KnowledgeCache, reference_problems, run_case
from assistant.content.knowledge import SHIPPED_INTENTS

HERE = Path(__file__).parent
CASE_FILES = sorted(
    [*(SHIPPED_INTENTS / "tests").glob("*.yaml"), *(HERE / "data" / "conversations").glob("*.yaml")]
)
FILES = [load_case_file(p) for p in CASE_FILES]
CASES = [(f, c) for f in FILES for c in f.cases]
CACHE = KnowledgeCache()


def test_the_case_files_are_well_formed() -> None:
    assert FILES, "no conversation test files found"
    problems = [str(p) for f in FILES for p in f.problems]
    assert problems == []


@pytest.mark.parametrize(("case_file", "case"), CASES, ids=[c.id for _, c in CASES])
def test_conversation(case_file: CaseFile, case: Case) -> None:
    knowledge = CACHE.get(case_file)
    if isinstance(knowledge, Exception):
        pytest.fail(str(knowledge))
    assert [str(p) for p in reference_problems(case_file, knowledge)] == []
    result = run_case(case, knowledge)
    assert result.passed, result.report()
