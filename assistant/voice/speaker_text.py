"""Splitting a reply into sentences, so speech can stop between them.

pyttsx3 speaks one utterance per ``runAndWait()`` call and cannot be interrupted from outside
while it synthesizes; speaking a long reply sentence by sentence gives the voice loop a chance
to honour "stop" between sentences and keeps each synthesis short (and its timeout small).
"""

from __future__ import annotations

import re

#: A sentence ends at ``.``, ``!``, ``?`` or ``…`` (optionally followed by closing quotes or
#: brackets) followed by white space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n+")

#: Short words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "st", "vs", "etc", "e.g", "i.e", "approx", "no", "min", "max"}
)

#: A sentence longer than this is further split at ``;`` or ``:`` so that no single
#: synthesis runs for very long.
MAX_SENTENCE_CHARS = 300


def split_sentences(text: str) -> list[str]:
    """Return the non-empty sentences of ``text``, stripped, in order.

    >>> split_sentences("Call 911 now. Do not drive yourself! Is the leg swollen?")
    ['Call 911 now.', 'Do not drive yourself!', 'Is the leg swollen?']
    """
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()].rstrip() + text[match.start() : match.end()].strip()
        follows_lowercase = text[match.end() : match.end() + 1].islower()
        if "\n" not in match.group() and (follows_lowercase or _ends_with_abbreviation(candidate)):
            continue
        pieces.append(candidate)
        start = match.end()
    pieces.append(text[start:])
    sentences: list[str] = []
    for piece in pieces:
        sentences.extend(_split_long(" ".join(piece.split())))
    return [s for s in sentences if s]


def _ends_with_abbreviation(candidate: str) -> bool:
    words = candidate.split()
    if not words or not candidate.endswith("."):
        return False
    return words[-1].rstrip(".").lower() in _ABBREVIATIONS


def _split_long(sentence: str) -> list[str]:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [sentence]
    parts = [p.strip() for p in re.split(r"(?<=[;:])\s+", sentence)]
    return [p for p in parts if p]
