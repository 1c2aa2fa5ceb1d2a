"""Nothing lost, nothing outside the chosen directory: atomic writes and safe file names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.errors import OutputError
from contractgen.output import safe_file_stem, write_atomic


@pytest.mark.parametrize("force", [True, False])
def test_killed_while_writing_leaves_the_old_file(tmp_path: Path, force: bool) -> None:
    target = tmp_path / "vertrag.docx"
    if force:
        target.write_bytes(b"alter Vertrag")
    script = textwrap.dedent(f"""
        import os, sys, time
        from pathlib import Path
        from contractgen import output
        def slow_fsync(fd):
            print("mitten im Schreiben", flush=True)
            time.sleep(60)
        os.fsync = slow_fsync
        output.write_atomic(Path({str(target)!r}), b"neu" * 5_000_000, force={force})
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "mitten im Schreiben"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    if force:
        assert target.read_bytes() == b"alter Vertrag"   # the old file, untouched
    else:
        assert not target.exists()                        # no truncated new file
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "vertrag.docx"]
    assert all(name.startswith(".vertrag.docx.") and name.endswith(".tmp") for name in leftovers)


def test_no_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    write_atomic(target, b"eins")
    with pytest.raises(OutputError, match="--force"):
        write_atomic(target, b"zwei")
    assert target.read_bytes() == b"eins"
    write_atomic(target, b"zwei", force=True)
    assert target.read_bytes() == b"zwei"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]
    mode = target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
            *(f"lpt{i}" for i in range(1, 10))}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_file_stems_stay_inside_the_directory(text: str) -> None:
    stem = safe_file_stem(text)
    assert stem and len(stem) <= 60
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in stem)
    assert stem not in RESERVED and not stem.startswith(("-", "."))
    base = Path("/tmp/ausgabe")
    assert (base / f"{stem}.docx").resolve().parent == base


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "..", "/", "CON", "a/b\\c", "\x00",
                                     "Müller & Söhne GmbH"])
def test_hostile_names(hostile: str) -> None:
    stem = safe_file_stem(hostile)
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert stem.lower() not in RESERVED


def test_killed_batch_leaves_only_complete_files_and_a_rerun_finishes(tmp_path: Path) -> None:
    import io
    import time
    import zipfile

    from conftest import SAMPLES

    listing = tmp_path / "liste.csv"
    rows = ["auftraggeber.name;auftraggeber.email;projekt.titel"]
    rows += [f"Kunde {i} GmbH;k{i}@kunde.example;Projekt {i}" for i in range(400)]
    listing.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "contractgen", "batch", str(listing), "-o", str(out), "--base",
               str(SAMPLES / "designerin-pauschal.yaml"), "--jobs", "2", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its worker processes, mid-batch
    process.wait(timeout=30)
    written = sorted(out.glob("*.docx"))
    assert 20 <= len(written) < 400
    for path in written:  # every file that exists is a complete DOCX
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            assert archive.testzip() is None
            assert b"Kunde" in archive.read("word/document.xml")
    # a kill during a write leaves write_atomic's temporary file (with the batch's token, next
    # to its lock file, which the kill released); make sure there is one
    (lock,) = out.glob(".contractgen-batch-*.lock")
    token = lock.name.removeprefix(".contractgen-batch-").removesuffix(".lock")
    (out / f".kunde-399-gmbh-projekt-399.docx.{token}.a1b2c3d4.tmp").write_bytes(b"PK\x03\x04halb")
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(written)} übersprungen" in rerun.stderr
    assert len(list(out.glob("*.docx"))) == 400
    assert not [p.name for p in out.iterdir() if p.suffix != ".docx"]  # no temporary files either
