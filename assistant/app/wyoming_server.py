"""A Wyoming "handle" service: the assistant as a conversation agent for Home Assistant.

Home Assistant (or any Wyoming client) sends what a person said as a ``transcript`` event; the
reply is ``handled`` with the words to speak, or ``not-handled`` when the first thing said is not
something this assistant is about (Home Assistant then lets its own agent answer). A question
asked back keeps the conversation open: the reply's context carries the conversation id and
``continue_conversation``.

Each conversation is a new :class:`~assistant.app.session.Session` (nothing carried over), keyed
by the conversation id the client sends (``conversation_id`` in the transcript's context, or the
satellite's id), else by the connection. Conversations idle longer than the timeout are dropped.
Everything the text path does, this does: the same dialog, emergencies first.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wyoming.asr import Transcript
from wyoming.event import Event as WyomingEvent
from wyoming.handle import Handled, NotHandled
from wyoming.info import Attribution, Describe, HandleModel, HandleProgram, Info
from wyoming.server import AsyncEventHandler, AsyncServer

from assistant.app.output import EventLog
from assistant.app.session import Conversations, Session
from assistant.base.events import Ask, Event, Result, Say

log = logging.getLogger(__name__)

#: Seconds a conversation may wait for its next transcript before it is dropped.
IDLE_SECONDS = 300.0
#: Conversations kept at once, at most (the oldest idle one is dropped first).
MAX_CONVERSATIONS = 1000
PROGRAM = "leg-symptom-helper"
ATTRIBUTION = Attribution(name="Offline symptom helper", url="https://www.nhs.uk/conditions/")


@dataclass
class Conversation:
    session: Session
    log: EventLog
    last_used: float = field(default_factory=time.monotonic)


class ConversationPool:
    """The conversations under way, by key, each with its own session; idle ones expire."""

    def __init__(
        self,
        conversations: Conversations,
        idle_seconds: float = IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.conversations = conversations
        self.idle_seconds = idle_seconds
        self.clock = clock
        self.open: dict[str, Conversation] = {}

    def reply(self, key: str, text: str) -> tuple[str, bool, bool]:
        """What to say back to ``text`` in conversation ``key``: (words, handled, still open)."""
        self._expire()
        conversation = self.open.get(key)
        first = conversation is None
        disclaimer = ""
        if conversation is None:
            events_log = EventLog()
            session = self.conversations.new([events_log])
            session.start()
            # Of the greeting and the opening question only the disclaimer is said (not a doctor;
            # the emergency number): the person has already said what is wrong.
            greeting = events_log.events
            disclaimer = next((e.text for e in greeting if isinstance(e, Say) and e.role == "disclaimer"), "")
            events_log.clear()
            conversation = Conversation(session, events_log)
            if len(self.open) >= MAX_CONVERSATIONS:
                oldest = min(self.open, key=lambda k: self.open[k].last_used)
                del self.open[oldest]
            self.open[key] = conversation
        conversation.last_used = self.clock()
        conversation.session.said(text, spoken=True)  # a speech-to-text service's transcript
        events = list(conversation.log.events)
        conversation.log.clear()
        finished = conversation.session.finished
        if finished:
            self.open.pop(key, None)
        # Still waiting for a complaint after the first thing said: not something this assistant
        # is about (a "Did you mean...?" or an emergency has moved on from the complaint).
        in_scope = finished or conversation.session.dialog.state.phase != "complaint"
        words = _words(events)
        if first and not in_scope:
            # Nothing this assistant is about: the client's own agent should answer instead.
            self.open.pop(key, None)
            return words, False, False
        if first:
            words = _first_words(events, words, disclaimer)
        return words, True, not finished

    def _expire(self) -> None:
        now = self.clock()
        for key in [k for k, c in self.open.items() if now - c.last_used > self.idle_seconds]:
            log.debug("conversation %s idle for %.0f s: dropped", key, now - self.open[key].last_used)
            del self.open[key]


def _words(events: list[Event]) -> str:
    """What the events say aloud, in order (an emergency's action is always the first result)."""
    parts: list[str] = []
    for event in events:
        if isinstance(event, Say | Ask | Result):
            spoken = event.spoken
            if spoken:
                parts.append(spoken)
    return " ".join(parts)


def _first_words(events: list[Event], words: str, disclaimer: str) -> str:
    """The first reply: the brief disclaimer, once, after an emergency's action, before the rest."""
    if any(isinstance(e, Result) and e.triage == "emergency" for e in events):
        return f"{words} {disclaimer}".strip()  # the action first: nothing may come before it
    return f"{disclaimer} {words}".strip()


class HandleService(AsyncEventHandler):
    """One client connection: Describe gets the Info, each Transcript gets Handled or NotHandled."""

    _numbers = itertools.count(1)

    def __init__(self, pool: ConversationPool, info: Info, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = pool
        self.info = info
        self.connection = f"connection-{next(self._numbers)}"

    async def handle_event(self, event: WyomingEvent) -> bool:
        if Describe.is_type(event.type):
            await self.write_event(self.info.event())
            return True
        if not Transcript.is_type(event.type):
            return True  # other events are not for a handle service: ignored
        try:
            transcript = Transcript.from_event(event)
            text = transcript.text if isinstance(transcript.text, str) else ""
            key = conversation_key(transcript.context, self.connection)
        except (KeyError, TypeError, ValueError, AttributeError):
            await self.write_event(NotHandled(text="Sorry, I could not read that.").event())
            return True
        words, handled, still_open = self.pool.reply(key, text)
        context = {"conversation_id": key, "continue_conversation": still_open}
        reply = Handled(text=words, context=context) if handled else NotHandled(text=words, context=context)
        await self.write_event(reply.event())
        return True


def conversation_key(context: object, connection: str) -> str:
    """The conversation a transcript belongs to: the client's conversation or satellite id."""
    if isinstance(context, dict):
        for name in ("conversation_id", "satellite_id", "device_id"):
            value = context.get(name)
            if isinstance(value, str | int) and str(value).strip():
                return f"{name}:{value}"
    return connection


def describe(conversations: Conversations) -> Info:
    """The Info answered to Describe: one handle program, its language, where its content is from."""
    languages = [conversations.knowledge.system.language or "en"]
    titles = ", ".join(i.title for i in conversations.knowledge.intents)
    model = HandleModel(
        name=PROGRAM,
        attribution=ATTRIBUTION,
        installed=True,
        description=f"Talks through: {titles}",
        version=None,
        languages=languages,
    )
    program = HandleProgram(
        name=PROGRAM,
        attribution=ATTRIBUTION,
        installed=True,
        description="An offline symptom helper (not a doctor): asks questions, then says what to do.",
        version=None,
        models=[model],
    )
    return Info(handle=[program])


async def serve(uri: str, conversations: Conversations, idle_seconds: float = IDLE_SECONDS) -> None:
    """Run the handle service at ``uri`` (``tcp://HOST:PORT``, ``unix://PATH`` or ``stdio://``)."""
    server = AsyncServer.from_uri(uri)
    pool = ConversationPool(conversations, idle_seconds)
    info = describe(conversations)
    log.info("Wyoming handle service at %s", uri)
    await server.run(lambda reader, writer: HandleService(pool, info, reader, writer))


def run_server(uri: str, conversations: Conversations, idle_seconds: float = IDLE_SECONDS) -> int:
    try:
        asyncio.run(serve(uri, conversations, idle_seconds))
    except KeyboardInterrupt:
        return 130
    return 0


def wyoming_command(argv: list[str], load: Callable[[list[str]], Conversations]) -> int:
    """``assistant wyoming``: parse the options, load the content, serve until stopped."""
    import argparse  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog="assistant wyoming",
        description="Serve the assistant as a Wyoming handle service (a Home Assistant conversation agent).",
    )
    parser.add_argument(
        "--uri", default="tcp://127.0.0.1:10700", help="tcp://HOST:PORT, unix://PATH or stdio://"
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=IDLE_SECONDS,
        help="seconds before an idle conversation is dropped",
    )
    parser.add_argument(
        "--intents", action="append", default=[], metavar="DIR", help="extra intents folder (repeatable)"
    )
    parser.add_argument("--emergency-number", default=None, metavar="N")
    args = parser.parse_args(argv)
    if args.idle_timeout <= 0:
        parser.error("--idle-timeout is a number of seconds above 0")
    forwarded = [*(f"--intents={d}" for d in args.intents)]
    if args.emergency_number:
        forwarded.append(f"--emergency-number={args.emergency_number}")
    try:
        conversations = load(forwarded)
    except ValueError as exc:
        parser.error(str(exc))
    return run_server(args.uri, conversations, args.idle_timeout)
