"""Speech output: real synthesis with pyttsx3's espeak driver, real aplay on a fake ALSA device.

Playback tests give ``aplay`` a temporary HOME whose ``.asoundrc`` routes the default device
to ALSA's ``file`` plugin: what the speaker plays is captured in a raw file and checked.
Broken, raising and hung engines are simulated with small fake engines passed as
``engine_factory``; never create a second real ``pyttsx3.Engine`` in the test process (espeak
allows one synthesis callback per process).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import stat
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.voice.speaker import (
    FileSpeaker,
    Pyttsx3Speaker,
    Speaker,
    SpeakerSettingsError,
    SpeakOutcome,
    SpeechOutputError,
    list_voices,
    render_wav,
    speaker_available,
)
from assistant.voice.speaker_playback import AplayPlayer, PlaybackError
from assistant.voice.speaker_text import split_sentences
from assistant.voice.speaker_wav import wav_info

pytestmark = pytest.mark.voice

pyttsx3 = pytest.importorskip("pyttsx3", reason="speech output needs pyttsx3")

LONG_REPLY = (
    "A warm lower leg can have several causes. "
    "Some of them need a doctor today. "
    "Let us go through a few questions together."
)
RAW_BYTES_PER_SECOND = 22050 * 2  # what the fake device receives: 22.05 kHz mono 16-bit


def _espeak_ok() -> bool:
    try:
        list_voices()
    except SpeechOutputError:
        return False
    return True


needs_espeak = pytest.mark.skipif(not _espeak_ok(), reason="espeak-ng is not installed")
needs_aplay = pytest.mark.skipif(shutil.which("aplay") is None, reason="aplay is not installed")


def samples(path: Path) -> np.ndarray[Any, np.dtype[np.int16]]:
    with wave.open(str(path), "rb") as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)


def rms(pcm: np.ndarray[Any, np.dtype[np.int16]]) -> float:
    return float(np.sqrt(np.mean(pcm.astype(np.float64) ** 2)))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def played(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake default ALSA playback device; returns the raw file that receives the audio."""
    home = tmp_path / "home"
    home.mkdir()
    raw = tmp_path / "played.raw"
    (home / ".asoundrc").write_text(
        f'pcm.!default {{\n type file\n slave.pcm "null"\n file "|cat >>{raw}"\n format "raw"\n}}\n'
    )  # the file plugin truncates a plain file at each open: append through a pipe
    raw.touch()
    monkeypatch.setenv("HOME", str(home))
    return raw


