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
    assert list(Path(os.environ["CONTRACTGEN_CACHE_DIR"]).glob("library-*.data"))
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


def test_a_same_size_same_mtime_edit_is_seen(tmp_path: Path) -> None:
    """The key is the content (issue 10 item 7): a `git checkout`, `cp -p` or an editor that
    restores the time keeps size and mtime, and the contract must still change."""
    library = tmp_path / "bibliothek"
    shutil.copytree(ROOT / "clause_library", library)
    first = markdown(library)
    clause = library / "clauses" / "vertraulichkeit.md"
    text = clause.read_text(encoding="utf-8")
    before = clause.stat()
    head, separator, body = text.partition("\n---\n")
    word = next(w for w in ("Informationen", "vertraulich") if w in body)
    changed = head + separator + body.replace(word, word[::-1], 1)
    assert len(changed.encode()) == len(text.encode())
    clause.write_text(changed, encoding="utf-8")
    os.utime(clause, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = clause.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    second = markdown(library)
    assert second != first and word[::-1] in second


def test_a_same_size_same_mtime_reference_edit_is_seen(tmp_path: Path) -> None:
    from contractgen.writers.docx_reference import load_reference

    reference = tmp_path / "reference.docx"
    shutil.copy2(ROOT / "clause_library" / "reference.docx", reference)
    import io
    import zipfile

    # the same package stored uncompressed, once with one word changed (same length)
    with zipfile.ZipFile(reference) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]

    def stored(change: bool) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for info, content in parts:
                if change and info.filename == "word/styles.xml":
                    content = content.replace(b"Calibri", b"Cambria", 1)
                archive.writestr(zipfile.ZipInfo(info.filename, info.date_time), content)
        return buffer.getvalue()

    reference.write_bytes(stored(False))
    first = load_reference(reference)
    stat = reference.stat()
    changed = stored(True)
    assert len(changed) == stat.st_size
    reference.write_bytes(changed)
    os.utime(reference, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = load_reference(reference)
    assert dict(second.parts)["word/styles.xml"] != dict(first.parts)["word/styles.xml"]


def test_the_cache_holds_no_pickle_and_round_trips_the_library(tmp_path: Path, monkeypatch) -> None:
    from contractgen import cachedata
    from contractgen.library import load_library as load

    monkeypatch.setenv("CONTRACTGEN_CACHE_DIR", str(tmp_path / "cache"))
    library = load(ROOT / "clause_library", compile_all=False)
    files = sorted((tmp_path / "cache").glob("library-*.data"))
    assert len(files) == 1
    data = files[0].read_bytes()
    assert data.startswith(cachedata.MAGIC) and b"\x80\x05" not in data[:64]  # not a pickle
    again = load(ROOT / "clause_library", compile_all=False)
    assert again is not library
    import dataclasses

    def same(one, other, where):     # Library compares by identity: field by field, editions too
        for field in dataclasses.fields(one):
            mine, theirs = getattr(other, field.name), getattr(one, field.name)
            if field.name == "editions":
                assert len(mine) == len(theirs), where + field.name
                for number, (a, b) in enumerate(zip(theirs, mine, strict=True)):
                    same(a, b, f"{where}editions[{number}].")
            else:
                assert mine == theirs, where + field.name

    assert library.editions, "the shipped library has an English edition"
    same(library, again, "")


def test_a_new_process_takes_the_library_from_the_cache(tmp_path: Path) -> None:
    # the cached form names the classes it holds; one whose module a fresh process has not
    # imported made every load a miss (the whole library re-read on each `generate`)
    import subprocess
    import sys

    program = ("import sys\n"
               "from contractgen.library import load_library\n"
               f"load_library({str(ROOT / 'clause_library')!r}, compile_all=False)\n"
               "print('contractgen.library.reader' in sys.modules)\n")
    env = {**os.environ, "CONTRACTGEN_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", program], env=env, capture_output=True,
                           text=True, check=True).stdout.strip() for _ in range(2)]
    assert runs == ["True", "False"]   # read and stored once, then read from the cache


def test_the_names_of_the_conditions_come_with_the_cached_library(tmp_path: Path) -> None:
    # a whole contract from the cached library parses none of the library's conditions again
    import subprocess
    import sys

    program = ("from contractgen.library import selection\n"
               "parsed = []\n"
               "original = selection._parse_names\n"
               "selection._parse_names = lambda e: parsed.append(e) or original(e)\n"
               "from contractgen import api\n"
               f"api.generate({str(ROOT / 'samples' / 'designerin-pauschal.yaml')!r}, fmt='md')\n"
               "print(len(parsed), len(selection._NAMES))\n")
    env = {**os.environ, "CONTRACTGEN_CACHE_DIR": str(tmp_path / "cache")}
    first, second = (subprocess.run([sys.executable, "-c", program], env=env, cwd=tmp_path,
                                    capture_output=True, text=True, check=True).stdout.split()
                     for _ in range(2))
    assert int(first[0]) > 20                       # every condition, parsed when reading
    assert second == ["0", first[1]]                # none parsed, all known from the cache


