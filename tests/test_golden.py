"""Golden files: what a lawyer reviews in a diff. Update with --update-golden, then read the diff."""

import io
import zipfile
from xml.dom import minidom

import pytest
from conftest import GOLDEN, SAMPLES, TODAY, check_golden

from contractgen import build_document, load_answers, render_document

SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))


def document_for(library, sample):
    answers = load_answers(sample, library=library)
    return build_document(library, answers, today=TODAY)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_markdown_golden(library, sample, update_golden):
    document = document_for(library, sample)
    text = render_document(document, "md", library=library).decode("utf-8")
    check_golden(GOLDEN / f"{sample.stem}.md", text, update_golden)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_email_golden(library, sample, update_golden):
    document = document_for(library, sample)
    text = render_document(document, "text", library=library).decode("utf-8")
    assert all(len(line) < 80 for line in text.splitlines())
    check_golden(GOLDEN / f"{sample.stem}.email.txt", text, update_golden)


def test_docx_xml_golden(library, update_golden):
    sample = SAMPLES / "designerin-pauschal.yaml"
    data = render_document(document_for(library, sample), "docx", library=library)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    pretty = minidom.parseString(xml).toprettyxml(indent=" ")
    check_golden(GOLDEN / f"{sample.stem}.document.xml", pretty, update_golden)


ORDER_FRAMEWORK = SAMPLES / "rahmenvertrag-ohne-projekt.yaml"
ORDER_FILES = sorted((SAMPLES / "einzelauftraege").glob("einzelauftrag-[0-9]*.yaml"))


@pytest.mark.parametrize("order", ORDER_FILES, ids=lambda p: p.stem)
def test_order_markdown_golden(library, order, update_golden):
    from contractgen import api

    document, _ = api.order_document(ORDER_FRAMEWORK, order, today=TODAY)
    text = render_document(document, "md", library=library).decode("utf-8")
    check_golden(GOLDEN / f"{order.stem}.md", text, update_golden)
