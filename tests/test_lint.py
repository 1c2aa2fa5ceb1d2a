"""`contractgen library check`: the shipped library, one broken library per rule, the guide's
examples, and the CLI."""

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from contractgen.cli import app
from contractgen.lint import RULES, check_library
from contractgen.lint.findings import split_where
from contractgen.lint.space import all_pairs

LIBRARIES = Path(__file__).resolve().parent / "libraries"
SHIPPED = ROOT / "clause_library"
runner = CliRunner()


@pytest.fixture(scope="module")
def shipped_report():
    return check_library(SHIPPED)


def test_shipped_library_has_no_errors(shipped_report):
    assert [str(f) for f in shipped_report.findings if f.level == "error"] == []


def test_shipped_library_warnings_are_only_review_and_unused_questions(shipped_report):
    # No clause has been reviewed by a lawyer yet (CHANGELOG.md), and some questions are asked
    # for later use; both are real findings, not lint noise. Everything else must be clean.
    other = [str(f) for f in shipped_report.findings
             if f.rule not in ("reviewed-missing", "unused-question")]
    assert other == []


def test_exhaustive_render_runs_and_reports_its_coverage(shipped_report):
    assert shipped_report.clauses >= 20
    assert shipped_report.combinations > shipped_report.clauses
    assert shipped_report.documents > 1
    assert shipped_report.orders > 5  # individual orders built from framework/order answer pairs
    assert "Klauseln" in shipped_report.strategy
    print(f"\nlibrary check: {shipped_report.combinations} Kombinationen, "
          f"{shipped_report.documents} Verträge, {shipped_report.seconds:.2f} s")
    assert shipped_report.seconds < 20


def test_the_sample_documents_are_the_ones_the_check_builds(shipped_report):
    # one function for the check's whole-document set and the lawyer's web page (which used a
    # copy of it that left out the annex key)
    from contractgen.lint import sample_documents

    samples = sample_documents(SHIPPED)
    assert len(samples) == shipped_report.documents
    described = [text for text, _ in samples]
    assert len(set(described)) == len(described)
    assert all(isinstance(values, dict) and values for _, values in samples)


def test_every_derived_variable_has_documented_sources(library):
    from contractgen.model.designation import PARTIES
    from contractgen.questionnaire.answers import Answers
    from contractgen.render.context import template_context
    from contractgen.terms import DERIVED_SOURCES

    designations = {role.name for role in PARTIES}   # AN, AG: the parties' names, not derived
    derived = {name for name in template_context(library, Answers(values={}, source=""))
               if not name.startswith("_") and name not in designations}   # _locale, _wording
    assert derived == set(DERIVED_SOURCES)
    guide = (SHIPPED / "README.md").read_text(encoding="utf-8")
    for name in DERIVED_SOURCES:
        assert f"`{name}`" in guide


def _expected(directory: Path) -> list[tuple[str, str, int]]:
    lines = (directory / "erwartet.txt").read_text(encoding="utf-8").splitlines()
    return [(r, p, int(n)) for r, p, n in (line.split() for line in lines
                                           if line.strip() and not line.startswith("#"))]


def _located(report, directory: Path) -> set[tuple[str, str, int]]:
    found = set()
    for item in report.findings:
        path, line = split_where(item.where)
        resolved = Path(path).resolve()
        relative = (str(resolved.relative_to(directory.resolve()))
                    if resolved.is_relative_to(directory.resolve()) else path)
        found.add((item.rule, relative, line or 0))
    return found


BROKEN = sorted(p.name for p in LIBRARIES.iterdir() if p.is_dir() and p.name != "basis")


def test_every_rule_has_a_broken_library():
    assert set(RULES) <= set(BROKEN)


@pytest.mark.parametrize("name", BROKEN)
def test_broken_library_fires_its_rule_at_the_right_place(name):
    directory = LIBRARIES / name
    expected = _expected(directory)
    assert expected, f"{name}/erwartet.txt ist leer"
    report = check_library(directory)
    located = _located(report, directory)
    for rule, path, line in expected:
        assert (rule, path, line) in located, (rule, path, line, sorted(located))
        assert any(f.rule == rule and f.level == RULES[rule][0] or rule == "CXL-01"
                   for f in report.findings)


