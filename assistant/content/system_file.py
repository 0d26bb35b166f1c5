"""Build the :class:`SystemPack` (sentences, commands, vocabulary) from a located YAML file."""

from __future__ import annotations

from typing import Any

from assistant.base.intents import COMMANDS, MESSAGES, SystemPack
from assistant.base.problems import Problem
from assistant.base.settings import DEFAULT_EMERGENCY_NUMBER, TurnWindows
from assistant.content.field_reader import Reader
from assistant.content.language_file import WORD_LIST_KEYS, read_emergencies, read_word_lists
from assistant.content.located_yaml import LoadedYaml

SYSTEM_KEYS = {
    "system",
    "settings",
    "messages",
    "commands",
    "answers",
    "text_only",
    "language",
    "emergencies",
    "trusted_publishers",
}
TURN_KEYS = {
    "opening_silence_ms": "opening_ms",
    "answer_silence_ms": "answer_ms",
    "complete_answer_silence_ms": "complete_ms",
}
SETTING_KEYS = {"emergency_number", "accept_score", "confirm_score", *TURN_KEYS}
LANGUAGE_KEYS = {"fillers", "stopwords", "contractions", "numbers", *WORD_LIST_KEYS}
ANSWER_KEYS = ("yes", "no", "unsure")


def load_system(loaded: LoadedYaml) -> tuple[SystemPack | None, list[Problem]]:
    r = Reader(loaded)
    top = r.mapping(
        (),
        loaded.data,
        what="the system file",
        allowed=SYSTEM_KEYS,
        required=("system", "messages", "commands", "answers"),
    )
    if top is None:
        return None, r.problems
    language = r.text(("system",), top.get("system"), what="system (the language code, e.g. en)")

    settings = (
        r.mapping(("settings",), top.get("settings") or {}, what="settings", allowed=SETTING_KEYS) or {}
    )
    number = r.text(
        ("settings", "emergency_number"),
        settings.get("emergency_number", DEFAULT_EMERGENCY_NUMBER),
        what="emergency_number",
    )
    accept = r.number(
        ("settings", "accept_score"), settings.get("accept_score"), what="accept_score", default=80
    )
    confirm = r.number(
        ("settings", "confirm_score"), settings.get("confirm_score"), what="confirm_score", default=55
    )
    if accept is not None and confirm is not None and not 0 <= confirm <= accept <= 100:
        r.report(("settings",), "scores must satisfy 0 <= confirm_score <= accept_score <= 100")

    windows: dict[str, int] = {}
    for key, field_name in TURN_KEYS.items():
        value = r.number(("settings", key), settings.get(key), what=key, default=None)
        if value is not None:
            if not 100 <= value <= 5000:
                r.report(("settings", key), f"{key} should be between 100 and 5000 milliseconds, e.g. 600")
            else:
                windows[field_name] = int(value)
    turn_windows = TurnWindows(**windows)
    if not turn_windows.complete_ms <= turn_windows.answer_ms <= turn_windows.opening_ms:
        r.report(
            ("settings",),
            "the silences must satisfy complete_answer_silence_ms <= answer_silence_ms <= opening_silence_ms",
        )

    messages, message_variants = _messages(r, top.get("messages"))
    publishers = tuple(
        h.lower().lstrip(".")
        for h in r.texts(("trusted_publishers",), top.get("trusted_publishers"), what="trusted_publishers")
    )
    commands = _phrase_table(r, "commands", top.get("commands"), COMMANDS)
    answers = _phrase_table(r, "answers", top.get("answers"), dict.fromkeys(ANSWER_KEYS, ""))
    more_commands, more_answers = _text_only(r, top.get("text_only"))

    lang = r.mapping(("language",), top.get("language") or {}, what="language", allowed=LANGUAGE_KEYS) or {}
    fillers = r.texts(("language", "fillers"), lang.get("fillers"), what="fillers")
    stopwords = r.texts(("language", "stopwords"), lang.get("stopwords"), what="stopwords")
    contractions = _str_map(r, ("language", "contractions"), lang.get("contractions"))
    numbers = _numbers(r, lang.get("numbers"))
    word_lists = read_word_lists(r, lang)
    emergencies = read_emergencies(r, top.get("emergencies"))

    if any(p.severity == "error" for p in r.problems) or language is None:
        return None, r.problems
    pack = SystemPack(
        language=language,
        path=loaded.path,
        messages=messages,
        commands=commands,
        answers=answers,
        more_commands=more_commands,
        more_answers=more_answers,
        fillers=fillers,
        contractions=contractions,
        number_words=numbers,
        stopwords=stopwords,
        words=word_lists,
        emergencies=emergencies,
        emergency_number=number or DEFAULT_EMERGENCY_NUMBER,
        accept_score=int(accept or 80),
        turn_windows=turn_windows,
        message_variants=message_variants,
        trusted_publishers=publishers,
        confirm_score=int(confirm or 55),
    )
    return pack, r.problems


