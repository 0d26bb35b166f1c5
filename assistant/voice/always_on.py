"""Always-on mode (``assistant --always-on``): wait for the wake phrase, talk, wait again.

For an appliance left running (a Raspberry Pi on a shelf, a systemd service). Each conversation
is a new session with a new dialog: nothing said in one is kept for the next (the summary is
offered or saved as in any conversation). Between conversations the microphone is listened to only
to spot the wake phrase (see :mod:`assistant.voice.wake`); Enter, or SIGUSR1 from a button's
script, starts a conversation too. It runs until it is stopped (Ctrl-C, SIGTERM: the usual clean
stop), or, with ``--wav``, until the files run out.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from assistant.app.output import Output
from assistant.app.session import Conversations
from assistant.base.errors import AssistantError
from assistant.base.events import Event, Waiting, Wake
from assistant.voice.audio import AudioChunk, AudioError
from assistant.voice.buttons import Buttons
from assistant.voice.options import VoiceOptions
from assistant.voice.run import (
    VoiceError,
    VoiceParts,
    check_wav_files,
    microphone_turns,
    run_turns,
    voice_parts,
)
from assistant.voice.wake import WakeError, WakeSettings, WakeSpotter
from assistant.voice.wavinput import iter_wav_chunks

log = logging.getLogger(__name__)


def waiting_text(settings: WakeSettings) -> str:
    return f'Say "{settings.phrase}" or press Enter when you need me.'


def run_always_on(options: VoiceOptions, conversations: Conversations) -> int:
    """Conversation after conversation, each started by the wake phrase or a button."""
    try:
        settings = WakeSettings(options.wake_phrase, options.wake_threshold)
    except WakeError as exc:
        raise VoiceError(str(exc)) from None
    if options.wav:
        check_wav_files(options.wav)
    parts = voice_parts(options, conversations, settings.words)
    spotter = WakeSpotter(parts.recognizer, settings)
    try:
        spotter.prepare()  # a wake phrase it cannot hear is said now, not after the first silence
    except WakeError as exc:
        raise VoiceError(str(exc)) from None
    stdin = None if options.wav else sys.stdin.buffer
    try:
        with Buttons(stdin) as buttons:
            if options.wav:
                files = iter(options.wav)  # waiting and talking take turns at the same list
                waits, turns = _wav_streams(files), _wav_streams(files)
                _loop(conversations, parts, spotter, settings, buttons, waits, turns)
            else:
                _loop(
                    conversations,
                    parts,
                    spotter,
                    settings,
                    buttons,
                    _microphone_waits(options.input_device),
                    microphone_turns(options.input_device),
                )
    except AudioError as exc:
        # An appliance cannot fall back to typing: say what is wrong and exit (a service restarts).
        from assistant.voice.microphone import TEXT_MODE_HINT  # noqa: PLC0415

        reason = str(exc).removesuffix(f"; {TEXT_MODE_HINT}")
        raise AlwaysOnError(f"{reason}; always-on mode needs a working microphone") from None
    return 0


class AlwaysOnError(AssistantError):
    """Always-on mode cannot go on (no microphone, say); the message says why."""


def _loop(
    conversations: Conversations,
    parts: VoiceParts,
    spotter: WakeSpotter,
    settings: WakeSettings,
    buttons: Buttons,
    waits: Iterator[Iterable[AudioChunk]],
    turns: Iterator[Iterable[AudioChunk]],
) -> None:
    first = True
    while True:
        _announce(conversations.outputs, parts.speech, Waiting(waiting_text(settings), first=first))
        first = False
        buttons.pressed()  # a press made during the last conversation does not start the next
        woken = spotter.wait(waits, buttons.pressed)
        if woken is None:
            return
        log.debug("woken by %s (heard %r)", woken.by, woken.heard)
        _announce(conversations.outputs, parts.speech, Wake(woken.by, woken.heard))
        session = conversations.new(parts.speech)
        run_turns(session, parts.recognizer, turns, parts.endpoint, parts.heard, parts.stop_listener)


def _announce(outputs: Sequence[Output], speech: Sequence[Output], event: Event) -> None:
    for output in (*outputs, *speech):
        output.emit(event)


def _wav_streams(files: Iterator[Path]) -> Iterator[Iterable[AudioChunk]]:
    """Each remaining file of a shared iterator, in turn: waiting and talking take from the same list."""
    for path in files:
        yield iter_wav_chunks(path)


def _microphone_waits(device: str | None) -> Iterator[Iterable[AudioChunk]]:
    """One microphone stream per wait, closed as soon as it is over (before the chime)."""
    from assistant.voice.microphone import Microphone, device_spec  # noqa: PLC0415

    spec = device_spec(device)

    def one_wait() -> Iterator[AudioChunk]:
        with Microphone(spec) as mic:
            yield from mic.chunks()

    while True:
        yield one_wait()
