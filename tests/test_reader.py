"""One reader for the library: every problem at once, the same for loading and for the check."""

import dataclasses
import shutil

import pytest
from conftest import ROOT

from contractgen.errors import LibraryError
from contractgen.library import load_library
from contractgen.library.reader import read_library
from contractgen.lint import check_library

SHIPPED = ROOT / "clause_library"


def broken_copy(tmp_path):
    copy = tmp_path / "bibliothek"
    shutil.copytree(SHIPPED, copy)
    clauses = copy / "clauses"
    haftung = (clauses / "haftung.md").read_text(encoding="utf-8")
    (clauses / "haftung.md").write_text(haftung.replace("id: haftung", "id: Haftung", 1),
                                        encoding="utf-8")
    zahlung = (clauses / "zahlung.md").read_text(encoding="utf-8")
    (clauses / "zahlung.md").write_text(zahlung.replace("section: zahlung", "section: nirgends", 1)
                                        .replace("---\n", "---\nfarbe: blau\n", 1), encoding="utf-8")
    return copy


def test_loading_reports_every_problem_at_once_with_codes(tmp_path):
    copy = broken_copy(tmp_path)
    with pytest.raises(LibraryError) as caught:
        load_library(copy)
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == ["library.id-format", "library.unknown-key", "library.unknown-section"]
    assert all(p.location.file.endswith(".md") and p.location.line for p in caught.value.problems)


def test_check_and_load_see_the_same_problems(tmp_path):
    copy = broken_copy(tmp_path)
    with pytest.raises(LibraryError) as caught:
        load_library(copy)
    report = check_library(copy, exhaustive=False)
    loaded = {(p.code.removeprefix("library."), p.where, p.message) for p in caught.value.problems}
    checked = {(f.rule, f.where, f.message) for f in report.findings}
    assert loaded <= checked


def test_the_library_names_its_language_and_words():
    library = read_library(SHIPPED).library
    assert library is not None
    assert library.language == "de-DE"
    assert library.wording.reference(6, False, (1, 2)) == "§\u00a06 Abs.\u00a01 und 2"
    assert library.wording.clause_label(1, True) == "Anlage\u00a01"


def test_a_loaded_library_cannot_change():
    library = load_library(SHIPPED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        library.clauses = ()  # type: ignore[misc]
