"""A drop-in can never weaken safety, and no drop-in file can stop the assistant (issue 13).

Hostile drop-in system files (swapped answers, lost emergency phrases, new exceptions, fillers that
erase emergency words, changed contractions) are refused, or loaded only with --allow-override and a
warning; broken drop-in intent files (too deep, alias bombs, too big, not a file) are skipped with a
warning naming them, unless --strict.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.base.problems import Problem
from assistant.content.knowledge import SHIPPED_INTENTS, check_files
from assistant.content.limits import MAX_DEPTH, MAX_FILE_BYTES

SHIPPED_SYSTEM = yaml.safe_load((SHIPPED_INTENTS / "system.yaml").read_text(encoding="utf-8"))


def dropin_system(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load((SHIPPED_INTENTS / "system.yaml").read_text(encoding="utf-8"))
    change(data)
    folder = tmp_path / "dropin"
    folder.mkdir(exist_ok=True)
    (folder / "system.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return folder


def swap_yes_no(d: dict[str, Any]) -> None:
    d["answers"]["yes"], d["answers"]["no"] = d["answers"]["no"], d["answers"]["yes"]


def drop_emergency_phrase(d: dict[str, Any]) -> None:
    d["commands"]["emergency"] = d["commands"]["emergency"][1:]


def drop_a_concept(d: dict[str, Any]) -> None:
    d["emergencies"]["concepts"] = d["emergencies"]["concepts"][1:]


def add_reassurance(d: dict[str, Any]) -> None:
    d["emergencies"]["scope"]["reassurance"] = [*d["emergencies"]["scope"].get("reassurance", []), "chest"]


def drop_ongoing(d: dict[str, Any]) -> None:
    d["emergencies"]["scope"]["ongoing"] = d["emergencies"]["scope"]["ongoing"][1:]


def add_past_event(d: dict[str, Any]) -> None:
    d["emergencies"]["scope"]["past_event"] = [*d["emergencies"]["scope"]["past_event"], "i have"]


def add_unless(d: dict[str, Any]) -> None:
    first = d["emergencies"]["concepts"][0]
    first["unless"] = [*first.get("unless", []), "breath"]


def filler_erases_blood(d: dict[str, Any]) -> None:
    d["language"]["fillers"] = [*d["language"]["fillers"], "blood"]


def contraction_drops_not(d: dict[str, Any]) -> None:
    d["language"]["contractions"]["don't"] = "do"


HOSTILE = {
    "swapped yes and no": (swap_yes_no, "mean 'yes' in the shipped file but 'no' here"),
    "an emergency phrase removed": (drop_emergency_phrase, "emergency phrases"),
    "an emergency concept removed": (drop_a_concept, "is missing; keep every shipped concept"),
    "a reassurance scope added": (add_reassurance, "scope list 'reassurance' has new entries"),
    "an exception added": (add_unless, "has new exceptions (unless)"),
    "a word that keeps a negation from denying removed": (drop_ongoing, "scope list 'ongoing' lost"),
    "a past-event scope added": (add_past_event, "scope list 'past_event' has new entries"),
    "an emergency word made a filler": (filler_erases_blood, "fillers: 'blood' carry"),
    "a contraction changed": (contraction_drops_not, 'contractions: "don\'t"'),
}


def errors(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems if p.severity == "error"]


def test_the_hostile_changes_apply_to_the_shipped_file() -> None:
    for change, _ in HOSTILE.values():
        data = yaml.safe_load((SHIPPED_INTENTS / "system.yaml").read_text(encoding="utf-8"))
        change(data)
        assert data != SHIPPED_SYSTEM


@pytest.mark.parametrize("name", HOSTILE)
def test_a_weakening_system_file_is_refused(tmp_path: Path, name: str) -> None:
    change, says = HOSTILE[name]
    folder = dropin_system(tmp_path, change)
    knowledge, problems = check_files([SHIPPED_INTENTS, folder])
    assert knowledge is None
    found = errors(problems)
    assert found and all("would weaken the shipped safety content" in p for p in found)
    assert any(says in p for p in found), found
    # Starting the assistant: the drop-in is skipped and the shipped words stay in force.
    knowledge, problems = check_files([SHIPPED_INTENTS, folder], skip_broken=True)
    assert knowledge is not None and knowledge.system.path == SHIPPED_INTENTS / "system.yaml"
    assert any("skipped this drop-in file" in str(p) and p.severity == "warning" for p in problems)
    # --allow-override: loaded, with a warning naming the rule.
    knowledge, problems = check_files([SHIPPED_INTENTS, folder], allow_override=True)
    assert knowledge is not None and knowledge.system.path == folder / "system.yaml"
    assert any("--allow-override" in str(p) and says in str(p) for p in problems)


def test_adding_words_is_allowed(tmp_path: Path) -> None:
    def add(d: dict[str, Any]) -> None:
        d["answers"]["yes"] = [*d["answers"]["yes"], "aye"]
        d["commands"]["emergency"] = [*d["commands"]["emergency"], "send the paramedics"]

    knowledge, problems = check_files([SHIPPED_INTENTS, dropin_system(tmp_path, add)])
    assert knowledge is not None and errors(problems) == []
    assert knowledge.yes_no_parser.parse("aye") == "yes"


def test_swapped_answers_cannot_deny_a_red_flag_through_the_cli(cli: Any, tmp_path: Path) -> None:
    folder = dropin_system(tmp_path, swap_yes_no)
    run = cli.run(["--text", "--no-summary", "--intents", str(folder)], "my calf is hot\nyes\n")
    assert run.returncode == 0, run.stderr
    assert "skipped this drop-in file" in run.stderr
    assert "Call 911 now" in run.stdout  # "yes" to the clot-in-the-lungs red flag is still yes
    strict = cli.run(["--text", "--strict", "--intents", str(folder)], "my calf is hot\nyes\n")
    assert strict.returncode != 0
    assert "would weaken the shipped safety content" in strict.stderr
    assert "Traceback" not in strict.stderr + run.stderr


def broken_dropins(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "broken"
    folder.mkdir()
    made = {
        "deep": folder / "deep.yaml",
        "aliases": folder / "aliases.yaml",
        "big": folder / "big.yaml",
    }
    made["deep"].write_text("keywords: " + "[" * 500 + "]" * 500 + "\n")
    made["aliases"].write_text('a: &a "' + "x" * 2000 + '"\nb: [' + ", ".join(["*a"] * 2000) + "]\n")
    made["big"].write_text("phrases:\n" + "  - my leg is hot\n" * (MAX_FILE_BYTES // 16 + 10))
    return made


def test_broken_dropin_files_are_named_and_skipped(tmp_path: Path) -> None:
    made = broken_dropins(tmp_path)
    knowledge, problems = check_files([SHIPPED_INTENTS, made["deep"].parent])
    assert knowledge is None
    text = "\n".join(errors(problems))
    assert f"deep.yaml:1:{MAX_DEPTH + 11}: lists and mappings are nested more than {MAX_DEPTH} levels" in text
    assert "aliases.yaml:1:4: with its aliases (*name) expanded the file holds more than 2,000,000" in text
    assert f"big.yaml: the file is {made['big'].stat().st_size:,} bytes, more than the 1,000,000" in text
    knowledge, problems = check_files([SHIPPED_INTENTS, made["deep"].parent], skip_broken=True)
    assert knowledge is not None and [i.id for i in knowledge.intents] == ["leg_warmth"]
    skipped = [str(p) for p in problems if "skipped this drop-in file" in str(p)]
    assert len(skipped) == 3


def test_a_broken_dropin_does_not_stop_the_assistant(cli: Any, tmp_path: Path) -> None:
    made = broken_dropins(tmp_path)
    run = cli.run(["--text", "--intents", str(made["deep"].parent)], "")
    assert run.returncode == 0 and "What's bothering you today?" in run.stdout
    assert run.stderr.count("skipped this drop-in file") == 3
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "folder-as-file"])
def test_an_intents_path_that_is_not_a_file(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    else:
        path = tmp_path / "folder.yaml"
        path.mkdir()
        (path / "x.txt").write_text("not yaml")
    knowledge, problems = check_files([SHIPPED_INTENTS, path])
    if kind == "folder-as-file":
        assert knowledge is not None  # a folder is read as a folder: nothing in it is YAML
        return
    assert knowledge is None
    assert any("is not a regular file" in p or "not a regular file" in p for p in errors(problems))
