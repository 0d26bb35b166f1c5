"""Text mode: one utterance per input line, events out as plain lines or JSON lines."""

from __future__ import annotations

from typing import BinaryIO, TextIO

from assistant.session import Session

#: Longest input line read, in bytes; longer lines are cut (a line is one utterance).
MAX_LINE = 16384


def decode_line(raw: bytes) -> str:
    """Any bytes become text: invalid UTF-8 is replaced, never fatal."""
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def run_text(session: Session, stdin: BinaryIO, stdout: TextIO, *, prompt: bool) -> int:
    """Run one conversation over text lines; return the exit status (0 at end of input)."""
    session.start()
    while not session.finished:
        if prompt:
            stdout.write("> ")
            stdout.flush()
        raw = stdin.readline(MAX_LINE)
        if not raw:
            if prompt:
                stdout.write("\n")
            session.end_of_input()
            break
        if len(raw) == MAX_LINE and not raw.endswith(b"\n"):
            while (rest := stdin.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                pass  # skip the rest of an overlong line
        session.said(decode_line(raw))
    return 0
