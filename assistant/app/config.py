"""Settings from the command line, the environment and ``config.toml``, in that order of precedence.

The file is ``$XDG_CONFIG_HOME/assistant/config.toml`` (``~/.config/assistant/config.toml``), read
with ``tomllib``: data only, nothing in it is run. ``assistant config`` prints the effective value
of every setting and where it came from; a bad file is reported as ``path:line`` with what to write.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from assistant.base.errors import AssistantError
from assistant.base.paths import config_home

Kind = Literal["text", "number", "whole", "folder", "folders", "choice", "switch", "score"]


@dataclass(frozen=True)
class Setting:
    name: str
    #: The argparse destination of its command-line option.
    dest: str
    env: str
    kind: Kind
    help: str
    example: str
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "emergency_number",
        "emergency_number",
        "ASSISTANT_EMERGENCY_NUMBER",
        "text",
        "the number to call in an emergency",
        '"999"',
    ),
    Setting("voice", "voice", "ASSISTANT_VOICE", "text", "synthesizer voice id or name", '"en-gb"'),
    Setting("rate", "rate", "ASSISTANT_RATE", "whole", "speaking rate in words per minute", "150"),
    Setting(
        "input_device",
        "input_device",
        "ASSISTANT_INPUT_DEVICE",
        "text",
        "microphone: index or part of its name",
        '"USB"',
    ),
    Setting(
        "engine",
        "engine",
        "ASSISTANT_ENGINE",
        "choice",
        "speech recognizer",
        '"auto"',
        ("auto", "vosk", "pocketsphinx"),
    ),
    Setting(
        "model",
        "model",
        "VOSK_MODEL_PATH",
        "folder",
        "Vosk model folder",
        '"~/.local/share/assistant/models/vosk-model-small-en-us-0.15"',
    ),
    Setting(
        "listen_timeout",
        "listen_timeout",
        "ASSISTANT_LISTEN_TIMEOUT",
        "number",
        "seconds of silence before a reprompt",
        "8",
    ),
    Setting(
        "always_on",
        "always_on",
        "ASSISTANT_ALWAYS_ON",
        "switch",
        "wait for the wake phrase, talk, wait again",
        "true",
    ),
    Setting(
        "wake_phrase",
        "wake_phrase",
        "ASSISTANT_WAKE_PHRASE",
        "text",
        "what starts a conversation in always-on mode",
        '"okay assistant"',
    ),
    Setting(
        "wake_threshold",
        "wake_threshold",
        "ASSISTANT_WAKE_THRESHOLD",
        "score",
        "how alike (1-100) the words heard must be to the wake phrase",
        "90",
    ),
    Setting(
        "summary_folder",
        "summary_folder",
        "ASSISTANT_SUMMARY_FOLDER",
        "folder",
        "where summaries are saved",
        '"~/Documents/symptom-summaries"',
    ),
    Setting(
        "intents",
        "intents",
        "ASSISTANT_INTENTS",
        "folders",
        "extra folders of drop-in intents",
        '["~/my-intents"]',
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


class ConfigError(AssistantError):
    """The config file cannot be used; the message names the file and line and what to write."""

    exit_code = 2


def config_path() -> Path:
    return config_home() / "config.toml"


@dataclass(frozen=True)
class FileValues:
    path: Path
    values: dict[str, Any]
    lines: dict[str, int]


def read_config(path: Path | None = None) -> FileValues:
    """The settings in the config file (none when it does not exist); ConfigError when it is bad."""
    path = config_path() if path is None else path
    if not path.is_file():
        return FileValues(path, {}, {})
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc}); fix or remove it") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        at = f"{path}:{where.group(1)}:{where.group(2)}" if where else str(path)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(
            f'{at}: {message}; write one setting a line, e.g. emergency_number = "999"'
        ) from None
    lines = {
        m.group(1): n for n, line in enumerate(text.splitlines(), 1) if (m := re.match(r"\s*(\w+)\s*=", line))
    }
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = lines.get(key, 0)
        at = f"{path}:{line}" if line else str(path)
        setting = BY_NAME.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, list(BY_NAME), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the settings are {', '.join(BY_NAME)}"
            raise ConfigError(f"{at}: unknown setting {key!r}; {hint}")
        values[key] = _checked(setting, value, at)
    return FileValues(path, values, lines)


def _checked(setting: Setting, value: Any, at: str) -> Any:
    wrong = f"{at}: {setting.name} should be "
    if setting.kind in ("text", "folder", "choice"):
        if isinstance(value, int | float) and not isinstance(value, bool) and setting.kind == "text":
            raise ConfigError(wrong + f'text in quotes, e.g. {setting.name} = "{value}"')
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(wrong + f"text in quotes, e.g. {setting.name} = {setting.example}")
        if setting.choices and value not in setting.choices:
            raise ConfigError(wrong + f"one of {', '.join(setting.choices)}")
        return value
    if setting.kind == "whole":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError(wrong + f"a whole number, e.g. {setting.name} = {setting.example}")
        return value
    if setting.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(wrong + f"a number of seconds, e.g. {setting.name} = {setting.example}")
        return float(value)
    if setting.kind == "switch":
        if not isinstance(value, bool):
            raise ConfigError(wrong + f"true or false (no quotes), e.g. {setting.name} = {setting.example}")
        return value
    if setting.kind == "score":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
            raise ConfigError(wrong + f"a number from 1 to 100, e.g. {setting.name} = {setting.example}")
        return float(value)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(wrong + f"a list of folders in quotes, e.g. {setting.name} = {setting.example}")
    return value


#: The origin of a setting typed on the command line (see :func:`effective`).
COMMAND_LINE = "command line"


@dataclass(frozen=True)
class Effective:
    value: Any
    origin: str


def effective(
    args: argparse.Namespace, environ: Mapping[str, str], file: FileValues, defaults: Mapping[str, Any]
) -> dict[str, Effective]:
    """Each setting's value and where it came from: command line > environment > file > default."""
    out: dict[str, Effective] = {}
    for s in SETTINGS:
        given = getattr(args, s.dest, None)
        if s.kind == "folders":
            given = given or None
        if given is not None and given != defaults.get(s.dest):
            out[s.name] = Effective(given, COMMAND_LINE)
        elif environ.get(s.env, "").strip():
            out[s.name] = Effective(_from_env(s, environ[s.env]), f"environment ({s.env})")
        elif s.name in file.values:
            line = file.lines.get(s.name, 0)
            out[s.name] = Effective(file.values[s.name], f"{file.path}:{line}" if line else str(file.path))
        else:
            out[s.name] = Effective(defaults.get(s.dest), "default")
    return out


