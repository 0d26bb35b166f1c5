"""The answer phrases a recognizer is told to expect at a yes/no question (read from the content)."""

from __future__ import annotations

from assistant.content.knowledge import Knowledge
from assistant.understanding.phrases import answer_phrases, contrasts


def test_everyday_no_answers_a_word_from_a_listed_answer_of_another_meaning_are_expected(
    shipped_knowledge: Knowledge,
) -> None:
    system = shipped_knowledge.system
    phrases = answer_phrases(None, system, "yes_no")
    # Each would otherwise be heard as its look-alike of the other polarity.
    for everyday, look_alike in (
        ("don't believe so", "i believe so"),
        ("i don't believe so", "i believe so"),
        ("i didn't", "i do"),
        ("it didn't", "it does"),
        ("it's possible", "it's not"),
    ):
        assert look_alike in phrases
        assert everyday in phrases, everyday


def test_contrasts_keep_one_word_answers_clear_and_skip_same_meanings(shipped_knowledge: Knowledge) -> None:
    system = shipped_knowledge.system
    listed = [p for group in system.answers.values() for p in group]
    found = contrasts(system, listed)
    assert found, "the shipped content has everyday answers a word from a listed one"
    meaning = {p: key for key, group in system.all_answers.items() for p in group}
    for phrase in found:
        assert len(phrase.split()) >= 2
        assert phrase not in listed
        assert meaning[phrase] != "yes", "everyday yes answers are new places to hear a no as a yes"
    # "i wouldn't think so" is a word from "i don't think so" (the same answer) and from "i think
    # so" (the other): only the other counts.
    assert "i wouldn't think so" in found
    assert "i guess not" not in found  # two words from any listed answer
