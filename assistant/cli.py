"""The ``assistant`` command: parse arguments, wire the parts together, turn errors into messages."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import __version__
from assistant.app.config import (
    COMMAND_LINE,
    SETTINGS,
    Effective,
    FileValues,
    apply,
    effective,
    example,
    print_settings,
    read_config,
)
from assistant.app.interrupts import Interrupted, install, restore
from assistant.app.output import JsonLinesOutput, Output, OutputWriteError, TextOutput
from assistant.base.errors import AssistantError
from assistant.base.paths import PROJECT_MODELS_DIR, user_intents_dir
from assistant.base.settings import Settings, checked_emergency_number
from assistant.voice.options import DEFAULT_WAKE_PHRASE, DEFAULT_WAKE_THRESHOLD

if TYPE_CHECKING:
    from assistant.app.session import Conversations
    from assistant.content.knowledge import Knowledge
    from assistant.voice.options import VoiceOptions

log = logging.getLogger(__name__)

#: Exit status after Ctrl-C (SIGINT); SIGTERM gives 143. Both follow the shell's 128 + signal number.
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assistant",
        description=(
            "An offline voice assistant that helps you think through a worrying symptom. "
            "It is not a doctor. Other commands: 'assistant check', 'assistant test', "
            "'assistant evaluate', 'assistant evaluate-utterances', 'assistant models'."
        ),
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    mode = p.add_argument_group("mode")
    mode.add_argument(
        "--text", action="store_true", help="type instead of talking (no microphone or speakers)"
    )
    mode.add_argument("--json", action="store_true", help="print events as JSON lines (see the README)")
    content = p.add_argument_group("content")
    content.add_argument(
        "--intents",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help=f"also load intents from DIR (besides intents/ and {user_intents_dir()})",
    )
    content.add_argument(
        "--strict",
        action="store_true",
        help="stop when any intent file has a problem (by default a broken drop-in file is skipped, "
        "with a warning)",
    )
    content.add_argument(
        "--allow-override",
        action="store_true",
        help="load a drop-in system file even if it weakens the shipped safety words (warns on every start)",
    )
    content.add_argument(
        "--emergency-number",
        metavar="NUMBER",
        help="the number to call in an emergency (default 911; e.g. 999 in the UK, 112 in the EU; "
        "or set ASSISTANT_EMERGENCY_NUMBER)",
    )
    content.add_argument("--summary", metavar="PATH", help="save the summary to PATH without asking")
    content.add_argument("--no-summary", action="store_true", help="do not offer to save a summary")
    content.add_argument(
        "--summary-folder", metavar="DIR", type=Path, help="save summaries in DIR (default: the data folder)"
    )
    voice = p.add_argument_group("voice")
    voice.add_argument(
        "--model", metavar="PATH", type=Path, help="Vosk model folder (or set VOSK_MODEL_PATH)"
    )
    voice.add_argument(
        "--engine",
        choices=("auto", "vosk", "pocketsphinx"),
        default="auto",
        help="speech recognizer: Vosk when a model is installed, else the embedded English one",
    )
    voice.add_argument("--wav", metavar="FILE", type=Path, nargs="+", help="take each turn from a WAV file")
    voice.add_argument("--input-device", metavar="DEVICE", help="microphone: index or part of its name")
    voice.add_argument("--list-devices", action="store_true", help="list microphones and exit")
    voice.add_argument(
        "--save-audio", metavar="DIR", type=Path, help="also write every reply as a WAV file in DIR"
    )
    voice.add_argument(
        "--no-speech-output", action="store_true", help="print replies instead of speaking them"
    )
    voice.add_argument("--rate", type=int, metavar="WPM", help="speaking rate in words per minute")
    voice.add_argument("--voice", metavar="NAME", help="synthesizer voice id or name")
    voice.add_argument(
        "--listen-timeout",
        type=float,
        metavar="SECONDS",
        default=8.0,
        help="silence before a reprompt (default 8)",
    )
    always = p.add_argument_group("always-on (an appliance left running)")
    always.add_argument(
        "--always-on",
        action="store_true",
        help="wait for the wake phrase (or Enter, or SIGUSR1), talk, then wait again, until stopped",
    )
    always.add_argument(
        "--wake-phrase",
        metavar="WORDS",
        default=DEFAULT_WAKE_PHRASE,
        help=f'what starts a conversation (default "{DEFAULT_WAKE_PHRASE}")',
    )
    always.add_argument(
        "--wake-threshold",
        type=float,
        metavar="1-100",
        default=DEFAULT_WAKE_THRESHOLD,
        help=f"how alike the words heard must be to the wake phrase (default {DEFAULT_WAKE_THRESHOLD:g}; "
        "lower wakes more easily, and by mistake more often)",
    )
    logs = p.add_argument_group("diagnostics")
    logs.add_argument("--debug", action="store_true", help="detailed log on stderr, including what was heard")
    logs.add_argument("--quiet", action="store_true", help="errors only (no warnings)")
    return p


def configure_logging(debug: bool, quiet: bool) -> None:
    level = logging.DEBUG if debug else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def make_settings(args: argparse.Namespace) -> Settings:
    return Settings(
        emergency_number=checked_emergency_number(args.emergency_number),
        summary_path=args.summary,
        offer_summary=not args.no_summary,
    )


def load(args: argparse.Namespace) -> Knowledge:
    # Imported here, not at the top: `assistant models` and `--help` need none of the content.
    from assistant.content.knowledge import default_intent_dirs, load_knowledge  # noqa: PLC0415

    return load_knowledge(
        default_intent_dirs(args.intents),
        strict=args.strict,
        allow_override=args.allow_override,
        cached=True,
    )


def voice_options(args: argparse.Namespace) -> VoiceOptions:
    from assistant.voice.options import VoiceOptions  # noqa: PLC0415

    return VoiceOptions(
        engine=args.engine,
        model=args.model,
        wav=tuple(args.wav or ()),
        input_device=args.input_device,
        speech_output=not args.no_speech_output,
        save_audio=args.save_audio,
        rate=args.rate,
        voice=args.voice,
        listen_timeout=args.listen_timeout,
        json=args.json,
        always_on=args.always_on,
        wake_phrase=args.wake_phrase,
        wake_threshold=args.wake_threshold,
    )


#: Flags that mean nothing together, with what to do instead.
CONFLICTS: tuple[tuple[str, str, str], ...] = (
    ("text", "wav", "--text types the turns, --wav hears them from files: use one of the two"),
    ("text", "save_audio", "--text speaks nothing, so --save-audio would write nothing: drop one of the two"),
    ("text", "list_devices", "--list-devices lists microphones, which --text does not use: drop --text"),
    ("text", "model", "--model is for speech recognition, which --text does not use: drop one of the two"),
    ("no_summary", "summary", "--no-summary and --summary PATH contradict each other: keep one"),
    ("wav", "list_devices", "--wav takes turns from files, not from a microphone: drop --list-devices"),
    ("wav", "input_device", "--wav takes turns from files, not from a microphone: drop --input-device"),
    ("text", "always_on", "--always-on listens for a wake phrase; --text does not listen: drop one"),
    ("list_devices", "always_on", "--list-devices lists microphones and exits: drop --always-on"),
)


def flag_conflict(args: argparse.Namespace) -> str | None:
    """The first pair of flags given together that mean nothing together, as a usage message."""
    for first, second, message in CONFLICTS:
        if getattr(args, first, None) and getattr(args, second, None):
            return message
    return None


def missing_input(args: argparse.Namespace) -> str | None:
    """A --wav file that cannot be read, found before any model or sound device is touched."""
    for wav in args.wav or ():
        if not wav.exists():
            return f"no such WAV file: {wav}"
        if not wav.is_file():
            return f"{wav} is not a WAV file (a folder, a pipe or a device); give a .wav file"
    return None


def run_conversation(args: argparse.Namespace) -> int:
    from assistant.app.session import Conversations  # noqa: PLC0415
    from assistant.app.summaries import SummaryStore  # noqa: PLC0415
    from assistant.app.textio import run_text  # noqa: PLC0415

    knowledge = load(args)
    outputs: list[Output] = [JsonLinesOutput(sys.stdout) if args.json else TextOutput(sys.stdout)]
    summaries = SummaryStore(folder=args.summary_folder) if args.summary_folder else None
    conversations = Conversations(knowledge, make_settings(args), outputs, summaries=summaries)
    try:
        if args.always_on:
            from assistant.voice.always_on import run_always_on  # noqa: PLC0415 - voice deps on use

            return run_always_on(voice_options(args), conversations)
        if not args.text:
            runner = _voice_runner()
            if runner is not None:
                return runner(voice_options(args), conversations, args.list_devices)
            sys.stderr.write("Voice mode is not available in this build; continuing in text mode.\n")
        prompt = sys.stdin.isatty() and not args.json
        session = conversations.new()
        return run_text(session, sys.stdin.buffer, sys.stdout, prompt=prompt, json_input=args.json)
    except Interrupted as exc:
        # Ctrl-C or SIGTERM: say we are stopping (with the emergency number) and end cleanly.
        if conversations.current is not None:
            conversations.current.interrupt()
        return exc.exit_code


def server_conversations(argv: list[str]) -> Conversations:
    """The conversations of a server: the content and settings the command line would load (the
    config file and environment included), with no output of its own (the server replies)."""
    from assistant.app.session import Conversations  # noqa: PLC0415

    parser = build_parser()
    args = parser.parse_args(["--text", *argv])
    with_config(parser, args)
    settings = replace(make_settings(args), offer_summary=False, summary_path=None)
    return Conversations(load(args), settings)


def _voice_runner() -> Callable[[VoiceOptions, Conversations, bool], int] | None:
    try:
        from assistant.voice.run import run_voice  # noqa: PLC0415 - voice deps load only when used
    except ImportError:
        log.debug("voice mode unavailable", exc_info=True)
        return None
    return run_voice


SUBCOMMANDS = ("check", "test", "evaluate", "evaluate-utterances", "models", "config", "wyoming")


def subcommand(name: str, argv: Sequence[str]) -> int:
    # Imported on use so that a conversation starts without loading tools it does not need.
    if name == "models":
        from assistant.speechmodels.command import models_command  # noqa: PLC0415

        return models_command(argv, models_dir=PROJECT_MODELS_DIR, out=sys.stdout, err=sys.stderr)
    if name == "evaluate-utterances":
        from assistant.evaluation.utterance_report import evaluate_utterances_command  # noqa: PLC0415

        return evaluate_utterances_command(argv, sys.stdout)
    if name == "evaluate":
        from assistant.evaluation.command import evaluate_command  # noqa: PLC0415

        return evaluate_command(argv, sys.stdout)
    if name == "config":
        return config_command(argv)
    if name == "wyoming":
        from assistant.app.wyoming_server import wyoming_command  # noqa: PLC0415

        return wyoming_command(list(argv), server_conversations)
    if name == "check":
        from assistant.authoring.check import check_command  # noqa: PLC0415

        return check_command(argv, sys.stdout)
    from assistant.authoring.conversation_tests import test_command  # noqa: PLC0415

    return test_command(argv, sys.stdout)


def with_config(
    parser: argparse.ArgumentParser, args: argparse.Namespace, file: FileValues | None = None
) -> dict[str, Effective]:
    """Fill what the command line left unset from the environment, then the config file."""
    defaults = {s.dest: parser.get_default(s.dest) for s in SETTINGS}
    settings = effective(args, os.environ, read_config() if file is None else file, defaults)
    apply(args, settings)
    return settings


def config_command(argv: Sequence[str]) -> int:
    """``assistant config``: every setting's effective value and where it came from."""
    if argv and argv[0] in ("--example", "example"):
        sys.stdout.write(example() + "\n")
        return 0
    if argv:
        sys.stderr.write("usage: assistant config [--example]\n")
        return 2
    parser = build_parser()
    file = read_config()
    settings = with_config(parser, parser.parse_args([]), file)
    print_settings(settings, file, sys.stdout)
    return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        log.debug("could not redirect stdout", exc_info=True)


