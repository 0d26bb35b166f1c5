"""What the assistant says, spoken: after it has been printed, never instead of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from assistant.app.output import Output
from assistant.base.events import Ask, Event, Result, Say, Waiting, Wake
from assistant.voice.barge_in import StopListener
from assistant.voice.options import VoiceOptions


class SpeechOutput:
    """Speaks what the assistant says, after it has been printed.

    An emergency result is said with ``interruptible=False``: nothing cuts it short.
    """

    def __init__(
        self,
        speaker: object,
        warn: TextIO,
        barge_in: StopListener | None = None,
        spoken_form: Callable[[str], str] = str,
    ) -> None:
        from assistant.voice.speaker import Pyttsx3Speaker  # noqa: PLC0415 - heavy, voice only

        assert isinstance(speaker, Pyttsx3Speaker)
        self.speaker = speaker
        self.warn = warn
        self.barge_in = barge_in
        #: What is heard differs from what is printed: "911" is said "nine one one".
        self.spoken_form = spoken_form

    def emit(self, event: Event) -> None:
        if isinstance(event, Wake):
            self.speaker.chime()
            self._warn()
            return
        if isinstance(event, Waiting) and event.spoken:
            self.speaker.say(self.spoken_form(event.spoken), label=event.type)
            self._warn()
            return
        if not isinstance(event, Say | Ask | Result):
            return
        if self.barge_in is not None and self.barge_in.requested:
            return  # "stop" was said: nothing more is spoken until the conversation has stopped
        urgent = isinstance(event, Result) and event.triage == "emergency"
        self.speaker.say(self.spoken_form(event.text), interruptible=not urgent, label=event.type)
        self._warn()

    def _warn(self) -> None:
        warning = self.speaker.pop_warning()
        if warning:
            self.warn.write(f"warning: {warning}\n")
            self.warn.flush()


def make_speech_output(
    options: VoiceOptions,
    warn: TextIO,
    should_stop: StopListener | None = None,
    spoken_form: Callable[[str], str] = str,
) -> Output | None:
    """The speaker, or None (replies printed only) when speech output is off or unavailable."""
    if not options.speech_output and not options.save_audio:
        return None
    from assistant.voice.speaker import FileSpeaker, Pyttsx3Speaker, speaker_available  # noqa: PLC0415

    playback = options.speech_output
    if playback:
        available, reason = speaker_available()
        if not available:
            warn.write(f"Speech output is not available ({reason}); replies are printed instead.\n")
            playback = False
    if playback:
        speaker: Pyttsx3Speaker = Pyttsx3Speaker(
            rate=options.rate,
            voice=options.voice,
            save_dir=options.save_audio,
            should_stop=should_stop,
            stop_during_playback=False,
        )
    elif options.save_audio:
        speaker = FileSpeaker(options.save_audio, rate=options.rate, voice=options.voice)
    else:
        return None
    return SpeechOutput(speaker, warn, should_stop, spoken_form)
