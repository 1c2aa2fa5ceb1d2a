"""Speed of contractgen, measured as a user feels it (whole process) and in a loop (library API).

Run: python benchmarks/run.py [--repeat N]
Prints a table of medians and min–max. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "designerin-pauschal.yaml"


def whole_process(args: list[str], repeat: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(repeat):
            command = [sys.executable, "-m", "contractgen", *args]
            command = [part.replace("{out}", f"{tmp}/v{index}.docx") for part in command]
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=tmp)
            times.append(time.perf_counter() - start)
    return times


def in_process(repeat: int) -> list[float]:
    from contractgen import build_document, load_answers, load_library, render_document

    library = load_library()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answers = load_answers(SAMPLE, library=library)
        document = build_document(library, answers, today=dt.date(2027, 1, 10))
        render_document(document, "docx", library=library)
        times.append(time.perf_counter() - start)
    return times


def row(name: str, times: list[float]) -> str:
    median = statistics.median(times) * 1000
    return (f"| {name} | {median:.1f} ms | {min(times) * 1000:.1f}–{max(times) * 1000:.1f} ms "
            f"| {len(times)} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    repeat = parser.parse_args().repeat
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, "
          f"{platform.processor() or platform.machine()}")
    print()
    print("| measurement | median | min–max | runs |")
    print("|---|---|---|---|")
    print(row("python -c pass (interpreter floor)",
              [_time([sys.executable, "-c", "pass"]) for _ in range(repeat)]))
    print(row("contractgen --help", whole_process(["--help"], repeat)))
    print(row("contractgen generate (DOCX, whole process)",
              whole_process(["generate", str(SAMPLE), "-o", "{out}"], repeat)))
    print(row("generate in a loop (API, DOCX, after warm-up)", in_process(repeat * 5)[1:]))


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
