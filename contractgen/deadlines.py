"""Deadlines the follow-up e-mails compute: working days (Werktage) and the end of the
withdrawal period.

Werktage are Monday to Saturday without Sundays and public holidays. Public holidays differ
between the Länder; only the nationwide ones are known here, so a deadline computed here can be
one day short where a regional holiday falls into it — the mails therefore add a safety margin
of one working day where the contract demands a minimum.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

WITHDRAWAL_DAYS = 14          # § 355 Abs. 2 S. 1 BGB


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[dt.date]:
    """The public holidays of all Länder (Neujahr, Karfreitag, Ostermontag, 1. Mai, Christi
    Himmelfahrt, Pfingstmontag, Tag der Deutschen Einheit, 1. und 2. Weihnachtstag)."""
    easter = easter_sunday(year)
    days = (-2, 1, 39, 50)
    return frozenset({dt.date(year, 1, 1), dt.date(year, 5, 1), dt.date(year, 10, 3),
                      dt.date(year, 12, 25), dt.date(year, 12, 26),
                      *(easter + dt.timedelta(days=n) for n in days)})


def is_werktag(day: dt.date) -> bool:
    return day.weekday() != 6 and day not in national_holidays(day.year)


def add_werktage(start: dt.date, count: int) -> dt.date:
    """The `count`-th Werktag after `start` (`start` itself does not count, § 187 Abs. 1 BGB)."""
    day = start
    left = count
    while left > 0:
        day += dt.timedelta(days=1)
        if is_werktag(day):
            left -= 1
    return day


def werktage_between(start: dt.date, end: dt.date) -> int:
    """How many Werktage lie after `start` up to and including `end`."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_werktag(day):
            count += 1
    return count


def withdrawal_period_end(concluded: dt.date) -> dt.date:
    """The last day of the withdrawal period for a contract concluded on `concluded` (§§ 187,
    188 Abs. 1, 193 BGB: fourteen days, moved to the next working day from a Saturday, Sunday
    or nationwide holiday)."""
    end = concluded + dt.timedelta(days=WITHDRAWAL_DAYS)
    while end.weekday() >= 5 or end in national_holidays(end.year):
        end += dt.timedelta(days=1)
    return end
