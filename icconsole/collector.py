"""The cyclic garbage collector paused while a long timeline is read or rendered: those
steps make no reference cycles, yet would have it walk every entry again and again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (reference counting still frees memory);
    nested or already-disabled, it leaves the collector as it found it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_paused_for_startup = False


def pause_for_startup() -> None:
    """Pause the collector while the program starts: imports and the first screen allocate
    much and free little, so its walks find nothing. `startup_over` resumes it."""
    global _paused_for_startup
    if gc.isenabled():
        gc.disable()
        _paused_for_startup = True


def startup_over() -> None:
    """Resume the collector if `pause_for_startup` paused it. What start-up built stays for
    the life of the program, so it is frozen: later collections do not walk it again."""
    global _paused_for_startup
    if _paused_for_startup:
        _paused_for_startup = False
        gc.freeze()
        gc.enable()
