"""The content cache: the same content back, used only for the same bytes, rebuilt from anything
damaged or foreign, and never able to make anything but content."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.base.intents import Intent, Source
from assistant.content import content_cache
from assistant.content.cache_codec import BadCacheError, NotCacheableError, dumps, loads
from assistant.content.knowledge import SHIPPED_INTENTS, check_files, intent_files, load_knowledge
from assistant.content.limits import MAX_FILE_BYTES
from tests.support import ROOT, TOY_INTENTS


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache in a folder of the test's own, caching everything (not only slow content)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(content_cache, "WORTH_INTENTS", 0)
    return tmp_path / "cache" / "assistant" / "content"


@pytest.fixture
def intents(tmp_path: Path) -> Path:
    folder = tmp_path / "intents"
    shutil.copytree(TOY_INTENTS, folder)
    return folder


def _written() -> None:
    for thread in threading.enumerate():
        if thread.name == "content-cache":
            thread.join(timeout=30)


def _load(intents: Path) -> tuple[tuple[Intent, ...], object]:
    knowledge = load_knowledge([SHIPPED_INTENTS, intents], cached=True)
    _written()
    return knowledge.intents, knowledge.system


def test_the_codec_gives_the_same_content_back() -> None:
    knowledge = load_knowledge([SHIPPED_INTENTS, TOY_INTENTS])
    system, intents = loads(dumps([knowledge.system, knowledge.intents]))
    assert system == knowledge.system
    assert intents == knowledge.intents


def test_a_second_start_uses_the_cache_and_a_changed_file_does_not(
    cache_home: Path, intents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _load(intents)
    (entry,) = cache_home.glob("*.json")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_home.stat().st_mode) == 0o700

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the files were read again")

    with monkeypatch.context() as patch:
        patch.setattr("assistant.content.knowledge.check_files", no_reading)
        assert _load(intents) == first

    toy = next(intents.glob("*.yaml"))
    toy.write_text(toy.read_text().replace("big toe", "large toe", 1))
    changed = _load(intents)
    assert changed != first  # a byte changed: the files were read, and a second entry written
    assert len(list(cache_home.glob("*.json"))) == 2


def _record(name: str, fields: list[str] | None, value: object) -> str:
    """One line of an entry, written by hand: the type table and the value."""
    return json.dumps({"types": [[name, fields]], "value": value})


PWNED = Path("/tmp/pwned-by-the-content-cache")


@pytest.mark.parametrize(
    ("line", "damage"),
    [
        (0, "not json at all {"),
        (0, '{"key": "other", "format": 2}'),
        (1, "not json at all {"),
        (1, _record("builtins.eval", ["source"], [0, "1"])),
        (1, _record("os.system", ["command"], [0, f"touch {PWNED}"])),
        (1, _record("subprocess.Popen", None, [-8, 0, "ls"])),
        (1, "[1, 2, 3]"),
        (1, _record("assistant.base.intents.Intent", ["nope"], [0, 1])),
        (1, _record("assistant.base.intents.Intent", ["id"], [0, "x"])),  # fields it does not have
        # The intents are built later, when first needed: damage there is found then.
        (2, '{"types": [], "value": [-1, '),
        (2, _record("os.system", ["command"], [-1, [0, f"touch {PWNED}"]])),
        (2, _record("assistant.base.intents.Source", ["title", "url"], [-1, [0, "a", "b"]])),
        (2, '{"types": [], "value": [-1, {"id": "x"}]}'),
        (2, '{"types": [], "value": [-99, 1]}'),
    ],
)
def test_a_damaged_or_foreign_entry_is_rebuilt_silently(
    cache_home: Path, intents: Path, line: int, damage: str
) -> None:
    expected = _load(intents)
    (entry,) = cache_home.glob("*.json")
    lines = entry.read_text().splitlines()
    lines[line] = damage
    entry.write_text("\n".join(lines))
    assert _load(intents) == expected
    header, *_ = entry.read_text().splitlines()
    assert json.loads(header)["key"] == entry.stem  # written again, whole
    assert _load(intents) == expected
    assert not PWNED.exists()


def test_the_codec_refuses_what_is_not_content() -> None:
    with pytest.raises(NotCacheableError):
        dumps(threading.Lock())
    with pytest.raises(NotCacheableError):
        dumps([Path("a"), object()])
    with pytest.raises(BadCacheError):
        loads(_record("pathlib.Path", [], [0]))


def test_every_kind_of_value_comes_back_as_it_was() -> None:
    source = Source("NICE", "https://example.org")
    value = [
        (source, None, True, 1, 2.5, "text", ()),
        [frozenset({"b", "a"}), {"x", "y"}, {"key": (1, 2), 3: [source]}],
        {Path("a/b.yaml"): re.compile("a+b", re.IGNORECASE)},
    ]
    back = loads(dumps(value))
    assert back == value
    assert type(back[0]) is tuple and type(back[1][0]) is frozenset and type(back[1][1]) is set
    assert isinstance(next(iter(back[2])), Path)


def test_warnings_are_said_on_every_start(
    cache_home: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "warned"
    folder.mkdir()
    source = (TOY_INTENTS / "toe_pain.yaml").read_text()
    # An unquoted yes under answers is read, with a warning (see docs/authoring.md).
    question = "    ask: Is the toe swollen?\n"
    warned = source.replace(question, question + "    answers:\n      yes: [puffy]\n", 1)
    assert warned != source
    (folder / "toe_pain.yaml").write_text(warned)
    load_knowledge([SHIPPED_INTENTS, folder], cached=True)
    _written()
    first = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    caplog.clear()
    load_knowledge([SHIPPED_INTENTS, folder], cached=True)
    again = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any('"yes"' in message for message in first)
    assert again == first


def test_content_quick_to_load_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load_knowledge([SHIPPED_INTENTS, TOY_INTENTS], cached=True)
    _written()
    assert not (tmp_path / "cache").exists()  # nothing written to the person's folders


def test_check_never_trusts_the_cache(cache_home: Path, intents: Path) -> None:
    _load(intents)
    (entry,) = cache_home.glob("*.json")
    header, system, _ = entry.read_text().splitlines()
    entry.write_text("\n".join([header, system, dumps(())]))  # an entry claiming there are no intents
    assert load_knowledge([SHIPPED_INTENTS, intents], cached=True).intents == ()
    knowledge, _ = check_files([SHIPPED_INTENTS, intents])
    assert knowledge is not None and len(knowledge.intents) >= 2


def test_the_key_covers_every_file_the_loader_reads(tmp_path: Path) -> None:
    folder = tmp_path / "drop-ins"
    folder.mkdir()
    for name in ("b.yaml", "a.yml", ".yaml", "notes.txt", "c.yaml.bak"):
        (folder / name).write_text("intent: x\n")
    (folder / "folder.yaml").mkdir()  # a folder named like a file is not read
    (folder / "linked.yaml").symlink_to(folder / "b.yaml")
    (folder / "dangling.yaml").symlink_to(folder / "gone.yaml")
    single = tmp_path / "single.yaml"
    single.write_text("intent: y\n")
    paths = [SHIPPED_INTENTS, folder, single]
    read = [str(p.absolute()) for p in intent_files(paths)]
    listed = content_cache._files(paths)
    once = list({os.path.realpath(f): f for f in reversed(listed)}.values())[::-1]
    assert once == read  # the same files in the same order; a second name for one is only extra
    assert len(listed) == len(read) + 1  # linked.yaml
    assert content_cache.content_key(paths, []) is not None


def test_the_key_is_the_bytes_not_the_file_times(tmp_path: Path) -> None:
    """A same-size edit with the file's times put back (as copying tools do) is a new key."""
    file = tmp_path / "toe.yaml"
    file.write_text("intent: toe\ntitle: a sore toe\n")
    before = content_cache.content_key([file], [])
    info = file.stat()
    file.write_text("intent: toe\ntitle: a hot toe!\n")
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert file.stat().st_size == info.st_size and file.stat().st_mtime_ns == info.st_mtime_ns
    assert content_cache.content_key([file], []) != before
    assert content_cache.content_key([file], ["strict=True"]) != content_cache.content_key([file], [])


