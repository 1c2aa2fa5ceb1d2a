"""The contract in English and side by side (issue 12): the samples as a user reads them, the
bilingual DOCX read back column by column, the consumer rule, the lint of the edition on broken
copies, and the English follow-up mails."""

import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, TODAY
from typer.testing import CliRunner

from contractgen import api, build_document, load_answers, render_document
from contractgen.cli import app
from contractgen.errors import AnswersError, LibraryError
from contractgen.lint import check_library

US = SAMPLES / "webentwicklung-usa-englisch.yaml"
SWISS = SAMPLES / "it-beratung-schweiz-zweisprachig.yaml"
COACH = SAMPLES / "coach-stunden-verbraucher.yaml"
SHIPPED = ROOT / "clause_library"
runner = CliRunner()

NUMBER = re.compile(r"^\((\d+)\)")
GERMAN_HEADING = re.compile(r"^(§|Anlage)\s(\d+)")
ENGLISH_HEADING = re.compile(r"^(Clause|Annex)\s(\d+)")


def with_answer(tmp_path: Path, sample: Path, line: str) -> Path:
    path = tmp_path / sample.name
    path.write_text(sample.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return path


def test_the_english_contract_reads_english_with_english_formatting(library):
    document = build_document(library, load_answers(US, library=library), today=TODAY)
    assert document.lang == "en-GB"
    text = render_document(document, "md", library=library).decode("utf-8")
    # (the client is in the US: no German VAT, the overview says why)
    for expected in ("# Framework Agreement for Freelance Services", "30% (€3,840.00)",
                     "| VAT | not taxable in Germany",
                     "1\u00a0February 2027", "## Clause\u00a01: Subject Matter",
                     "Section 648 of the German Civil Code (BGB)", "Place, date"):
        assert expected in text, expected
    # nothing German from the library: no § sign, no German heading or fee word
    for german in ("§", "Vertrag", "Umsatzsteuer", "zuzüglich", "Auftragnehmer", "Anlage"):
        assert german not in text, german


def test_every_german_paragraph_has_an_english_one_with_the_same_number(library):
    """The bilingual DOCX read back: every row of the side-by-side tables has a German cell on
    the left and an English cell on the right with the same clause or paragraph number."""
    from docx import Document as Docx

    document = build_document(library, load_answers(SWISS, library=library), today=TODAY)
    data = render_document(document, "docx", library=library)
    tables = Docx(io.BytesIO(data)).tables
    assert tables
    headings = paragraphs = 0
    columns = [t for t in tables if [c.text for c in t.rows[0].cells] == ["Deutsch", "English"]]
    assert columns   # the signature table after them has captions in both languages instead
    for table in columns:
        for row in table.rows[1:]:
            left, right = (c.text.strip() for c in row.cells)
            assert bool(left) == bool(right), (left, right)
            german = GERMAN_HEADING.match(left)
            if german:
                english = ENGLISH_HEADING.match(right)
                assert english and english.group(2) == german.group(2), (left, right)
                headings += 1
            for number in NUMBER.findall(left):
                assert NUMBER.match(right) and NUMBER.match(right).group(1) == number, (left, right)
                paragraphs += 1
    assert headings == len(document.sections)
    body_paragraphs = sum(1 for s in document.sections for p in s.paragraphs if p.number)
    assert paragraphs == body_paragraphs > 20
    # the clause that the German version prevails, in both columns
    cells = [c.text for t in tables for r in t.rows for c in r.cells]
    assert any("Maßgeblich ist allein die deutsche Fassung" in c for c in cells)
    assert any("Only the German version is authoritative" in c for c in cells)


def test_english_is_refused_for_a_consumer_with_file_line_and_key(tmp_path, library):
    path = with_answer(tmp_path, COACH, "sprache: en")
    line = path.read_text(encoding="utf-8").splitlines().index("sprache: en") + 1
    with pytest.raises(AnswersError) as caught:
        load_answers(path, library=library)
    problem = next(p for p in caught.value.problems if p.location.key == "sprache")
    assert problem.location.file == str(path) and problem.location.line == line
    assert "Verbrauchern" in problem.message and "de-en" in problem.message
    result = runner.invoke(app, ["generate", str(path), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 3
    assert f"{path}:{line}: sprache:" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_a_bilingual_consumer_contract_keeps_the_german_statutory_notice(tmp_path, library):
    from contractgen.model import plain_text

    path = with_answer(tmp_path, COACH, "sprache: de-en")
    document = build_document(library, load_answers(path, library=library), today=TODAY)
    pair = next(p for p in document.bilingual.sections if p.left.clause_id == "widerrufsbelehrung")
    german = " ".join(plain_text(p.content) for p in pair.left.paragraphs)
    assert ("Sie haben das Recht, binnen vierzehn Tagen ohne Angabe von Gründen diesen Vertrag "
            "zu widerrufen.") in german
    assert "the German statutory text is authoritative" in pair.right.title
    # the consumer's declaration on early commencement: in the e-mail in the German wording
    mail = render_document(document, "text", library=library).decode("utf-8")
    english = re.sub(r"\s+", " ", mail.partition("\nEnglish\n")[2])
    assert "(the German wording of our agreement is authoritative): “Ich verlange" in english


def test_the_english_email_agreement_and_a_follow_up_mail(library):
    text = render_document(build_document(library, load_answers(US, library=library),
                                          today=TODAY), "text", library=library).decode("utf-8")
    assert text.startswith("Dear Ms Miller,")
    assert "Kind regards" in text and "Mit freundlichen" not in text
    mail = api.follow_up_mail("gespraechsnotiz", US, today=TODAY, inputs={
        "datum": "2027-02-03", "teilnehmer": ["Jordan Miller", "Deniz Aydın"],
        "vereinbart": ["Portal login with single sign-on"], "offen": [],
        "naechste_schritte": ["Design draft by 10 February"]})
    assert mail.text.startswith("Dear Ms Miller,"), mail.text[:80]
    assert "3\u00a0February 2027" in mail.text and "Portal login with single sign-on" in mail.text
    for german in ("Gespräch", "Arbeitstagen", "Viele Grüße", "Mit freundlichen"):
        assert german not in mail.text, german


def test_the_bilingual_email_shows_both_languages_one_after_the_other(library):
    text = render_document(build_document(library, load_answers(SWISS, library=library),
                                          today=TODAY), "text", library=library).decode("utf-8")
    german, _, english = text.partition("\nEnglish\n")
    assert german.startswith("Sehr geehrte Frau Meier,") and "Mit freundlichen Grüßen" in german
    assert "Dear Ms Meier," in english and "Kind regards" in english


def _library_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "bibliothek"
    shutil.copytree(SHIPPED, copy)
    return copy


def test_an_untranslated_clause_stops_the_english_contract_but_not_the_german(tmp_path):
    copy = _library_copy(tmp_path)
    (copy / "en" / "clauses" / "haftung.md").unlink()
    german = api.load_answers(US, library=api.load_library(copy),
                              overrides=("sprache=de",))
    assert api.build_document(api.load_library(copy), german, today=TODAY).sections
    english = api.load_answers(US, library=api.load_library(copy))
    with pytest.raises(LibraryError) as caught:
        api.build_document(api.load_library(copy), english, today=TODAY)
    assert any(p.key == "haftung" and p.code == "library.translation-missing"
               for p in caught.value.problems)
    report = check_library(copy, exhaustive=False)
    assert any(f.rule == "translation-missing" and "haftung" in str(f.where) for f in report.findings)


def test_a_german_change_without_a_new_version_is_found_by_the_comparison(tmp_path):
    copy = _library_copy(tmp_path)
    clause = copy / "clauses" / "haftung.md"
    text = clause.read_text(encoding="utf-8")   # version stays: the author forgot to raise it
    clause.write_text(text.rstrip("\n") + " Das gilt auch gegenüber {{ auftraggeber.name }}.\n",
                      encoding="utf-8")
    report = check_library(copy, exhaustive=False)
    found = [f for f in report.findings if f.rule == "translation-variable"]
    assert found and all("en/clauses/haftung.md" in str(f.where) for f in found)
    assert "'auftraggeber.name'" in found[0].message



def test_the_designations_are_german_only_but_every_other_variable_is_compared(tmp_path):
    # the English edition writes "the Contractor"/"the Client" for every choice of AN and AG
    library = tmp_path / "bibliothek"
    shutil.copytree(Path(__file__).parent / "libraries" / "translation-missing", library)
    german = library / "clauses" / "a.md"
    german.write_text(german.read_text(encoding="utf-8").replace(
        "Gegenstand ist das Projekt „{{ projekt.titel }}“.",
        "{{ AN.Der }} übernimmt für {{ AG.den }} ({{ auftraggeber.name }}) das Projekt "
        "„{{ projekt.titel }}“; {{ AG.er }} wirkt mit."), encoding="utf-8")
    report = check_library(library, exhaustive=False)
    found = [f for f in report.findings if f.rule == "translation-variable"]
    assert [f.message.split("steht die Variable ")[1].split(",")[0] for f in found] \
        == ["'auftraggeber.name'"]
    assert "en/clauses/a.md" in str(found[0].where)

def test_the_english_legal_wording_rules_run_on_the_edition(tmp_path):
    library = tmp_path / "bibliothek"
    shutil.copytree(Path(__file__).parent / "libraries" / "translation-missing", library)
    (library / "erwartet.txt").unlink()
    (library / "en" / "clauses" / "b.md").write_text(
        "---\nid: b\ntranslates: 1.0.0\ntitle: Consumer\n---\n{{ absatz(\"eins\") }}The Client "
        "is a consumer. The Contractor's liability is excluded to the extent permitted by law.\n",
        encoding="utf-8")
    report = check_library(library)
    found = [f for f in report.findings if f.rule == "AGB-01"]
    assert [str(f.where) for f in found] == [f"{library / 'en' / 'clauses' / 'b.md'}:6"]


def test_the_catalogue_shows_both_languages(tmp_path):
    output = tmp_path / "katalog.md"
    result = runner.invoke(app, ["library", "catalog", "-o", str(output), "--sprache", "de-en"])
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    german = text.index("## Haftung (`haftung`)")
    english = text.index("## Liability (English) (`haftung`)")
    assert german < english
    assert "The Contractor is liable without limitation" in text


def test_the_cancellation_mail_calculates_in_the_mails_language(tmp_path):
    path = with_answer(tmp_path, COACH, "sprache: de-en")
    mail = api.follow_up_mail("ausfallhonorar", path, today=TODAY, inputs={
        "termin": "2027-03-10", "abgesagt_am": "2027-03-09", "dauer_stunden": "1,5"})
    german, _, english = mail.text.partition("\nEnglish\n")
    assert "1,5 Std. × 90,00\u00a0€ = 135,00\u00a0€" in german
    assert "1.5 hrs × €90.00 = €135.00 net" in english


def test_a_stale_mail_translation_is_a_lint_error(tmp_path):
    copy = _library_copy(tmp_path)
    mail = copy / "mails" / "abnahme.md"
    text = mail.read_text(encoding="utf-8")
    version = re.search(r"^version: (\S+)$", text, re.M).group(1)
    mail.write_text(text.replace(f"version: {version}", "version: 9.0.0"), encoding="utf-8")
    report = check_library(copy, exhaustive=False)
    stale = [f for f in report.findings if f.rule == "translation-stale"]
    assert [str(f.where) for f in stale] == [f"{copy / 'en' / 'mails' / 'abnahme.md'}:3"]


def test_an_individual_order_under_an_english_framework_agreement_is_english(tmp_path, library):
    framework = with_answer(tmp_path, SAMPLES / "rahmenvertrag-ohne-projekt.yaml", "sprache: en")
    document, _ = api.order_document(framework, SAMPLES / "einzelauftraege" / "einzelauftrag-1.yaml",
                                     today=TODAY)
    text = render_document(document, "md", library=library).decode("utf-8")
    assert text.startswith("# Individual Order No. 1 under the Framework Agreement of")
    assert "€3,200.00 plus 19% VAT" in text and "of the framework agreement" in text
    for german in ("Einzelauftrag", "Rahmenvertrag", "zuzüglich", "§"):
        assert german not in text, german
