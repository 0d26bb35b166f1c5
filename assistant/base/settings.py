"""Run-time settings that are not part of the intent files."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from assistant.base.errors import SettingsError

ENV_EMERGENCY_NUMBER = "ASSISTANT_EMERGENCY_NUMBER"
#: Used only when neither the system pack, the command line nor the environment names a number.
DEFAULT_EMERGENCY_NUMBER = "911"
_NUMBER = re.compile(r"^[0-9][0-9 +-]{0,14}$")


@dataclass(frozen=True)
class TurnWindows:
    """How long a silence ends a spoken turn, in milliseconds, by what is expected and heard.

    The open opening waits longest (people pause mid-sentence while describing a symptom); an
    answer to a question less; an answer whose words already make a complete allowed reply ("no",
    "the second one", "stop") least. Set under ``settings:`` in the system file.
    """

    opening_ms: int = 800
    answer_ms: int = 600
    complete_ms: int = 400


@dataclass(frozen=True)
class Settings:
    #: The number to call in an emergency; None uses the system pack's number.
    emergency_number: str | None = None
    #: Write the summary here without asking (``--summary PATH``).
    summary_path: str | None = None
    #: Offer to save a summary after the result.
    offer_summary: bool = True


def checked_emergency_number(value: str | None) -> str | None:
    """Validate an emergency number from the command line or the environment."""
    if value is None:
        value = os.environ.get(ENV_EMERGENCY_NUMBER)
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _NUMBER.match(value):
        raise SettingsError(
            f"the emergency number {value!r} is not a phone number; use digits, e.g. 911, 999 or 112"
        )
    return value
