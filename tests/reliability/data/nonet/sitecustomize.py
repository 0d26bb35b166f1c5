"""Loaded by a child Python whose PYTHONPATH starts here: every socket use fails, loudly.

The reliability tests run the real ``python -m assistant`` with this folder first on PYTHONPATH.
Any attempt raises OSError and also writes NETWORK-USE-BLOCKED to stderr, so an attempt that the
product catches and hides is still seen by the test.
"""

from __future__ import annotations

import socket
import sys
from typing import NoReturn

MARK = "NETWORK-USE-BLOCKED"


def _refuse(what: str) -> NoReturn:
    sys.stderr.write(f"{MARK}: {what}\n")
    sys.stderr.flush()
    raise OSError(f"{MARK}: {what} is forbidden in this test")


class _NoSocket(socket.socket):
    def __init__(self, *args: object, **kwargs: object) -> None:
        _refuse(f"socket.socket{args!r}")


def _blocked(name: str) -> object:
    def blocked(*args: object, **kwargs: object) -> NoReturn:
        _refuse(f"socket.{name}{args!r}")

    return blocked


socket.socket = _NoSocket  # type: ignore[misc]
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "socketpair"):
    setattr(socket, _name, _blocked(_name))


# -- optional: a signal at a precise moment of start-up ------------------------------------------
# RELIABILITY_SIGNAL_ON_IMPORT="assistant.conversation.dialog:SIGINT" sends the signal to this
# process when that module is first imported, i.e. while the product is still starting (before main() runs).
def _signal_on_import(spec: str) -> None:
    import importlib.abc
    import os
    import signal
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

    module, _, name = spec.partition(":")

    class _Trigger(importlib.abc.MetaPathFinder):
        def find_spec(
            self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
        ) -> ModuleSpec | None:
            if fullname == module:
                sys.meta_path.remove(self)
                os.kill(os.getpid(), getattr(signal, name))
            return None

    sys.meta_path.insert(0, _Trigger())


def _setup() -> None:
    import os

    spec = os.environ.get("RELIABILITY_SIGNAL_ON_IMPORT")
    if spec:
        _signal_on_import(spec)


_setup()
