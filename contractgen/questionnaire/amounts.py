"""The one rule for reading numbers and amounts, wherever they are typed: answers files (the YAML
source text, so an unquoted `4.800` is not YAML's float 4.8), `--set`, batch cells, the terminal
interview, the web form and the inputs of follow-up e-mails all go through `read_number`.

German notation comes first, and no form is read in two ways:

- a comma is the decimal separator: `95,50`, `4800,00`, `1,5`;
- a dot followed by groups of exactly three digits separates thousands: `4.800` is 4800,
  `1.234.567,89` is 1234567.89 (the first group has one to three digits and does not start
  with 0); spaces (also non-breaking) and the Swiss apostrophe group thousands the same way;
- any other dot is a decimal point: `95.50`, `4.8`, `0.500`, `1234.567`;
- a comma grouping thousands is read only before a decimal point (`4,800.00`, as English
  spreadsheets write it); a lone comma followed by exactly three digits (`4,800`: 4,8 in German,
  4800 in English) is refused as ambiguous, with both readings in the message;
- money may carry `€` or `EUR` before or after it and end in `,-` (`2.800,00 €`, `€ 95`,
  `4.800,- €`); a percentage may end in `%`.

Cents are checked by the money check (answers.py): at most two decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_GROUP_SPACES = " \u00a0\u202f'’"          # thousands groups: space, NBSP, narrow NBSP, 1'000
_LEAD = r"[1-9]\d{0,2}"                     # the first group of a grouped number
_DOT_GROUPED = re.compile(rf"{_LEAD}(?:\.\d{{3}})+")
_SPACE_GROUPED = re.compile(rf"{_LEAD}(?:[{_GROUP_SPACES}]\d{{3}})+")
_COMMA_GROUPED = re.compile(rf"{_LEAD}(?:,\d{{3}})+")
_PLAIN = re.compile(r"\d{1,60}")
_FRACTION = re.compile(r"\d{1,20}")
_CURRENCY = re.compile(r"^(?:€|EUR)\s*|\s*(?:€|EUR)$", re.IGNORECASE)

EXAMPLES = {"€": "z. B. 4800, 4.800, 95,50 oder 2.800,00 €", "%": "z. B. 30 oder 12,5",
            "": "z. B. 4800, 4.800 oder 95,50"}


@dataclass(frozen=True)
class Reading:
    """A number read from text: its exact value, and whether a dot was read as a thousands
    separator (messages then say so, in case a decimal point was meant)."""

    value: Decimal
    dot_grouped: bool = False


class NumberError(ValueError):
    """The text is no number by the rule; the message is German and complete."""


def read_number(text: str, *, unit: str = "") -> Reading:
    """`text` as an exact Decimal by the rule above; `unit` "€" (money) or "%" (percentage)
    also allows that unit. NumberError with a German message when it is no number."""
    original = text
    text = text.strip()
    if unit == "€":
        text = _CURRENCY.sub("", text, count=2).strip()
        if text.endswith((",-", ",–")):
            text = text[:-2]
    elif unit == "%" and text.endswith("%"):
        text = text[:-1].rstrip()
    sign = ""
    if text[:1] in "+-":
        sign, text = text[:1], text[1:].lstrip()
    whole, separator, fraction = _split(text)
    if whole is None:
        raise NumberError(f"{original.strip()!r} ist keine Zahl ({_examples(unit)}).")
    if separator == "ambiguous":
        from ..formatting import format_number

        decimal = format_number(Decimal(f"{whole}.{fraction}"))
        raise NumberError(
            f"{original.strip()!r} ist mehrdeutig: {decimal} (Komma als Dezimalzeichen) oder "
            f"{whole}{fraction} (Komma als Tausendertrennzeichen)? Bitte {decimal} oder "
            f"{whole}{fraction} schreiben.")
    digits = re.sub(rf"[.,{_GROUP_SPACES}]", "", whole)
    try:
        value = Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation:  # pragma: no cover - the patterns admit digits only
        raise NumberError(f"{original.strip()!r} ist keine Zahl ({_examples(unit)}).") from None
    return Reading(value, dot_grouped=separator == "dot-grouped")


def _examples(unit: str) -> str:
    return EXAMPLES.get(unit, EXAMPLES[""])


def _split(text: str) -> tuple[str | None, str, str]:
    """(integer part, how it was read, decimals) or (None, "", "") when no form fits."""
    whole, comma, fraction = text.rpartition(",")
    if comma and "." not in fraction:           # a decimal comma: 95,50 / 4.800,00 / 4 800,5
        if not _FRACTION.fullmatch(fraction):
            return None, "", ""
        if _PLAIN.fullmatch(whole):
            ambiguous = len(fraction) == 3 and re.fullmatch(_LEAD, whole) is not None
            return whole, "ambiguous" if ambiguous else "comma", fraction
        if _DOT_GROUPED.fullmatch(whole):
            return whole, "dot-grouped", fraction
        if _SPACE_GROUPED.fullmatch(whole):
            return whole, "grouped", fraction
        return None, "", ""
    if _PLAIN.fullmatch(text):
        return text, "plain", ""
    if _DOT_GROUPED.fullmatch(text):            # 4.800 / 1.234.567
        return text, "dot-grouped", ""
    if _SPACE_GROUPED.fullmatch(text):          # 4 800 / 1'000
        return text, "grouped", ""
    whole, point, fraction = text.rpartition(".")
    if point and _FRACTION.fullmatch(fraction):  # a decimal point: 95.50 / 4,800.00 / 0.500
        if _PLAIN.fullmatch(whole):
            return whole, "point", fraction
        if _COMMA_GROUPED.fullmatch(whole) or _SPACE_GROUPED.fullmatch(whole):
            return whole, "grouped", fraction
    return None, "", ""


def grouping_hint(text: str, reading: Reading) -> str:
    """For a message about a number read with a thousands dot (too big, say): how it was read
    and how a decimal point is written, so a misreading is never silent."""
    if not reading.dot_grouped:
        return ""
    from ..formatting import format_number

    meant = text.strip().replace(".", ",", 1) if text.count(".") == 1 else ""
    alternative = f"; für einen Dezimalwert ein Komma schreiben ({meant})" if meant else ""
    return (f" (Gelesen als {format_number(reading.value)}: Der Punkt trennt Tausender"
            f"{alternative}.)")
