import datetime as dt
from decimal import Decimal

from contractgen import formatting


def test_money_uses_german_separators_and_no_break_space():
    assert formatting.format_money(Decimal("4800")) == "4.800,00\xa0€"
    assert formatting.format_money(Decimal("0.005")) == "0,01\xa0€"
    assert formatting.format_money(1234567) == "1.234.567,00\xa0€"


def test_dates_long_and_short():
    assert formatting.format_date(dt.date(2027, 1, 15)) == "15.\xa0Januar 2027"
    assert formatting.format_date(dt.date(2027, 3, 1)) == "1.\xa0März 2027"
    assert formatting.format_date_short(dt.date(2027, 1, 5)) == "05.01.2027"


def test_percent_from_percent_units():
    assert formatting.format_percent(50) == "50\xa0%"
    assert formatting.format_percent(Decimal("12.5")) == "12,5\xa0%"
    assert formatting.format_percent(100) == "100\xa0%"


def test_numbers_and_words():
    assert formatting.format_number(Decimal("1.5")) == "1,5"
    assert formatting.format_number(Decimal("1234")) == "1.234"
    words = ("null", "eins", "zwei", "drei")
    assert formatting.number_word(2, words) == "zwei"
    assert formatting.number_word(4, words) == "4"
    assert formatting.number_word(1234, words) == "1.234"


def test_dates_in_other_languages_keep_their_own_form():
    # Babel's long date of the locale; in English day and month stay on one line, as in German
    assert formatting.format_date(dt.date(2027, 1, 15), "en_GB") == "15\xa0January 2027"
    assert formatting.format_date(dt.date(2027, 1, 15), "en_US") == "January 15, 2027"


def test_english_money_percent_and_numbers_follow_babel():
    assert formatting.format_money(Decimal("4800"), "en_GB") == "€4,800.00"
    assert formatting.format_percent(50, "en_GB") == "50%"
    assert formatting.format_percent(Decimal("12.5"), "en_GB") == "12.5%"
    assert formatting.format_number(Decimal("1234.5"), "en_GB") == "1,234.5"
    assert formatting.number_word(2, ("zero", "one", "two")) == "two"
