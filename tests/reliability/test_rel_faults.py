"""Faults at the edges: a broken or hung speech output, and a disk that will not take the summary."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.app.interrupts import Interrupted, raise_interrupted
from assistant.app.output import EventLog, OutputTimeoutError, SafeOutput, TextOutput, TimeoutOutput
from assistant.app.session import Session
from assistant.base.events import End, Event, Result, Say
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from tests.support import run_assistant

HERE = Path(__file__).resolve().parent
TOY_INTENTS = HERE.parent / "data" / "intents"
EMERGENCY = ("my big toe hurts", "yes")  # a fever with a hot joint: an emergency result
URGENT_SAVE = ("my big toe hurts", "no", "today", "yes", "45", "yes")  # urgent, then "yes, save it"


class BrokenSpeaker:
    """Raises like a speech engine whose sound device vanished, on the first event of a kind."""

    def __init__(self, fail_on: type | None = None) -> None:
        self.fail_on = fail_on
        self.spoken: list[Event] = []
        self.calls = 0

    def emit(self, event: Event) -> None:
        self.calls += 1
        if self.fail_on is None or isinstance(event, self.fail_on):
            raise RuntimeError("ALSA lib pcm.c: Unknown PCM default")
        self.spoken.append(event)


class HangingSpeaker:
    """Never returns from the event it hangs on (until released at the end of the test)."""

    def __init__(self, hang_on: type | None = None) -> None:
        self.hang_on = hang_on
        self.release = threading.Event()
        self.spoken: list[Event] = []

    def emit(self, event: Event) -> None:
        if self.hang_on is None or isinstance(event, self.hang_on):
            self.release.wait(60)
            return
        self.spoken.append(event)


def converse(session: Session, lines: tuple[str, ...]) -> None:
    session.start()
    for line in lines:
        session.said(line)


@pytest.mark.parametrize("fail_on", [None, Say, Result], ids=["first_event", "a_say", "the_result"])
def test_a_failing_speaker_is_reported_once_and_the_emergency_result_is_printed(
    knowledge: Knowledge, fail_on: type | None
) -> None:
    warn, out = io.StringIO(), io.StringIO()
    speaker = BrokenSpeaker(fail_on)
    # Speech first: the worst order, where a failure would come before the text.
    recorded = EventLog()
    session = Session(
        Dialog(knowledge, Settings()), [SafeOutput(speaker, "speech output", warn), TextOutput(out), recorded]
    )
    converse(session, EMERGENCY)

    result = next(e for e in recorded.events if isinstance(e, Result))
    assert result.triage == "emergency"
    assert f"*** {result.text} ***\n" in out.getvalue()
    assert "Call 911 now." in out.getvalue()
    warnings = warn.getvalue().splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: speech output stopped working (ALSA lib")
    assert warnings[0].endswith("continuing with text only.")
    assert speaker.calls == len(speaker.spoken) + 1, "a broken output is not tried again"
    assert recorded.events[-1] == End("completed")


@pytest.mark.parametrize("hang_on", [None, Result], ids=["first_event", "the_result"])
def test_a_hung_speaker_times_out_and_the_text_goes_on(knowledge: Knowledge, hang_on: type | None) -> None:
    warn, out = io.StringIO(), io.StringIO()
    speaker = HangingSpeaker(hang_on)
    speech = SafeOutput(TimeoutOutput(speaker, base=0.3, per_char=0.0), "speech output", warn)
    recorded = EventLog()
    session = Session(Dialog(knowledge, Settings()), [speech, TextOutput(out), recorded])
    began = time.monotonic()
    try:
        converse(session, EMERGENCY)
    finally:
        speaker.release.set()
    elapsed = time.monotonic() - began
    result = next(e for e in recorded.events if isinstance(e, Result))
    assert f"*** {result.text} ***\n" in out.getvalue()
    assert len(warn.getvalue().splitlines()) == 1
    assert "no answer after 0 seconds" in warn.getvalue()
    assert elapsed < 5, "only one timeout is waited for, not one per event"


def test_a_slow_speaker_within_its_deadline_is_not_called_broken(knowledge: Knowledge) -> None:
    class Slow:
        def __init__(self) -> None:
            self.spoken: list[Event] = []

        def emit(self, event: Event) -> None:
            time.sleep(0.01)
            self.spoken.append(event)

    warn, out = io.StringIO(), io.StringIO()
    slow = Slow()
    recorded = EventLog()
    session = Session(
        Dialog(knowledge, Settings()),
        [SafeOutput(TimeoutOutput(slow, base=2.0), "speech output", warn), TextOutput(out), recorded],
    )
    converse(session, EMERGENCY)
    assert warn.getvalue() == ""
    assert slow.spoken == recorded.events


def test_the_deadline_grows_with_the_words_to_say() -> None:
    timed = TimeoutOutput(BrokenSpeaker(), base=1.0, per_char=0.1)
    assert timed.deadline(End("completed")) == 1.0
    assert timed.deadline(Say("x" * 100)) == pytest.approx(11.0)


def test_after_a_timeout_later_events_are_refused_at_once() -> None:
    speaker = HangingSpeaker()
    timed = TimeoutOutput(speaker, base=0.1, per_char=0.0)
    try:
        with pytest.raises(OutputTimeoutError):
            timed.emit(Say("hello"))
        began = time.monotonic()
        with pytest.raises(OutputTimeoutError, match="earlier event"):
            timed.emit(Say("again"))
        assert time.monotonic() - began < 0.05
    finally:
        speaker.release.set()


@pytest.fixture
def interrupt_handler() -> Iterator[None]:
    """The CLI's SIGINT handler, as during a real conversation."""
    previous = signal.signal(signal.SIGINT, raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class SelfInterrupting:
    def emit(self, event: Event) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)  # the handler runs before this returns


