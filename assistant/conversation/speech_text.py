"""Text as it should be heard: codes such as the emergency number read digit by digit.

A synthesizer reads "Call 911 now" as "call nine hundred and eleven now"; people say "nine one
one" (and "nine nine nine", "one one two", "zero zero zero"). The digit names come from the
system file's number words, so a translation needs no code. Printed text and JSON keep "911":
only what is spoken goes through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.base.intents import SystemPack


@dataclass(frozen=True)
class SpeechText:
    """Turns a sentence into the words a synthesizer should say."""

    #: Numbers read digit by digit wherever they stand alone ("911", not "1911").
    codes: tuple[str, ...]
    #: "9" -> "nine".
    digit_names: dict[str, str]

    @classmethod
    def for_system(cls, system: SystemPack, emergency_number: str | None = None) -> SpeechText:
        names: dict[str, str] = {}
        for word, value in system.number_words.items():
            if 0 <= value <= 9 and " " not in word:
                names.setdefault(str(value), word)
        codes = {c for c in (emergency_number, system.emergency_number) if c and c.isdigit()}
        return cls(tuple(sorted(codes, key=len, reverse=True)), names)

    def __call__(self, text: str) -> str:
        if not self.codes or len(self.digit_names) < 10:
            return text
        pattern = re.compile(r"(?<![\d.,])(" + "|".join(map(re.escape, self.codes)) + r")(?![\d.,]\d|\d)")
        return pattern.sub(lambda m: " ".join(self.digit_names[d] for d in m.group(1)), text)