@pytest.fixture
def no_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A default ALSA device that cannot be opened, whatever this machine has."""
    home = tmp_path / "nodevice-home"
    home.mkdir()
    (home / ".asoundrc").write_text("pcm.!default {\n type hw\n card 29\n}\n")
    monkeypatch.setenv("HOME", str(home))


class FakeEngine:
    """Stands in for ``pyttsx3.Engine``; ``run`` decides what ``runAndWait`` does."""

    def __init__(self, run: Callable[[FakeEngine], None]) -> None:
        self._run = run
        self.runs = 0
        self.queued: list[tuple[str, str]] = []
        self.listeners: dict[str, list[Callable[..., None]]] = {}

    def save_to_file(self, text: str, filename: str, name: str | None = None) -> None:
        self.queued.append((text, filename))

    def runAndWait(self) -> None:  # noqa: N802
        self.runs += 1
        self._run(self)

    def setProperty(self, name: str, value: Any) -> None:  # noqa: N802
        pass

    def getProperty(self, name: str) -> Any:  # noqa: N802
        return [] if name == "voices" else None

    def isBusy(self) -> bool:  # noqa: N802
        return False

    def notify(self, topic: str, **kwargs: Any) -> None:
        for listener in self.listeners.get(topic, []):
            listener(**kwargs)

    def connect(self, topic: str, cb: Callable[..., None]) -> dict[str, Any]:
        self.listeners.setdefault(topic, []).append(cb)
        return {"topic": topic, "cb": cb}


@pytest.fixture(autouse=True)
def _speaker_log(caplog: pytest.LogCaptureFixture) -> None:
    # The speaker logs its one warning at info level: its caller shows it (pop_warning).
    caplog.set_level(logging.INFO, logger="assistant.voice.speaker")


def warnings_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The speaker's reports that speech output is not working (one per failure, at most)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "assistant.voice.speaker" and r.getMessage().startswith("speech output is not working")
    ]


# --- sentences -------------------------------------------------------------------------------


def test_split_sentences_keeps_abbreviations_and_lowercase_continuations() -> None:
    text = 'See Dr. Smith today. "Is it hot?" she asked.\nCall 911 now!  Version 2.5 helps.'
    assert split_sentences(text) == [
        "See Dr. Smith today.",
        '"Is it hot?" she asked.',
        "Call 911 now!",
        "Version 2.5 helps.",
    ]
    assert split_sentences("  \n ") == []


def test_split_sentences_breaks_very_long_sentences_at_semicolons() -> None:
    clause = "the leg is warm and a little swollen near the ankle " * 4
    sentences = split_sentences(f"{clause}; {clause}; {clause}.")
    assert len(sentences) == 3
    assert all(len(s) < 300 for s in sentences)


# --- rendering -------------------------------------------------------------------------------


@needs_espeak
def test_render_wav_is_private_speech_of_plausible_length(tmp_path: Path) -> None:
    text = "Please sit down and rest your leg while we talk about how it feels."
    started = time.perf_counter()
    info = render_wav(text, tmp_path / "reply.wav", rate=150)
    elapsed = time.perf_counter() - started
    expected = len(text.split()) * 60 / 150  # 5.2 s
    assert (info.sample_rate, info.channels, info.sample_width) == (22050, 1, 2)
    assert 0.6 * expected < info.duration < 1.6 * expected
    assert rms(samples(info.path)) > 500
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert elapsed < 2.0


@needs_espeak
def test_rendering_prints_nothing_on_standard_output(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """pyttsx3's driver prints "Audio saved to ..."; that would corrupt JSON-lines output."""
    render_wav("Quiet please.", tmp_path / "quiet.wav")
    FileSpeaker(tmp_path / "out").say("Still quiet. Very quiet.")
    assert capfd.readouterr().out == ""


@needs_espeak
def test_rate_setting_changes_the_length(tmp_path: Path) -> None:
    slow = render_wav(LONG_REPLY, tmp_path / "slow.wav", rate=110)
    fast = render_wav(LONG_REPLY, tmp_path / "fast.wav", rate=260)
    assert slow.duration > 1.6 * fast.duration


@needs_espeak
def test_volume_setting_changes_the_loudness(tmp_path: Path) -> None:
    loud = render_wav("Is the leg warm?", tmp_path / "loud.wav", volume=1.0)
    quiet = render_wav("Is the leg warm?", tmp_path / "quiet.wav", volume=0.3)
    assert rms(samples(quiet.path)) < 0.5 * rms(samples(loud.path))


@needs_espeak
def test_voices_are_listed_and_a_chosen_voice_is_used(tmp_path: Path) -> None:
    ids = {v.id for v in list_voices()}
    assert "gmw/en-us" in ids
    default = samples(render_wav("Hello there.", tmp_path / "a.wav").path)
    female = samples(render_wav("Hello there.", tmp_path / "b.wav", voice="en-us+f3").path)
    assert not np.array_equal(default, female)
    with pytest.raises(SpeakerSettingsError, match="no voice"):
        render_wav("Hello.", tmp_path / "c.wav", voice="klingon-x-nowhere")
    with pytest.raises(SpeakerSettingsError, match="no voice"):
        FileSpeaker(tmp_path / "out", voice="klingon-x-nowhere")


