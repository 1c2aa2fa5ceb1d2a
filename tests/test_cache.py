"""The disk caches (parsed library, reference package, compiled templates) never serve stale data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import ROOT, SAMPLES, TODAY

from contractgen import build_document, load_answers, load_library, render_document
from contractgen import cache as codecache


def markdown(library_path: Path) -> str:
    library = load_library(library_path)
    answers = load_answers(SAMPLES / "designerin-pauschal.yaml", library=library, profile=None)
    return render_document(build_document(library, answers, today=TODAY), "md", library=library).decode()


def test_a_changed_clause_is_seen_at_once(tmp_path: Path) -> None:
    library = tmp_path / "bibliothek"
    shutil.copytree(ROOT / "clause_library", library)
    first = markdown(library)
    assert list(Path(os.environ["CONTRACTGEN_CACHE_DIR"]).glob("library-*.pickle"))
    assert markdown(library) == first  # served from the cache
    clause = library / "clauses" / "vertraulichkeit.md"
    clause.write_text(clause.read_text(encoding="utf-8").rstrip("\n") + "\n\nEin neuer Absatz.\n",
                      encoding="utf-8")
    assert "Ein neuer Absatz." in markdown(library)


def test_a_changed_reference_docx_is_seen(tmp_path: Path) -> None:
    library = tmp_path / "bibliothek"
    shutil.copytree(ROOT / "clause_library", library)
    lib = load_library(library)
    answers = load_answers(SAMPLES / "designerin-pauschal.yaml", library=lib, profile=None)
    document = build_document(lib, answers, today=TODAY)
    before = render_document(document, "docx", library=lib)
    from docx import Document

    reference = Document(str(library / "reference.docx"))
    reference.styles["Title"].font.size = reference.styles["Title"].font.size + 12700
    reference.save(str(library / "reference.docx"))
    assert render_document(document, "docx", library=lib) != before


def test_broken_cache_files_are_ignored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CONTRACTGEN_CACHE_DIR", str(tmp_path / "cache"))
    first = markdown(ROOT / "clause_library")
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            path.write_bytes(b"kaputt")
    assert markdown(ROOT / "clause_library") == first
    monkeypatch.setenv("CONTRACTGEN_CACHE_DIR", "")  # disabled
    assert codecache.cache_dir() is None
    assert markdown(ROOT / "clause_library") == first


def test_a_cache_directory_others_can_write_is_not_used(tmp_path: Path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("CONTRACTGEN_CACHE_DIR", str(shared))
    assert codecache.cache_dir() is None
    shared.chmod(0o700)
    assert codecache.cache_dir() == shared


def test_the_cache_key_changes_with_the_sandbox_settings(monkeypatch) -> None:
    from contractgen import templating

    before = codecache._key("{{ x }}", "a.md")
    codecache._settings.cache_clear()
    monkeypatch.setattr(templating.environment(), "trim_blocks", False)
    try:
        assert codecache._key("{{ x }}", "a.md") != before
    finally:
        codecache._settings.cache_clear()
