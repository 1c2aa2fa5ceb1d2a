"""Transforms over the model: number the §§ and Absätze, resolve cross-references, check terms.

Numbers stay numbers (Section.number, Ref.number); the text "§ 6 Abs. 2" is made from them by
the library's words (Wording.reference) in one place. Transforms never raise: they return the
problems they find (each with a code and the clause it is in), so a draft can show a visible
marker for a broken reference while the caller decides whether that is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from ..errors import Location, Problem
from .nodes import Document, Inline, ItemList, Paragraph, Ref, Section, Strong, Term, Text
from .wording import Wording


def _wording(document: Document, wording: Wording | None) -> Wording:
    chosen = wording or document.wording
    if chosen is None:
        raise ValueError("numbering needs the library's words (Document.wording)")
    return chosen


def number_sections(document: Document, wording: Wording | None = None) -> Document:
    """§ 1, § 2 … for clauses, Anlage 1 … for annexes; Abs. numbers where a § has several."""
    words = _wording(document, wording)
    body = 0
    annex = 0
    sections = []
    for section in document.sections:
        if section.annex:
            annex += 1
            number = annex
        else:
            body += 1
            number = body
        many = len(section.paragraphs) > 1 and not section.annex  # annexes keep their own form
        paragraphs = tuple(
            replace(p, number=index if many else None)
            for index, p in enumerate(section.paragraphs, start=1)
        )
        label = words.clause_label(number, section.annex)
        sections.append(replace(section, number=number, paragraphs=paragraphs, label=label,
                                heading_text=words.section_heading(label, section.title,
                                                                   section.annex)))
    return replace(document, sections=tuple(sections), wording=words)


# -- walking the inline content ---------------------------------------------------------------
def map_inlines(paragraphs: tuple[Paragraph, ...],
                change: Callable[[Inline], Inline]) -> tuple[Paragraph, ...]:
    """The paragraphs with every inline node (also inside bold and list items) replaced."""
    def inlines(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return tuple(Strong(inlines(n.children)) if isinstance(n, Strong) else change(n)
                     for n in nodes)

    return tuple(replace(p, content=inlines(p.content), lists=tuple(
        ItemList(lst.ordered, tuple(inlines(item) for item in lst.items)) for lst in p.lists))
        for p in paragraphs)


def walk_inlines(paragraphs: Iterable[Paragraph]) -> Iterator[Inline]:
    """Every inline node of the paragraphs, bold content and list items included."""
    def inlines(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
        for node in nodes:
            if isinstance(node, Strong):
                yield from inlines(node.children)
            else:
                yield node

    for paragraph in paragraphs:
        yield from inlines(paragraph.content)
        for item_list in paragraph.lists:
            for item in item_list.items:
                yield from inlines(item)


# -- references -------------------------------------------------------------------------------
def resolve_paragraphs(document: Document, paragraphs: tuple[Paragraph, ...], origin: Location,
                       wording: Wording | None = None,
                       ) -> tuple[tuple[Paragraph, ...], tuple[Problem, ...]]:
    """Fill every Ref in `paragraphs` from the numbering of `document` (also for paragraphs
    that are not part of it, such as a follow-up e-mail). A reference to an absent clause or
    paragraph is a problem, and its text the visible marker `begriffe.verweis_fehlt`."""
    words = _wording(document, wording)
    targets: dict[str, Section] = {s.clause_id: s for s in document.sections}
    problems: list[Problem] = []

    def broken(ref: Ref, message: str, code: str) -> Ref:
        problems.append(Problem("error", message, origin, code=code))
        target = ref.clause_id if ref.label is None else f"{ref.clause_id}#{ref.label}"
        return replace(ref, text=words.missing_reference.format(ziel=target), broken=True)

    def resolve(node: Inline) -> Inline:
        if not isinstance(node, Ref):
            return node
        target = targets.get(node.clause_id)
        if target is None or target.number is None:
            return broken(node, f"Verweis auf die Klausel {node.clause_id!r}, die bei diesen "
                          "Antworten nicht im Vertrag steht.", "model.ref-deselected")
        if node.label is None:
            return replace(node, number=target.number, annex=target.annex,
                           text=words.reference(target.number, target.annex))
        paragraph = next((p for p in target.paragraphs if p.label == node.label), None)
        if paragraph is None:
            return broken(node, f"Verweis auf den Absatz {node.label!r} der Klausel "
                          f"{node.clause_id!r}, den es nicht gibt.", "model.ref-label")
        numbers = (paragraph.number,) if paragraph.number is not None else ()
        return replace(node, number=target.number, annex=target.annex, paragraph=paragraph.number,
                       text=words.reference(target.number, target.annex, numbers))

    return map_inlines(paragraphs, resolve), tuple(problems)


# where in the document a paragraph is, for problems outside the clauses
PREAMBLE, CONCLUSION = "preamble", "conclusion"
EMAIL_INTRO, EMAIL_CONFIRMATION = "email.intro", "email.confirmation"


def resolve_references(document: Document) -> tuple[Document, tuple[Problem, ...]]:
    """Fill every Ref's text from the numbering; every reference to an absent target is a
    problem (and shows as the marker), none is silently a wrong number."""
    problems: list[Problem] = []

    def resolved(paragraphs: tuple[Paragraph, ...], origin: Location) -> tuple[Paragraph, ...]:
        out, found = resolve_paragraphs(document, paragraphs, origin)
        problems.extend(found)
        return out

    sections = tuple(
        replace(s, paragraphs=resolved(s.paragraphs, Location(clause=s.clause_id)),
                short=resolved(s.short, Location(key="kurzform", clause=s.clause_id)))
        for s in document.sections)
    email = replace(document.email,
                    intro=resolved(document.email.intro, Location(key=EMAIL_INTRO)),
                    confirmation=resolved(document.email.confirmation,
                                          Location(key=EMAIL_CONFIRMATION)))
    result = replace(document, sections=sections, email=email,
                     preamble=resolved(document.preamble, Location(key=PREAMBLE)),
                     conclusion=resolved(document.conclusion, Location(key=CONCLUSION)))
    return result, tuple(problems)


# -- defined terms ----------------------------------------------------------------------------
def check_terms(document: Document) -> tuple[Problem, ...]:
    """Every term a clause uses (begriff) must be defined (definiere) somewhere in the document."""
    defined: set[str] = set()
    used: dict[tuple[str, str], None] = {}
    for section in document.sections:
        for node in walk_inlines((*section.paragraphs, *section.short)):
            if isinstance(node, Term):
                if node.definition:
                    defined.add(node.name)
                else:
                    used[(node.name, section.clause_id)] = None
    return tuple(
        Problem("error", f"Der Begriff {name!r} wird verwendet, aber bei diesen Antworten in "
                "keiner Klausel definiert (definiere).", Location(clause=clause_id),
                code="model.term-undefined")
        for name, clause_id in used if name not in defined)


@dataclass(frozen=True)
class AnnexWords:
    """The library's words for the list of annexes (library.yaml: anlagenliste)."""

    title: str                  # "Anlagen"
    separate: str               # "gesondert beigefügt": an annex that is not in the document
    in_email: str               # "am Ende dieser E-Mail": an annex appended to the e-mail


def list_annexes(document: Document, words: AnnexWords, separate: tuple[str, ...] = (),
                 wording: Wording | None = None) -> Document:
    """The numbered list of annexes, after numbering: every annex section, then the annexes the
    freelancer attaches separately (`separate`, numbered on). Empty when there are none."""
    labels = _wording(document, wording)
    entries = [(section.heading, "") for section in document.annexes]
    count = len(entries)
    entries += [(f"{labels.clause_label(count + index, True)}: {title}", words.separate)
                for index, title in enumerate(separate, start=1)]
    if not entries:
        return replace(document, annex_list=(), email_annex_list=())

    def listing(note_inside: str) -> tuple[Paragraph, ...]:
        items = tuple((Text(f"{heading} ({note or note_inside})" if note or note_inside
                            else heading),) for heading, note in entries)
        return (Paragraph((Text(f"{words.title}:"),), lists=(ItemList(False, items),)),)

    return replace(document, annex_list=listing(""), email_annex_list=listing(words.in_email))
