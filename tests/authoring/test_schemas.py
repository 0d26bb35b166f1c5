"""The JSON Schemas accept the shipped files and fixtures, reject mistakes, and track the loaders' keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates the editor schemas")

from assistant.authoring import casefile  # noqa: E402
from assistant.content import intent_file as intent_loader  # noqa: E402
from assistant.content import system_file as system_loader  # noqa: E402
from assistant.content.knowledge import SHIPPED_INTENTS  # noqa: E402

ROOT = Path(__file__).parent.parent.parent
SCHEMAS = ROOT / "schema"
HERE = Path(__file__).parent
INTENT_FILES = sorted(
    [p for p in SHIPPED_INTENTS.glob("*.yaml") if p.name != "system.yaml"]
    + [*(ROOT / "tests" / "data" / "intents").glob("*.yaml"), *(HERE / "data" / "flawed").glob("*.yaml")]
)
CASE_FILES = sorted(
    [*(SHIPPED_INTENTS / "tests").glob("*.yaml"), *(HERE / "data" / "conversations").glob("*.yaml")]
)


def validator(name: str) -> Any:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(name: str, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(data)]


@pytest.mark.parametrize("path", INTENT_FILES, ids=lambda p: p.name)
def test_intent_files_match_the_schema(path: Path) -> None:
    assert errors("intent", yaml.safe_load(path.read_text())) == []


def test_the_system_file_matches_the_schema() -> None:
    assert errors("system", yaml.safe_load((SHIPPED_INTENTS / "system.yaml").read_text())) == []


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_conversation_test_files_match_the_schema(path: Path) -> None:
    assert errors("conversation-tests", yaml.safe_load(path.read_text())) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(titel="x"), "Additional properties are not allowed ('titel'"),
        (lambda d: d.update(title=True), "True is not of type 'string'"),
        (lambda d: d["questions"][0].update(kind="yesno"), "'yesno' is not one of"),
        (lambda d: d["questions"][1].pop("choices"), "'choices' is a required property"),
        (lambda d: d["triage"].pop(), "does not contain items matching"),
        (lambda d: d["triage"][0].update(say="Go to hospital."), "does not match"),
    ],
)
def test_the_intent_schema_rejects_mistakes(change: Any, expected: str) -> None:
    data = yaml.safe_load((ROOT / "tests" / "data" / "intents" / "toe_pain.yaml").read_text())
    change(data)
    found = errors("intent", data)
    assert any(expected in e for e in found), found


def properties(schema: dict[str, Any], *path: str) -> set[str]:
    node = schema
    for key in path:
        node = node[key]
    return set(node["properties"])


def test_the_schemas_know_exactly_the_keys_the_loaders_know() -> None:
    intent = json.loads((SCHEMAS / "intent.schema.json").read_text())
    assert set(intent["properties"]) == intent_loader.INTENT_KEYS
    assert properties(intent, "$defs", "question") == intent_loader.QUESTION_KEYS
    assert properties(intent, "$defs", "cause") == intent_loader.CAUSE_KEYS
    assert properties(intent, "$defs", "rule") == intent_loader.RULE_KEYS
    assert properties(intent, "properties", "scores", "additionalProperties") == intent_loader.SCORE_KEYS
    system = json.loads((SCHEMAS / "system.schema.json").read_text())
    assert set(system["properties"]) == system_loader.SYSTEM_KEYS
    assert properties(system, "properties", "settings") == system_loader.SETTING_KEYS
    assert properties(system, "properties", "language") == system_loader.LANGUAGE_KEYS
    tests = json.loads((SCHEMAS / "conversation-tests.schema.json").read_text())
    assert set(tests["properties"]) == casefile.FILE_KEYS
    case = tests["properties"]["tests"]["items"]
    assert set(case["properties"]) == casefile.CASE_KEYS
    assert set(case["properties"]["turns"]["items"]["properties"]) == casefile.TURN_KEYS
    assert (
        set(case["properties"]["turns"]["items"]["properties"]["expect"]["properties"])
        == casefile.EXPECT_KEYS
    )


def test_shipped_files_name_their_schema_for_editors() -> None:
    for path in [*SHIPPED_INTENTS.glob("*.yaml"), *CASE_FILES]:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target}"
