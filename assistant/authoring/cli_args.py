"""Argument parsing for the authoring commands: a bad option is a usage error (exit 2), never a crash."""

from __future__ import annotations

import argparse
from typing import NoReturn


class UsageError(Exception):
    """The command line is wrong; the message says what to type instead."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    """A parser that raises :class:`UsageError` and leaves ``--help`` to the caller (``args.help``)."""
    p = _Parser(prog=prog, description=description, add_help=False)
    p.add_argument("-h", "--help", action="store_true", help="show this help and exit")
    return p
