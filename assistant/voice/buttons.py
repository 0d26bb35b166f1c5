"""Starting a conversation without the wake phrase: Enter, or a signal from a button's script.

- Every line read from standard input is a press (Enter on a terminal). Standard input at its
  end (a service's /dev/null) simply presses nothing.
- SIGUSR1 is a press: a GPIO button wired to a Raspberry Pi runs ``pkill -USR1 -f 'assistant
  --always-on'`` (see the README), and so does anything else that can send a signal.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import BinaryIO

log = logging.getLogger(__name__)

#: The signal that presses the button.
BUTTON_SIGNAL = signal.SIGUSR1


class Buttons:
    """Remembers a press until :meth:`pressed` takes it. Use as a context manager."""

    def __init__(self, stdin: BinaryIO | None) -> None:
        self._event = threading.Event()
        self._stdin = stdin
        self._previous: object = None

    def __enter__(self) -> Buttons:
        self._previous = signal.signal(BUTTON_SIGNAL, self._on_signal)
        if self._stdin is not None:
            threading.Thread(target=self._read_lines, name="enter-key", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(BUTTON_SIGNAL, self._previous)  # type: ignore[arg-type]

    def press(self) -> None:
        self._event.set()

    def pressed(self) -> bool:
        """Whether the button was pressed since the last call (the press is then used up)."""
        if self._event.is_set():
            self._event.clear()
            return True
        return False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        del signum, frame
        self.press()

    def _read_lines(self) -> None:
        assert self._stdin is not None
        try:
            for _line in iter(self._stdin.readline, b""):
                self.press()
        except (OSError, ValueError):
            log.debug("standard input cannot be read; Enter does nothing", exc_info=True)
