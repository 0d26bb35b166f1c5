"""Runs a dialog against an input source and a set of outputs. Shared by text and voice modes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.app.output import Output
from assistant.app.summaries import SummaryStore
from assistant.base.events import Ask, Error, Event, Say, Summary
from assistant.base.settings import Settings, TurnWindows
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from assistant.conversation.expectation import Expectation
from assistant.conversation.triage import fill

log = logging.getLogger(__name__)


class Session:
    """Feeds events to every output, in order, and handles the ones that need the outside world."""

    def __init__(
        self,
        dialog: Dialog,
        outputs: Sequence[Output],
        *,
        summaries: SummaryStore | None = None,
    ) -> None:
        self.dialog = dialog
        self._outputs = tuple(outputs)
        self._summaries = summaries or SummaryStore()
        self._started = False

    def publish(self, events: Sequence[Event]) -> None:
        for event in events:
            self._emit(event)
            if isinstance(event, Summary):
                self._emit(self._save(event))

    def _emit(self, event: Event) -> None:
        self._started = True
        for output in self._outputs:
            output.emit(event)

    def _save(self, summary: Summary) -> Say:
        path = Path(summary.path) if summary.path else None
        try:
            path = self._summaries.save(summary.text, summary.path)
        except OSError as exc:
            log.debug("could not save the summary", exc_info=True)
            reason = exc.strerror or str(exc)
            where = str(path) if path is not None else "the summaries folder"
            text = fill(self.dialog.messages["summary_failed"], path=where, reason=reason)
            return Say(text, role="error")
        text = fill(self.dialog.messages["summary_saved"], path=str(path))
        return Say(text, role="summary_saved")

    def start(self) -> None:
        self.publish(self.dialog.start())

    def said(self, text: str, alternatives: Sequence[str] = (), *, spoken: bool = False) -> None:
        """What the person said; ``alternatives``: what a recognizer also thought it heard;
        ``spoken``: heard by a speech recognizer, not typed."""
        # What the person said is private: it reaches the log only with --debug.
        log.debug("heard: %r (or %r)", text, alternatives)
        self.publish(self.dialog.handle(text, alternatives, spoken=spoken))

    def silence(self) -> None:
        self.publish(self.dialog.no_speech())

    def end_of_input(self) -> None:
        self.publish(self.dialog.end_of_input())

    def interrupt(self) -> None:
        self.publish(self.dialog.stop())

    def ask_again(self) -> None:
        """Repeat the question waiting for an answer, if any (a conversation resumed elsewhere)."""
        pending = self.dialog.pending
        if pending is not None:
            self.publish([pending])

    def refuse(self, message: str) -> None:
        """An input the session cannot use: say why, then ask the pending question again."""
        pending = self.dialog.pending
        self.publish([Error(message), *([pending] if pending is not None else [])])

    @property
    def expecting(self) -> Expectation:
        """What the conversation waits for now: the recognizers prepare to hear just that."""
        return self.dialog.expecting

    @property
    def started(self) -> bool:
        """Whether anything has been said yet (the greeting included)."""
        return self._started

    @property
    def finished(self) -> bool:
        return self.dialog.finished

    @property
    def turn_windows(self) -> TurnWindows:
        """How long a silence ends a spoken turn (from the system file)."""
        return self.dialog.knowledge.system.turn_windows


class Conversations:
    """Makes the session of each new conversation (a new dialog each time, nothing carried over),
    with the outputs every conversation has plus those of the adapter that runs it.

    The command line makes one; voice mode, text mode and servers ask it for sessions. The one
    made last is :attr:`current` (Ctrl-C stops that one).
    """

    def __init__(
        self,
        knowledge: Knowledge,
        settings: Settings,
        outputs: Sequence[Output] = (),
        *,
        summaries: SummaryStore | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.settings = settings
        self.outputs = tuple(outputs)
        self.summaries = summaries or SummaryStore()
        self.current: Session | None = None
        self._warming: threading.Thread | None = None

    def new(self, extra_outputs: Sequence[Output] = ()) -> Session:
        session = Session(
            Dialog(self.knowledge, self.settings),
            [*self.outputs, *extra_outputs, _AfterFirstQuestion(self._warm_up)],
            summaries=self.summaries,
        )
        self.current = session
        return session

    def _warm_up(self) -> None:
        """Build the intents (from the content cache), the matcher and the expanded templates in
        the background, once, while the person listens and thinks: the first answer then does
        not wait for them. Started once the first question is out (see :class:`_AfterFirstQuestion`)."""
        if self._warming is None:
            self._warming = threading.Thread(target=self._build, name="warm-up", daemon=True)
            self._warming.start()

    def _build(self) -> None:
        try:
            self.knowledge.understander.understand("my leg")
        except Exception:  # pragma: no cover - the turn that needs it will report the real error
            log.debug("warm-up failed", exc_info=True)


class _AfterFirstQuestion:
    """The last output of every session: calls ``then`` once, when the first question has gone
    to every other output. Two threads share one interpreter lock, so a warm-up started sooner
    would slow the greeting and first question by as much as it ran beside them."""

    def __init__(self, then: Callable[[], None]) -> None:
        self._then: Callable[[], None] | None = then

    def emit(self, event: Event) -> None:
        if self._then is not None and isinstance(event, Ask):
            then, self._then = self._then, None
            then()
