"""The HTML writer: one self-contained, printable page of the contract (a browser preview)."""

from html.parser import HTMLParser

from conftest import SAMPLES, TODAY
from typer.testing import CliRunner

from contractgen import build_document, load_answers, render_document
from contractgen.cli import app

VOID = {"meta", "br"}


class Page(HTMLParser):
    """Collects the tag structure, the text and every attribute, and checks that tags nest."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in VOID:
            self.stack.append(tag)
        self._in_heading = tag == "h2"
        if self._in_heading:
            self.headings.append("")

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()
        if tag == "h2":
            self._in_heading = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_heading:
            self.headings[-1] += data


def page(library, sample, **overrides):
    answers = load_answers(sample, library=library, overrides=[f"{k}={v}" for k, v in overrides.items()])
    document = build_document(library, answers, today=TODAY)
    parser = Page()
    html = render_document(document, "html", library=library).decode("utf-8")
    parser.feed(html)
    parser.close()
    return document, html, parser


def test_page_is_self_contained_and_tagged_with_the_document_language(library):
    document, html, parsed = page(library, SAMPLES / "designerin-pauschal.yaml")
    assert html.startswith("<!DOCTYPE html>\n")
    assert f'<html lang="{document.lang}">' in html and document.lang == "de-DE"
    assert parsed.stack == []                                   # every element is closed
    assert "style" in parsed.tags and "script" not in parsed.tags
    assert not any(name in ("src", "rel") for name, _ in parsed.attrs)    # nothing loaded
    assert all(value.startswith("#") for name, value in parsed.attrs if name == "href")


def test_page_holds_the_whole_contract(library):
    document, _, parsed = page(library, SAMPLES / "coach-stunden-verbraucher.yaml")
    text = "".join(parsed.text)
    expected = [document.overview_title] + [s.heading for s in document.body_sections] \
        + [s.heading for s in document.annexes]
    assert parsed.headings == expected                 # numbered §§ in order, then the annexes
    for row in document.overview:
        assert row.label in text and row.value in text
    for signature in document.signatures:
        assert f"{signature.name} ({signature.role})" in text
    numbered = [p for s in document.body_sections for p in s.paragraphs if p.number is not None]
    assert text.count("(2)") >= sum(1 for p in numbered if p.number == 2)   # Abs. numbers
    assert "ol" in parsed.tags or "ul" in parsed.tags
    assert 'class="annex"' in render_document(document, "html", library=library).decode()


def test_answers_are_text_never_markup(library):
    _, html, parsed = page(library, SAMPLES / "designerin-pauschal.yaml",
                           **{"projekt.titel": "<script>alert(1)</script> & <b>fett</b>"})
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    assert "script" not in parsed.tags and "b" not in parsed.tags


def test_references_link_to_the_clause_they_name(library):
    _, html, parsed = page(library, SAMPLES / "designerin-pauschal.yaml")
    ids = {value for name, value in parsed.attrs if name == "id"}
    targets = {value[1:] for name, value in parsed.attrs if name == "href"}
    assert targets and targets <= ids


def test_cli_writes_html_by_suffix_and_prints_it_with_format(tmp_path):
    runner = CliRunner()
    target = tmp_path / "vertrag.html"
    result = runner.invoke(app, ["generate", str(SAMPLES / "designerin-pauschal.yaml"), "-o",
                                 str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    printed = runner.invoke(app, ["generate", str(SAMPLES / "designerin-pauschal.yaml"),
                                  "--format", "html"])
    assert printed.exit_code == 0 and '<html lang="de-DE">' in printed.stdout


def test_citations_never_break_after_the_section_sign_in_pages(library, tmp_path):
    """"(§ 356 Abs. 4 BGB)" may not end a line with "(§": DOCX (and so PDF) and HTML bind each
    citation word of the library (begriffe.vor_zahlen) to its number with a no-break space."""
    import re

    import docx

    words = "|".join(re.escape(w) for w in library.wording.before_numbers)
    broken = re.compile(rf"(?<![\w.])({words}) \d")
    document, html, parsed = page(library, SAMPLES / "coach-stunden-verbraucher.yaml")
    text = "".join(parsed.text)
    assert "§\u00a0356" in text and not broken.findall(text)
    path = tmp_path / "vertrag.docx"
    path.write_bytes(render_document(document, "docx", library=library))
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any("§\u00a0356" in p for p in paragraphs)
    assert [p for p in paragraphs if broken.search(p)] == []
