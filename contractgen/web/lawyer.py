"""For lawyers editing a library (`contractgen web --library PATH`): a stamp of the library's
files (the page re-renders when it changes), `library check` run in a separate process after
each change (its findings with file and line), and the lint's sample combinations.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LEVEL_NAMES, ContractgenError, Level
from ..questionnaire.rawyaml import Raw, raw_from_data

LINT_TIMEOUT_SECONDS = 600
MAX_LABEL = 160


@dataclass
class LintView:
    running: bool
    ok: bool = True
    summary: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)


class Lawyer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._linted: str | None = None         # stamp of the last finished check
        self._running: str | None = None        # stamp being checked
        self._report: dict[str, Any] | None = None
        self._error = ""
        self._samples: tuple[str, list[tuple[str, dict[str, Any]]]] | None = None

    # -- the library's state on disk ---------------------------------------------------------
    def stamp(self) -> str:
        """Changes whenever a file of the library is written, added or removed."""
        parts = []
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                try:
                    info = path.stat()
                except OSError:
                    continue
                parts.append(f"{path.relative_to(self.root)}:{info.st_mtime_ns}:{info.st_size}")
        import hashlib

        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    # -- library check, in its own process -------------------------------------------------------
    def ensure_lint(self) -> None:
        stamp = self.stamp()
        with self._lock:
            if stamp in (self._linted, self._running):
                return
            self._running = stamp
        threading.Thread(target=self._lint, args=(stamp,), daemon=True).start()

    def _lint(self, stamp: str) -> None:
        command = [sys.executable, "-m", "contractgen", "library", "check", "--json",
                   str(self.root)]
        report: dict[str, Any] | None = None
        error = ""
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=LINT_TIMEOUT_SECONDS, env=dict(os.environ), check=False)
            try:
                report = json.loads(done.stdout)
            except ValueError:
                error = (done.stderr.strip().splitlines() or ["library check ist fehlgeschlagen."])[-1]
        except (OSError, subprocess.TimeoutExpired) as exc:
            error = f"library check ließ sich nicht ausführen: {exc}"
        with self._lock:
            self._report, self._error = report, error
            self._linted = stamp
            if self._running == stamp:
                self._running = None

    def lint_view(self) -> LintView:
        self.ensure_lint()
        with self._lock:
            report, error, running = self._report, self._error, self._running is not None
        if report is None:
            return LintView(running=running, ok=not error, summary=error)
        findings = [dict(item, level_name=LEVEL_NAMES.get(Level(str(item.get("level") or "warning")),
                                                         "Warnung"),
                         file=_relative(str(item.get("file") or ""), self.root))
                    for item in report.get("findings", [])]
        summary = (f"library check: {report.get('clauses')} Klauseln, "
                   f"{report.get('combinations')} Kombinationen, {report.get('documents')} Verträge "
                   f"geprüft – {report.get('errors')} Fehler, {report.get('warnings')} Warnungen.")
        return LintView(running=running, ok=bool(report.get("ok")), summary=summary,
                        findings=findings)

    def status_json(self, ctx: Any) -> dict[str, Any]:
        from .page import environment

        ctx.lint = self.lint_view()
        html = environment().get_template("lint.html").render(ctx=ctx)
        return {"lawyer": True, "library_stamp": self.stamp(), "lint_html": html,
                "running": ctx.lint.running}

    # -- the lint's sample combinations ------------------------------------------------------------
    def samples(self) -> list[tuple[str, dict[str, Any]]]:
        """(description, answer values) of each whole document `library check` builds."""
        stamp = self.stamp()
        if self._samples is not None and self._samples[0] == stamp:
            return self._samples[1]
        found: list[tuple[str, dict[str, Any]]] = []
        try:
            found = _sample_combinations(self.root)
        except ContractgenError:
            found = []
        self._samples = (stamp, found)
        return found

    def sample_labels(self) -> list[str]:
        labels = []
        for text, _ in self.samples():
            labels.append(text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…")
        return labels

    def sample_values(self, index: int) -> dict[str, Any] | None:
        samples = self.samples()
        return samples[index][1] if 0 <= index < len(samples) else None

    def sample_raw(self, index: int) -> Raw | None:
        from ..questionnaire.prompting import plain

        values = self.sample_values(index)
        return raw_from_data(plain(values), "library check") if values is not None else None


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return path


def _sample_combinations(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """The whole documents of the lint (lint.sample_documents)."""
    from ..lint import sample_documents

    return sample_documents(root)
