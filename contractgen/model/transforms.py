"""Transforms over the model: number the §§ and Absätze, then resolve cross-references."""

from __future__ import annotations

from dataclasses import replace

from ..errors import Problem, RenderError
from .nodes import Document, Inline, ItemList, Paragraph, Ref, Section, Strong, Term


def number_sections(document: Document) -> Document:
    """§ 1, § 2 … for clauses, Anlage 1 … for annexes; Abs. numbers where a § has several."""
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
        sections.append(replace(section, number=number, paragraphs=paragraphs))
    return replace(document, sections=tuple(sections))


def resolve_references(document: Document) -> Document:
    """Fill every Ref's text from the numbering; a reference to an absent target is an error."""
    targets: dict[str, Section] = {s.clause_id: s for s in document.sections}
    problems: list[Problem] = []

    def resolve(ref: Ref, origin: str) -> Ref:
        target = targets.get(ref.clause_id)
        if target is None or target.number is None:
            problems.append(Problem(
                "error",
                f"Verweis auf die Klausel {ref.clause_id!r}, die bei diesen Antworten nicht "
                "im Vertrag steht.", origin, code="model.ref-deselected"))
            return ref
        # no-break spaces: "§ 6 Abs. 2" never splits across lines
        base = f"Anlage\u00a0{target.number}" if target.annex else f"§\u00a0{target.number}"
        if ref.label is None:
            return replace(ref, text=base)
        paragraph = next((p for p in target.paragraphs if p.label == ref.label), None)
        if paragraph is None:
            problems.append(Problem(
                "error", f"Verweis auf den Absatz {ref.label!r} der Klausel {ref.clause_id!r}, "
                "den es nicht gibt.", origin, code="model.ref-label"))
            return ref
        text = base if paragraph.number is None else f"{base} Abs.\u00a0{paragraph.number}"
        return replace(ref, text=text)

    def inlines(nodes: tuple[Inline, ...], origin: str) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Ref):
                out.append(resolve(node, origin))
            elif isinstance(node, Strong):
                out.append(Strong(inlines(node.children, origin)))
            else:
                out.append(node)
        return tuple(out)

    def paragraphs(items: tuple[Paragraph, ...], origin: str) -> tuple[Paragraph, ...]:
        return tuple(
            replace(
                p,
                content=inlines(p.content, origin),
                lists=tuple(
                    ItemList(lst.ordered, tuple(inlines(i, origin) for i in lst.items))
                    for lst in p.lists
                ),
            )
            for p in items
        )

    sections = tuple(
        replace(s, paragraphs=paragraphs(s.paragraphs, f"Klausel {s.clause_id}"),
                short=paragraphs(s.short, f"Klausel {s.clause_id} (kurzform)"))
        for s in document.sections
    )
    email = replace(
        document.email,
        intro=paragraphs(document.email.intro, "E-Mail-Einleitung"),
        confirmation=paragraphs(document.email.confirmation, "E-Mail-Bestätigung"),
    )
    result = replace(
        document, sections=sections, email=email,
        preamble=paragraphs(document.preamble, "Präambel"),
        conclusion=paragraphs(document.conclusion, "Schluss"),
    )
    if problems:
        raise RenderError("Verweise im Vertrag lassen sich nicht auflösen.", tuple(problems))
    return result


def check_terms(document: Document) -> Document:
    """Every term a clause uses (begriff) must be defined (definiere) somewhere in the document."""
    defined: set[str] = set()
    used: list[tuple[str, str]] = []

    def walk(nodes: tuple[Inline, ...], origin: str) -> None:
        for node in nodes:
            if isinstance(node, Term):
                if node.definition:
                    defined.add(node.name)
                else:
                    used.append((node.name, origin))
            elif isinstance(node, Strong):
                walk(node.children, origin)

    for section in document.sections:
        for paragraph in (*section.paragraphs, *section.short):
            walk(paragraph.content, f"Klausel {section.clause_id}")
            for item_list in paragraph.lists:
                for item in item_list.items:
                    walk(item, f"Klausel {section.clause_id}")
    problems = [
        Problem("error", f"Der Begriff {name!r} wird verwendet, aber bei diesen Antworten in "
                "keiner Klausel definiert (definiere).", origin, code="model.term-undefined")
        for name, origin in dict.fromkeys(used) if name not in defined
    ]
    if problems:
        raise RenderError("Begriffe im Vertrag sind nicht definiert.", tuple(problems))
    return document
