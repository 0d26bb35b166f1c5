"""The content cache: the same content back, used only for the same bytes, rebuilt from anything
damaged or foreign, and never able to make anything but content."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from assistant.base.intents import Intent
from assistant.content import content_cache
from assistant.content.cache_codec import BadCacheError, NotCacheableError, encode, loads
from assistant.content.knowledge import SHIPPED_INTENTS, check_files, intent_files, load_knowledge
from assistant.content.limits import MAX_FILE_BYTES
from tests.support import TOY_INTENTS


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache in a folder of the test's own, caching everything (not only slow content)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(content_cache, "WORTH_SECONDS", 0.0)
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
    system, intents = loads(json.dumps(encode([knowledge.system, knowledge.intents])))
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


@pytest.mark.parametrize(
    "damage",
    [
        "not json at all {",
        '{"key": "KEY", "content": {"$": "builtins.eval", "fields": {"source": "1"}}}',
        '{"key": "KEY", "content": {"$": "os.system", "fields": {"command": "touch /tmp/pwned"}}}',
        '{"key": "KEY", "content": {"$enum": "subprocess.Popen", "value": "ls"}}',
        '{"key": "KEY", "content": [1, 2, 3]}',
        '{"key": "other", "content": []}',
        '{"key": "KEY", "content": [{"$": "assistant.base.intents.Intent", "fields": {"nope": 1}}, [], []]}',
    ],
)
def test_a_damaged_or_foreign_entry_is_rebuilt_silently(cache_home: Path, intents: Path, damage: str) -> None:
    expected = _load(intents)
    (entry,) = cache_home.glob("*.json")
    entry.write_text(damage.replace("KEY", entry.stem))
    assert _load(intents) == expected
    assert json.loads(entry.read_text())["key"] == entry.stem  # written again, whole
    assert not Path("/tmp/pwned").exists()


def test_the_codec_refuses_what_is_not_content() -> None:
    with pytest.raises(NotCacheableError):
        encode(threading.Lock())
    with pytest.raises(BadCacheError):
        loads('{"$": "pathlib.Path", "fields": {}}')


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
    data = json.loads(entry.read_text())
    data["content"][1]["$tuple"] = []  # an entry claiming there are no intents
    entry.write_text(json.dumps(data))
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
