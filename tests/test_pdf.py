"""PDF through LibreOffice: tagged, in the document's language, PDF/A-2b on request.

No PDF/A validator (veraPDF) can be installed here; the tests check what pikepdf can read:
the PDF/A identification in the XMP metadata, the output intent with its ICC profile, embedded
fonts, no encryption, the structure tree and /Lang.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from conftest import SAMPLES, TODAY, require_soffice
from typer.testing import CliRunner

from contractgen import api, build_document, load_answers, render_document
from contractgen.cli import app
from contractgen.writers.pdf import convert_many, export_filter

FRAMEWORK = SAMPLES / "rahmenvertrag-ohne-projekt.yaml"
ORDERS = sorted((SAMPLES / "einzelauftraege").glob("einzelauftrag-[0-9]*.yaml"))


def docx_for(library, path: Path) -> bytes:
    if path in ORDERS:
        document, _ = api.order_document(FRAMEWORK, path, today=TODAY)
    else:
        document = build_document(library, load_answers(path, library=library, profile=None),
                                  today=TODAY)
    return render_document(document, "docx", library=library)


def fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            yield from font.get("/DescendantFonts", [font])


def assert_tagged_german(pdf: pikepdf.Pdf, lang: str = "de-DE") -> None:
    assert str(pdf.Root.get("/Lang")) == lang
    assert bool(pdf.Root.MarkInfo.Marked)
    assert "/StructTreeRoot" in pdf.Root


def assert_pdf_a_2b(pdf: pikepdf.Pdf) -> None:
    metadata = pdf.open_metadata()
    assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == ("2", "B")
    intents = pdf.Root.OutputIntents
    assert [str(i.S) for i in intents] == ["/GTS_PDFA1"]
    assert int(intents[0].DestOutputProfile.get("/N")) == 3  # an RGB ICC profile
    assert not pdf.is_encrypted
    assert list(fonts(pdf))
    for font in fonts(pdf):
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")


def test_export_filter_options():
    assert export_filter() == 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
    assert '"SelectPdfVersion":{"type":"long","value":"2"}' in export_filter(pdf_a=True)


def test_every_sample_as_tagged_pdf_a(library, tmp_path):
    require_soffice()
    sources = []
    for path in [*sorted(SAMPLES.glob("*.yaml")), *ORDERS]:
        source = tmp_path / f"{path.stem}.docx"
        source.write_bytes(docx_for(library, path))
        sources.append(source)
    results = convert_many(sources, pdf_a=True)  # one LibreOffice start for all
    assert set(results) == set(sources)
    for source in sources:
        with pikepdf.open(io.BytesIO(results[source])) as pdf:
            # the prevailing language: English only for the English sample
            assert_tagged_german(pdf, "en-GB" if "englisch" in source.stem else "de-DE")
            assert_pdf_a_2b(pdf)


def test_generate_pdf_is_tagged_and_pdf_a_on_request(tmp_path):
    require_soffice()
    runner = CliRunner()
    plain, archived = tmp_path / "vertrag.pdf", tmp_path / "archiv.pdf"
    sample = str(SAMPLES / "designerin-pauschal.yaml")
    assert runner.invoke(app, ["generate", sample, "-o", str(plain)]).exit_code == 0
    assert runner.invoke(app, ["generate", sample, "-o", str(archived), "--pdf-a"]).exit_code == 0
    with pikepdf.open(plain) as pdf:
        assert_tagged_german(pdf)
        assert pdf.open_metadata().get("pdfaid:part") is None
    with pikepdf.open(archived) as pdf:
        assert_tagged_german(pdf)
        assert_pdf_a_2b(pdf)


@pytest.mark.parametrize("args", [["-o", "vertrag.docx"], ["--format", "md"]])
def test_pdf_a_only_with_pdf(tmp_path, args, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["generate", str(SAMPLES / "designerin-pauschal.yaml"),
                                      *args, "--pdf-a"])
    assert result.exit_code == 2
    assert "--pdf-a gilt nur für PDF" in result.output
    assert not (tmp_path / "vertrag.docx").exists()
