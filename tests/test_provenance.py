"""inspect, update and diff on contracts generated from the samples."""

import json
import re
import shutil

import pytest
from conftest import ROOT, SAMPLES, TODAY
from typer.testing import CliRunner

from contractgen import api
from contractgen.cli import app
from contractgen.provenance import compare, plan_update, read_contract, write_update

runner = CliRunner()
DESIGNER = SAMPLES / "designerin-pauschal.yaml"


def generate(tmp_path, name="vertrag.docx", sample=DESIGNER, overrides=(), library=None):
    path = tmp_path / name
    api.generate(sample, output=path, overrides=overrides, today=TODAY, library_path=library)
    return path


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_inspect_shows_clauses_versions_and_answers(tmp_path, library, sample):
    path = generate(tmp_path, sample=sample)
    contract = read_contract(path)
    document = api.build_document(library, api.load_answers(sample, library=library, profile=None),
                                  today=TODAY)
    assert [c.id for c in contract.clauses] == [s.clause_id for s in document.sections]
    assert contract.library_version == library.version
    # the headings as rendered (designations: "Mitwirkung des …"), in the prevailing language
    # (the left column of a bilingual contract)
    titles = {s.clause_id: s.title for s in document.sections}
    assert all(c.lines and c.lines[0].endswith(titles[c.id]) for c in contract.clauses)
    result = runner.invoke(app, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["klauseln"]] == [c.id for c in contract.clauses]
    assert data["antworten"]["auftragnehmer"]["name"]
    text = runner.invoke(app, ["inspect", str(path)]).stdout
    assert f"Bibliothek: {library.name} {library.version}" in text


def test_inspect_rejects_a_docx_without_manifest(tmp_path):
    from docx import Document

    path = tmp_path / "fremd.docx"
    Document().save(str(path))
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 3
    assert "Herkunftsangaben" in result.output


def test_diff_shows_clause_level_changes(tmp_path):
    a = generate(tmp_path, "a.docx")
    b = generate(tmp_path, "b.docx", overrides=["honorar.betrag=5200", "vertragstyp=dienstvertrag",
                                                "auftraggeber.art=verbraucher",
                                                "auftragnehmer.telefon=040 1234"])
    comparison = compare(read_contract(a), read_contract(b))
    kinds = {c.id: c.kind for c in comparison.changed}
    assert kinds["widerrufsrecht"] == "neu" and kinds["abnahme"] == "entfernt"
    verguetung = next(c for c in comparison.changes if c.id == "verguetung-pauschal")
    assert verguetung.kind == "geändert" and "(netto 5.200,00" in verguetung.word_diff
    assert any(line.startswith("honorar.betrag:") for line in comparison.answer_changes)
    result = runner.invoke(app, ["diff", str(a), str(b)])
    assert result.exit_code == 1                                  # they differ, as diff(1) says
    assert "+ widerrufsrecht" in result.stdout and "- abnahme" in result.stdout
    same = runner.invoke(app, ["diff", str(a), str(a)])
    assert same.exit_code == 0 and "Keine Unterschiede." in same.stdout


def test_diff_shows_the_fee_overview_and_keeps_paragraphs_apart(tmp_path):
    a = generate(tmp_path, "a.docx")
    b = generate(tmp_path, "b.docx", overrides=["honorar.betrag=5000"])
    result = runner.invoke(app, ["diff", str(a), str(b)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "~ Vertragskopf und Honorar auf einen Blick (geändert)" in lines
    assert "    Pauschalhonorar | [-4.800,00-] {+5.000,00+} € zzgl. 19 % Umsatzsteuer" in lines
    start = lines.index(next(line for line in lines if line.startswith("~ verguetung-pauschal")))
    paragraphs = [line for line in lines[start + 1:start + 3]]
    assert paragraphs[0].startswith("    (1) ") and paragraphs[1].startswith("    (2) ")
    assert "[-4.800,00-] {+5.000,00+}" in paragraphs[0]
    assert "[-(1.440,00-] {+(1.500,00+}" in paragraphs[1]
    assert "\x1b" not in result.stdout                          # no terminal: no colour


@pytest.mark.parametrize("no_color", [False, True])
def test_diff_is_coloured_on_a_terminal_unless_no_color(tmp_path, no_color):
    import os
    import pty
    import subprocess
    import sys

    a = generate(tmp_path, "a.docx")
    b = generate(tmp_path, "b.docx", overrides=["honorar.betrag=5000"])
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    reader, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "contractgen", "diff", str(a), str(b)],
                               stdout=terminal, stderr=subprocess.DEVNULL, env=env)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(reader, 65536)
        except OSError:              # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(reader)
    assert process.wait(timeout=120) == 1
    assert b"5.000,00" in shown
    if no_color:
        assert b"\x1b" not in shown
    else:
        assert b"\x1b[31m[-4.800,00-]\x1b[0m \x1b[32m{+5.000,00+}\x1b[0m" in shown
        rest = shown.replace(b"\x1b[31m", b"").replace(b"\x1b[32m", b"").replace(b"\x1b[0m", b"")
        assert b"\x1b" not in rest                              # only contractgen's own colours


NEW_VERSION = "9.0.0"      # the changed clause's version (the shipped one is HAFTUNG_VERSION)
HAFTUNG_VERSION = re.search(r"^version: (.*)$", (ROOT / "clause_library" / "clauses" / "haftung.md")
                            .read_text(encoding="utf-8"), re.M).group(1)


