"""Every DOCX opens cleanly: valid against the OOXML schemas and without openxml-audit findings
(the rules Word repairs files by), tagged with the document's language, hyphenated, with named
fonts; and the layout rules of the writer (header, signature block, forms)."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from conftest import ROOT, SAMPLES, TODAY
from lxml import etree
from ooxml import schema_problems
from openxml_audit import OpenXmlValidator

from contractgen import api, build_document, load_answers, render_document
from contractgen.errors import LibraryError
from contractgen.writers.docx import HEADER_TWIPS_PER_CHARACTER, load_reference

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
FRAMEWORK = SAMPLES / "rahmenvertrag-ohne-projekt.yaml"
ORDERS = sorted((SAMPLES / "einzelauftraege").glob("einzelauftrag-[0-9]*.yaml"))
CASES = [*sorted(SAMPLES.glob("*.yaml")), *ORDERS]


def document_for(library, path, overrides=()):
    if path in ORDERS:
        document, _ = api.order_document(FRAMEWORK, path, today=TODAY, overrides=overrides)
        return document
    answers = load_answers(path, library=library, overrides=overrides, profile=None)
    return build_document(library, answers, today=TODAY)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def audit(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "audit.docx"
    path.write_bytes(data)
    result = OpenXmlValidator().validate(str(path))
    return [str(error) for error in result.errors]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_sample_opens_cleanly(library, path, tmp_path):
    data = render_document(document_for(library, path), "docx", library=library)
    assert schema_problems(data) == []
    assert audit(data, tmp_path) == []


def test_reference_docx_is_clean(tmp_path):
    data = (ROOT / "clause_library" / "reference.docx").read_bytes()
    assert schema_problems(data) == []
    assert audit(data, tmp_path) == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    assert not names & {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"}


def test_validators_catch_what_word_repairs(library, tmp_path):
    """The checks can fail: a duplicated keepNext (the old bug) is reported by both."""
    data = render_document(document_for(library, CASES[0]), "docx", library=library)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:keepNext/>", b"<w:keepNext/><w:keepNext/>", 1)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    assert any("keepNext" in p for p in schema_problems(broken.getvalue()))
    assert any("keepNext" in p for p in audit(broken.getvalue(), tmp_path))


def test_empty_last_section_before_the_signatures_stays_valid(library, tmp_path):
    """The last § renders no text: its heading is the paragraph kept with the signatures."""
    document = document_for(library, SAMPLES / "designerin-pauschal.yaml")
    sections = list(document.sections)
    last = max(i for i, s in enumerate(sections) if not s.annex)
    sections[last] = dataclasses.replace(sections[last], paragraphs=())
    data = render_document(dataclasses.replace(document, sections=tuple(sections)), "docx",
                           library=library)
    body = part(data, "word/document.xml")
    for properties in body.iter(f"{{{W}}}pPr"):
        names = [etree.QName(child).localname for child in properties]
        assert len(names) == len(set(names)), names
    assert schema_problems(data) == []
    assert audit(data, tmp_path) == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_tagged_with_the_document_language_and_hyphenated(library, path):
    document = document_for(library, path)
    lang = document.lang    # the prevailing language; an English contract is en-GB
    assert lang == ("en-GB" if "englisch" in path.stem else "de-DE")
    data = render_document(document, "docx", library=library)
    styles, settings = part(data, "word/styles.xml"), part(data, "word/settings.xml")
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert default.get(f"{{{W}}}val") == lang
    assert {e.get(f"{{{W}}}val") for e in styles.iter(f"{{{W}}}lang")} == {lang}
    assert settings.find("w:themeFontLang", NS).get(f"{{{W}}}val") == lang
    hyphenation = settings.find("w:autoHyphenation", NS)
    assert hyphenation is not None and hyphenation.get(f"{{{W}}}val") in (None, "true", "1")
    assert b"x-contractgen" not in data


def test_language_comes_from_the_document(library):
    document = document_for(library, SAMPLES / "designerin-pauschal.yaml")
    data = render_document(dataclasses.replace(document, lang="en-GB"), "docx", library=library)
    default = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert default.get(f"{{{W}}}val") == "en-GB"
    assert schema_problems(data) == []
    with pytest.raises(LibraryError, match="Sprachkennzeichen"):
        render_document(dataclasses.replace(document, lang='de"><x'), "docx", library=library)


def test_fonts_are_named_and_in_the_font_table(library):
    data = render_document(document_for(library, CASES[0]), "docx", library=library)
    styles, fonts = part(data, "word/styles.xml"), part(data, "word/fontTable.xml")
    named = set()
    for element in styles.iter(f"{{{W}}}rFonts"):
        assert not [a for a in element.attrib if "theme" in a.lower()], element.attrib
        named |= set(element.attrib.values())
    assert named == {"Calibri"}
    assert named <= {f.get(f"{{{W}}}name") for f in fonts.iter(f"{{{W}}}font")}


def test_package_metadata_is_contractgens(library):
    data = render_document(document_for(library, CASES[0]), "docx", library=library)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        app = archive.read("docProps/app.xml").decode()
        settings = archive.read("word/settings.xml").decode()
    assert "<Application>contractgen</Application>" in app and "<Pages>" not in app
    assert "Macintosh" not in app and "thumbnail" not in " ".join(names)
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' \
        in settings
    manifest = [n for n in names if re.fullmatch(r"customXml/item\d+\.xml", n)]
    assert len(manifest) == 1
    number = manifest[0][len("customXml/item"):-4]
    assert {f"customXml/itemProps{number}.xml", f"customXml/_rels/item{number}.xml.rels"} <= names


def test_a_reference_saved_by_word_2010_is_tidied(tmp_path, library):
    """A lawyer's reference with Word 2010's leftovers: the contract does not carry them."""
    source = (ROOT / "clause_library" / "reference.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdSwe" Type="http://schemas.microsoft.com/office/2007/relationships/'
        'stylesWithEffects" Target="stylesWithEffects.xml"/></Relationships>')).encode()
    parts["word/stylesWithEffects.xml"] = parts["word/styles.xml"]
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/word/stylesWithEffects.xml" '
        'ContentType="application/vnd.ms-word.stylesWithEffects+xml"/></Types>')).encode()
    settings = parts["word/settings.xml"].decode()
    settings = re.sub(r"<w:zoom [^>]*/>", '<w:zoom w:val="bestFit"/>', settings)
    parts["word/settings.xml"] = settings.replace("<w:autoHyphenation/>", "").encode()
    reference = tmp_path / "reference.docx"
    with zipfile.ZipFile(reference, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    from contractgen.writers.docx import render_docx

    data = render_docx(document_for(library, CASES[0]), reference)
    assert schema_problems(data) == []
    assert audit(data, tmp_path) == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/stylesWithEffects.xml" not in archive.namelist()
    assert part(data, "word/settings.xml").find("w:autoHyphenation", NS) is not None


def header_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next(n for n in archive.namelist() if re.fullmatch(r"word/header\d+\.xml", n))
        root = etree.fromstring(archive.read(name))
    return "".join(root.itertext())


def test_a_long_project_title_keeps_the_header_on_one_line(library):
    title = "Neugestaltung des gesamten Markenauftritts " * 6
    document = document_for(library, SAMPLES / "designerin-pauschal.yaml",
                            [f"projekt.titel={title.strip()}"])
    data = render_document(document, "docx", library=library)
    text = header_text(data)
    limit = load_reference(library.reference_docx).text_width // HEADER_TWIPS_PER_CHARACTER
    assert text.startswith(document.title) and text.endswith("\u2026")
    assert len(text) <= limit
    short = render_document(document_for(library, SAMPLES / "designerin-pauschal.yaml"), "docx",
                            library=library)
    assert header_text(short) == "Rahmenvertrag über freie Mitarbeit \u2013 Neugestaltung des Markenauftritts"


def styles_of(data: bytes) -> dict[str, str]:
    return {s.get(f"{{{W}}}styleId"): s.find("w:name", NS).get(f"{{{W}}}val")
            for s in part(data, "word/styles.xml").iter(f"{{{W}}}style")}


def test_every_party_gets_a_place_date_and_a_signature_line(library):
    data = render_document(document_for(library, SAMPLES / "coach-stunden-verbraucher.yaml"), "docx",
                           library=library)
    body, names = part(data, "word/document.xml"), styles_of(data)
    # the signature block (the consent in the annex Datenschutzhinweise is a form of its own)
    table = next(t for t in body.findall("w:body/w:tbl", NS)
                 if "(Auftragnehmer)" in "".join(t.itertext()))
    assert len(table.findall("w:tr", NS)) == 1  # one row that cannot split
    assert table.find("w:tr/w:trPr/w:cantSplit", NS) is not None
    columns = [c for c in table.findall("w:tr/w:tc", NS) if c.find("w:p/w:r", NS) is not None]
    assert len(columns) == 2
    for column in columns:
        styles = [names[p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")] for p in column.findall("w:p", NS)]
        assert styles == ["Vertrag Unterschrift Ort", "Vertrag Unterschrift Hinweis",
                          "Vertrag Unterschrift", "Vertrag Unterschrift Hinweis"]
    texts = ["".join(c.itertext()) for c in columns]
    assert texts[0].startswith("Köln, 20.\xa0Januar 2027Ort, Datum")
    assert texts[1].startswith("\xa0Ort, Datum")  # a blank line to fill in
    previous = table.getprevious()  # the last paragraph goes with the signatures, nothing else
    assert previous.find("w:pPr/w:keepNext", NS) is not None
    assert previous.getprevious().find("w:pPr/w:keepNext", NS) is None


def test_the_early_start_declaration_is_a_form(library):
    data = render_document(document_for(library, SAMPLES / "coach-stunden-verbraucher.yaml"), "docx",
                           library=library)
    body = part(data, "word/document.xml")
    forms = [t for t in body.iter(f"{{{W}}}tbl") if t.find(".//w:tbl", NS) is not None]
    assert len(forms) == 2      # the early-start request and the consent (Art. 9 DSGVO) in the annex
    assert "".join(forms[1].itertext()).startswith("Ich willige ausdrücklich ein")
    form = forms[0]
    box = form.find(".//w:tbl", NS)
    assert box.find("w:tr/w:trPr/w:trHeight", NS).get(f"{{{W}}}hRule") == "exact"
    assert box.find("w:tblPr/w:tblBorders/w:left", NS).get(f"{{{W}}}val") == "single"
    rows = form.findall("w:tr", NS)
    declaration = "".join(rows[0].itertext())
    assert declaration.startswith("Ich verlange ausdrücklich") and "\u2610" not in declaration
    captions = ["".join(c.itertext()).strip("\xa0") for c in rows[1].findall("w:tc", NS)]
    assert [c for c in captions if c] == ["Ort, Datum",
                                          "Unterschrift des Auftraggebers (nur für diese Erklärung)"]
    assert "_" not in "".join(form.itertext())


def test_the_writer_refuses_a_broken_body(library, monkeypatch):
    """The self-check is real: a body that is not well-formed is never packaged."""
    from contractgen.errors import RenderError
    from contractgen.writers import docx_blocks

    monkeypatch.setattr(docx_blocks, "inline_runs",
                        lambda nodes, bold=False, lang="": "<w:r><w:t>x</w:r>")
    with pytest.raises(RenderError, match="fehlerhaftes DOCX"):
        render_document(document_for(library, CASES[0]), "docx", library=library)
