"""The clock, read in one place and injected everywhere else (ARCHITECTURE: "The clock, locale and
Message-ID are injected, never read globally in the core")."""

from __future__ import annotations

import datetime as dt
import os

from .errors import UsageError


def clock_now() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} ist keine gültige Zeit (Sekunden seit "
                             "1970-01-01, z. B. 1800000000).") from None
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)


def clock_today() -> dt.date:
    return clock_now().date()
