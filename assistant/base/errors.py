"""Exception types whose messages tell the user what to do."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.base.problems import Problem


class AssistantError(Exception):
    """Base class: the message is shown to the user as it is, without a traceback."""

    exit_code = 1


class IntentError(AssistantError):
    """Intent files have problems; the assistant refuses to start until they are fixed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [str(p) for p in errors]
        n = len(errors)
        plural, them = ("s", "them") if n != 1 else ("", "it")
        head = f"{n} problem{plural} in the intent files; fix {them} and start again:"
        super().__init__("\n".join([head, *lines]))


class SettingsError(AssistantError):
    """A setting (command-line option or environment variable) has an unusable value."""

    exit_code = 2


class ConditionError(ValueError):
    """A condition string could not be parsed. ``column`` is 1-based within the string."""

    def __init__(self, message: str, column: int) -> None:
        self.column = column
        super().__init__(message)
