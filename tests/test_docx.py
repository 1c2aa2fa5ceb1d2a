"""The DOCX as a user gets it: generated from each sample, read back, converted by LibreOffice."""

import io
import subprocess
import zipfile
from xml.dom import minidom

import pytest
from conftest import SAMPLES, TODAY, require_soffice
from docx import Document as open_docx

from contractgen import build_document, load_answers, render_document
from contractgen.errors import LibraryError
from contractgen.writers.docx import load_reference, read_manifest

SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))


def make(library, sample, overrides=()):
    answers = load_answers(sample, library=library, overrides=overrides)
    document = build_document(library, answers, today=TODAY)
    return document, render_document(document, "docx", library=library)


def texts(data):
    doc = open_docx(io.BytesIO(data))
    body = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return doc, body, cells


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_docx_reads_back_with_the_document_content(library, sample):
    document, data = make(library, sample)
    doc, body, cells = texts(data)
    if document.bilingual is not None:
        # side by side: the German text in the left column of the tables (tests/test_languages.py
        # reads both columns back row by row)
        left = [r.cells[0] for t in doc.tables for r in t.rows]
        assert document.title in [c.text for c in left]
        for section in document.sections:
            assert any(c.text == section.heading for c in left), section.heading
        body = [p.text for c in left for p in c.paragraphs]
        paragraphs = [p for c in left for p in c.paragraphs]
    else:
        assert body[0] == document.title
        headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert headings == [s.heading for s in document.sections]
        first = {"de": "§\xa01 ", "en": "Clause\xa01: "}[document.lang.split("-")[0]]
        assert headings[0].startswith(first)
        paragraphs = list(doc.paragraphs)
    styles = {p.style.name for p in paragraphs}
    assert "Vertrag Absatz nummeriert" in styles
    # every paragraph of the model is in the document, with its Abs. number
    for section in document.sections:
        for paragraph in section.paragraphs:
            if paragraph.number:
                assert any(t.startswith(f"({paragraph.number})\t") for t in body)
    props = doc.core_properties
    assert props.title.startswith(document.title)
    assert props.author == document.author
    footer = doc.sections[0].footer._element.xml
    page = {"de": "Seite", "en": "Page"}[document.lang.split("-")[0]]   # the library's word
    assert "PAGE" in footer and "NUMPAGES" in footer and page in footer
    assert "€" in " ".join(cells)


def test_designer_values_in_german_format(library):
    _, data = make(library, SAMPLES / "designerin-pauschal.yaml")
    _, body, cells = texts(data)
    everything = "\n".join(body + cells)
    assert "4.800,00\xa0€" in everything
    assert "1.440,00\xa0€" in everything          # 30 % deposit
    assert "95,00\xa0€" in everything
    assert "15.\xa0Januar 2027" in everything
    assert "50\xa0%" in everything
    assert "Hamburg, 10.\xa0Januar 2027" in everything
    assert "Nordlicht Kommunikation GmbH" in everything


def test_same_input_same_bytes_and_wellformed_xml(library):
    sample = SAMPLES / "coach-stunden-verbraucher.yaml"
    _, first = make(library, sample)
    _, second = make(library, sample)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                minidom.parseString(archive.read(name))  # raises if not well-formed
            assert archive.getinfo(name).date_time == (1980, 1, 1, 0, 0, 0)


def test_manifest_records_provenance(library):
    document, data = make(library, SAMPLES / "designerin-pauschal.yaml")
    manifest = read_manifest(data)
    ids = [c["id"] for c in manifest["manifest"]["clauses"]]
    assert ids == [s.clause_id for s in document.sections]
    assert manifest["manifest"]["library"]["version"] == library.version
    assert manifest["answers"]["honorar"]["betrag"] == "4800"


def test_hostile_text_cannot_break_the_xml(library):
    _, data = make(library, SAMPLES / "designerin-pauschal.yaml",
                   ["auftraggeber.name=<w:p>&amp; ]]> \u05e9\u05dc\u05d5\u05dd e\u0301 {{ 7*7 }}"])
    _, body, _ = texts(data)
    # Hebrew letters are fine, combining accents are normalised (NFC), markup stays literal
    assert "<w:p>&amp; ]]> \u05e9\u05dc\u05d5\u05dd \u00e9 {{ 7*7 }}" in body


def test_reference_docx_checked(tmp_path, library):
    broken = tmp_path / "reference.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(LibraryError, match="kein lesbares DOCX"):
        load_reference(broken)
    doc = open_docx()
    doc.save(str(broken))
    with pytest.raises(LibraryError, match="Vertrag Absatz"):
        load_reference(broken)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_libreoffice_converts_every_sample(library, sample, tmp_path):
    soffice = require_soffice()
    _, data = make(library, sample)
    source = tmp_path / f"{sample.stem}.docx"
    source.write_bytes(data)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / f"{sample.stem}.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.stat().st_size > 5000
    assert pdf.read_bytes().startswith(b"%PDF")
