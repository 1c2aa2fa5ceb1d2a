"""Formatting of money, dates, numbers and percentages through Babel, in a given locale.

The locale of a document comes from its library (`sprache`) through the render context; LOCALE
is only the default for contractgen's own German messages (warnings, conflicts, summaries).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_percent

LOCALE = "de_DE"
CURRENCY = "EUR"
_CENT = Decimal("0.01")



def locale_of(language: str) -> str:
    """The Babel locale of a BCP 47 language tag: de-DE -> de_DE."""
    return language.replace("-", "_")


def format_money(amount: Decimal | int, locale: str = LOCALE) -> str:
    """4800 -> '4.800,00\xa0€' (rounded half up to cents)."""
    value = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    return format_currency(value, CURRENCY, locale=locale)


def format_date(value: dt.date, locale: str = LOCALE) -> str:
    """date(2027, 1, 15) -> '15.\xa0Januar 2027', in en_GB '15\xa0January 2027' (day and month
    never split across lines; Babel's long date of the locale)."""
    text = _babel_date(value, format="long", locale=locale)
    language = locale.split("_")[0]
    if language == "de":
        return text.replace(". ", ".\u00a0", 1)
    if language == "en" and text[:1].isdigit():   # "15 January 2027", not "January 15, 2027"
        return text.replace(" ", "\u00a0", 1)
    return text


def format_date_short(value: dt.date, locale: str = LOCALE) -> str:
    """date(2027, 1, 15) -> '15.01.2027'."""
    return _babel_date(value, format="medium", locale=locale)


def format_number(value: Decimal | int, locale: str = LOCALE) -> str:
    """1234.5 -> '1.234,5'."""
    return format_decimal(Decimal(value), locale=locale, decimal_quantization=False)


def format_percent(value: Decimal | int, locale: str = LOCALE) -> str:
    """A percentage given in percent units, in the locale's pattern: 50 -> '50\xa0%',
    12.5 -> '12,5\xa0%' (de_DE); '50%', '12.5%' (en_GB)."""
    fraction = Decimal(value) / 100
    return _babel_percent(fraction, locale=locale, decimal_quantization=False)


def number_word(value: int, words: tuple[str, ...] | list[str], locale: str = LOCALE) -> str:
    """Small counts read better as words in a contract: 2 -> 'zwei' (the library's
    `zahlwoerter`); beyond the words it has, digits."""
    if isinstance(value, int) and 0 <= value < len(words):
        return str(words[value])
    return format_number(value, locale)


def count(number: Decimal | int, singular: str, plural: str, locale: str = LOCALE) -> str:
    """A count with its noun, for messages: '1 Zeile', '2 Zeilen', '1.000 Zeilen'."""
    return f"{format_number(number, locale)} {singular if number == 1 else plural}"
