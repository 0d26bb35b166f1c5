"""Pronunciations for words the recognizer's dictionary does not have ("varicose", "shins").

PocketSphinx can only hear words its dictionary spells out in phones. CMUdict lacks some words
people use about their legs and emergencies ("sternum", "wheezy", "haemoptysis"), and dropping
them would make the recognizer deaf to them. Chosen fallback: espeak-ng's own rule-based
letter-to-sound (plus its exception lists), already installed as the speech synthesizer, asked
once for all the missing words (``espeak-ng -q -x --sep``), its phoneme names mapped to the
ARPAbet phones of the acoustic model. It runs offline and in one process start (about 30 ms).
A statistical g2p model would need a download and another dependency, for little gain on a
vocabulary of a few dozen words.

Words that sound like a known word but for one phone ("ambulence" for "ambulance", listed for the
text path's typo tolerance; "shins" beside "shin") are left out: the recognizer could not tell them
apart, would only split its belief between them, and the known word is understood the same way.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

log = logging.getLogger(__name__)

#: espeak-ng English phoneme names -> ARPAbet (stress marks and "#" variants are removed first).
_PHONES: dict[str, str] = {
    # vowels
    "a": "AE", "aa": "AA", "a#": "AH", "A:": "AA", "A@": "AA R", "A": "AA",
    "e": "EH", "E": "EH", "e@": "EH R", "i": "IY", "i:": "IY", "I": "IH", "I2": "IH", "I#": "IH",
    "i@": "IY AH", "i@3": "IH R", "0": "AA", "O:": "AO", "O@": "AO R", "o@": "AO R", "O": "AO",
    "oU": "OW", "u:": "UW", "U": "UH", "U@": "UH R", "V": "AH", "3:": "ER", "3": "ER", "@": "AH",
    "@2": "AH", "@5": "AH", "@L": "AH L", "aI": "AY", "aI@": "AY ER", "aI3": "AY ER",
    "aU": "AW", "aU@": "AW ER", "eI": "EY", "OI": "OY", "VR": "ER", "IR": "IH R",
    # consonants
    "p": "P", "b": "B", "t": "T", "d": "D", "k": "K", "g": "G", "f": "F", "v": "V", "s": "S",
    "z": "Z", "h": "HH", "m": "M", "n": "N", "l": "L", "r": "R", "w": "W", "T": "TH", "D": "DH",
    "S": "SH", "Z": "ZH", "N": "NG", "j": "Y", "tS": "CH", "dZ": "JH", "x": "K", "C": "HH",
    "r-": "R", "l/": "L", "n-": "N", "m-": "M", "t#": "T", "d#": "D", "z#": "Z",
}  # fmt: skip
_STRESS = re.compile(r"[',=]")
_WORD = re.compile(r"^[a-z][a-z']*$")
#: Longest time the synthesizer may take to spell the missing words, seconds.
TIMEOUT = 10.0


def to_arpabet(espeak_phonemes: str) -> str | None:
    """ARPAbet phones of one word's espeak-ng phonemes (space-separated), or None if one is unknown."""
    phones: list[str] = []
    for token in espeak_phonemes.split():
        name = _STRESS.sub("", token)
        if name in ("", "_", "?", "#"):
            continue
        mapped = _PHONES.get(name) or _PHONES.get(name.rstrip("#"))
        if mapped is None:
            return None
        for phone in mapped.split():
            if not phones or phones[-1] != phone:  # "o@ r" is AO R, not AO R R
                phones.append(phone)
    return " ".join(phones) or None


def guess(words: Iterable[str], voice: str = "en-us") -> dict[str, str]:
    """ARPAbet pronunciations of ``words`` (lowercase letters) from espeak-ng; {} when unavailable."""
    wanted = sorted({w for w in words if _WORD.match(w)})
    program = shutil.which("espeak-ng") or shutil.which("espeak")
    if not wanted or program is None:
        if wanted:
            log.info("espeak-ng is not installed: no pronunciation for %s", wanted)
        return {}
    text = "".join(f"{w}.\n" for w in wanted)
    try:
        done = subprocess.run(
            [program, "-v", voice, "-q", "-x", "--sep= "],
            input=text,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("espeak-ng could not spell the missing words (%s)", exc)
        return {}
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if len(lines) != len(wanted):
        log.info("espeak-ng gave %d lines for %d words; pronunciations not used", len(lines), len(wanted))
        return {}
    out: dict[str, str] = {}
    for word, line in zip(wanted, lines, strict=True):
        phones = to_arpabet(line)
        if phones is not None:
            out[word] = phones
    return out


def new_pronunciations(missing: Iterable[str], known: dict[str, list[str]]) -> dict[str, list[str]]:
    """Guessed pronunciations for ``missing`` words, leaving out those that sound like a known word."""
    taken = [tuple(phones.split()) for variants in known.values() for phones in variants]
    out: dict[str, list[str]] = {}
    for word, phones in guess(missing).items():
        mine = tuple(phones.split())
        if all(Levenshtein.distance(mine, other, score_cutoff=1) > 1 for other in taken):
            out[word] = [phones]
    return out
