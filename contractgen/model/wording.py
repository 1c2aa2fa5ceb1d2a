"""The small vocabulary the engine writes itself, besides the library's texts and clauses.

It comes from the library (`library.yaml`: `sprache` and `begriffe`), so a library in another
language brings its own words; the code never spells out "§", "Abs." or "vertreten durch".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Wording:
    section: str                      # begriffe.paragraf: the sign before a clause number, "§"
    paragraph: str                    # absatz: "Abs." as in "§ 6 Abs. 2"
    annex: str                        # anlage: "Anlage" as in "Anlage 1"
    and_word: str                     # und: "§ 6 Abs. 1 und 2", "a, b und c"
    yes: str                          # ja: a yes/no answer printed in a text
    no: str                           # nein
    represented_by: str               # vertreten_durch: in the parties block
    tax_number: str                   # steuernummer
    vat_id: str                       # ust_id
    phone: str                        # telefon: before the phone number in the parties block
    on_behalf: str                    # fuer: "Max Mustermann für Nordlicht GmbH" (signature)
    quotes: tuple[str, str]           # anfuehrungszeichen: around a defined term and quotes
    missing_reference: str            # verweis_fehlt: the visible marker of a broken reference
    number_words: tuple[str, ...]     # zahlwoerter: 0, 1, 2 ... as words (filter zahlwort)
    before_numbers: tuple[str, ...]   # vor_zahlen: kept on one line with the number that follows
    units: tuple[tuple[str, str], ...]  # einheiten: unit key -> word ("stunde" -> "Stunde")
    # how a paragraph number reads in a reference: "{n}" after "Abs." ("§ 6 Abs. 2"), or "({n})"
    # right after the clause label when `paragraph` is empty ("Clause 6(2)")
    paragraph_number: str = "{n}"                 # absatz_nummer
    heading: str = "{nummer} {titel}"             # ueberschrift: "§ 3 Abnahme"
    annex_heading: str = "{nummer}: {titel}"      # ueberschrift_anlage: "Anlage 1: Widerrufsbelehrung"
    page: str = "Seite"                           # seite: the footer's "Seite 1 von 3"
    of: str = "von"                               # von
    our_framework: str = "unserem Rahmenvertrag vom {datum}"   # unser_rahmenvertrag (mails)
    our_agreement: str = "unserer Vereinbarung"   # unsere_vereinbarung (mails)
    fee_labels: tuple[tuple[str, str], ...] = ()  # honorarmodelle: fee model key -> its name

    def keep_with_numbers(self, text: str) -> str:
        """The text with a no-break space after each word of `vor_zahlen` ("§", "Abs.", "Nr."
        …) that a number follows: "§ 356 Abs. 4" never breaks after "§" or "Abs."."""
        pattern = _citation(self.before_numbers)
        return pattern.sub("\\1\u00a0", text) if pattern is not None else text

    def unit(self, key: str | None) -> str | None:
        return dict(self.units).get(key) if key else None

    def clause_label(self, number: int, annex: bool) -> str:
        """"§ 6" or "Anlage 1" (no-break space: the number never starts a new line)."""
        return f"{self.annex if annex else self.section}\u00a0{number}"

    def reference(self, number: int, annex: bool, paragraphs: tuple[int, ...] = ()) -> str:
        """The one place that turns a target into "§ 6", "§ 6 Abs. 2" or "§ 6 Abs. 1 und 2"."""
        base = self.clause_label(number, annex)
        if not paragraphs:
            return base
        shown = [self.paragraph_number.replace("{n}", str(n)) for n in paragraphs]
        joined = shown[0] if len(shown) == 1 else \
            f"{', '.join(shown[:-1])} {self.and_word} {shown[-1]}"
        if not self.paragraph:            # "Clause 6(2)": the number follows the label directly
            return f"{base}{joined}"
        return f"{base} {self.paragraph}\u00a0{joined}"

    def section_heading(self, label: str, title: str, annex: bool) -> str:
        """"§ 3 Abnahme", "Anlage 1: Widerrufsbelehrung" (begriffe.ueberschrift …)."""
        pattern = self.annex_heading if annex else self.heading
        return pattern.replace("{nummer}", label).replace("{titel}", title)

    def join(self, items: list[str] | tuple[str, ...]) -> str:
        """['a', 'b', 'c'] -> 'a, b und c'."""
        parts = [str(item) for item in items]
        if len(parts) <= 1:
            return "".join(parts)
        return f"{', '.join(parts[:-1])} {self.and_word} {parts[-1]}"

    def quoted(self, text: str) -> str:
        return f"{self.quotes[0]}{text}{self.quotes[1]}"


@lru_cache(maxsize=8)
def _citation(before_numbers: tuple[str, ...]) -> re.Pattern[str] | None:
    if not before_numbers:
        return None
    words = "|".join(re.escape(w) for w in sorted(before_numbers, key=len, reverse=True))
    return re.compile(rf"({words}) (?=\d)")
