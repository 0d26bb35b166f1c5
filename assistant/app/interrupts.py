"""Ctrl-C, SIGTERM and SIGHUP as one clean request to stop. Standard library only: installed first."""

from __future__ import annotations

import signal
from types import FrameType

#: The signals that stop the assistant; each exits with 128 + its number, as a shell reports it.
#: SIGHUP: the terminal or the SSH session went away.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

Handler = signal.Handlers | int | object | None


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; the conversation ends cleanly.

    A BaseException (like KeyboardInterrupt), so that code guarding an edge with
    ``except Exception`` (a failing speaker, say) can never swallow the request to stop.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def raise_interrupted(signum: int, frame: FrameType | None) -> None:
    del frame
    raise Interrupted(signum)


def install() -> dict[signal.Signals, Handler]:
    """Turn SIGINT and SIGTERM into :class:`Interrupted`; return the previous handlers."""
    return {sig: signal.signal(sig, raise_interrupted) for sig in STOP_SIGNALS}


def restore(previous: dict[signal.Signals, Handler]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)  # type: ignore[arg-type]