def _closed_streams() -> int | None:
    """Started with stdin or stdout closed (``<&-``, ``>&-``): an exit status, or None to go on."""
    if sys.stdout is None:
        if sys.stderr is not None:
            sys.stderr.write(
                "assistant: standard output is closed, so nothing could be shown; "
                "run it with a terminal, a file or a pipe as output\n"
            )
        return 2
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - nothing to read: end of input at once
    return None


def main(argv: Sequence[str] | None = None) -> int:
    closed = _closed_streams()
    if closed is not None:
        return closed
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = install()
    try:
        if argv and argv[0] in SUBCOMMANDS:
            configure_logging(debug="--debug" in argv, quiet=False)
            return subcommand(argv[0], [a for a in argv[1:] if a != "--debug"])
        parser = build_parser()
        args = parser.parse_args(argv)
        settings = with_config(parser, args)
        if settings["always_on"].origin != COMMAND_LINE and (args.text or args.wav or args.list_devices):
            # always_on in the config file or environment is for the appliance's plain start; a
            # run asked to type, hear files or list microphones does just that.
            args.always_on = False
        conflict = flag_conflict(args) or missing_input(args)
        if conflict:
            parser.error(conflict)  # exits 2 with the usage line
        configure_logging(args.debug, args.quiet)
        return run_conversation(args)
    except OutputWriteError as exc:
        _silence_stdout()  # what could not be written would fail again at exit
        sys.stderr.write(f"{exc}\n")
        return exc.exit_code
    except AssistantError as exc:
        sys.stderr.write(f"{exc}\n")
        return exc.exit_code
    except Interrupted as exc:
        # Stopped before a conversation existed (while loading), or a second Ctrl-C while stopping.
        sys.stderr.write("Stopped.\n")
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (``assistant --json | head``): nothing more can be shown.
        _silence_stdout()
        return 0
    finally:
        restore(previous)