def _from_env(setting: Setting, raw: str) -> Any:
    raw = raw.strip()
    try:
        if setting.kind == "whole":
            return int(raw)
        if setting.kind in ("number", "score"):
            return float(raw)
    except ValueError:
        raise ConfigError(f"{setting.env}={raw!r}: {setting.name} should be a number") from None
    if setting.kind == "folders":
        return [p for p in raw.split(os.pathsep) if p]
    if setting.kind == "switch":
        if raw.lower() in SWITCH_WORDS:
            return SWITCH_WORDS[raw.lower()]
        raise ConfigError(f"{setting.env}={raw!r}: {setting.name} should be 1 or 0 (true or false)")
    return raw


#: What the environment may say for a setting that is on or off.
SWITCH_WORDS = {
    **dict.fromkeys(("1", "true", "yes", "on"), True),
    **dict.fromkeys(("0", "false", "no", "off"), False),
}


def apply(args: argparse.Namespace, settings: Mapping[str, Effective]) -> None:
    """Put the effective values on the parsed arguments, as if they had been typed."""
    for s in SETTINGS:
        value = settings[s.name].value
        if value is None:
            continue
        if s.kind == "folder":
            value = Path(os.path.expanduser(value)) if isinstance(value, str) else value
        elif s.kind == "folders":
            value = [Path(os.path.expanduser(v)) if isinstance(v, str) else v for v in value]
        setattr(args, s.dest, value)


def print_settings(settings: Mapping[str, Effective], file: FileValues, out: TextIO) -> None:
    state = "found" if file.path.is_file() else "not found; 'assistant config --example' prints one"
    out.write(f"config file: {file.path} ({state})\n")
    for s in SETTINGS:
        e = settings[s.name]
        shown = "(not set)" if e.value in (None, []) else e.value
        out.write(f"{s.name:<18} {shown!s:<40} {e.origin}\n")


def example() -> str:
    lines = [
        "# ~/.config/assistant/config.toml: settings for the symptom assistant.",
        "# The command line wins over the environment, which wins over this file. Remove the # to use one.",
        "",
    ]
    for s in SETTINGS:
        lines += [
            f"# {s.help} (command line: --{s.dest.replace('_', '-')}; environment: {s.env})",
            f"# {s.name} = {s.example}",
            "",
        ]
    return "\n".join(lines)
