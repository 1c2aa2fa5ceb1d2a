"""contractgen's speed and memory against its peers, on this machine, in one run.

    python benchmarks/run.py [--repeat N] [--rows 1000] [--pdf-rows 40] [--write]

Peers (benchmarks/peers/): the floor (Jinja2 renders document.xml, zipped with constant parts),
docxtpl (Word template with Jinja tags), Jinja2 -> Markdown -> pandoc. All render the same
contract text (contractgen's designer sample). `--write` saves the table as benchmarks/RESULTS.md.
Needs `pip install docxtpl` and pandoc for the peers; missing peers are reported as skipped.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from peers import common, docxtpl_peer, floor  # noqa: E402

SAMPLE = ROOT / "samples" / "designerin-pauschal.yaml"
PY = sys.executable


def timed(command: list[str], repeat: int, cwd: Path | None = None) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=cwd)
        times.append(time.perf_counter() - start)
    return times


def tree_memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process and all its descendants in KiB, from /proc. PSS shares each page
    among the processes using it, so forked workers are not counted twice."""
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return rss, pss


def peak_memory(command: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """(seconds, peak RSS MiB, peak PSS MiB) of the whole process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    peak = [0, 0]

    def sample() -> None:
        while process.poll() is None:
            rss, pss = tree_memory_kib(process.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed with {process.returncode}")
    return time.perf_counter() - start, peak[0] / 1024, peak[1] / 1024


def stats(times: list[float]) -> tuple[float, float, float]:
    return statistics.median(times), min(times), max(times)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.2f} s"


NOTES = """
## Where a whole `contractgen generate` goes, and why it is slower than the peers

Measured with `python -X importtime` and `cProfile` (warm caches, with .pyc files):

- about two thirds are imports, mostly of the libraries: markdown-it-py about 21 ms (the real
  Markdown parser the architecture asks for), Jinja2 about 21 ms, Typer and click about 17 ms,
  PyYAML about 15 ms (its reader compiles a large Unicode regex at import), the e-mail address
  check (email.headerregistry, socket) about 10 ms, Babel about 5 ms plus 10–15 ms of locale
  data at the first formatted number; contractgen's own modules about 55 ms, of which the
  frozen dataclasses of the document model (`model/nodes.py`) are the largest part. The floor
  imports only Jinja2 and zipfile; docxtpl only python-docx and Jinja2.
- about 50 ms are work: the cached library and reference package, the compiled templates from
  the code cache, Babel's locale data, validation, rendering, parsing and writing the DOCX.
- Earlier: lazy template compilation with an on-disk code cache (-100 ms), libyaml (-40 ms), the
  parsed library and reference package cached on disk (-40 ms), Typer below 0.25 (-70 ms),
  plain click help (-50 ms on --help).
- Issue 10 (restructuring) kept start-up where it was, with more modules: Typer builds only the
  command that is called (`cli._only_the_called_command`), the library reader, lint, order,
  follow-up and writer modules are imported only by the commands and formats that need them,
  and nothing does per-process work at import. See the compare.py section for before and after.
- The remaining gap to 2× the floor is the import cost of markdown-it-py, Jinja2, Typer/click and
  PyYAML; closing it would mean dropping one of them. In a loop, where imports are paid once,
  contractgen is about 3× faster than docxtpl.
"""


COMPARE_SECTION = "## Before and after (benchmarks/compare.py)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--pdf-rows", type=int, default=40)
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    repeat = options.repeat
    rows: list[tuple[str, str, str, str]] = []   # name, median, min–max, note
    ratios: list[tuple[str, str, str, str]] = []  # target, measured, limit, met
    work = Path(tempfile.mkdtemp(prefix="contractgen-bench-"))
    lines_file = work / "lines.txt"
    lines = common.contract_lines()
    lines_file.write_text("\n".join(lines), encoding="utf-8")
    have_docxtpl = shutil.which("true") is not None
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        have_docxtpl = False
    have_pandoc = shutil.which("pandoc") is not None

    def add(name: str, times: list[float], note: str = "") -> float:
        median, low, high = stats(times)
        rows.append((name, fmt(median), f"{fmt(low)} – {fmt(high)}", note))
        return median

    # --- whole process ---------------------------------------------------------------------
    interpreter = add("python -c pass (interpreter start)", timed([PY, "-c", "pass"], repeat))
    floor_whole = add("floor: Jinja2 → document.xml → zip (whole process)",
                      timed([PY, str(HERE / "peers" / "floor.py"), str(work / "f.docx"), str(lines_file)],
                            repeat))
    help_whole = add("contractgen --help", timed([PY, "-m", "contractgen", "--help"], repeat))
    out = work / "out"
    out.mkdir()
    generate_whole = add("contractgen generate (DOCX, whole process)", timed(
        [PY, "-m", "contractgen", "generate", str(SAMPLE), "-o", str(out / "v.docx"), "--force"], repeat))
    docxtpl_whole = pandoc_whole = None
    template = work / "template.docx"
    if have_docxtpl:
        docxtpl_peer.make_template(lines, template)
        docxtpl_whole = add("docxtpl: render + save (whole process)", timed(
            [PY, str(HERE / "peers" / "docxtpl_peer.py"), str(template), str(work / "t.docx")], repeat))
    else:
        rows.append(("docxtpl", "–", "–", "skipped: pip install docxtpl"))
    if have_pandoc:
        pandoc_whole = add("Jinja2 → Markdown → pandoc (whole process)", timed(
            [PY, str(HERE / "peers" / "pandoc_peer.py"), str(lines_file), str(work / "p.docx")], repeat))
    else:
        rows.append(("pandoc", "–", "–", "skipped: pandoc not installed"))

    # --- in one process ----------------------------------------------------------------------
    values = {"kunde": "Kunde GmbH", "projekt": "Projekt", "honorar": "4.800,00 €", "beginn": "1. März 2027"}
    loop = repeat * 5
    floor_times = []
    compiled = floor.template(lines)  # cached, as contractgen caches its compiled clauses
    for _ in range(loop):
        start = time.perf_counter()
        floor.render(lines, values, compiled)
        floor_times.append(time.perf_counter() - start)
    floor_loop = add("floor in a loop (per document)", floor_times)
    sys.path.insert(0, str(ROOT))
    from contractgen import build_document, load_answers, load_library, render_document

    library = load_library()
    cg_times = []
    for index in range(loop + 1):
        start = time.perf_counter()
        answers = load_answers(SAMPLE, library=library, profile=None,
                               overrides=[f"auftraggeber.name=Kunde {index} GmbH"])
        document = build_document(library, answers, today=dt.date(2027, 1, 10))
        render_document(document, "docx", library=library)
        cg_times.append(time.perf_counter() - start)
    cg_loop = add("contractgen in a loop (API: answers → model → DOCX, per document)", cg_times[1:],
                  "a different client name each time")
    docxtpl_loop = None
    if have_docxtpl:
        tpl_times = []
        for _ in range(loop):
            start = time.perf_counter()
            docxtpl_peer.render(template, io.BytesIO(), values)
            tpl_times.append(time.perf_counter() - start)
        docxtpl_loop = add("docxtpl in a loop (per document)", tpl_times)

    # --- batch -------------------------------------------------------------------------------
    listing = work / "liste.csv"
    with listing.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["auftraggeber.name", "auftraggeber.email", "projekt.titel", "honorar.betrag"])
        for index in range(options.rows):
            writer.writerow([f"Kunde {index} GmbH", f"k{index}@kunde.example", f"Projekt {index}",
                             1000 + index])
    batch_dir = work / "batch"
    batch_dir.mkdir()
    seconds, batch_rss, batch_mib = peak_memory([PY, "-m", "contractgen", "batch", str(listing), "-o",
                                                 str(batch_dir), "--base", str(SAMPLE), "-q"])
    rate = options.rows / seconds
    rows.append((f"contractgen batch, {options.rows} rows, {os.cpu_count()} cores", fmt(seconds), "–",
                 f"{rate:.0f} contracts/s; peak memory of all processes: {batch_mib:.0f} MiB PSS "
                 f"({batch_rss:.0f} MiB RSS summed, shared pages counted per process)"))
    _, one_rss, one_mib = peak_memory([PY, "-m", "contractgen", "generate", str(SAMPLE), "-o",
                                       str(out / "m.docx"), "--force"])
    rows.append(("contractgen generate, peak memory", "–", "–",
                 f"{one_mib:.0f} MiB PSS ({one_rss:.0f} MiB RSS)"))
    pdf_each = None
    if shutil.which("soffice"):
        single_pdf = timed([PY, "-m", "contractgen", "generate", str(SAMPLE), "-o", str(out / "v.pdf"),
                            "--format", "pdf", "--force"], 3)
        add("contractgen generate --format pdf (one document)", single_pdf)
        pdf_list = work / "pdf.csv"
        head = listing.read_text(encoding="utf-8").splitlines()[: options.pdf_rows + 1]
        pdf_list.write_text("\n".join(head),
                            encoding="utf-8")
        pdf_dir = work / "pdf"
        pdf_dir.mkdir()
        start = time.perf_counter()
        subprocess.run([PY, "-m", "contractgen", "batch", str(pdf_list), "-o", str(pdf_dir), "--base",
                        str(SAMPLE), "--format", "pdf", "-q"], check=True, capture_output=True)
        pdf_seconds = time.perf_counter() - start
        pdf_each = pdf_seconds / options.pdf_rows
        rows.append((f"contractgen batch --format pdf, {options.pdf_rows} rows", fmt(pdf_seconds), "–",
                     f"{fmt(pdf_each)} per document"))

    # --- targets -------------------------------------------------------------------------------
    def target(name: str, measured: float, limit: float, text: str) -> None:
        ratios.append((name, text, f"≤ {limit:g}" if limit else "", "ja" if measured <= limit else "nein"))

    target("--help ÷ floor (whole process)", help_whole / floor_whole, 1.5,
           f"{help_whole / floor_whole:.2f}×")
    target("generate ÷ floor (whole process)", generate_whole / floor_whole, 2.0,
           f"{generate_whole / floor_whole:.2f}×")
    if docxtpl_whole:
        target("generate ÷ docxtpl (whole process)", generate_whole / docxtpl_whole, 1.0,
               f"{generate_whole / docxtpl_whole:.2f}×")
    if pandoc_whole:
        target("generate ÷ pandoc pipeline (whole process)", generate_whole / pandoc_whole, 1.0,
               f"{generate_whole / pandoc_whole:.2f}×")
    target("loop: ms per contract", cg_loop * 1000, 10, f"{cg_loop * 1000:.1f} ms")
    if docxtpl_loop:
        target("loop: docxtpl ÷ contractgen (≥ 3 wanted)", 3 / (docxtpl_loop / cg_loop), 1.0,
               f"{docxtpl_loop / cg_loop:.1f}×")
    target("batch: contracts per second (≥ 150 wanted)", 150 / rate, 1.0, f"{rate:.0f}/s")
    if pdf_each is not None:
        target("batch PDF: seconds per document", pdf_each, 0.25, f"{pdf_each:.3f} s")
    target("generate: peak MiB", one_mib, 60, f"{one_mib:.0f} MiB")
    target(f"batch of {options.rows}: peak MiB (all processes, PSS)", batch_mib, 150, f"{batch_mib:.0f} MiB")
    del floor_loop, interpreter

    report = [
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{dt.datetime.now():%Y-%m-%d %H:%M}",
        f"Contract: the designer sample, {common.word_count()} words, the same text for every peer; "
        f"medians of {repeat} runs (loops: {loop}).",
        "",
        "| measurement | median | min – max | note |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        "| target | measured | limit | met |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in ratios),
    ]
    text = "\n".join(report)
    print(text)
    if options.write:
        results = HERE / "RESULTS.md"
        kept = ""   # the before/after section of compare.py stays
        if results.exists() and COMPARE_SECTION in (old := results.read_text(encoding="utf-8")):
            kept = "\n" + old[old.index(COMPARE_SECTION):]
        results.write_text("# Benchmark results\n\n" + text + "\n" + NOTES + kept, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
