"""How long `contractgen library check` takes on the shipped library, cold and warm.

Cold: an empty cache directory (the library is read and every template compiled). Warm: the
cache filled by a previous run. Each run is a whole process, as a lawyer runs it. The check's
own summary line (clauses, combinations, contracts, orders) is reported with the times, so a
change in coverage is visible next to a change in speed.

    python benchmarks/library_check.py [--repeat 5] [--write]

`--write` replaces the section "library check" in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEADING = "## library check"
LIMITS = {"warm": 5.0, "cold": 10.0}   # seconds on 2 cores (issue 11)


def run(cache: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process, summary line)."""
    env = {**os.environ, "CONTRACTGEN_CACHE_DIR": str(cache)}
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "contractgen", "library", "check"], env=env,
                          capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system
                                                          - before.children_system)
    lines = [line for line in done.stdout.splitlines() if "Klauseln geprüft" in line]
    return wall, cpu, lines[-1] if lines else done.stdout.strip()[-200:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    cold, warm = [], []
    summary = ""
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as directory:
            cold.append(run(Path(directory)))
            warm.append(run(Path(directory)))
            summary = warm[-1][2]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows = []
    for name, times in (("cold", cold), ("warm", warm)):
        walls = [t[0] for t in times]
        cpus = [t[1] for t in times]
        median = statistics.median(walls)
        rows.append(f"| {name} | {median:.1f} s | {min(walls):.1f} – {max(walls):.1f} s | "
                    f"{statistics.median(cpus):.1f} s | {LIMITS[name]:.0f} s | "
                    f"{'ja' if median <= LIMITS[name] else 'nein'} |")
    text = "\n".join([
        HEADING, "",
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M')}; load average at the "
        f"end {load:.1f} (other processes share the cores: compare CPU time, not only wall time).",
        f"Written by `python benchmarks/library_check.py --write`; medians of {args.repeat} runs.",
        f"Coverage of the last run: {re.sub(r', [0-9.]+ s:', ':', summary)}", "",
        "| run | median wall | min – max | median CPU | limit | met |",
        "|---|---|---|---|---|---|", *rows, ""])
    print(text)
    if args.write:
        current = RESULTS.read_text(encoding="utf-8")
        if HEADING in current:
            head, _, rest = current.partition(HEADING)
            tail = rest.split("\n## ", 1)
            current = head + text + ("\n## " + tail[1] if len(tail) > 1 else "")
        else:
            current = current.rstrip("\n") + "\n\n" + text
        RESULTS.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()
