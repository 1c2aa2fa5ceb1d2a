"""A bilingual document: two Documents built from the same answers and the same selection of
clauses (the prevailing language first), zipped clause by clause and paragraph by paragraph.

`pair_documents` checks that both sides have the same structure (the same clauses in the same
order, the same paragraphs with the same numbers and labels, the same lists with the same
number of items, the same rows in the fee overview) and returns the first Document with the
pairs in `Document.bilingual`; a writer that sets the languages side by side reads the pairs,
one that sets them one after the other reads `bilingual.other`. A difference is a problem
naming the clause: it means a translation does not follow its German clause, and no
bilingual contract is made from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import Location, Problem
from .nodes import Document, OverviewRow, Paragraph, Section

# each language's name in itself: the column headings of a bilingual document ("Deutsch |
# English") and the separator between the languages of a bilingual e-mail
LANGUAGE_HEADERS = {"de": "Deutsch", "en": "English", "fr": "Français", "it": "Italiano",
                    "es": "Español", "nl": "Nederlands", "pl": "Polski"}


def language_header(lang: str) -> str:
    """"Deutsch" for de-DE, "English" for en-GB (the tag itself for others)."""
    return LANGUAGE_HEADERS.get(lang.split("-")[0], lang)


@dataclass(frozen=True)
class SectionPair:
    """One clause in both languages; `paragraphs` pairs its paragraphs by number."""

    left: Section
    right: Section
    paragraphs: tuple[tuple[Paragraph, Paragraph], ...]


@dataclass(frozen=True)
class Bilingual:
    """The second language of a bilingual document and the pairs of both."""

    other: Document
    sections: tuple[SectionPair, ...]
    preamble: tuple[tuple[Paragraph, Paragraph], ...]
    overview: tuple[tuple[OverviewRow, OverviewRow], ...]
    conclusion: tuple[tuple[Paragraph, Paragraph], ...]
    headers: tuple[str, str] = ("Deutsch", "English")   # the column headings

    @property
    def body_sections(self) -> tuple[SectionPair, ...]:
        return tuple(p for p in self.sections if not p.left.annex)

    @property
    def annexes(self) -> tuple[SectionPair, ...]:
        return tuple(p for p in self.sections if p.left.annex)


def _shape(paragraph: Paragraph) -> tuple[object, ...]:
    return (paragraph.number, paragraph.label, bool(paragraph.content),
            tuple((lst.ordered, len(lst.items)) for lst in paragraph.lists))


def _pairs(left: tuple[Paragraph, ...], right: tuple[Paragraph, ...], what: str,
           origin: Location, problems: list[Problem]) -> tuple[tuple[Paragraph, Paragraph], ...]:
    if len(left) != len(right):
        problems.append(Problem("error", f"{what}: {len(left)} Absätze auf Deutsch, {len(right)} "
                                "in der Übersetzung; jeder Absatz braucht genau einen "
                                "übersetzten.", origin, code="model.translation-structure"))
        return ()
    for number, (one, two) in enumerate(zip(left, right, strict=True), start=1):
        if _shape(one) != _shape(two):
            problems.append(Problem("error", f"{what}, Absatz {number}: Nummer, Name (absatz()) "
                                    "oder Listen der Übersetzung entsprechen nicht dem deutschen "
                                    "Absatz.", origin, code="model.translation-structure"))
    return tuple(zip(left, right, strict=True))


def pair_documents(document: Document, other: Document,
                   headers: tuple[str, str] = ("Deutsch", "English"),
                   ) -> tuple[Document, tuple[Problem, ...]]:
    """`document` (the prevailing language) with `other` paired to it, and every difference in
    structure as a problem (each with the clause it is in)."""
    problems: list[Problem] = []
    left_ids = [s.clause_id for s in document.sections]
    right_ids = [s.clause_id for s in other.sections]
    sections: list[SectionPair] = []
    if left_ids != right_ids:
        problems.append(Problem("error", f"Die Fassungen enthalten verschiedene Klauseln "
                                f"({', '.join(left_ids)} / {', '.join(right_ids)}).", Location(),
                                code="model.translation-structure"))
    else:
        for one, two in zip(document.sections, other.sections, strict=True):
            origin = Location(clause=one.clause_id)
            if one.number != two.number or one.annex != two.annex:
                problems.append(Problem("error", "Die Klausel hat in der Übersetzung eine andere "
                                        "Nummer.", origin, code="model.translation-structure"))
            pairs = _pairs(one.paragraphs, two.paragraphs, f"Klausel {one.clause_id!r}", origin,
                           problems)
            sections.append(SectionPair(one, two, pairs))
    preamble = _pairs(document.preamble, other.preamble, "Präambel",
                      Location(key="preamble"), problems)
    conclusion = _pairs(document.conclusion, other.conclusion, "Schluss",
                        Location(key="conclusion"), problems)
    if len(document.overview) != len(other.overview):
        problems.append(Problem("error", f"Honorarübersicht: {len(document.overview)} Zeilen auf "
                                f"Deutsch, {len(other.overview)} in der Übersetzung.",
                                Location(key="uebersicht"), code="model.translation-structure"))
    overview = tuple(zip(document.overview, other.overview, strict=False))
    bilingual = Bilingual(other=other, sections=tuple(sections), preamble=preamble,
                          overview=overview, conclusion=conclusion, headers=headers)
    # the subject of the e-mail draft in both languages
    email = replace(document.email, subject=both(document.email.subject, other.email.subject))
    return replace(document, bilingual=bilingual, email=email), tuple(problems)


def both(first: str, second: str) -> str:
    """"Erste / second": two wordings of one thing, once when they are the same."""
    return first if first == second or not second else f"{first} / {second}"
