"""Where events go: the terminal (plain text) or JSON lines. Speech output lives in assistant.voice."""

from __future__ import annotations

import logging
from typing import Protocol, TextIO

from assistant.events import Ask, End, Error, Event, Result, Say, Summary, event_to_json

log = logging.getLogger(__name__)


class Output(Protocol):
    def emit(self, event: Event) -> None: ...


class JsonLinesOutput:
    """One JSON object per line, flushed at once (the public protocol)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def emit(self, event: Event) -> None:
        self.stream.write(event_to_json(event) + "\n")
        self.stream.flush()


class TextOutput:
    """Plain lines for a person at a terminal or reading a pipe."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def emit(self, event: Event) -> None:
        text: str | None = None
        if isinstance(event, Say | Ask):
            text = event.text
        elif isinstance(event, Result):
            text = event.text
            if event.triage == "emergency":
                text = f"*** {text} ***"
        elif isinstance(event, Error):
            text = f"(error: {event.message})"
        elif isinstance(event, Summary):
            return
        elif isinstance(event, End):
            return
        if text:
            self.stream.write(text + "\n")
            self.stream.flush()


class SafeOutput:
    """Wraps an output that may fail (speech): a failure is reported once and never stops the rest."""

    def __init__(self, inner: Output, name: str, warn: TextIO) -> None:
        self.inner = inner
        self.name = name
        self.warn = warn
        self.failed = False

    def emit(self, event: Event) -> None:
        if self.failed:
            return
        try:
            self.inner.emit(event)
        except Exception as exc:  # noqa: BLE001 - any failure of an edge must not end the conversation
            self.failed = True
            log.debug("output %s failed", self.name, exc_info=True)
            self.warn.write(f"warning: {self.name} stopped working ({exc}); continuing with text only.\n")
            self.warn.flush()
