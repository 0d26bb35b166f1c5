"""Fixtures for the reliability tests: the toy knowledge, a network ban, and a CLI runner.

Helpers are handed out as fixtures (pytest runs with ``--import-mode=importlib``, so test
modules cannot import a sibling helper module by name).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from assistant.base.events import Event
from assistant.base.settings import Settings
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, load_knowledge
from assistant.conversation.dialog import Dialog

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = HERE / "data"
TOY_INTENTS = REPO / "tests" / "data" / "intents"
SYSTEM_FILE = SHIPPED_INTENTS / "system.yaml"
#: A ``sitecustomize`` that forbids sockets in a child Python process and says so on stderr.
NONET_DIR = DATA / "nonet"
NETWORK_MARK = "NETWORK-USE-BLOCKED"

#: Sensible answers to every question of the toy intent (tests/data/intents/toe_pain.yaml).
SENSIBLE = {
    "complaint": "my big toe hurts",
    "confirm_intent": "yes",
    "fever": "no",
    "started": "today",
    "swollen": "yes",
    "age": "45",
    "save_summary": "no",
}
#: A whole toy conversation ending in an "urgent" result and a declined summary.
URGENT_SCRIPT = ("my big toe hurts", "no", "today", "yes", "45", "no")


def fixed_clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30)


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped system pack and the toy toe-pain intent."""
    return load_knowledge([SYSTEM_FILE, TOY_INTENTS])


@pytest.fixture
def make_dialog(knowledge: Knowledge) -> Callable[..., Dialog]:
    def make(**settings: object) -> Dialog:
        return Dialog(knowledge, Settings(**settings), clock=fixed_clock)  # type: ignore[arg-type]

    return make


def answer_until_done(dialog: Dialog, events: list[Event], limit: int = 30) -> list[Event]:
    """Answer whatever is pending sensibly until the conversation ends; return every event."""
    for _ in range(limit):
        pending = dialog.pending
        if dialog.finished or pending is None:
            break
        events += dialog.handle(SENSIBLE[pending.question])
    return events


@pytest.fixture
def sensible() -> Callable[[Dialog, list[Event]], list[Event]]:
    return answer_until_done


# -- no network ------------------------------------------------------------------------------
class NetworkUsedError(OSError):
    """Raised instead of opening a socket in a test that forbids the network."""


@dataclass
class NetworkBan:
    attempts: list[str] = field(default_factory=list)

    def refuse(self, what: str) -> NetworkUsedError:
        self.attempts.append(what)
        return NetworkUsedError(f"{NETWORK_MARK}: {what} is forbidden in this test")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkBan]:
    """Every way Python opens a connection or resolves a name raises; attempts are recorded."""
    ban = NetworkBan()

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise ban.refuse(f"socket.socket{args!r}")

    def refuse(name: str) -> Callable[..., object]:
        def blocked(*args: object, **kwargs: object) -> object:
            raise ban.refuse(f"socket.{name}{args!r}")

        return blocked

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield ban
    assert ban.attempts == [], f"the code tried to use the network: {ban.attempts}"


# -- running the real command ----------------------------------------------------------------
@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str


class Cli:
    """Runs ``python -m assistant`` in a child process, by default with sockets forbidden."""

    def __init__(self, home: Path, cwd: Path) -> None:
        self.home = home
        self.cwd = cwd

    def env(self, *, network: bool = False, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ASSISTANT_", "PYTHON"))}
        paths = [str(REPO)] if network else [str(NONET_DIR), str(REPO)]
        env.update(
            PYTHONPATH=os.pathsep.join(paths),
            PYTHONDONTWRITEBYTECODE="1",
            HOME=str(self.home),
            XDG_DATA_HOME=str(self.home / "data"),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            XDG_STATE_HOME=str(self.home / "state"),
            TMPDIR=str(self.home / "tmp"),
            LC_ALL="C.UTF-8",
        )
        env.update(extra or {})
        return env

    def argv(self, args: Sequence[str]) -> list[str]:
        return [sys.executable, "-m", "assistant", *args]

    def run(
        self,
        args: Sequence[str],
        stdin: bytes | str = b"",
        *,
        network: bool = False,
        extra_env: dict[str, str] | None = None,
        timeout: float = 30,
        prefix: Sequence[str] = (),
    ) -> CliRun:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        done = subprocess.run(
            [*prefix, *self.argv(args)],
            input=data,
            capture_output=True,
            cwd=self.cwd,
            env=self.env(network=network, extra=extra_env),
            timeout=timeout,
            check=False,
        )
        return CliRun(
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )

    def start(
        self, args: Sequence[str], *, extra_env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.argv(args),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.cwd,
            env=self.env(extra=extra_env),
        )


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A CLI runner whose HOME, XDG folders, TMPDIR and working directory are empty tmp folders."""
    home = tmp_path / "home"
    cwd = tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    return Cli(home, cwd)


def files_under(*roots: Path) -> list[Path]:
    """Every file (not folder) under the roots."""
    return sorted(p for root in roots if root.exists() for p in root.rglob("*") if not p.is_dir())


@pytest.fixture
def list_files() -> Callable[..., list[Path]]:
    return files_under
