"""Argument parsing for the authoring commands: a bad option is a usage error (exit 2), never a crash."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from assistant.base.problems import display_path


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


def add_paths(p: argparse.ArgumentParser, help_text: str) -> None:
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=help_text)


def parse(
    p: argparse.ArgumentParser,
    argv: Sequence[str],
    out: TextIO,
    must_exist: Callable[[argparse.Namespace], Sequence[Path]] = lambda args: args.paths,
) -> argparse.Namespace | int:
    """The arguments, or the exit status when the command is over: 0 after --help, 2 on a usage error."""
    try:
        args = p.parse_args(list(argv))
        if args.help:
            out.write(p.format_help())
            return 0
        missing = [path for path in must_exist(args) if not path.exists()]
        if missing:
            raise UsageError(f"no such file or folder: {display_path(missing[0])}")
    except UsageError as exc:
        out.write(f"{p.prog}: {exc}\n{p.format_usage()}")
        return 2
    return args