@pytest.mark.usefixtures("interrupt_handler")
def test_ctrl_c_while_speaking_is_not_swallowed_as_a_speaker_failure() -> None:
    warn = io.StringIO()
    safe = SafeOutput(SelfInterrupting(), "speech output", warn)
    with pytest.raises(Interrupted):
        safe.emit(Say("hello"))
    assert not safe.failed
    assert warn.getvalue() == ""


@pytest.mark.usefixtures("interrupt_handler")
def test_ctrl_c_while_waiting_for_a_hung_speaker_stops_at_once() -> None:
    speaker = HangingSpeaker()
    safe = SafeOutput(TimeoutOutput(speaker, base=30.0), "speech output", io.StringIO())
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    began = time.monotonic()
    try:
        with pytest.raises(Interrupted):
            safe.emit(Say("hello"))
    finally:
        speaker.release.set()
        timer.cancel()
    assert time.monotonic() - began < 5


# -- the summary and the disk ----------------------------------------------------------------
def said_lines(recorded: EventLog) -> str:
    return "\n".join(e.text for e in recorded.events if isinstance(e, Say))


def test_summary_to_dev_full_is_reported_and_dev_full_survives(knowledge: Knowledge) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("/dev/full is not available")
    recorded = EventLog()
    session = Session(
        Dialog(knowledge, Settings(summary_path="/dev/full")), [TextOutput(io.StringIO()), recorded]
    )
    converse(session, URGENT_SAVE[:-1])
    assert "Sorry, I couldn't save the summary to /dev/full: No space left on device." in said_lines(recorded)
    assert recorded.events[-1] == End("completed")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode), "the device must never be replaced by a file"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_disk_full_during_an_offered_summary(
    knowledge: Knowledge,
    data_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    list_files: Callable[..., list[Path]],
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    out = io.StringIO()
    recorded = EventLog()
    session = Session(Dialog(knowledge, Settings()), [TextOutput(out), recorded])
    converse(session, URGENT_SAVE)
    assert "couldn't save the summary" in out.getvalue()
    assert "No space left on device" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Take care.")
    assert recorded.events[-1] == End("completed")
    assert list_files(data_home) == [], "no temporary file may be left behind"


def test_a_failed_save_keeps_the_previous_file_whole(
    knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "summary.md"
    target.write_text("an earlier summary\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    recorded = EventLog()
    session = Session(
        Dialog(knowledge, Settings(summary_path=str(target))), [TextOutput(io.StringIO()), recorded]
    )
    converse(session, URGENT_SAVE[:-1])
    assert target.read_text() == "an earlier summary\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.md"]


def test_ctrl_c_during_the_save_leaves_no_temporary_file(
    knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise Interrupted(signal.SIGINT)

    monkeypatch.setattr(os, "fsync", interrupted)
    recorded = EventLog()
    session = Session(
        Dialog(knowledge, Settings(summary_path=str(tmp_path / "s.md"))),
        [TextOutput(io.StringIO()), recorded],
    )
    with pytest.raises(Interrupted):
        converse(session, URGENT_SAVE[:-1])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["parent_is_a_file", "path_is_a_folder"])
def test_an_impossible_summary_path_is_reported(knowledge: Knowledge, tmp_path: Path, where: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "folder").mkdir()
    path = tmp_path / "file.txt" / "summary.md" if where == "parent_is_a_file" else tmp_path / "folder"
    recorded = EventLog()
    session = Session(
        Dialog(knowledge, Settings(summary_path=str(path))), [TextOutput(io.StringIO()), recorded]
    )
    converse(session, URGENT_SAVE[:-1])
    assert f"Sorry, I couldn't save the summary to {path}: " in said_lines(recorded)
    assert recorded.events[-1] == End("completed")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["file.txt", "folder"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; see the RLIMIT_FSIZE test")
def test_a_read_only_folder_is_reported(knowledge: Knowledge, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        recorded = EventLog()
        session = Session(
            Dialog(knowledge, Settings(summary_path=str(folder / "s.md"))),
            [TextOutput(io.StringIO()), recorded],
        )
        converse(session, URGENT_SAVE[:-1])
        assert "Permission denied" in said_lines(recorded)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="util-linux prlimit is not installed")
def test_the_cli_on_a_full_disk_tells_the_person_and_ends_normally(
    cli: Any, list_files: Callable[..., list[Path]]
) -> None:
    """A real kernel refusal: RLIMIT_FSIZE makes writing the summary fail with EFBIG."""
    script = "\n".join(URGENT_SAVE) + "\n"
    run = cli.run(["--text", "--intents", str(TOY_INTENTS)], script, prefix=["prlimit", "--fsize=64:64"])
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert "Sorry, I couldn't save the summary to" in run.stdout
    assert "File too large" in run.stdout
    assert run.stdout.rstrip().endswith("Take care.")
    assert list_files(cli.home, cli.cwd) == []


def test_output_that_cannot_be_written_ends_with_a_message_not_a_traceback(cli: Any) -> None:
    """Standard output on a full device: one clear line on stderr and exit status 1."""
    if not Path("/dev/full").is_char_device():
        pytest.skip("/dev/full is not available")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "--text", "--intents", str(TOY_INTENTS)],
            input=b"my big toe hurts\n",
            stdout=full,
            stderr=subprocess.PIPE,
            env=cli.env(),
            cwd=cli.cwd,
            timeout=30,
            check=False,
        )
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "Traceback" not in err
    assert err.strip() == (
        "cannot write the conversation to the output (No space left on device); check where the output goes"
    )


def test_a_reader_that_goes_away_is_not_an_error(cli: Any) -> None:
    """``assistant --json | head -1``: no BrokenPipeError noise on stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "--text", "--json", "--intents", str(TOY_INTENTS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli.env(),
        cwd=cli.cwd,
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.write(b"hello\n" * 2000)
        proc.stdin.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=30) == 0
    assert err == ""


@pytest.mark.voice
@pytest.mark.parametrize(
    "args", [["--list-devices"], ["--no-speech-output"]], ids=["list_devices", "microphone"]
)
def test_no_alsa_configuration_is_a_message_not_an_abort(tmp_path: Path, args: list[str]) -> None:
    """With ALSA_CONFIG_PATH pointing nowhere, PortAudio's start-up aborted the process (SIGABRT)
    with no message; now the sound system is tried in a child first."""
    pytest.importorskip("sounddevice", reason="the microphone needs sounddevice")
    done = run_assistant(
        args, b"", tmp_path, env={"ALSA_CONFIG_PATH": str(tmp_path / "nonexistent")}, timeout=120
    )
    said = (done.stdout + done.stderr).decode(errors="replace")
    assert done.returncode >= 0, f"killed by signal {-done.returncode}: {said}"
    assert "Traceback" not in said
    # Here libasound aborts without its configuration, and the message names it; where it does
    # not abort, the ordinary "no microphone" message is enough.
    assert ("sound system crashed" in said and "ALSA_CONFIG_PATH" in said) or "microphone" in said.lower()
