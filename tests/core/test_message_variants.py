"""Messages written as a list of wordings are said in turn (issue 14): a reprompt heard three times
does not sound the same three times."""

from __future__ import annotations

from pathlib import Path

from assistant.base.events import Say
from assistant.base.settings import Settings
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, check_files
from assistant.conversation.dialog import Dialog


def test_not_understood_is_said_in_turn(shipped_knowledge: Knowledge) -> None:
    wordings = shipped_knowledge.system.message_variants["not_understood"]
    assert len(wordings) >= 3
    dialog = Dialog(shipped_knowledge, Settings())
    dialog.start()
    dialog.handle("my calf is hot")
    said = []
    for _ in range(3):  # one miss at each red-flag question, then "no"
        events = dialog.handle("purple elephant")
        said += [e.text for e in events if isinstance(e, Say) and e.role == "not_understood"]
        dialog.handle("no")
    assert said == list(wordings[:3])


def test_every_wording_of_an_emergency_message_names_the_number(tmp_path: Path) -> None:
    text = (SHIPPED_INTENTS / "system.yaml").read_text(encoding="utf-8")
    start = text.index("  greeting:")
    end = text.index("\n", start)
    broken = (
        text[:start]
        + '  greeting: ["Hi. Call {emergency_number} in an emergency.", "Hi, I can help."]'
        + text[end:]
    )
    path = tmp_path / "system.yaml"
    path.write_text(broken, encoding="utf-8")
    _, problems = check_files([path])
    assert any("the greeting message must contain {emergency_number}" in str(p) for p in problems)