def test_no_key_for_a_file_the_loader_would_refuse(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert content_cache.content_key([big], []) is None
    assert content_cache.content_key([tmp_path / "missing.yaml"], []) is None
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert content_cache.content_key([fifo], []) is None  # refused, not waited on


FIRST_PROMPT = """
import json, sys
from pathlib import Path
from assistant.content import content_cache
from assistant.content.knowledge import SHIPPED_INTENTS, load_knowledge
from assistant.conversation.dialog import Dialog
content_cache.WORTH_INTENTS = 0
knowledge = load_knowledge([SHIPPED_INTENTS, Path(sys.argv[1])], cached=True)
greeting = [e.to_dict() for e in Dialog(knowledge).start()]
result = {"modules": sorted(sys.modules), "built": knowledge._intents is not None, "greeting": greeting}
result["intents"] = len(knowledge.intents)
print(json.dumps(result))
"""


def test_a_start_from_the_cache_greets_before_building_intents_or_the_matcher(
    cache_home: Path, intents: Path
) -> None:
    """The first prompt needs only the system pack: the intents are built, and the YAML reader,
    the matcher and NumPy loaded, after it (in the warm-up), never before."""

    def start() -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-c", FIRST_PROMPT, str(intents)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
            env={**os.environ, "XDG_CACHE_HOME": str(cache_home.parent.parent)},
        )
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    first = start()  # reads the files and writes the entry
    assert "yaml" in first["modules"]
    again = start()
    assert again["greeting"] == first["greeting"]
    assert again["intents"] == first["intents"] >= 2
    assert not again["built"]
    for module in (
        "yaml",
        "numpy",
        "assistant.understanding.matcher",
        "assistant.content.file_set",
    ):
        assert module not in again["modules"]
