"""Wording and locale come from the library and travel with the document: a library in another
language (here French words on the shipped clauses) changes every word the engine writes."""

import io
import re
import shutil
import zipfile

import pytest
from conftest import ROOT, SAMPLES, TODAY

from contractgen import build_document, load_answers, load_library, render_document
from contractgen.errors import RenderError
from contractgen.provenance import read_contract

FRENCH = """sprache: fr-FR
begriffe:
  paragraf: Art.
  absatz: al.
  anlage: Annexe
  und: et
  ja: oui
  nein: non
  vertreten_durch: représentée par
  steuernummer: Numéro fiscal
  telefon: Téléphone
  ust_id: N° TVA
  fuer: pour
  anfuehrungszeichen: ["«\u00a0", "\u00a0»"]
  verweis_fehlt: "[renvoi manquant : {ziel}]"
  zahlwoerter: [zéro, un, deux, trois]
  vor_zahlen: [Art., al.]
  einheiten: {stunde: heure, tag: jour, woche: semaine, monat: mois}
  seite: Page
  von: sur
  unser_rahmenvertrag: "notre contrat-cadre du {datum}"
  unsere_vereinbarung: notre accord
"""


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    root = tmp_path_factory.mktemp("fr") / "bibliothek"
    shutil.copytree(ROOT / "clause_library", root)
    manifest = root / "library.yaml"
    text = manifest.read_text(encoding="utf-8")
    start, end = text.index("sprache:"), text.index("\nsections:")
    manifest.write_text(text[:start] + FRENCH + text[end:], encoding="utf-8")
    return load_library(root)


def document(library, sample="designerin-pauschal.yaml", **overrides):
    answers = load_answers(SAMPLES / sample, library=library,
                           overrides=[f"{k}={v}" for k, v in overrides.items()])
    return build_document(library, answers, today=TODAY)


def test_numbers_references_and_parties_use_the_library_words(french):
    doc = document(french)
    assert doc.lang == "fr-FR"
    assert [s.heading.split("\u00a0")[0] for s in doc.body_sections] == ["Art."] * len(doc.body_sections)
    text = render_document(doc, "md", library=french).decode("utf-8")
    assert re.search(r"Art\.\u00a0\d+ al\.\u00a0\d+", text)            # "Art. 6 al. 2"
    assert "§" not in "".join(s.heading for s in doc.sections)
    assert "représentée par Max Mustermann" in text and "Numéro fiscal" in text
    assert "vertreten durch" not in text and "Steuernummer" not in text
    assert "«\u00a0**Briefing**\u00a0»" in text                       # a defined term


def test_formatting_follows_the_library_locale(french):
    text = render_document(document(french), "md", library=french).decode("utf-8")
    assert "15 janvier 2027" in text                                  # Babel's fr_FR date
    assert "4\u202f800,00\u00a0€" in text                              # Babel's fr_FR money
    assert "4.800,00" not in text


def test_outputs_carry_the_document_language(french):
    doc = document(french)
    html = render_document(doc, "html", library=french).decode("utf-8")
    assert '<html lang="fr-FR">' in html
    data = render_document(doc, "docx", library=french)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert 'w:val="fr-FR"' in styles and 'w:val="en-US"' not in styles


def test_german_outputs_are_tagged_de_de(library):
    doc = document(library)
    assert doc.lang == "de-DE"
    assert '<html lang="de-DE">' in render_document(doc, "html", library=library).decode()
    with zipfile.ZipFile(io.BytesIO(render_document(doc, "docx", library=library))) as archive:
        assert 'w:val="de-DE"' in archive.read("word/styles.xml").decode("utf-8")


def test_provenance_finds_clause_boundaries_in_any_language(french, tmp_path):
    doc = document(french)
    path = tmp_path / "contrat.docx"
    path.write_bytes(render_document(doc, "docx", library=french))
    contract = read_contract(path)
    assert [c.id for c in contract.clauses] == [s.clause_id for s in doc.sections]
    for clause, section in zip(contract.clauses, doc.sections, strict=True):
        assert clause.lines and clause.lines[0] == section.heading   # from the manifest


def test_a_broken_reference_is_a_visible_marker_in_a_draft(tmp_path):
    root = tmp_path / "bibliothek"
    shutil.copytree(ROOT / "clause_library", root)
    clause = root / "clauses" / "haftung.md"
    clause.write_text(clause.read_text(encoding="utf-8") + '\nSiehe {{ ref("gibt-es-nicht") }}.\n',
                      encoding="utf-8")
    library = load_library(root)
    answers = load_answers(SAMPLES / "designerin-pauschal.yaml", library=library)
    with pytest.raises(RenderError) as caught:                         # generate: an error
        build_document(library, answers, today=TODAY)
    (problem,) = caught.value.problems
    assert problem.code == "model.ref-deselected" and problem.where.endswith("haftung.md")
    draft = build_document(library, answers, today=TODAY, draft=True)   # a preview: a marker
    text = render_document(draft, "md", library=library).decode("utf-8")
    assert "Siehe [Verweis fehlt: gibt-es-nicht]." in text
    assert [p.code for p in draft.problems] == ["model.ref-deselected"]
    assert all(p.level == "warning" for p in draft.problems)
