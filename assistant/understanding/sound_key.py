"""A rough key for how an English word sounds, so that a recognition slip can be mapped back to the
word that sounds the same ("tie" and "thigh", "tow" and "toe", "soar" and "sore", "num" and "numb").

Spelling rules only, written by hand: silent letters dropped, consonant spellings merged ("ck" and
"c" as "k", "ph" as "f", "th" as "t", which recognizers confuse), vowel spellings that sound alike
merged into one capital letter for the long vowels ("ee", "ea" and "e...e" are all "E"). It is
deliberately coarse: words that share a key are only candidates, and a word whose key many known
words share is too ambiguous to be taken as a slip of any of them (see :mod:`slips`).
"""

from __future__ import annotations

import re

#: Spellings at the start of a word whose first letter is silent.
_SILENT_START = (("kn", "n"), ("gn", "n"), ("wr", "r"), ("ps", "s"), ("wh", "w"))

#: Applied in order to the whole word (after the silent starts).
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"mb$", "m"),  # numb, limb
        (r"(?<=[aeiou])che$", "ke"),  # ache
        (r"eigh", "A"),  # weigh
        (r"igh", "I"),  # thigh, high, right
        (r"tch", "C"),
        (r"ch", "C"),
        (r"sh", "S"),
        (r"th", "t"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"qu", "kw"),
        (r"x", "ks"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"dge", "j"),
        (r"z", "s"),
        (r"al(?=[fm])", "a"),  # calf, palm
        (r"alk", "ok"),  # walk
        (r"oul", "Ol"),  # soul, shoulder
        (r"(?:ie|ye)$", "I"),  # tie, dye
        (r"ee|ea|ie", "E"),  # heel, heal, field
        (r"oa|oe$|ow$", "O"),  # soar, toe, tow
        (r"oo|ew|ue", "U"),  # boot, chew, blue
        (r"ai|ay|ei|ey", "A"),  # pain, day, vein, grey
        (r"au|aw", "o"),  # sauce, jaw
        (r"oi|oy", "Y"),  # joint, boy
        (r"ou|ow", "W"),  # mouth, cow
        (r"y$", "I"),  # my, dry (a longer word's final y is "ee": changed below)
        # A single vowel, one consonant and a silent e: the vowel says its name (sole, bone, ake).
        (r"a(?=[^aeiouAEIOUY]e$)", "A"),
        (r"i(?=[^aeiouAEIOUY]e$)", "I"),
        (r"o(?=[^aeiouAEIOUY]e$)", "O"),
        (r"u(?=[^aeiouAEIOUY]e$)", "U"),
        (r"(?<=[^aeiouAEIOUY])e$", ""),  # the silent e itself
        (r"(?<=[^aeiouAEIOUY])h", ""),  # an h after a consonant says nothing more
        (r"(\w)\1+", r"\1"),  # doubled letters
    )
)


def sound_key(word: str) -> str:
    """The key of one lower-case word; a word with anything but letters is its own key."""
    if not word.isalpha() or not word.isascii():
        return word
    key = word.lower()
    for start, replacement in _SILENT_START:
        if key.startswith(start) and len(key) > len(start):
            key = replacement + key[len(start) :]
            break
    ends_in_y = key.endswith("y") and len(key) > 3
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    if ends_in_y and key.endswith("I"):
        key = key[:-1] + "E"  # belly, achy: the final y of a longer word is "ee"
    return key
