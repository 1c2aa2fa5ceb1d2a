"""German formatting through Babel. The locale is decided here and nowhere else."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_percent

LOCALE = "de_DE"
CURRENCY = "EUR"
_CENT = Decimal("0.01")

_NUMBER_WORDS = (
    "null", "eins", "zwei", "drei", "vier", "fünf", "sechs",
    "sieben", "acht", "neun", "zehn", "elf", "zwölf",
)


def format_money(amount: Decimal | int, locale: str = LOCALE) -> str:
    """4800 -> '4.800,00\xa0€' (rounded half up to cents)."""
    value = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    return format_currency(value, CURRENCY, locale=locale)


def format_date(value: dt.date, locale: str = LOCALE) -> str:
    """date(2027, 1, 15) -> '15.\xa0Januar 2027' (day and month never split across lines)."""
    return _babel_date(value, format="long", locale=locale).replace(". ", ".\u00a0", 1)


def format_date_short(value: dt.date, locale: str = LOCALE) -> str:
    """date(2027, 1, 15) -> '15.01.2027'."""
    return _babel_date(value, format="medium", locale=locale)


def format_number(value: Decimal | int, locale: str = LOCALE) -> str:
    """1234.5 -> '1.234,5'."""
    return format_decimal(Decimal(value), locale=locale, decimal_quantization=False)


def format_percent(value: Decimal | int, locale: str = LOCALE) -> str:
    """A percentage given in percent units: 50 -> '50\xa0%', 12.5 -> '12,5\xa0%'."""
    fraction = Decimal(value) / 100
    return _babel_percent(fraction, format="#,##0.##\xa0%", locale=locale, decimal_quantization=False)


def number_word(value: int, locale: str = LOCALE) -> str:
    """Small counts read better as words in a contract: 2 -> 'zwei'; above twelve digits."""
    if isinstance(value, int) and 0 <= value < len(_NUMBER_WORDS):
        return _NUMBER_WORDS[value]
    return format_number(value, locale)


def join_words(items: list[str] | tuple[str, ...]) -> str:
    """['a', 'b', 'c'] -> 'a, b und c'."""
    parts = [str(item) for item in items]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " und " + parts[-1]
