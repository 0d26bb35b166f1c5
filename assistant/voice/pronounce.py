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

The same letter-to-sound rules give the words as another accent says them (:func:`accent_variants`):
CMUdict is American, and British English drops the R after a vowel ("warm", "short") and says
"can't" and "after" with a long A. Those pronunciations are added beside CMUdict's, unless one is
already another word's.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

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
#: espeak-ng English voices of accents that say no R after a vowel (Scottish English does).
NON_RHOTIC = frozenset({"en-gb", "en-gb-x-rp"})
#: Pronunciations this short (in phones) are easily heard for one another when they differ in one
#: phone: an accent's one is left out beside another word's (:func:`accent_variants`), and so are
#: yes and no words beside one of the other polarity ("ya" and "nah": Y AA, N AA; see
#: :mod:`assistant.voice.verify`).
SHORT = 2
#: Longest time the synthesizer may take to spell the missing words, seconds.
TIMEOUT = 10.0


def to_arpabet(espeak_phonemes: str, rhotic: bool = True) -> str | None:
    """ARPAbet phones of one word's espeak-ng phonemes (space-separated), or None if one is unknown.

    ``rhotic``: espeak-ng writes the vowels before a written "r" ("A@" in "heart") alike in every
    English voice; a non-rhotic accent says no R there (HH AA T, not HH AA R T). An R it does say,
    before a vowel ("story", "far away"), is a phoneme of its own and stays."""
    phones: list[str] = []
    for token in espeak_phonemes.split():
        name = _STRESS.sub("", token)
        if name in ("", "_", "?", "#"):
            continue
        mapped = _PHONES.get(name) or _PHONES.get(name.rstrip("#"))
        if mapped is None:
            return None
        if not rhotic and mapped.endswith(" R"):
            mapped = mapped[:-2]
        for phone in mapped.split():
            if not phones or phones[-1] != phone:  # "o@ r" is AO R, not AO R R
                phones.append(phone)
    return " ".join(phones) or None


class Guessing:
    """espeak-ng spelling words out in ``voice``'s accent, in a process of its own: started at once,
    so that the caller can go on with other work, and read by :meth:`result`."""

    def __init__(self, words: Iterable[str], voice: str = "en-us") -> None:
        self.voice = voice
        self.wanted = sorted({w for w in words if _WORD.match(w)})
        self._process: subprocess.Popen[str] | None = None
        self._words_file: Path | None = None
        program = shutil.which("espeak-ng") or shutil.which("espeak")
        if not self.wanted or program is None:
            if self.wanted:
                log.info("espeak-ng is not installed: no pronunciation for %s", self.wanted)
            return
        # The words go in a file, not a pipe: a pipe written in full before the output is read
        # could fill up both ways with a large vocabulary.
        try:
            with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as listed:
                self._words_file = Path(listed.name)
                listed.write("".join(f"{w}.\n" for w in self.wanted))
            self._process = subprocess.Popen(
                [program, "-v", voice, "-q", "-x", "--sep= ", "-f", str(self._words_file)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        except OSError as exc:
            log.info("espeak-ng could not be started (%s)", exc)
            self._forget_words()

    def _forget_words(self) -> None:
        if self._words_file is not None:
            self._words_file.unlink(missing_ok=True)
            self._words_file = None

    def result(self) -> dict[str, str]:
        """ARPAbet pronunciations of the words (lowercase letters); {} when unavailable."""
        process, self._process = self._process, None
        if process is None:
            return {}
        try:
            stdout, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            log.info("espeak-ng took over %g s to spell the words; pronunciations not used", TIMEOUT)
            return {}
        finally:
            self._forget_words()
        if process.returncode != 0:
            log.info("espeak-ng could not spell the words (exit status %d)", process.returncode)
            return {}
        lines = [line.strip() for line in stdout.splitlines() if line.strip()]
        if len(lines) != len(self.wanted):
            log.info("espeak-ng gave %d lines for %d words; none used", len(lines), len(self.wanted))
            return {}
        out: dict[str, str] = {}
        for word, line in zip(self.wanted, lines, strict=True):
            phones = to_arpabet(line, rhotic=self.voice not in NON_RHOTIC)
            if phones is not None:
                out[word] = phones
        return out


def guess(words: Iterable[str], voice: str = "en-us") -> dict[str, str]:
    """ARPAbet pronunciations of ``words`` (lowercase letters) from espeak-ng in ``voice``'s
    accent; {} when unavailable."""
    return Guessing(words, voice).result()


def new_pronunciations(missing: Iterable[str], known: dict[str, list[str]]) -> dict[str, list[str]]:
    """Guessed pronunciations for ``missing`` words, leaving out those that sound like a known word."""
    taken = [tuple(phones.split()) for variants in known.values() for phones in variants]
    out: dict[str, list[str]] = {}
    for word, phones in guess(missing).items():
        if not _one_phone_from(tuple(phones.split()), taken):
            out[word] = [phones]
    return out


def accent_variants(guessed: dict[str, str], known: dict[str, list[str]]) -> dict[str, list[str]]:
    """Pronunciations of words in another accent (``guessed``: :class:`Guessing` in an espeak-ng
    voice such as "en-gb"), where they differ from every pronunciation in ``known``, of any word.

    CMUdict spells American English; the acoustic model hears phones, so a British "warm" (W AO M)
    or "short" (SH AO T) is far from W AO R M and SH AO R T, and is heard as another word. An
    accent's pronunciation that is already another word's ("calf" said K AA F, which is "cough")
    is left out: the recognizer could not tell the two apart. So is one of at most :data:`SHORT`
    phones within one phone of another word's: a British "are" (AA) or "ya" (Y AH) would pull in
    every short sound, and "ya" beside a "yes" makes a yes doubtful. Measured on the spoken corpus:
    see :data:`assistant.voice.sphinx_engine.ACCENTS`.
    """
    taken = {phones for variants in known.values() for phones in variants}
    sounds = [(word, tuple(phones.split())) for word, variants in known.items() for phones in variants]
    added: dict[str, list[str]] = {}
    for word, phones in guessed.items():
        sound = tuple(phones.split())
        others = (other for owner, other in sounds if owner != word)
        if phones in taken or (len(sound) <= SHORT and _one_phone_from(sound, others)):
            continue
        added[word] = [phones]
        taken.add(phones)
    return added


def _one_phone_from(sound: tuple[str, ...], others: Iterable[tuple[str, ...]]) -> bool:
    """Whether one of the other pronunciations is within one phone of ``sound``."""
    return any(Levenshtein.distance(sound, other, score_cutoff=1) <= 1 for other in others)