def test_basis_of_the_broken_libraries_is_clean():
    report = check_library(LIBRARIES / "basis")
    assert [str(f) for f in report.findings if f.rule != "unused-question"] == []
    assert report.combinations >= 2


def test_render_failure_names_the_combination():
    report = check_library(LIBRARIES / "render-failed")
    failure = next(f for f in report.findings if f.rule == "render-failed")
    assert "bei " in failure.message and "=" in failure.message


def test_consumer_rule_reports_the_consumer_combination():
    report = check_library(LIBRARIES / "ref-deselected")
    item = next(f for f in report.findings if f.rule == "ref-deselected")
    assert "auftraggeber.art=unternehmer" in item.message


def test_all_pairs_covers_every_pair():
    parameters = [("a", [1, 2, 3]), ("b", ["x", "y"]), ("c", [True, False]), ("d", [0, 1, 2, 3])]
    rows = all_pairs(parameters)
    assert len(rows) < 3 * 2 * 2 * 4
    for i, (name_i, values_i) in enumerate(parameters):
        for name_j, values_j in parameters[i + 1:]:
            for a in values_i:
                for b in values_j:
                    assert any(r[name_i] == a and r[name_j] == b for r in rows)


def _guide_examples() -> list[str]:
    guide = (SHIPPED / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```klausel\n(.*?)```", guide, re.S)


def test_guide_examples_are_valid_clauses_that_render(tmp_path):
    from contractgen import load_library
    from contractgen.lint.catalog import build_catalog

    examples = _guide_examples()
    assert len(examples) >= 4
    library_copy = tmp_path / "bibliothek"
    shutil.copytree(SHIPPED, library_copy)
    ids = []
    for text in examples:
        clause_id = re.search(r"^id: (\S+)$", text, re.M).group(1)
        ids.append(clause_id)
        (library_copy / "clauses" / f"{clause_id}.md").write_text(text, encoding="utf-8")
    report = check_library(library_copy)
    # the examples are German only: their missing English translation is expected
    problems = [str(f) for f in report.findings if f.key in ids
                and f.rule not in ("reviewed-missing", "translation-missing")]
    assert problems == []
    catalog = build_catalog(load_library(library_copy))
    for clause_id in ids:
        entry = next(e for e in catalog.entries if e.id == clause_id)
        assert entry.paragraphs and not entry.problem, clause_id


def test_cli_check_text_json_and_exit_codes():
    result = runner.invoke(app, ["library", "check", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert "Kombinationen gerendert" in result.stdout
    assert runner.invoke(app, ["library", "check", str(SHIPPED), "--strict"]).exit_code == 4
    result = runner.invoke(app, ["library", "check", str(SHIPPED), "--strict", "--ignore",
                                 "reviewed-missing", "--ignore", "unused-question"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["library", "check", str(LIBRARIES / "AGB-01"), "--json"])
    assert result.exit_code == 4
    data = json.loads(result.stdout)
    assert data["ok"] is False
    hit = next(f for f in data["findings"] if f["rule"] == "AGB-01")
    assert hit["file"].endswith("x.md") and hit["line"] == 11 and hit["level"] == "error"


def test_cli_check_warning_only_library_fails_only_when_strict():
    path = str(LIBRARIES / "legal-missing")
    result = runner.invoke(app, ["library", "check", path])
    assert result.exit_code == 0
    assert "[legal-missing]" in result.stdout and "x.md:2" in result.stdout
    assert runner.invoke(app, ["library", "check", path, "--strict"]).exit_code == 4


def test_cli_list_shows_every_clause(library):
    result = runner.invoke(app, ["library", "list", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    for clause in library.clauses:
        assert clause.id in result.stdout
    assert "Werkvertrag" in result.stdout
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80          # an 80-column terminal
    assert lines[0].split() == ["id", "Version", "Abschnitt", "Prüfung"]
    assert "    wenn: Honorarmodell „Pauschalhonorar“" in lines
