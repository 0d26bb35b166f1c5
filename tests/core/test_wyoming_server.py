"""The Wyoming handle service, end to end over TCP on 127.0.0.1 with the wyoming package's own
client: Describe, conversations that ask back, emergencies first, out of scope handed back, many
conversations at once, and a malformed event or a dropped connection that harms no other."""

from __future__ import annotations

import asyncio
import socket
import statistics
import time
from typing import Any

import pytest

from assistant.app.session import Conversations
from assistant.app.wyoming_server import ConversationPool, HandleService, conversation_key, describe
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge

wyoming = pytest.importorskip("wyoming", reason="the wyoming package serves Home Assistant")

from wyoming.asr import Transcript  # noqa: E402
from wyoming.client import AsyncTcpClient  # noqa: E402
from wyoming.event import Event  # noqa: E402
from wyoming.handle import Handled, NotHandled  # noqa: E402
from wyoming.info import Describe, Info  # noqa: E402
from wyoming.server import AsyncTcpServer  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def running(knowledge: Knowledge, idle: float = 300.0) -> tuple[AsyncTcpServer, int]:
    conversations = Conversations(knowledge, Settings(offer_summary=False))
    pool = ConversationPool(conversations, idle)
    info = describe(conversations)
    port = free_port()
    server = AsyncTcpServer("127.0.0.1", port)
    await server.start(lambda r, w: HandleService(pool, info, r, w))
    return server, port


async def ask(client: AsyncTcpClient, text: str, conversation: str | None = None) -> Event:
    context = {"conversation_id": conversation} if conversation else None
    await client.write_event(Transcript(text=text, context=context).event())
    event = await client.read_event()
    assert event is not None
    return event


@pytest.fixture
def serve(shipped_knowledge: Knowledge) -> Any:
    def run(body: Any, idle: float = 300.0) -> Any:
        async def main() -> Any:
            server, port = await running(shipped_knowledge, idle)
            try:
                return await body(port)
            finally:
                await server.stop()

        return asyncio.run(main())

    return run


def test_describe_names_a_handle_program(serve: Any) -> None:
    async def body(port: int) -> Info:
        async with AsyncTcpClient("127.0.0.1", port) as client:
            await client.write_event(Describe().event())
            event = await client.read_event()
            assert event is not None and Info.is_type(event.type)
            return Info.from_event(event)

    info = serve(body)
    (program,) = info.handle
    assert program.installed and program.models[0].languages == ["en"]
    assert program.attribution.name


def test_a_conversation_asks_back_then_gives_the_emergency(serve: Any) -> None:
    async def body(port: int) -> list[Event]:
        async with AsyncTcpClient("127.0.0.1", port) as client:
            return [await ask(client, text, "kitchen") for text in ("my calf feels hot", "yes")]

    first, second = serve(body)
    assert Handled.is_type(first.type)
    reply = Handled.from_event(first)
    assert reply.text is not None and reply.text.startswith("I'm a symptom helper, not a doctor")
    assert "breathlessness" in reply.text  # the first red flag, asked back
    assert reply.context == {"conversation_id": "conversation_id:kitchen", "continue_conversation": True}
    result = Handled.from_event(second)
    assert result.text is not None and result.text.startswith("Call 911 now")
    assert result.context is not None and result.context["continue_conversation"] is False


def test_an_emergency_first_thing_is_the_first_words(serve: Any) -> None:
    async def body(port: int) -> Event:
        async with AsyncTcpClient("127.0.0.1", port) as client:
            return await ask(client, "I can't breathe", "hall")

    event = serve(body)
    reply = Handled.from_event(event)
    assert reply.text is not None and reply.text.startswith("Call 911 now")
    assert "not a doctor" in reply.text  # said once, after the action


def test_what_is_not_about_this_is_handed_back(serve: Any) -> None:
    async def body(port: int) -> Event:
        async with AsyncTcpClient("127.0.0.1", port) as client:
            return await ask(client, "turn on the kitchen lights", "lights")

    event = serve(body)
    assert NotHandled.is_type(event.type)


def test_fifty_conversations_at_once_each_reach_a_result(serve: Any) -> None:
    script = [
        "my lower leg feels warm",
        "no",
        "no",
        "no",
        "yes",
        "no",
        "no",
        "no",
        "no",
    ]  # a strain, settling

    async def one(port: int, n: int) -> list[float]:
        took: list[float] = []
        async with AsyncTcpClient("127.0.0.1", port) as client:
            reply: Handled | None = None
            for text in script:
                start = time.perf_counter()
                event = await ask(client, text, f"satellite-{n}")
                took.append(time.perf_counter() - start)
                reply = Handled.from_event(event)
            assert reply is not None and reply.context is not None
            assert reply.context["continue_conversation"] is False
            assert reply.text and "home" in reply.text  # home care, with a safety net
        return took

    async def body(port: int) -> list[float]:
        results = await asyncio.gather(*(one(port, n) for n in range(50)))
        return [t for r in results for t in r]

    latencies = serve(body)
    assert len(latencies) == 50 * len(script)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(
        f"50 concurrent conversations: reply p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms"
    )


def test_a_malformed_event_or_a_dropped_connection_harms_no_other(serve: Any) -> None:
    async def body(port: int) -> tuple[Event, Event]:
        async with AsyncTcpClient("127.0.0.1", port) as steady:
            await ask(steady, "my calf feels hot", "steady")
            async with AsyncTcpClient("127.0.0.1", port) as broken:
                await broken.write_event(Event(type="transcript", data={"context": "nonsense"}))
                bad = await broken.read_event()
                assert bad is not None
            dropped = AsyncTcpClient("127.0.0.1", port)
            await dropped.connect()
            await dropped.write_event(
                Transcript(text="my leg is hot", context={"conversation_id": "x"}).event()
            )
            await dropped.disconnect()  # gone before reading the reply
            after = await ask(steady, "no", "steady")
            return bad, after

    bad, after = serve(body)
    assert NotHandled.is_type(bad.type)
    reply = Handled.from_event(after)
    assert reply.text is not None and "pale" in reply.text  # the next red flag of that conversation


def test_idle_conversations_expire(shipped_knowledge: Knowledge) -> None:
    now = [0.0]
    pool = ConversationPool(
        Conversations(shipped_knowledge, Settings(offer_summary=False)), 60, lambda: now[0]
    )
    pool.reply("a", "my calf feels hot")
    assert "a" in pool.open
    now[0] = 61.0
    _, handled, still_open = pool.reply("b", "my calf feels hot")
    assert "a" not in pool.open and "b" in pool.open and handled and still_open


def test_the_conversation_key_comes_from_the_context() -> None:
    assert conversation_key({"conversation_id": "abc"}, "connection-1") == "conversation_id:abc"
    assert conversation_key({"satellite_id": "kitchen"}, "connection-1") == "satellite_id:kitchen"
    assert conversation_key(None, "connection-1") == "connection-1"
    assert conversation_key({"conversation_id": ""}, "connection-1") == "connection-1"
