"""``python -m assistant`` and the ``assistant`` command.

The stop signals are turned into a clean stop before anything heavy is imported, so Ctrl-C or
SIGTERM during start-up says "Stopped." instead of printing a traceback or dying silently.
"""

from __future__ import annotations

import sys

from assistant.app.interrupts import Interrupted, install, restore


def run() -> int:
    previous = install()
    try:
        from assistant.cli import main  # noqa: PLC0415 - imported after the handlers are in place

        return main()
    except Interrupted as exc:
        sys.stderr.write("Stopped.\n")
        return exc.exit_code
    finally:
        restore(previous)


if __name__ == "__main__":
    raise SystemExit(run())
