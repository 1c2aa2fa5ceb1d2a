"""Batch: CSV/YAML mapping, validation before writing, per-row failures, re-runs, PDF."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import SAMPLES, require_soffice
from docx import Document as open_docx
from typer.testing import CliRunner

from contractgen import generate_batch
from contractgen.cli import app

BASE = SAMPLES / "designerin-pauschal.yaml"
SENT = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone.utc)
CSV = (
    "auftraggeber.name;auftraggeber.email;projekt.titel;honorar.betrag;projekt.leistungen;ausfall.staffel;_datei\n"
    "Alpha GmbH;a@alpha.example;Logo;1200;Logo|Visitenkarte;10:30|3:50;\n"
    "Beta AG;b@beta.example;Website;5000,50;Startseite;;beta-website\n"
    "Gamma;kaputt;Flyer;-3;Flyer;;\n"
    "Delta KG;d@delta.example;../../ausbruch;900;Plakat;;../../../etc/passwd\n"
)


def docx_text(path: Path) -> str:
    doc = open_docx(io.BytesIO(path.read_bytes()))
    return "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for r in t.rows for c in r.cells])


def run(tmp_path: Path, listing: str, name: str = "liste.csv", **kwargs):
    source = tmp_path / name
    source.write_text(listing, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    options = {"base": BASE, "jobs": 1, "today": dt.date(2027, 1, 10), "sent": SENT, **kwargs}
    return generate_batch(source, output_dir=out, **options), out


def test_csv_rows_map_to_answers_and_failures_are_reported(tmp_path: Path) -> None:
    seen_first_progress: list[list[str]] = []

    def progress(done: int, total: int) -> None:
        if not seen_first_progress:  # validation is over, nothing written yet
            seen_first_progress.append(sorted(p.name for p in (tmp_path / "out").iterdir()
                                              if not p.name.startswith(".contractgen-batch-")))

    report, out = run(tmp_path, CSV, progress=progress)
    assert seen_first_progress == [[]]
    assert report.total == 4
    assert [r.number for r in report.failed] == [3]
    keys = {p.key for p in report.failed[0].problems}
    assert keys == {"auftraggeber.email", "honorar.betrag"}
    assert all(p.where == f"{tmp_path / 'liste.csv'}:4" for p in report.failed[0].problems)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["alpha-gmbh-logo.docx", "beta-website.docx", "etc-passwd.docx"]
    alpha = docx_text(out / "alpha-gmbh-logo.docx")
    assert "Alpha GmbH" in alpha and "1.200,00\xa0€" in alpha
    assert "weniger als 10 Kalendertage" in alpha or "10 Kalendertage" in alpha
    assert "Visitenkarte" in alpha
    assert "Erika Mustermann" in alpha  # from the base answers
    assert "5.000,50\xa0€" in docx_text(out / "beta-website.docx")


def test_rerun_skips_existing_unless_forced(tmp_path: Path) -> None:
    listing = "\n".join(CSV.splitlines()[:3]) + "\n"
    first, out = run(tmp_path, listing)
    assert len(first.written) == 2
    stamp = (out / "beta-website.docx").stat().st_mtime_ns
    second, _ = run(tmp_path, listing)
    assert len(second.written) == 0 and len(second.skipped) == 2
    assert (out / "beta-website.docx").stat().st_mtime_ns == stamp
    third, _ = run(tmp_path, listing, force=True)
    assert len(third.written) == 2


def test_yaml_list_with_email_on_two_processes(tmp_path: Path) -> None:
    listing = (
        "- auftraggeber: {name: Eins GmbH, email: eins@example.org}\n"
        "  projekt: {titel: Eins}\n"
        "- auftraggeber: {name: Zwei GmbH, email: zwei@example.org}\n"
        "  projekt: {titel: Zwei}\n"
        "- auftraggeber: {name: Drei GmbH, email: drei@example.org, art: firma}\n"
    )
    report, out = run(tmp_path, listing, name="liste.yaml", email=True, jobs=2)
    assert len(report.written) == 2
    assert [r.number for r in report.failed] == [3]
    assert report.failed[0].problems[0].where.endswith("liste.yaml:5")
    assert sorted(p.name for p in out.iterdir()) == [
        "eins-gmbh-eins.docx", "eins-gmbh-eins.eml", "zwei-gmbh-zwei.docx", "zwei-gmbh-zwei.eml"]


def test_cli_reports_rows_and_exit_code(tmp_path: Path) -> None:
    source = tmp_path / "liste.csv"
    source.write_text(CSV, encoding="utf-8")
    (tmp_path / "out").mkdir()
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(tmp_path / "out"), "--base",
                                      str(BASE), "--jobs", "1"])
    assert result.exit_code == 8
    assert "Zeile 3" in result.output and "auftraggeber.email" in result.output
    assert "3 geschrieben, 0 übersprungen (schon vorhanden), 1 fehlgeschlagen, 4 Zeilen" in result.output


def test_a_missing_output_folder_is_made(tmp_path: Path) -> None:
    source = tmp_path / "liste.csv"
    source.write_text(CSV, encoding="utf-8")
    target = tmp_path / "neu" / "vertraege"
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(target), "--base", str(BASE),
                                      "--jobs", "1"])
    assert result.exit_code == 8, result.output              # row 3 is wrong, as above
    assert sorted(p.name for p in target.iterdir()) == [
        "alpha-gmbh-logo.docx", "beta-website.docx", "etc-passwd.docx"]
    (tmp_path / "datei").write_text("", encoding="utf-8")
    refused = CliRunner().invoke(app, ["batch", str(source), "-o", str(tmp_path / "datei")])
    assert refused.exit_code == 6 and "ist eine Datei, kein Ausgabeverzeichnis" in refused.output


# what German Excel saves as "CSV (Trennzeichen-getrennt)": Windows-1252, ";", amounts as shown
EXCEL = (
    "auftraggeber.name;auftraggeber.email;projekt.titel;honorar.betrag;projekt.leistungen\r\n"
    "Müller & Söhne GmbH;m@mueller.example;Geschäftsausstattung;2.800,00 €;Logo|Briefpapier\r\n"
    "Straße 5 KG;s@strasse.example;Website;4.800;Startseite\r\n"
)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_the_csv_german_excel_writes(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "kunden.csv"
    source.write_bytes(EXCEL.encode(encoding))
    out = tmp_path / "out"
    report = generate_batch(source, output_dir=out, base=BASE, jobs=1, fmt="md",
                            today=dt.date(2027, 1, 10), sent=SENT)
    assert not report.failed, [p for r in report.failed for p in r.problems]
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    mueller = next(t for n, t in texts.items() if n.startswith("mueller"))
    assert "Müller \\& Söhne GmbH" in mueller                    # "&" escaped in Markdown
    assert "Geschäftsausstattung" in mueller
    assert "2.800,00\u00a0€" in mueller
    assert any("4.800,00\u00a0€" in t for n, t in texts.items() if n.startswith("strasse"))


def test_a_list_in_neither_encoding_names_both(tmp_path: Path) -> None:
    source = tmp_path / "kunden.csv"
    source.write_bytes(b"auftraggeber.name\n\x81\x8d\n")       # undefined in Windows-1252
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "kunden.csv:2: Die Liste ist nicht in UTF-8 oder Windows-1252 (Excel) gespeichert." \
        in result.output


def test_pdf_a_only_with_pdf(tmp_path: Path) -> None:
    source = tmp_path / "liste.csv"
    source.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(tmp_path / "out"),
                                      "--pdf-a"])
    assert result.exit_code == 2 and "--pdf-a gilt nur für PDF" in result.output
    assert not (tmp_path / "out").exists()


def test_batch_pdf_in_one_libreoffice_call_as_pdf_a_with_its_status(tmp_path: Path) -> None:
    require_soffice()
    listing = "\n".join(CSV.splitlines()[:3]) + "\n"
    said: list[str] = []
    report, out = run(tmp_path, listing, fmt="pdf", pdf_a=True, status=said.append)
    assert len(report.written) == 2, report.failed
    names = sorted(p.name for p in out.iterdir())
    assert names == ["alpha-gmbh-logo.pdf", "beta-website.pdf"]
    assert all((out / n).read_bytes().startswith(b"%PDF") for n in names)
    assert all(b"<pdfaid:part>2</pdfaid:part>" in (out / n).read_bytes() for n in names)
    assert said[0].startswith("2 PDFs werden mit LibreOffice erzeugt (der erste Start")
    assert said[1].startswith("2 PDFs erzeugt in ") and said[1].endswith(" s.")


@pytest.mark.parametrize("fmt", ["md"])
def test_markdown_batch(tmp_path: Path, fmt: str) -> None:
    listing = "\n".join(CSV.splitlines()[:2]) + "\n"
    report, out = run(tmp_path, listing, fmt=fmt)
    assert (out / "alpha-gmbh-logo.md").read_text(encoding="utf-8").startswith("# Rahmenvertrag")


# ---- findings of the review: each test failed before its fix ------------------------------------

FRAMEWORK = SAMPLES / "rahmenvertrag-ohne-projekt.yaml"


def test_framework_agreement_without_project_is_named_after_the_client(tmp_path: Path) -> None:
    listing = "auftraggeber.name;auftraggeber.email\nX GmbH;x@x.example\nY AG;y@y.example\n"
    report, out = run(tmp_path, listing, base=FRAMEWORK)
    assert not report.failed, report.failed
    assert sorted(p.name for p in out.iterdir()) == ["x-gmbh-rahmenvertrag.docx",
                                                     "y-ag-rahmenvertrag.docx"]
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "liste.csv"), "-o", str(out),
                                      "--base", str(FRAMEWORK), "--jobs", "1", "--force"])
    assert result.exit_code == 0, result.output


def test_an_internal_error_in_one_row_fails_only_that_row(tmp_path: Path, monkeypatch) -> None:
    import contractgen.pipeline
    import contractgen.questionnaire.answers as answers_module

    real_build, real_validate = contractgen.pipeline.build_document, answers_module.validate

    def build(library, answers, **kwargs):
        if answers.values["auftraggeber"]["name"] == "Alpha GmbH":
            raise RuntimeError("kaputt beim Rendern")
        return real_build(library, answers, **kwargs)

    def validate(raw, *args, **kwargs):
        answers = real_validate(raw, *args, **kwargs)
        if answers.values["auftraggeber"]["name"] == "Delta KG":
            raise KeyError("projekt")
        return answers

    monkeypatch.setattr(contractgen.pipeline, "build_document", build)
    monkeypatch.setattr(answers_module, "validate", validate)
    report, out = run(tmp_path, CSV)
    assert [r.number for r in report.written] == [2]
    assert [r.number for r in report.failed] == [1, 3, 4]
    for row in (report.failed[0], report.failed[2]):
        (problem,) = row.problems
        assert "Interner Fehler bei dieser Zeile" in problem.message
        assert problem.where == row.where
    assert sorted(p.name for p in out.iterdir()) == ["beta-website.docx"]


def test_rerun_finishes_a_partly_written_row(tmp_path: Path) -> None:
    listing = "\n".join(CSV.splitlines()[:3]) + "\n"
    first, out = run(tmp_path, listing, email=True)
    assert len(first.written) == 2
    (out / "beta-website.eml").unlink()            # as if the run had been killed in between
    stamp = (out / "beta-website.docx").stat().st_mtime_ns
    second, _ = run(tmp_path, listing, email=True)
    assert not second.failed, second.failed
    assert [r.stem for r in second.written] == ["beta-website"]
    assert second.written[0].written == ("beta-website.eml",)
    assert [r.stem for r in second.skipped] == ["alpha-gmbh-logo"]
    assert (out / "beta-website.eml").is_file()
    assert (out / "beta-website.docx").stat().st_mtime_ns == stamp


def test_rendering_finds_every_output_present_and_skips_the_row(tmp_path: Path) -> None:
    """A row whose outputs all appeared between validation and rendering is skipped, not failed."""
    import contractgen.batch as batch

    listing = "\n".join(CSV.splitlines()[:2]) + "\n"
    first, out = run(tmp_path, listing)
    batch._STATE.update(directory=str(out), format="docx", force=False, email=False)
    result = batch._render((1, "liste.csv:2", None, "alpha-gmbh-logo"))
    assert result.skipped and not result.problems and not result.written


def _fake_pdf(monkeypatch) -> list[Path]:
    import contractgen.writers.pdf as pdf

    seen: list[Path] = []

    def convert_many(sources, pdf_a=False):
        seen.extend(sources)
        assert all(s.is_file() for s in sources)
        return {s: b"%PDF-1.7 " + s.stem.encode() for s in sources}

    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(pdf, "convert_many", convert_many)
    return seen


def test_pdf_batch_never_touches_a_docx_in_the_output_folder(tmp_path: Path, monkeypatch) -> None:
    seen = _fake_pdf(monkeypatch)
    listing = "\n".join(CSV.splitlines()[:3]) + "\n"
    out = tmp_path / "out"
    out.mkdir()
    (out / "alpha-gmbh-logo.docx").write_bytes(b"meine eigene Datei")
    report, _ = run(tmp_path, listing, fmt="pdf")
    assert not report.failed, report.failed
    assert sorted(p.name for p in out.iterdir()) == [
        "alpha-gmbh-logo.docx", "alpha-gmbh-logo.pdf", "beta-website.pdf"]
    assert all(out not in s.parents for s in seen)         # converted from a private folder
    assert [r.written for r in report.written] == [("alpha-gmbh-logo.pdf",), ("beta-website.pdf",)]
    forced, _ = run(tmp_path, listing, fmt="pdf", force=True)
    assert len(forced.written) == 2
    assert (out / "alpha-gmbh-logo.docx").read_bytes() == b"meine eigene Datei"
    again, _ = run(tmp_path, listing, fmt="pdf", email=True)  # only the missing .eml are written
    assert [r.written for r in again.written] == [("alpha-gmbh-logo.eml",), ("beta-website.eml",)]
    assert (out / "beta-website.pdf").read_bytes() == b"%PDF-1.7 beta-website"


def test_pdf_batch_failure_of_one_conversion_fails_only_that_row(tmp_path: Path,
                                                                   monkeypatch) -> None:
    import contractgen.writers.pdf as pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(pdf, "convert_many", lambda sources, pdf_a=False: {
        s: b"%PDF" for s in sources if s.stem != "beta-website"})
    listing = "\n".join(CSV.splitlines()[:3]) + "\n"
    report, out = run(tmp_path, listing, fmt="pdf")
    assert [r.stem for r in report.written] == ["alpha-gmbh-logo"]
    assert [r.stem for r in report.failed] == ["beta-website"]
    assert sorted(p.name for p in out.iterdir()) == ["alpha-gmbh-logo.pdf"]


def test_batch_uses_the_freelancers_profile_below_the_base(tmp_path: Path,
                                                            isolated_config_dir: Path) -> None:
    (isolated_config_dir / "profil.yaml").write_text(
        "auftragnehmer:\n  name: Profil Person\n  strasse: Profilweg 1\n  plz: '10115'\n"
        "  ort: Berlin\n  email: profil@example.org\n  kleinunternehmer: false\n"
        "  kaufmann: false\n", encoding="utf-8")
    text = BASE.read_text(encoding="utf-8")
    start, end = text.index("auftragnehmer:"), text.index("auftraggeber:")
    base = tmp_path / "basis.yaml"
    base.write_text(text[:start] + "auftragnehmer:\n  name: Basis Name\n" + text[end:],
                    encoding="utf-8")
    listing = "\n".join(CSV.splitlines()[:2]) + "\n"
    report, out = run(tmp_path, listing, base=base)
    assert not report.failed, report.failed
    contract = docx_text(out / "alpha-gmbh-logo.docx")
    assert "Basis Name" in contract and "Profil Person" not in contract   # base over profile
    assert "Profilweg 1" in contract and "10115 Berlin" in contract         # profile fills in


def test_a_new_batch_removes_temporary_files_of_a_killed_one(tmp_path: Path) -> None:
    """Only what a batch that has ended left behind: its temporary files carry its token and
    its lock file is free. A running batch's files and other programs' files stay."""
    from contractgen.batchtemp import BatchLock

    out = tmp_path / "out"
    out.mkdir()
    dead = "0123456789ab"
    (out / f".contractgen-batch-{dead}.lock").write_bytes(b"")   # killed: nobody holds it
    leftovers = [f".alpha-gmbh-logo.docx.{dead}.k3j_9x2a.tmp", f".beta-website.eml.{dead}.abcdefgh.tmp",
                 f".x-gmbh.pdf.{dead}.00000000.tmp", f".x.md.{dead}.zzzzzzzz.tmp"]
    running = BatchLock(out)                                       # another batch, still running
    theirs = [f".gamma.docx.{running.token}.abcdefgh.tmp"]
    others = [".Mein Vertrag.docx.abcdefgh.tmp", ".notiz.txt.abcdefgh.tmp",
              ".alpha-gmbh-logo.docx.kurz.tmp", "alpha.docx.abcdefgh.tmp", ".versteckt",
              ".alpha-gmbh-logo.docx.k3j_9x2a.tmp",                  # `generate`'s, no token
              ".delta.docx.fedcba987654.abcdefgh.tmp"]               # a token without its lock
    for name in leftovers + theirs + others:
        (out / name).write_bytes(b"x")
    (out / f".ordner.docx.{dead}.abcdefgh.tmp").mkdir()
    listing = "\n".join(CSV.splitlines()[:2]) + "\n"
    try:
        report, _ = run(tmp_path, listing)
    finally:
        running.close()
    assert len(report.written) == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*others, *theirs, f".ordner.docx.{dead}.abcdefgh.tmp", "alpha-gmbh-logo.docx"])


def test_counts_in_messages_are_german_singular_or_plural(tmp_path: Path) -> None:
    source = tmp_path / "liste.csv"
    source.write_text("auftraggeber.name;projekt.titel\nEins GmbH\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(tmp_path / "out"),
                                      "--base", str(BASE), "--jobs", "1"])
    assert result.exit_code == 8
    assert "Die Zeile hat 1 Spalte, die Kopfzeile 2." in result.output
    assert "0 geschrieben, 0 übersprungen (schon vorhanden), 1 fehlgeschlagen, 1 Zeile insgesamt." \
        in result.output
