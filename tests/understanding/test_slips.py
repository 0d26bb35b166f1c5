"""Recognition slips of short words, and the near-domain sentences that must stay out.

Slips are mapped back to the word meant when they sound the same ("tie" for "thigh", "heal" for
"heel") or are one vowel or silent letter off ("lag" for "leg"), a little less when one consonant
changed; the similarity is shared out among every word a slip could be, known to the intents or
known to mean something else. Two edits in a short word ("oven" and "vein") are another word.
The matcher here is built over generated intents (a body part and a symptom each, in several
frames) with the system file's words only, so no intent's own synonyms help.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from assistant.base.intents import Intent
from assistant.content.knowledge import Knowledge, load_knowledge
from assistant.understanding.matcher import IntentMatcher
from assistant.understanding.normalize import Normalizer
from assistant.understanding.slips import WordSlips
from assistant.understanding.sound_key import sound_key
from assistant.understanding.understand import OPENING
from tests.support import SYSTEM_FILE

PARTS = (  # noqa: SIM905 - easier to read as one string
    "leg calf shin knee thigh toe heel ankle vein neck arm nose wrist elbow hip back nipple brain "
    "liver muscle skin lip eye ear gum jaw"
).split()
SYMPTOMS = "red cold hot dull sore itchy numb swollen pale burning tight bruised aching stiff".split()  # noqa: SIM905
FRAMES = (
    "my {p} is {s}",
    "my {p} feels {s}",
    "{s} {p}",
    "my {p} has been {s} all week",
    "my {p} went {s}",
    "there is a {s} feeling in my {p}",
)


@pytest.fixture(scope="module")
def system_only() -> Knowledge:
    return load_knowledge([SYSTEM_FILE])


@pytest.fixture(scope="module")
def matcher(system_only: Knowledge) -> IntentMatcher:
    """Every (part, symptom) intent, matched with the system file's words alone."""
    normalizer = Normalizer.from_system(system_only.system)
    words = system_only.system.words
    elsewhere = [w for ws in words.body_regions.values() for w in ws]
    elsewhere += [w for ws in system_only.system.emergencies.words.values() for w in ws]
    known = frozenset(t for w in elsewhere for t in normalizer.tokens(w))
    intents = [
        Intent(
            id=f"{p}_{s}",
            title=f"{s} {p}",
            description="",
            phrases=tuple(f.format(p=p, s=s) for f in FRAMES),
            path=Path("generated"),
        )
        for p, s in itertools.product(PARTS, SYMPTOMS)
    ]
    return IntentMatcher.build(intents, normalizer, known)


def accepted(matcher: IntentMatcher, said: str, accept: int = 80) -> str | None:
    found = matcher.match(said)
    return found[0].intent.id if found and found[0].score >= accept else None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("tie", "thigh"),
        ("tow", "toe"),
        ("heal", "heel"),
        ("nee", "knee"),
        ("num", "numb"),
        ("soar", "sore"),
        ("soul", "sole"),
        ("ake", "ache"),
        ("write", "right"),
        ("wait", "weight"),
        ("sea", "see"),
        ("pain", "pane"),
        ("vain", "vein"),
        ("road", "rode"),
        ("tail", "tale"),
        ("meat", "meet"),
        ("knot", "not"),
        ("wrist", "rist"),
    ],
)
def test_words_that_sound_the_same_share_a_key(a: str, b: str) -> None:
    assert sound_key(a) == sound_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("oven", "vein"),
        ("heat", "heart"),
        ("hot", "got"),
        ("tie", "toe"),
        ("calf", "cold"),
        ("shin", "sheen"),
    ],
)
def test_words_that_sound_different_do_not(a: str, b: str) -> None:
    assert sound_key(a) != sound_key(b)


def test_a_word_with_other_characters_is_its_own_key() -> None:
    assert sound_key("911") == "911"
    assert sound_key("café") == "café"


def slips(vocabulary: str, elsewhere: str = "") -> WordSlips:
    return WordSlips(vocabulary.split(), frozenset({"my", "is", "the"}), frozenset(elsewhere.split()))


def test_two_edits_in_a_short_word_make_another_word() -> None:
    s = slips("vein move cold")
    assert s.similar("oven") == {}  # 75% alike letter by letter, yet two edits from "vein"
    assert s.similar("cild") == {"cold": 0.75}  # one vowel: a slip


def test_a_consonant_changed_in_a_three_letter_word_is_another_word() -> None:
    assert slips("hot leg red").similar("got") == {}
    assert set(slips("hot leg red").similar("lag")) == {"leg"}


def test_a_sound_alike_known_to_mean_something_else_halves_the_slip() -> None:
    alone = slips("toe").similar("tie")["toe"]
    shared = slips("toe", elsewhere="thigh").similar("tie")
    assert set(shared) == {"toe"}  # "thigh" is no intent's word: it only makes "toe" less likely
    assert shared["toe"] <= alone / 2 + 1e-9


