"""The spoken corpus path (bench/spoken_corpus.py): labelled utterances synthesized, mixed with
noise, heard as `--wav` hears them and labelled as the text path labels them."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.content.knowledge import Knowledge
from assistant.evaluation.spoken import Rendering, SpokenJudge, SpokenVerdict, synthesize, with_noise
from assistant.evaluation.utterances import Utterance, load_corpus
from assistant.voice import verify
from assistant.voice.run import embedded_recognizer
from tests.support import ROOT

pytestmark = [
    pytest.mark.voice,
    pytest.mark.skipif(
        shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="needs espeak-ng and sox"
    ),
]


def fresh_judge(knowledge: Knowledge) -> SpokenJudge:
    """A judge with a new built-in recognizer (one that has heard nothing yet)."""
    return SpokenJudge(knowledge, embedded_recognizer(knowledge), knowledge.system.turn_windows)


@pytest.fixture(scope="module")
def judge(shipped_knowledge: Knowledge) -> SpokenJudge:
    return fresh_judge(shipped_knowledge)


def utterance(text: str, context: str, expect: str) -> Utterance:
    return Utterance(text, context, expect, "plain", "test")


CLEAN = [
    utterance("my lower leg feels warm", "opening", "intent:leg_warmth"),
    utterance("my calf feels hot", "opening", "intent:leg_warmth"),
    utterance("i can't breathe", "opening", "emergency"),
    utterance("heart attack", "opening", "emergency"),
    utterance("no", "red_flag", "answer:no"),
    utterance("yes", "yes_no", "answer:yes"),
    utterance("not sure", "yes_no", "answer:unsure"),
    utterance("nope", "red_flag", "answer:no"),
]


def test_clean_speech_is_mostly_understood_as_the_text_path_understands_it(
    judge: SpokenJudge, tmp_path: Path
) -> None:
    """Recognition of synthetic speech varies a little from run to run (13 to 15 of 16 measured):
    most must agree, and a yes or no must never be taken for the other."""
    verdicts = []
    for voice in ("en-us", "en-us+m3"):
        rendering = Rendering(voice, 150)
        for u in CLEAN:
            verdicts.append(judge.hear(u, synthesize(u.text, rendering, tmp_path), rendering))
    assert all(v.text_label == v.utterance.expect for v in verdicts)
    agreed = [v for v in verdicts if v.agrees]
    print(f"clean speech understood as text: {len(agreed)}/{len(verdicts)}")
    assert len(agreed) >= 0.6 * len(verdicts), [(v.utterance.text, v.heard) for v in verdicts if not v.agrees]
    assert not [v for v in verdicts if v.polarity_flip]


def test_an_emergency_said_instead_of_an_answer_is_heard(judge: SpokenJudge, tmp_path: Path) -> None:
    """Emergencies said at a question (every other one of the corpus, en-us): the grammar forces
    an answer, the check rejects it, and the opening's model hears the emergency. Measured: 17 of
    36 acted on (at once or after one check question), 7 before the opening's model listened."""
    corpus = load_corpus([ROOT / "evaluation" / "utterances" / "emergencies.yaml"])
    at_questions = [u for u in corpus if u.context != "opening"][::2]
    rendering = Rendering("en-us", 150)
    verdicts = [judge.hear(u, synthesize(u.text, rendering, tmp_path), rendering) for u in at_questions]
    emergencies = [v for v in verdicts if v.text_label == "emergency"]
    acted = [v for v in emergencies if v.acted_on]
    print(f"emergencies at questions acted on: {len(acted)}/{len(emergencies)}")
    assert len(emergencies) >= 30
    assert len(acted) >= 12, [(v.utterance.text, v.heard, v.alternatives) for v in emergencies]
    assert not [v for v in verdicts if v.polarity_flip]


#: Answers whose polarity rests on their last words: a "no" after a "yeah", a correction, an answer
#: said twice over. The grammar tends to hear only the first answer; the free hearing, the rest.
TAKEN_BACK = [
    utterance("yeah nah", "yes_no", "answer:no"),
    utterance("yeah no", "red_flag", "answer:no"),
    utterance("yes, I mean no", "yes_no", "answer:no"),
    utterance("yes... actually no", "red_flag", "answer:no"),
    utterance("no, sorry, yes", "yes_no", "answer:yes"),
    utterance("yeah definitely not", "yes_no", "answer:no"),
    utterance("yeah no not really", "yes_no", "answer:no"),
    utterance("yeah it has", "yes_no", "answer:yes"),
    utterance("no not really", "red_flag", "answer:no"),
    utterance("yes it is", "yes_no", "answer:yes"),
]


