"""Text mode: one utterance per input line, events out as plain lines or JSON lines."""

from __future__ import annotations

import json
from typing import BinaryIO, TextIO

from assistant.app.session import Session

#: Longest input line read, in bytes; longer lines are cut (a line is one utterance).
MAX_LINE = 16384
#: Recognizer hypotheses read from one JSON input line, at most.
MAX_ALTERNATIVES = 8


def decode_line(raw: bytes) -> str:
    """Any bytes become text: invalid UTF-8 is replaced, never fatal."""
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def feed_json_line(session: Session, line: str) -> None:
    """JSON-lines input: plain text is an utterance; a line starting with '{' is a JSON object.

    ``{"text": "..."}`` is an utterance (with ``"alternatives": [...]``, a recognizer's other
    hypotheses; ``"spoken": true``, heard by a recognizer, the default when alternatives are
    given), ``{"silence": true}`` is a listening timeout.
    Anything else gets an ``error`` event and the conversation goes on.
    """

    refuse = session.refuse
    if not line.lstrip().startswith("{"):
        session.said(line)
        return
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        refuse(f'input line is not valid JSON ({exc.msg}); send text or {{"text": ...}}')
        return
    except ValueError:
        # A number too long to convert (Python's integer-string limit) is not a JSONDecodeError.
        refuse('input line holds a number too long to read; send text or {"text": ...}')
        return
    except RecursionError:
        # Deeply nested brackets ("{[[[[...") exhaust the parser's stack before any error is found.
        refuse('input line is nested too deeply to read; send text or {"text": ...}')
        return
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        others = obj.get("alternatives", [])
        if not isinstance(others, list) or not all(isinstance(a, str) for a in others):
            refuse('"alternatives" is a list of strings (what a recognizer also heard)')
            return
        # What a recognizer heard (it sends its other hypotheses, or says so) is read as speech.
        spoken = obj.get("spoken", "alternatives" in obj)
        if not isinstance(spoken, bool):
            refuse('"spoken" is true or false (whether a speech recognizer heard the text)')
            return
        session.said(obj["text"], others[:MAX_ALTERNATIVES], spoken=spoken)
    elif isinstance(obj, dict) and obj.get("silence") is True:
        session.silence()
    else:
        refuse('input object needs "text" (a string) or "silence": true')


def run_text(
    session: Session,
    stdin: BinaryIO,
    stdout: TextIO,
    *,
    prompt: bool,
    json_input: bool = False,
    resume: bool = False,
) -> int:
    """Run one conversation over text lines; return the exit status (0 at end of input).

    ``resume`` carries on a conversation that has started already (voice mode that lost its
    microphone): the pending question is asked again instead of greeting anew.
    """
    if not resume:
        session.start()
    else:
        session.ask_again()
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
        line = decode_line(raw)
        if json_input:
            feed_json_line(session, line)
        else:
            session.said(line)
    return 0