def test_the_reading_that_sounds_the_same_weighs_most() -> None:
    tie = slips("toe thigh").similar("tie")
    assert tie["thigh"] > tie["toe"] > 0
    heal = slips("heel head").similar("heal")
    assert heal["heel"] > heal.get("head", 0.0)


def test_a_short_word_with_many_look_alikes_is_a_slip_of_none() -> None:
    assert slips("tight night right light").similar("ight") == {}


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("crampiqng", "cramping"),
        ("swolen", "swollen"),
        ("woarm", "warm"),
        ("itcy", "itchy"),
        ("nheel", "heel"),
    ],
)
def test_a_letter_more_or_less_is_a_slip(said: str, meant: str) -> None:
    s = slips("cramping swollen warm itchy heel")
    assert max(s.similar(said), key=s.similar(said).__getitem__) == meant


def test_two_letters_changed_in_a_long_word_are_another_word() -> None:
    assert slips("smelting").similar("swelling") == {}  # 75% alike: not more


def test_long_words_equally_alike_share_the_similarity() -> None:
    chees = slips("cheek chest").similar("chees")
    assert chees == {"cheek": 0.4, "chest": 0.4}
    yelow = slips("yellow elbow").similar("yelow")
    assert yelow["yellow"] > 0.9 > yelow["elbow"]


def test_slips_are_never_of_body_or_emergency_words_said() -> None:
    assert slips("heat", elsewhere="heart").similar("heart") == {}


def test_similarities_stay_below_a_word_said_whole() -> None:
    s = slips("leg calf toe heel knee sore itchy red cold", elsewhere="thigh neck")
    for word in ["lag", "tie", "heal", "nee", "soar", "itcy", "rled", "cakf", "koe", "nick"]:
        assert all(0 < v < 1 for v in s.similar(word).values()), word


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("my lag has been burning all week", "leg_burning"),  # a vowel
        ("my heal has been itchy all week", "heel_itchy"),  # sounds the same
        ("my nipple is soar", "nipple_sore"),
        ("my nee has been swollen all week", "knee_swollen"),  # a silent letter
        ("my ankel feels swolen", "ankle_swollen"),  # long words, a letter off
        ("there is a burnin feeling in my shinn", "shin_burning"),
        ("my calf is woarm", None),  # "warm" is in no intent here
        ("my elbow has been stif all week", "elbow_stiff"),
        ("my wrist has been numm all week", "wrist_numb"),
        ("my knee has been tite all week", "knee_tight"),
    ],
)
def test_slips_are_mapped_back(matcher: IntentMatcher, said: str, intent: str | None) -> None:
    assert accepted(matcher, said) == intent


@pytest.mark.parametrize(
    "said",
    [
        "my tie went dull",  # "thigh" or "toe"?
        "my tie is red",
        "a dull tie",
        "my tie has been cold all week",
        "my heal is red",  # sounds like "heel", one letter from "head": "Did you mean" at most
        "the oven is cold",
        "my oven has been hot all week",
    ],
)
def test_ambiguous_or_far_slips_are_not_accepted(matcher: IntentMatcher, said: str) -> None:
    assert accepted(matcher, said) is None


NEAR_OBJECTS = (  # noqa: SIM905 - easier to read as one string
    "phone car laptop coffee oven kettle engine radiator soup tea battery fridge room shower tyre "
    "printer screen window charger pan tie shirt sock glove toast bath pipe wire cable sofa"
).split()
NEAR_STATES = "warm hot cold red dry stiff heavy cracked sticky noisy wet slow dull sore".split()  # noqa: SIM905
NEAR_FRAMES = ("my {o} is {a}", "the {o} is {a}", "my {o} feels {a}", "the {o} has been {a} all week")


def test_things_that_are_not_a_body_are_never_accepted(matcher: IntentMatcher) -> None:
    taken = [
        (said, accepted(matcher, said))
        for o, a, f in itertools.product(NEAR_OBJECTS, NEAR_STATES, NEAR_FRAMES)
        if accepted(matcher, said := f.format(o=o, a=a))
    ]
    assert taken == []


@pytest.mark.parametrize(
    "said",
    [
        "my phone feels warm",
        "the oven is cold",
        "my tie is red",
        "the kettle is hot",
        "my coffee has gone cold",
        "the radiator is burning hot",
        "my tea is too hot",
        "the car engine feels warm",
    ],
)
def test_the_shipped_assistant_keeps_things_out(shipped_knowledge: Knowledge, said: str) -> None:
    u = shipped_knowledge.understander.understand(said, OPENING)
    assert u.top is None or u.top.score < shipped_knowledge.system.accept_score or u.meaning != "intent"
