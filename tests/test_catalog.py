"""The clause catalogue: every clause with its facts and example text; DOCX opens in LibreOffice."""

import subprocess
import zipfile

from conftest import ROOT, SAMPLES, require_soffice
from typer.testing import CliRunner

from contractgen.api import write_catalog
from contractgen.cli import app
from contractgen.lint.catalog import build_catalog, condition_in_words
from contractgen.model import plain_text

runner = CliRunner()
SHIPPED = ROOT / "clause_library"


def test_catalog_has_every_clause_with_its_facts(library):
    from contractgen import load_answers

    example = load_answers(SAMPLES / "designerin-pauschal.yaml", library=library, profile=None)
    catalog = build_catalog(library, example=example)
    assert {e.id for e in catalog.entries} == {c.id for c in library.clauses}
    for entry in catalog.entries:
        clause = library.clause(entry.id)
        assert entry.version == clause.version and entry.legal == clause.legal
        assert entry.paragraphs, entry.id            # rendered with values that select it
        assert not entry.problem
        assert (entry.short != ()) == (clause.short is not None)
    by_id = {e.id: e for e in catalog.entries}
    text = " ".join(plain_text(p.content) for p in by_id["vertragsgegenstand"].paragraphs)
    assert "Neugestaltung des Markenauftritts" in text          # the sample's values
    assert by_id["vertragsgegenstand"].example == "Beispielantworten"
    consumer = by_id["widerrufsrecht"]
    assert "auftraggeber.art=verbraucher" in consumer.example   # a variant that selects it
    assert consumer.review == "nicht geprüft"


def test_conditions_in_words(library):
    q = library.questionnaire
    assert condition_in_words(None, q) == "immer"
    assert condition_in_words("werk", q) == "Werkvertrag"
    assert condition_in_words('honorar.modell == "pauschal"', q) == \
        "„Honorarmodell“ ist „Pauschalhonorar“"
    assert condition_in_words("not werk and verbraucher", q) == \
        "nicht: Werkvertrag und der Auftraggeber ist Verbraucher"
    assert condition_in_words("honorar.betrag|int > 3", q) == "honorar.betrag|int > 3"


def test_markdown_catalog(tmp_path, library):
    target = write_catalog(tmp_path / "katalog.md", fmt="md", library_path=SHIPPED)
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Klauselkatalog {library.name} {library.version}")
    for clause in library.clauses:
        assert f"(`{clause.id}`)" in text
    assert "| Bedingung | Werkvertrag |" in text
    assert "[Titel des Projekts]" in text          # placeholders without --beispiel


def test_docx_catalog_uses_reference_styles_and_opens_in_libreoffice(tmp_path):
    soffice = require_soffice()
    target = tmp_path / "katalog.docx"
    result = runner.invoke(app, ["library", "catalog", "-o", str(target), str(SHIPPED),
                                 "--beispiel", str(SAMPLES / "designerin-pauschal.yaml")])
    assert result.exit_code == 0, result.output
    xml = zipfile.ZipFile(target).read("word/document.xml").decode("utf-8")
    assert "Neugestaltung des Markenauftritts" in xml
    assert 'w:rFonts' not in xml                   # styles only, no direct fonts
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(target)], check=True, capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "katalog.pdf"
    assert pdf.exists() and pdf.stat().st_size > 5000
    again = runner.invoke(app, ["library", "catalog", "-o", str(target), str(SHIPPED)])
    assert again.exit_code == 6                    # never overwrites without --force


def test_the_catalogue_is_dated_by_the_library_release_not_today(library, tmp_path):
    import re
    import shutil

    from contractgen import load_library

    changelog = (SHIPPED / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.search(rf"^## {re.escape(library.version)} [–-] (\d{{4}})-(\d\d)-(\d\d)$",
                         changelog, re.M)
    assert released, "the CHANGELOG dates the library's version"
    year, month, day = released.groups()
    path = tmp_path / "katalog.md"
    write_catalog(path, fmt="md")
    head = path.read_text(encoding="utf-8").splitlines()[2]
    assert head.startswith(f"Stand: Version {library.version} vom {day}.{month}.{year}")
    assert ("unveröffentlichte Änderungen" in head) == ("## Unveröffentlicht" in changelog)
    copy = tmp_path / "bibliothek"
    shutil.copytree(SHIPPED, copy)
    (copy / "CHANGELOG.md").write_text("# Änderungen\n", encoding="utf-8")
    undated = build_catalog(load_library(copy))
    assert undated.stand == f"Version {library.version} (ohne Datum im CHANGELOG)"