def test_the_data_format_keeps_types_and_refuses_foreign_classes() -> None:
    import datetime as dt
    from decimal import Decimal

    import pytest

    from contractgen import cachedata
    from contractgen.errors import Level, Location, Problem

    value = {"a": (1, 2.5, None, True), "b": [b"\x00\xff", Decimal("4800.10"), dt.date(2027, 1, 15)],
             "c": frozenset({"x"}), "p": Path("/tmp/x"), "problem": Problem(
                 Level.WARNING, "Text", Location("f.yaml", 3, "k"), code="x.y")}
    back = cachedata.loads(cachedata.dumps(value))
    assert back == value and type(back["problem"].level) is Level
    with pytest.raises(TypeError):
        cachedata.dumps(object())
    with pytest.raises(TypeError):
        cachedata.dumps([print])  # a function: never stored


def test_a_repeated_generate_takes_the_parsed_texts_from_the_cache(tmp_path: Path) -> None:
    # the same contract again: every clause text is known, markdown-it is never imported, and
    # the output is the same bytes as without any cache; a second contract is parsed afresh
    import subprocess
    import sys

    def run(sample: str, cache: str) -> list[str]:
        program = ("import hashlib, sys\n"
                   "from contractgen import api\n"
                   f"result = api.generate({str(ROOT / 'samples' / sample)!r}, "
                   f"output={str(tmp_path / 'v.docx')!r}, force=True)\n"
                   "text = api.generate("
                   f"{str(ROOT / 'samples' / sample)!r}, fmt='md').data\n"
                   "print('markdown_it' in sys.modules, hashlib.sha256(text).hexdigest(),"
                   f" hashlib.sha256(open({str(tmp_path / 'v.docx')!r}, 'rb').read())"
                   ".hexdigest())\n")
        env = {**os.environ, "CONTRACTGEN_CACHE_DIR": cache}
        return subprocess.run([sys.executable, "-c", program], env=env, cwd=tmp_path,
                              capture_output=True, text=True, check=True).stdout.split()

    cache = str(tmp_path / "cache")
    uncached = run("designerin-pauschal.yaml", "")
    first = run("designerin-pauschal.yaml", cache)
    second = run("designerin-pauschal.yaml", cache)
    assert uncached[0] == first[0] == "True" and second[0] == "False"
    assert uncached[1:] == first[1:] == second[1:]
    other = run("it-beratung-stunden.yaml", cache)
    assert other[0] == "True" and other[1:] == run("it-beratung-stunden.yaml", "")[1:]


def test_the_kept_parses_are_bounded_and_keep_the_latest_document(tmp_path: Path,
                                                                  monkeypatch) -> None:
    from contractgen import cache
    from contractgen.render import parse

    monkeypatch.setenv("CONTRACTGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(parse, "MAX_KEPT", 3)
    with parse.parses_kept_on_disk():
        for n in range(5):
            parse.parse_blocks(f"Alt {n}.")
    with parse.parses_kept_on_disk():
        latest = [parse.parse_blocks(f"Neu {n}.") for n in range(2)]
    kept = cache.load_object("parsed", parse._kept_key())
    assert [item[0] for item in kept] == ["Neu 0.", "Neu 1.", "Alt 0."]
    assert [item[2] for item in kept[:2]] == latest


def test_a_repeated_generate_reads_its_templates_from_one_file(tmp_path: Path, monkeypatch) -> None:
    from contractgen import api, cache

    monkeypatch.setenv("CONTRACTGEN_CACHE_DIR", str(tmp_path / "cache"))
    sample = ROOT / "samples" / "designerin-pauschal.yaml"
    out = tmp_path / "v.docx"
    first = api.generate(sample, output=out, force=True).data
    reads: list[str] = []
    read = cache._read
    monkeypatch.setattr(cache, "_read", lambda name: reads.append(name) or read(name))
    assert api.generate(sample, output=out, force=True).data == first
    # the parsed texts, the templates' code, the library: one file each (the reference
    # package is kept in the process after the first run)
    assert sorted(name.split("-")[0] for name in reads) == ["code", "library", "parsed"]
    (bundle,) = (tmp_path / "cache").glob("code-*.bin")
    import marshal

    codes = marshal.loads(bundle.read_bytes())
    assert 20 < len(codes) <= cache.MAX_KEPT_CODE
