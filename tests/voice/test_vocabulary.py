"""What the opening's language model is made of: complaints about other parts of the body.

Measured on the spoken corpus (quick run, en-us and en-gb, 988 turns; and two other voices): see
:data:`assistant.voice.vocabulary.ELSEWHERE_SAMPLE` for the figures.
"""

from __future__ import annotations

from collections import Counter

from assistant.content.knowledge import Knowledge
from assistant.voice.vocabulary import ELSEWHERE_SAMPLE, elsewhere_sentences, opening_sentences


def test_the_opening_model_hears_complaints_about_other_parts_of_the_body(
    shipped_knowledge: Knowledge,
) -> None:
    """ "my stomach feels warm" must be heard as that, not as the nearest leg phrase: the intent's
    phrases come back about each part of the body in a region it is not about."""
    (intent,) = shipped_knowledge.intents
    understander = shipped_knowledge.understander
    mine = understander.intent_regions[intent.id]
    sentences = elsewhere_sentences(shipped_knowledge, intent)
    assert 100 <= len(sentences) <= ELSEWHERE_SAMPLE
    assert sentences == elsewhere_sentences(shipped_knowledge, intent), "seeded: the same every start"
    regions = Counter(
        understander.regions[w] for s in sentences for w in s.split() if w in understander.regions
    )
    assert not mine & regions.keys(), "no sentence names a part of the leg"
    assert len(regions) >= 3, regions
    assert set(sentences) <= set(opening_sentences(shipped_knowledge))


def test_the_text_path_never_takes_them_for_the_intent(shipped_knowledge: Knowledge) -> None:
    """One vocabulary: each sentence the recognizer may now hear is one the text path knows is not
    about the leg (out of scope, or an emergency's check question for "my chest feels warm")."""
    (intent,) = shipped_knowledge.intents
    understander = shipped_knowledge.understander
    sentences = elsewhere_sentences(shipped_knowledge, intent)
    meanings = Counter(understander.understand(s).meaning for s in sentences)
    assert "intent" not in meanings
    assert meanings["not_understood"] >= 0.9 * sum(meanings.values()), meanings


def test_an_intent_about_the_toe_gets_them_too(toy_knowledge: Knowledge) -> None:
    (intent,) = toy_knowledge.intents
    sentences = elsewhere_sentences(toy_knowledge, intent)
    assert sentences
    assert not any(w in {"toe", "toes"} for s in sentences for w in s.split())
