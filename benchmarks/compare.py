"""Whole-process start-up of two contractgen checkouts against the floor, in one interleaved run.

    python benchmarks/compare.py --before REV [--repeat 15] [--write]

REV (a git revision, e.g. the commit before a change) is checked out into a temporary
directory, the working tree is copied beside it, and both run with this interpreter (PYTHONPATH),
so both start from the same state (no compiled files, or both compiled with --bytecode). Each
round runs every measurement once, in the same order, so load from other processes on a shared
machine falls on all of them alike; the ratios to the floor (Jinja2 -> document.xml -> zip, the
same peer as run.py) are computed per round and their medians reported, and the least CPU
time of each measurement against the floor's least (the run least disturbed by other load).
`--write` puts the table into benchmarks/RESULTS.md between the markers of this script.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from peers import common, docxtpl_peer  # noqa: E402

SAMPLE = ROOT / "samples" / "designerin-pauschal.yaml"
PY = sys.executable


def checkout(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True,
                             capture_output=True).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_once(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child): CPU time suffers far less from other load."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"{command} failed ({status})")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--bytecode", action="store_true",
                        help="compile both checkouts first and let Python use the .pyc files (as "
                        "after `pip install`); default: as the environment says "
                        "(PYTHONDONTWRITEBYTECODE)")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="contractgen-compare-"))
    before = checkout(options.before, work / "before")
    # the working tree as it is, copied without compiled files, so both sides start alike
    after = work / "after"
    for part in ("contractgen", "clause_library", "samples"):
        shutil.copytree(ROOT / part, after / part, ignore=shutil.ignore_patterns("__pycache__"))
    lines_file = work / "lines.txt"
    lines_file.write_text("\n".join(common.contract_lines()), encoding="utf-8")
    template = work / "template.docx"
    have_docxtpl = True
    try:
        import docxtpl  # noqa: F401  (the peer itself; make_template needs only python-docx)

        docxtpl_peer.make_template(common.contract_lines(), template)
    except ImportError:
        have_docxtpl = False
    dropped = ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE") if options.bytecode else ("PYTHONPATH",)
    base_env = {k: v for k, v in os.environ.items() if k not in dropped}
    if options.bytecode:
        for tree in (before / "contractgen", after / "contractgen"):
            subprocess.run([PY, "-m", "compileall", "-q", str(tree)], check=True)
    bytecode = ("with .pyc files" if options.bytecode or not os.environ.get("PYTHONDONTWRITEBYTECODE")
                else "without .pyc files (PYTHONDONTWRITEBYTECODE=1: every module compiled each run)")

    def env(cache: str, pythonpath: Path | None = None) -> dict[str, str]:
        out = {**base_env, "CONTRACTGEN_CACHE_DIR": str(work / cache),
               "CONTRACTGEN_CONFIG_DIR": str(work / "config")}
        if pythonpath is not None:
            out["PYTHONPATH"] = str(pythonpath)
        return out

    def generate(tree: Path) -> list[str]:
        return [PY, "-m", "contractgen", "generate", str(tree / "samples" / SAMPLE.name), "-o",
                str(work / "v.docx"), "--force"]

    # "{n}" in a command: a number new in every run (a contract never generated before:
    # what the caches hold from earlier runs of the same answers does not all apply)
    new_fee = ["--set", "honorar.betrag={n}"]
    runs: dict[str, tuple[list[str], dict[str, str]]] = {
        "floor": ([PY, str(HERE / "peers" / "floor.py"), str(work / "f.docx"), str(lines_file)],
                  env("floor")),
        "generate, before": (generate(before), env("cache-before", before)),
        "generate, after": (generate(after), env("cache-after", after)),
        "generate, new fee each run, before": (generate(before) + new_fee,
                                               env("cache-before", before)),
        "generate, new fee each run, after": (generate(after) + new_fee,
                                              env("cache-after", after)),
        "--help, before": ([PY, "-m", "contractgen", "--help"], env("cache-before", before)),
        "--help, after": ([PY, "-m", "contractgen", "--help"], env("cache-after", after)),
    }
    if have_docxtpl:
        runs["docxtpl"] = ([PY, str(HERE / "peers" / "docxtpl_peer.py"), str(template),
                            str(work / "t.docx")], env("docxtpl"))
    counter = iter(range(4000, 1_000_000))

    def numbered(command: list[str]) -> list[str]:
        n = str(next(counter))
        return [part.replace("{n}", n) for part in command]

    for command, environment in runs.values():   # warm the caches and the file system
        run_once(numbered(command), environment, work)
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(options.repeat):
        for name, (command, environment) in runs.items():
            seconds, used = run_once(numbered(command), environment, work)
            wall[name].append(seconds)
            cpu[name].append(used)
    rows = []
    for name in runs:
        wall_ratios = [m / f for m, f in zip(wall[name], wall["floor"], strict=True)]
        cpu_ratios = [m / f for m, f in zip(cpu[name], cpu["floor"], strict=True)]
        rows.append(f"| {name} | {statistics.median(wall[name]) * 1000:.1f} ms | "
                    f"{min(wall[name]) * 1000:.1f} – {max(wall[name]) * 1000:.1f} ms | "
                    f"{statistics.median(wall_ratios):.2f}× | "
                    f"{statistics.median(cpu[name]) * 1000:.1f} ms | "
                    f"{statistics.median(cpu_ratios):.2f}× | "
                    f"{min(cpu[name]) * 1000:.1f} ms | "
                    f"{min(cpu[name]) / min(cpu['floor']):.2f}× |")
    table = "\n".join([
        f"Before: `{options.before}`; after: the working tree. {options.repeat} interleaved rounds, "
        f"{bytecode}, Python {sys.version.split()[0]}, {os.cpu_count()} cores (shared with other "
        "work).",
        "",
        "| measurement | wall, median | wall, min – max | wall ÷ floor | CPU, median | CPU ÷ floor "
        "| CPU, min | min ÷ floor's min |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ])
    print(table)
    if options.write:
        mode = "bytecode" if options.bytecode else "environment"
        start, end = f"<!-- compare.py {mode}: start -->", f"<!-- compare.py {mode}: end -->"
        results = HERE / "RESULTS.md"
        text = results.read_text(encoding="utf-8")
        block = f"{start}\n{table}\n{end}"
        if start in text:
            text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
        else:
            heading = "## Before and after (benchmarks/compare.py)"
            if heading not in text:
                text = text.rstrip("\n") + "\n\n" + heading + "\n"
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        results.write_text(text, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
