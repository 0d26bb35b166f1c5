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
