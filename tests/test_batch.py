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
    "Alpha GmbH;a@alpha.example;Logo;1200;Logo|Visitenkarte;10:30|3:80;\n"
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
            seen_first_progress.append(sorted(p.name for p in (tmp_path / "out").iterdir()))

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


def test_missing_output_directory(tmp_path: Path) -> None:
    source = tmp_path / "liste.csv"
    source.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(source), "-o", str(tmp_path / "fehlt")])
    assert result.exit_code == 6 and "fehlt" in result.output


def test_batch_pdf_in_one_libreoffice_call(tmp_path: Path) -> None:
    require_soffice()
    listing = "\n".join(CSV.splitlines()[:3]) + "\n"
    report, out = run(tmp_path, listing, fmt="pdf")
    assert len(report.written) == 2, report.failed
    names = sorted(p.name for p in out.iterdir())
    assert names == ["alpha-gmbh-logo.pdf", "beta-website.pdf"]
    assert all((out / n).read_bytes().startswith(b"%PDF") for n in names)


@pytest.mark.parametrize("fmt", ["md"])
def test_markdown_batch(tmp_path: Path, fmt: str) -> None:
    listing = "\n".join(CSV.splitlines()[:2]) + "\n"
    report, out = run(tmp_path, listing, fmt=fmt)
    assert (out / "alpha-gmbh-logo.md").read_text(encoding="utf-8").startswith("# Rahmenvertrag")