def _messages(r: Reader, value: Any) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Each message's first wording, and every wording of those written as a list (said in turn,
    so a reprompt heard three times does not sound the same three times)."""
    m = r.mapping(("messages",), value, what="messages", allowed=MESSAGES, required=MESSAGES) or {}
    out: dict[str, str] = {}
    variants: dict[str, tuple[str, ...]] = {}
    for key in MESSAGES:
        if key not in m:
            continue
        if isinstance(m[key], list):
            texts = r.texts(("messages", key), m[key], what=f"the wordings of message {key!r}", min_items=1)
            if texts:
                out[key] = texts[0]
                variants[key] = texts
        else:
            text = r.text(("messages", key), m[key], what=f"the message {key!r}")
            if text:
                out[key] = text
    for key in ("emergency", "greeting", "out_of_scope_end"):
        for text in variants.get(key, (out[key],) if key in out else ()):
            if "{emergency_number}" not in text:
                r.report(("messages", key), f"the {key} message must contain {{emergency_number}}")
                break
    return out, variants


def _phrase_table(
    r: Reader, section: str, value: Any, required: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    m = r.mapping((section,), value, what=section, allowed=required, required=required) or {}
    return {
        key: r.texts((section, key), m[key], what=f"{section} {key!r}", min_items=1)
        for key in required
        if key in m
    }


def _text_only(r: Reader, value: Any) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """``text_only: {commands: {...}, answers: {...}}``: each table optional, its keys as above."""
    if value is None:
        return {}, {}
    m = r.mapping(("text_only",), value, what="text_only", allowed=("commands", "answers")) or {}
    tables = []
    for section, keys in (("commands", COMMANDS), ("answers", dict.fromkeys(ANSWER_KEYS, ""))):
        body = r.mapping(
            ("text_only", section), m.get(section) or {}, what=f"text_only {section}", allowed=keys
        )
        tables.append(
            {
                k: r.texts(("text_only", section, k), v, what=f"text_only {section} {k!r}")
                for k, v in (body or {}).items()
            }
        )
    return tables[0], tables[1]


def _str_map(r: Reader, path: tuple[str, ...], value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        r.report(path, 'contractions should map a short form to its long form, e.g. "can\'t": cannot')
        return {}
    out: dict[str, str] = {}
    for k, v in value.items():
        text = r.text((*path, k), v, what=f"the long form of {k!r}")
        if text:
            out[str(k).lower()] = text.lower()
    return out


def _numbers(r: Reader, value: Any) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        r.report(("language", "numbers"), "numbers should map a number word to its value, e.g. 'twenty: 20'")
        return {}
    out: dict[str, int] = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, int):
            r.report(("language", "numbers", k), f"the value of {k!r} should be a whole number")
            continue
        out[str(k).lower()] = v
    return out