def test_unusable_settings_are_refused_with_the_allowed_range(tmp_path: Path) -> None:
    with pytest.raises(SpeakerSettingsError, match="80 to 450"):
        FileSpeaker(tmp_path, rate=20)
    with pytest.raises(SpeakerSettingsError, match=r"0\.0 to 1\.0"):
        render_wav("hi", tmp_path / "x.wav", volume=3.0)


@needs_espeak
def test_two_renders_hold_their_own_text(tmp_path: Path) -> None:
    long = render_wav(LONG_REPLY, tmp_path / "long.wav")
    long_digest = digest(long.path)
    short = render_wav("Yes.", tmp_path / "short.wav")
    assert short.duration < 0.3 * long.duration  # not the previous text again
    assert digest(long.path) == long_digest  # and not written into the first file
    again = render_wav("Yes.", tmp_path / "again.wav")
    assert abs(again.duration - short.duration) < 0.05


# --- the file speaker ------------------------------------------------------------------------


@needs_espeak
def test_file_speaker_numbers_private_files_and_continues_numbering(tmp_path: Path) -> None:
    out = tmp_path / "audio"
    speaker: Speaker = FileSpeaker(out, rate=160)  # mypy: it satisfies the protocol
    assert speaker.say("Hello. I can help you think this through.") is SpeakOutcome.spoken
    assert isinstance(speaker, FileSpeaker)
    assert speaker.say("Is the leg swollen?", label="ask") is SpeakOutcome.spoken
    assert speaker.say("   ") is SpeakOutcome.spoken  # nothing to say: no file, no engine run
    speaker.close()
    assert sorted(p.name for p in out.iterdir()) == ["0001-say.wav", "0002-ask.wav"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert rms(samples(path)) > 500
    # both sentences of the first reply are in its file, one after the other
    parts = [
        render_wav(s, tmp_path / f"{i}.wav", rate=160).duration
        for i, s in enumerate(["Hello.", "I can help you think this through."])
    ]
    assert abs(wav_info(out / "0001-say.wav").duration - sum(parts)) < 0.05

    second_run = FileSpeaker(out)
    assert second_run.say("Goodbye.", label="Result!") is SpeakOutcome.spoken
    second_run.close()
    assert (out / "0003-result.wav").exists()


@needs_espeak
def test_should_stop_is_honoured_between_sentences(tmp_path: Path) -> None:
    calls: list[int] = []

    def stop_after_first_sentence() -> bool:
        calls.append(1)
        return True

    speaker = FileSpeaker(tmp_path / "a", should_stop=stop_after_first_sentence)
    assert speaker.say(LONG_REPLY) is SpeakOutcome.interrupted
    assert len(calls) == 1  # asked once, after the first sentence
    cut = wav_info(tmp_path / "a" / "0001-say.wav").duration
    first_alone = render_wav(split_sentences(LONG_REPLY)[0], tmp_path / "first.wav").duration
    assert abs(cut - first_alone) < 0.1

    calls.clear()
    assert speaker.say(LONG_REPLY, interruptible=False) is SpeakOutcome.spoken
    assert calls == []  # an emergency message is never cut short
    full = wav_info(tmp_path / "a" / "0002-say.wav").duration
    assert full > 2.5 * cut
    speaker.close()


# --- live speech through aplay -----------------------------------------------------------


@needs_espeak
@needs_aplay
def test_live_speech_reaches_the_device_and_earlier_saves_stay_untouched(
    tmp_path: Path, played: Path
) -> None:
    saver = FileSpeaker(tmp_path / "saved")
    assert saver.say("This reply was saved to a file.") is SpeakOutcome.spoken
    saved = tmp_path / "saved" / "0001-say.wav"
    saved_digest = digest(saved)

    speaker = Pyttsx3Speaker(rate=175, save_dir=tmp_path / "live")
    assert speaker.unavailable_reason is None
    probe_bytes = played.stat().st_size  # the 20 ms availability probe
    assert speaker.say(LONG_REPLY) is SpeakOutcome.spoken
    assert digest(saved) == saved_digest
    kept = wav_info(tmp_path / "live" / "0001-say.wav")
    heard_seconds = (played.stat().st_size - probe_bytes) / RAW_BYTES_PER_SECOND
    assert abs(heard_seconds - kept.duration) < 0.3  # all three sentences were played
    assert heard_seconds > 4.0
    speaker.close()
    saver.close()


@needs_espeak
@needs_aplay
def test_plain_pyttsx3_say_after_a_render_is_not_written_into_the_render(
    tmp_path: Path, played: Path
) -> None:
    """The driver's save-file state is reset: pyttsx3's own ``say`` plays again."""
    rendered = render_wav("Saved words.", tmp_path / "saved.wav")
    before = digest(rendered.path)
    engine = pyttsx3.init()  # the engine the speaker uses (one per process)
    engine.say("Spoken words, not saved.")
    engine.runAndWait()
    assert digest(rendered.path) == before
    assert played.stat().st_size > RAW_BYTES_PER_SECOND  # pyttsx3 played through aplay
    # the speaker still works after pyttsx3 was used directly
    assert render_wav("Saved again.", tmp_path / "again.wav").duration > 0.5


@needs_espeak
@needs_aplay
def test_live_speech_stops_between_sentences(played: Path) -> None:
    answers = iter([False, True])
    speaker = Pyttsx3Speaker(should_stop=lambda: next(answers, True))
    size_before = played.stat().st_size
    assert speaker.say(LONG_REPLY) is SpeakOutcome.interrupted
    heard_seconds = (played.stat().st_size - size_before) / RAW_BYTES_PER_SECOND
    assert 0.5 < heard_seconds < 3.5  # roughly the first sentence only
    speaker.close()


@needs_espeak
def test_no_playback_device_is_reported_once_and_fails_fast(
    no_device: None, caplog: pytest.LogCaptureFixture
) -> None:
    ok, reason = speaker_available()
    assert not ok
    assert "no sound output device" in reason
    speaker = Pyttsx3Speaker()
    assert speaker.unavailable_reason == reason
    started = time.perf_counter()
    outcomes = [speaker.say("Hello."), speaker.say("Are you there?")]
    assert outcomes == [SpeakOutcome.failed, SpeakOutcome.failed]
    assert time.perf_counter() - started < 0.5
    warning = speaker.pop_warning()
    assert warning is not None
    assert warning.startswith("speech output is not working: no sound output device")
    assert warning.endswith("the text is printed instead")
    assert speaker.pop_warning() is None
    assert warnings_logged(caplog) == [warning]


@needs_espeak
@needs_aplay
def test_speaker_available_with_a_device(played: Path) -> None:
    ok, description = speaker_available()
    assert ok, description
    assert "espeak voices" in description


def test_missing_aplay_is_explained() -> None:
    ok, reason = AplayPlayer(program="aplay-not-installed-here").probe()
    assert not ok
    assert "alsa-utils" in reason


def test_hung_playback_is_abandoned(tmp_path: Path) -> None:
    stuck = tmp_path / "stuck-player"
    stuck.write_text("#!/bin/sh\nexec sleep 30\n")
    stuck.chmod(0o700)
    started = time.perf_counter()
    with pytest.raises(PlaybackError, match="did not finish"):
        AplayPlayer(program=str(stuck)).play(tmp_path / "any.wav", timeout=0.3)
    assert time.perf_counter() - started < 3.0


# --- engine failures -------------------------------------------------------------------------


def test_engine_that_cannot_start_gives_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> FakeEngine:
        raise RuntimeError("could not initialize espeak")

    speaker = FileSpeaker(tmp_path, engine_factory=broken)
    assert speaker.say("Hello.") is SpeakOutcome.failed
    assert speaker.say("Hello again.") is SpeakOutcome.failed
    [warning] = warnings_logged(caplog)
    assert "could not initialize espeak" in warning
    assert "espeak-ng" in warning  # what to install
    assert speaker.pop_warning() == warning
    assert list(tmp_path.iterdir()) == []


def test_driver_that_raises_fails_once_then_fast(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    def raise_oserror(_engine: FakeEngine) -> None:
        raise OSError("espeak_Synth failed")

    engine = FakeEngine(raise_oserror)
    speaker = FileSpeaker(tmp_path, engine_factory=lambda: engine)
    assert speaker.say("One. Two. Three.") is SpeakOutcome.failed
    assert speaker.say("Four.") is SpeakOutcome.failed
    assert engine.runs == 1  # no retry after the failure
    assert len(engine.queued) == 1  # exactly one utterance per runAndWait
    [warning] = warnings_logged(caplog)
    assert "espeak_Synth failed" in warning


def test_error_notifications_from_the_engine_are_failures(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """pyttsx3 swallows errors of queued commands and only notifies ``error`` listeners."""

    def notify_error(engine: FakeEngine) -> None:
        engine.notify("error", name=None, exception=ValueError("SetVoiceByName failed"))
        engine.notify("finished-utterance", name=None, completed=True)

    speaker = FileSpeaker(tmp_path, engine_factory=lambda: FakeEngine(notify_error))
    assert speaker.say("Hello.") is SpeakOutcome.failed
    assert "SetVoiceByName failed" in warnings_logged(caplog)[0]


def test_engine_that_writes_nothing_is_a_failure(tmp_path: Path) -> None:
    """The utterance ends but no WAV was written."""

    def finish_without_audio(engine: FakeEngine) -> None:
        engine.notify("finished-utterance", name=None, completed=True)

    speaker = FileSpeaker(tmp_path / "out", engine_factory=lambda: FakeEngine(finish_without_audio))
    assert speaker.say("Hello.") is SpeakOutcome.failed
    warning = speaker.pop_warning()
    assert warning is not None
    assert "wrote no audio" in warning


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # let the hung worker thread end


def test_hung_engine_fails_within_the_timeout(
    tmp_path: Path, release: threading.Event, caplog: pytest.LogCaptureFixture
) -> None:
    def block(_engine: FakeEngine) -> None:
        release.wait(30)

    engine = FakeEngine(block)
    speaker = FileSpeaker(tmp_path, engine_factory=lambda: engine, base_timeout=0.3)
    started = time.perf_counter()
    assert speaker.say("Hello there.") is SpeakOutcome.failed
    first = time.perf_counter() - started
    assert first < 0.3 + 2 * 60 / 175 + 0.5  # base + expected speech time + slack
    started = time.perf_counter()
    assert speaker.say("Still there?") is SpeakOutcome.failed
    assert time.perf_counter() - started < 0.05  # fails fast, no second wait
    [warning] = warnings_logged(caplog)
    assert "did not finish" in warning
    assert engine.runs == 1


# --- it is speech ----------------------------------------------------------------------------


@needs_espeak
def test_a_rendered_reply_is_recognized_back(tmp_path: Path) -> None:
    pocketsphinx = pytest.importorskip("pocketsphinx", reason="recognition check needs it")
    soxr = pytest.importorskip("soxr", reason="resampling to 16 kHz needs soxr")
    phrases = [
        "please call an ambulance now",
        "your leg looks fine",
        "drink more water today",
        "rest your leg and wait",
    ]
    decoder = pocketsphinx.Decoder(samprate=16000, loglevel="FATAL")
    grammar = "#JSGF V1.0;\ngrammar replies;\npublic <reply> = " + " | ".join(phrases) + ";\n"
    decoder.add_jsgf_string("replies", grammar)
    decoder.activate_search("replies")
    for phrase in (phrases[0], phrases[3]):
        info = render_wav(phrase.capitalize() + ".", tmp_path / "reply.wav", rate=150)
        pcm = soxr.resample(samples(info.path), info.sample_rate, 16000).astype(np.int16)
        decoder.start_utt()
        decoder.process_raw(pcm.tobytes(), full_utt=True)
        decoder.end_utt()
        assert decoder.hyp() is not None
        assert decoder.hyp().hypstr == phrase
