"""Spread independent work over the CPU cores, for checks over many files.

Workers are forked, so they share what the parent has loaded (``context``) without pickling it;
only each item and its result cross between processes. Small jobs, and systems without ``fork``,
run in this process: the result is the same either way, in the same order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this run in this process: starting workers would cost more than it saves.
MIN_ITEMS = 64

# What the current parallel_map call runs; set before the workers are forked, read in them.
_job: tuple[Callable[[Any, Any], Any], Any] | None = None


def _run(item: Any) -> Any:
    assert _job is not None
    fn, context = _job
    return fn(context, item)


def parallel_map(
    fn: Callable[[Any, T], R], items: Sequence[T], context: Any = None, *, min_items: int = MIN_ITEMS
) -> list[R]:
    """``[fn(context, item) for item in items]``, on every core when there are many items."""
    global _job  # noqa: PLW0603 - handed to forked workers, which inherit module state
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < min_items or workers < 2:
        return [fn(context, item) for item in items]
    # Imported here: a few files (the shipped ones at every start) need no worker processes.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    if "fork" not in multiprocessing.get_all_start_methods():
        return [fn(context, item) for item in items]
    _job = (fn, context)
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        with pool:
            return list(pool.map(_run, items, chunksize=max(1, len(items) // (workers * 4))))
    except OSError:
        log.debug("could not start worker processes; working in this one", exc_info=True)
        return [fn(context, item) for item in items]
    finally:
        _job = None
