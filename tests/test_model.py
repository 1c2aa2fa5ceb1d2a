"""Transforms on a hand-built model: numbering and reference resolution, including failures."""

import datetime as dt

from contractgen.library.wording import read_wording
from contractgen.model import (
    Document,
    EmailFrame,
    Paragraph,
    Provenance,
    Ref,
    Section,
    Text,
    number_sections,
    resolve_references,
)

GERMAN = read_wording(None, "de-DE", "", [])


def document(*sections):
    return Document(
        kind="rahmenvertrag", title="T", subtitle="", date=dt.date(2027, 1, 1), author="A",
        parties=(), parties_between="zwischen", parties_and="und", preamble=(),
        overview_title="", overview=(), sections=sections, signatures=(), conclusion=(),
        email=EmailFrame("s", "t@x.de", "f@x.de", "F", "Hallo", (), (), "Gruß", ()),
        provenance=Provenance("g", "l", "1", (), "h"), wording=GERMAN,
    )


def p(*content, label=None):
    return Paragraph(content=tuple(content), label=label)


def test_numbers_and_refs():
    doc = document(
        Section("a", "A", (p(Text("siehe "), Ref("b", "zwei")),)),
        Section("b", "B", (p(Text("eins")), p(Text("zwei"), label="zwei"))),
        Section("c", "C", (p(Ref("b"), Text(", "), Ref("form")),)),
        Section("form", "Formular", (p(Text("x")),), annex=True),
    )
    result, problems = resolve_references(number_sections(doc))
    assert problems == ()
    a, b, c, form = result.sections
    assert (a.number, b.number, c.number, form.number) == (1, 2, 3, 1)
    assert a.paragraphs[0].number is None
    assert [x.number for x in b.paragraphs] == [1, 2]
    assert a.paragraphs[0].content[1].text == "§\xa02 Abs.\xa02"
    assert c.paragraphs[0].content[0].text == "§\xa02"
    assert c.paragraphs[0].content[2].text == "Anlage\xa01"
    assert b.heading == "§\xa02 B" and form.heading == "Anlage\xa01: Formular"


def test_a_broken_reference_is_a_problem_and_a_visible_marker():
    doc = document(Section("a", "A", (p(Ref("fehlt")), p(Ref("a", "nirgends")))))
    result, problems = resolve_references(number_sections(doc))
    messages = " ".join(problem.message for problem in problems)
    assert "'fehlt'" in messages and "'nirgends'" in messages
    assert {problem.code for problem in problems} == {"model.ref-deselected", "model.ref-label"}
    assert all(problem.location.clause == "a" for problem in problems)
    first, second = (paragraph.content[0] for paragraph in result.sections[0].paragraphs)
    assert first.broken and first.text == "[Verweis fehlt: fehlt]"   # never a wrong "§ 7"
    assert second.text == "[Verweis fehlt: a#nirgends]"


def test_terms_must_be_defined_in_the_document():
    from contractgen.model import Term, check_terms

    defined = Section("a", "A", (p(Text("Vorgaben ("), Term("Briefing", "Briefing", True), Text(")")),))
    user = Section("b", "B", (p(Text("gemäß "), Term("Briefing", "Briefings")),))
    assert check_terms(document(defined, user)) == ()  # defined somewhere: fine
    (problem,) = check_terms(document(user))
    assert "'Briefing'" in problem.message
    assert problem.code == "model.term-undefined" and problem.location.clause == "b"
