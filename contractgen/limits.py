"""A time budget for running library templates: a hostile clause must fail, not hang.

The sandbox already refuses attribute tricks and huge range(); loops that are merely long are
stopped by a timer signal. Signals only work in the main thread; elsewhere (thread pools)
the limit is not enforced and the sandbox's other limits still apply.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def _configured_seconds() -> float:
    try:
        return max(float(os.environ.get("CONTRACTGEN_TEMPLATE_SECONDS", "5")), 0.01)
    except ValueError:
        return 5.0


TEMPLATE_SECONDS = _configured_seconds()


class TemplateTimeout(Exception):
    """A template ran longer than its budget."""


@contextmanager
def time_limit(seconds: float = TEMPLATE_SECONDS) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:  # an outer limit is already running
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TemplateTimeout(f"länger als {seconds:g} Sekunden")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