def test_an_answer_taken_back_is_rarely_heard_as_its_first_word(judge: SpokenJudge, tmp_path: Path) -> None:
    """Measured on these 20 turns: 5 taken as the other answer before the check knew sound-alikes
    of the other polarity and answers said twice over, 2 after ("yeah no" heard freely as "yes
    sure", "yes, I mean no" as "yes you": a lost "no" leaves nothing to catch)."""
    verdicts = []
    for rendering in (Rendering("en-us", 140), Rendering("en-gb", 175)):
        for u in TAKEN_BACK:
            verdicts.append(judge.hear(u, synthesize(u.text, rendering, tmp_path), rendering))
    assert all(v.text_label == v.utterance.expect for v in verdicts)
    print(f"answers taken back, understood as text: {sum(v.agrees for v in verdicts)}/{len(verdicts)}")
    flips = [(v.utterance.text, v.rendering.voice, v.heard) for v in verdicts if v.polarity_flip]
    print(f"taken as the other answer: {flips}")
    assert len(flips) <= 2, flips


#: Yes answers the grammar heard as a no ("it is" as "it isn't", "it does" as "it's not"), with
#: the yes among its next hypotheses: measured in these voices on the answer corpus.
YES_HEARD_AS_NO = [
    utterance("it is", "yes_no", "answer:yes"),
    utterance("I have", "yes_no", "answer:yes"),
    utterance("there is", "yes_no", "answer:yes"),
    utterance("it does", "yes_no", "answer:yes"),
    utterance("kind of", "yes_no", "answer:yes"),
]


def test_a_no_with_a_yes_close_behind_it_is_asked_again(
    shipped_knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same turns heard twice on fresh recognizers, with and without the rule: a second look
    no longer moves the recognizer's state, so the two runs differ only by the rule. Measured: 4
    of the 10 turns taken as "no" without it, none with it, and no right answer lost."""

    def hear_all() -> list[SpokenVerdict]:
        judge = fresh_judge(shipped_knowledge)
        voices = (Rendering("en-us+f3", 140), Rendering("en-gb-x-rp+m3", 175))
        return [judge.hear(u, synthesize(u.text, r, tmp_path), r) for r in voices for u in YES_HEARD_AS_NO]

    with_rule = hear_all()
    with monkeypatch.context() as patch:
        patch.setattr(verify, "no_in_doubt", lambda heard, meaning: False)
        without_rule = hear_all()
    flips = [(v.utterance.text, v.rendering.voice, v.heard) for v in with_rule if v.polarity_flip]
    flips_before = [(v.utterance.text, v.rendering.voice, v.heard) for v in without_rule if v.polarity_flip]
    print(f"yes heard as no: {len(flips_before)} without the rule, {len(flips)} with it")
    assert len(flips_before) >= 2, flips_before  # the turns still test the rule
    assert len(flips) < len(flips_before), flips
    # Only turns heard as a no are touched: every other turn ends the same way.
    for a, b in zip(with_rule, without_rule, strict=True):
        if b.spoken_label != "answer:no":
            assert a.spoken_label == b.spoken_label, (a.utterance.text, a.heard, b.heard)


def test_noise_is_mixed_at_the_asked_ratio() -> None:
    rng = np.random.default_rng(1)
    speech = rng.normal(0, 3000, 16000)
    noisy = with_noise(speech, 10.0, seed=7).astype(np.float64)
    noise = noisy - speech
    ratio = 10 * np.log10(np.mean(speech**2) / np.mean(noise**2))
    assert 9.0 < ratio < 11.0


def test_wavs_are_cached_by_text_and_rendering(tmp_path: Path) -> None:
    a = synthesize("yes", Rendering("en-us", 150), tmp_path)
    b = synthesize("yes", Rendering("en-us", 150), tmp_path)
    c = synthesize("yes", Rendering("en-us", 150, 20.0), tmp_path)
    assert a == b and a != c
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({a.name, c.name})
