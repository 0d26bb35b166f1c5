"""No code from data: Python tags and code-like conditions in intent files are refused, never run.

Every payload would create a sentinel file if it ran. Each test checks the refusal names the file
with ``path:line:column`` and that the sentinel never appears.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.base.errors import IntentError
from assistant.content.knowledge import SHIPPED_INTENTS, load_knowledge

HERE = Path(__file__).resolve().parent
TOY_FILE = HERE.parent / "data" / "intents" / "toe_pain.yaml"
SYSTEM_FILE = SHIPPED_INTENTS / "system.yaml"


def located(message: str, path: Path) -> list[tuple[int, int]]:
    """The (line, column) of every problem reported for ``path``."""
    found = re.findall(rf"{re.escape(path.name)}:(\d+):(\d+): ", message)
    return [(int(line), int(col)) for line, col in found]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def tag_payloads(sentinel: Path) -> dict[str, str]:
    """YAML values that would run code under an unsafe loader (each touches the sentinel)."""
    s = str(sentinel)
    return {
        "apply_os_system": f'!!python/object/apply:os.system ["touch {s}"]',
        "apply_mapping_form": f"!!python/object/apply:os.system {{args: ['touch {s}']}}",
        "apply_subprocess": f"!!python/object/apply:subprocess.check_call [[touch, {s}]]",
        "new_object": f'!!python/object/new:os.system ["touch {s}"]',
        "name": "!!python/name:os.system",
        "module": "!!python/module:os",
        "object": "!!python/object:builtins.object {}",
        "tuple_of_calls": f'!!python/tuple [!!python/object/apply:os.system ["touch {s}"]]',
        "local_tag": f'!shell "touch {s}"',
    }


PAYLOAD_IDS = list(tag_payloads(Path("x")))


def toy_with(replace: str, by: str) -> str:
    text = TOY_FILE.read_text(encoding="utf-8")
    assert replace in text
    return text.replace(replace, by, 1)


def write_intent(tmp_path: Path, text: str, name: str = "evil.yaml") -> Path:
    """``text`` as the only intent file of a new folder; returns the file."""
    folder = tmp_path / "intents"
    folder.mkdir()
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal_of(tmp_path: Path, text: str, name: str = "evil.yaml") -> tuple[str, Path]:
    """Load ``text`` as an intent file, which must be refused: the error message, and the file."""
    path = write_intent(tmp_path, text, name)
    with pytest.raises(IntentError) as caught:
        load_knowledge([SYSTEM_FILE, path.parent])
    return str(caught.value), path


@pytest.mark.parametrize("payload_id", PAYLOAD_IDS)
@pytest.mark.parametrize("where", ["title", "question_ask", "choice_words"])
def test_python_tags_are_refused_with_a_location(tmp_path: Path, payload_id: str, where: str) -> None:
    sentinel = tmp_path / "PWNED"
    payload = tag_payloads(sentinel)[payload_id]
    if where == "title":
        text = toy_with("title: a painful big toe", f"title: {payload}")
    elif where == "question_ask":
        text = toy_with("ask: Is the toe swollen?", f"ask: {payload}")
    else:
        text = toy_with("today: [today, this morning", f"today: [{payload}, this morning")
    message, path = refusal_of(tmp_path, text)
    marker = "touch" if "touch" in payload else payload.split()[0]
    expected_line = line_of(text, marker)
    assert expected_line in [line for line, _ in located(message, path)], message
    assert "not allowed" in message
    assert not sentinel.exists()


CODE_CONDITIONS = {
    "dunder_import": "__import__('os').system('touch {s}')",
    "attribute_call": "a.b()",
    "lambda": "lambda: open('{s}', 'w')",
    "eval": 'eval("1")',
    "exec_statement": "fever is yes; import os",
    "call_in_comparison": "age >= len('x')",
    "f_string": "f'{{1}}' is yes",
    "semicolon_after_valid": "fever is yes or os.system('touch {s}')",
}


@pytest.mark.parametrize("key", ["ask_if", "triage_when", "evidence_when", "score_when"])
@pytest.mark.parametrize("name", list(CODE_CONDITIONS))
def test_code_in_conditions_is_a_located_error(tmp_path: Path, key: str, name: str) -> None:
    sentinel = tmp_path / "PWNED"
    condition = CODE_CONDITIONS[name].format(s=sentinel)
    quoted = '"' + condition.replace('"', '\\"') + '"'
    originals = {
        "ask_if": 'ask_if: "started in [today, week]"',
        "triage_when": 'when: "swollen is yes and started is today"',
        "evidence_when": 'when: "started is longer"',
        "score_when": 'when: "age >= 40"',
    }
    original = originals[key]
    text = toy_with(original, original.split(":")[0] + ": " + quoted)
    message, path = refusal_of(tmp_path, text)
    places = located(message, path)
    row = line_of(text, quoted)
    assert [line for line, _ in places] == [row], message
    # The column points inside the condition, at or after where it starts.
    start = text.splitlines()[row - 1].index(quoted) + 1
    assert places[0][1] > start, message
    assert not sentinel.exists()


def test_the_cli_refuses_a_tagged_file_without_a_traceback(cli: Any, tmp_path: Path) -> None:
    sentinel = tmp_path / "PWNED"
    folder = write_intent(
        tmp_path,
        toy_with("title: a painful big toe", f'title: !!python/object/apply:os.system ["touch {sentinel}"]'),
    ).parent
    skipped = cli.run(["--text", "--intents", str(folder)], "my big toe hurts\n")
    assert skipped.returncode == 0 and "skipped this drop-in file" in skipped.stderr
    assert not sentinel.exists()
    run = cli.run(["--text", "--strict", "--intents", str(folder)], "my big toe hurts\n")
    assert run.returncode == 1
    assert re.search(r"evil\.yaml:3:8: the tag .*python/object/apply:os\.system.* is not allowed", run.stderr)
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    assert not sentinel.exists()


BOMB = """intent: bomb
title: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """A 1 KB 'billion laughs' file must not make loading run for minutes or eat the memory."""
    folder = write_intent(tmp_path, BOMB, "bomb.yaml").parent
    code = (
        "import resource, sys; from pathlib import Path;"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        "from assistant.content.knowledge import check_files;"
        "k, problems = check_files([Path(sys.argv[1])]);"
        "print('\\n'.join(map(str, problems)))"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(folder)],
            capture_output=True,
            text=True,
            timeout=4,
            check=False,
            cwd=HERE.parent.parent,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("loading a 1 KB alias bomb did not finish in 4 seconds")
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"bomb\.yaml:\d+:\d+: ", done.stdout), done.stdout


def test_a_self_referencing_alias_is_a_located_error(tmp_path: Path) -> None:
    message, path = refusal_of(tmp_path, toy_with("keywords: [toe]", "keywords: &k [toe, *k]"), "loop.yaml")
    assert located(message, path), message
