"""The limits on intent files, each with the message that names it.

A drop-in folder is read on every start, so no file in it may stop the assistant or exhaust the
machine: one intent file is at most 1 MB, nested at most 32 levels, and expands (aliases counted
each time they are used) to at most 2 million characters of text; a set holds at most 20,000
intents. The README states them.
"""

from __future__ import annotations

#: The files of a folder that are read as intent files.
SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_EXPANDED_CHARS = 2_000_000
MAX_INTENTS = 20_000


def too_big(size: int) -> str:
    return (
        f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} an intent file may hold; "
        "split it into several intent files"
    )


def too_deep() -> str:
    return (
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; an intent file needs "
        "about six: check the brackets and the indentation"
    )


def too_expanded() -> str:
    return (
        f"with its aliases (*name) expanded the file holds more than {MAX_EXPANDED_CHARS:,} characters "
        "of text; write the values out instead of repeating them through aliases"
    )


def too_many_intents(count: int) -> str:
    return (
        f"{count:,} intents were found, more than the {MAX_INTENTS:,} the assistant loads; "
        "remove some folders"
    )