@pytest.fixture
def changed_library(tmp_path):
    """A copy of the library where one clause got new wording and a new version."""
    copy = tmp_path / "bibliothek"
    shutil.copytree(ROOT / "clause_library", copy)
    clause = copy / "clauses" / "haftung.md"
    text = clause.read_text(encoding="utf-8")
    text = re.sub(r"^version: .*$", f"version: {NEW_VERSION}", text, count=1, flags=re.M)
    text = text.replace("{{ AN.Der }} haftet unbeschränkt",
                        "{{ AN.Der }} haftet stets unbeschränkt", 1)
    clause.write_text(text, encoding="utf-8")
    return copy


def test_update_shows_word_diff_and_writes_only_when_confirmed(tmp_path, changed_library):
    old = generate(tmp_path)
    target = tmp_path / "neu.docx"
    args = ["update", str(old), "-o", str(target), "--library", str(changed_library)]
    result = runner.invoke(app, args, input="n\n")
    assert result.exit_code == 1
    assert f"~ haftung {HAFTUNG_VERSION} → {NEW_VERSION} (geändert)" in result.stdout
    assert "{+stets+}" in result.stdout
    assert not target.exists()
    result = runner.invoke(app, args + ["--yes"])
    assert result.exit_code == 0, result.output
    new = read_contract(target)
    assert new.clause("haftung").version == NEW_VERSION
    assert new.answers == read_contract(old).answers
    assert runner.invoke(app, args + ["--yes"]).exit_code == 6      # exists: needs --force
    in_place = runner.invoke(app, ["update", str(old), "--yes", "--library", str(changed_library)])
    assert in_place.exit_code == 6                                  # the original is kept
    assert read_contract(old).clause("haftung").version == HAFTUNG_VERSION


def test_update_without_changes_writes_nothing(tmp_path):
    old = generate(tmp_path)
    plan = plan_update(old, output=tmp_path / "neu.docx", today=TODAY)
    assert plan.comparison.changed == ()
    result = runner.invoke(app, ["update", str(old), "-o", str(tmp_path / "neu.docx")])
    assert result.exit_code == 0 and "Keine Änderungen" in result.stdout
    assert not (tmp_path / "neu.docx").exists()
    write_update(plan)
    assert read_contract(tmp_path / "neu.docx").answers_sha256 == read_contract(old).answers_sha256


@pytest.mark.parametrize("answer", ["n\n", "", "vielleicht\n"])
def test_update_not_confirmed_says_so_in_german_and_exits_1(tmp_path, changed_library, answer):
    old = generate(tmp_path)
    target = tmp_path / "neu.docx"
    result = runner.invoke(app, ["update", str(old), "-o", str(target), "--library",
                                 str(changed_library)], input=answer)
    assert result.exit_code == 1
    assert "Abgebrochen: nichts geschrieben." in result.stderr
    assert "Aborted" not in result.output and "[j/N]" in result.stderr
    assert not target.exists()
    confirmed = runner.invoke(app, ["update", str(old), "-o", str(target), "--library",
                                    str(changed_library)], input="j\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert target.exists()


@pytest.mark.parametrize("command", ["inspect", "update", "diff"])
def test_missing_or_foreign_files_are_named_in_german(tmp_path, command):
    contract = generate(tmp_path)
    missing = tmp_path / "gibtsnicht.docx"
    text = tmp_path / "notiz.docx"
    text.write_text("kein DOCX", encoding="utf-8")
    for bad, expected in ((missing, f"Den Vertrag {missing} gibt es nicht."),
                          (text, f"{text} ist kein von contractgen erzeugtes DOCX"),
                          (tmp_path, f"{tmp_path} ist ein Verzeichnis")):
        args = [command, str(bad)] + ([str(contract)] if command == "diff" else [])
        result = runner.invoke(app, args)
        assert result.exit_code == 3, result.output
        assert expected in result.stderr
        assert "No such file" not in result.stderr and "zip file" not in result.stderr
    if command == "diff":
        result = runner.invoke(app, ["diff", str(contract), str(missing)])
        assert result.exit_code == 3 and f"{missing} gibt es nicht" in result.stderr


def test_update_names_the_contract_when_its_stored_answers_no_longer_validate(tmp_path):
    old = generate(tmp_path)
    copy = tmp_path / "bibliothek"
    shutil.copytree(ROOT / "clause_library", copy)
    questionnaire = copy / "questionnaire.yaml"
    text = questionnaire.read_text(encoding="utf-8")
    assert "min: 0.01, max: 10000000" in text
    questionnaire.write_text(text.replace("min: 0.01, max: 10000000", "min: 0.01, max: 1000", 1),
                             encoding="utf-8")
    result = runner.invoke(app, ["update", str(old), "-o", str(tmp_path / "neu.docx"),
                                 "--library", str(copy)])
    assert result.exit_code == 3, result.output
    source = f"{old} (gespeicherte Antworten)"
    assert f"Die Antwortdatei {source} enthält einen Fehler." in result.stderr
    assert f"Fehler: {source}: honorar.betrag: 4.800 ist zu groß" in result.stderr
    assert "antworten.json" not in result.stderr


def test_library_commands_share_the_option_definitions():
    for command in (["update", "--help"], ["mail", "--help"], ["new", "--help"]):
        result = runner.invoke(app, command)
        assert "$CONTRACTGEN_LIBRARY" in result.stdout, command
        assert "Eine vorhandene Ausgabedatei ersetzen." in result.stdout, command
    assert "Eine vorhandene Ausgabedatei ersetzen." in runner.invoke(
        app, ["library", "catalog", "--help"]).stdout
