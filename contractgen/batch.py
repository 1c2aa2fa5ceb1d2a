"""Batch generation: one contract per row of a CSV or YAML list, on all cores.

Every row is validated before anything is written; a failing row is reported with its line and
never stops the others; rows whose output exists are skipped unless `force`. Rows stream through
a process pool in chunks, so memory does not grow with the number of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import AnswersError, ContractgenError, Problem
from .output import safe_file_stem, write_atomic
from .questionnaire.rawyaml import MAX_FILE_BYTES, Raw, merge_raw, read_yaml_file
from .questionnaire.schema import Questionnaire
from .yamlload import YAML_LOADER

NAME_COLUMN = "_datei"
LIST_SEPARATOR = "|"
FIELD_SEPARATOR = ":"
MAX_LIST_BYTES = 50_000_000


@dataclass(frozen=True)
class RowResult:
    number: int                       # 1-based row number
    where: str                        # file:line
    stem: str = ""
    problems: tuple[Problem, ...] = ()
    written: tuple[str, ...] = ()
    skipped: bool = False


@dataclass
class BatchReport:
    total: int = 0
    written: list[RowResult] = field(default_factory=list)
    skipped: list[RowResult] = field(default_factory=list)
    failed: list[RowResult] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    number: int
    where: str
    raw: Raw
    stem: str


# ---- reading the list -------------------------------------------------------------------------

def read_rows(list_path: Path, questionnaire: Questionnaire, base: Raw | None) -> Iterator[_Row | RowResult]:
    """Rows as raw answer trees (base merged under each row); unreadable rows as RowResults."""
    if not list_path.is_file():
        raise AnswersError(f"Die Liste {list_path} gibt es nicht (oder sie ist keine Datei).")
    if list_path.stat().st_size > MAX_LIST_BYTES:
        raise AnswersError(f"Die Liste {list_path} ist größer als {MAX_LIST_BYTES // 1_000_000} MB.")
    if list_path.suffix.lower() in (".yaml", ".yml"):
        yield from _yaml_rows(list_path, base)
    else:
        yield from _csv_rows(list_path, questionnaire, base)


def _csv_rows(path: Path, questionnaire: Questionnaire, base: Raw | None) -> Iterator[_Row | RowResult]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersError(f"Die Liste {path} ist nicht in UTF-8 gespeichert.") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise AnswersError(f"Die Liste {path} ist leer.") from None
    header = [h.strip() for h in header]
    kinds = {q.path: q for q in questionnaire.walk()}
    number = 0
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        line = reader.line_num
        where = f"{path}:{line}"
        if len(cells) > len(header):
            yield RowResult(number, where, problems=(Problem(
                "error", f"Die Zeile hat {len(cells)} Spalten, die Kopfzeile nur {len(header)}.", where),))
            continue
        cells = cells + [""] * (len(header) - len(cells))  # spreadsheets drop empty trailing cells
        row = Raw("map", line, origin=str(path))
        stem = ""
        for column, cell in zip(header, cells, strict=True):
            cell = cell.strip()
            if column == NAME_COLUMN:
                stem = cell
                continue
            if not cell:
                continue
            _set_cell(row, column, cell, kinds.get(column), line, str(path))
        merged = merge_raw(base, row) if base is not None else row
        yield _Row(number, where, merged, stem)


def _set_cell(row: Raw, column: str, cell: str, question: Any, line: int, origin: str) -> None:
    parts = column.split(".")
    node = row
    for part in parts[:-1]:
        node = node.items.setdefault(part, Raw("map", line, origin=origin))
        if node.kind != "map":
            return
    value: Raw
    if question is not None and question.type == "textlist":
        value = Raw("seq", line, origin=origin, seq=[
            _scalar(item.strip(), line, origin) for item in cell.split(LIST_SEPARATOR) if item.strip()])
    elif question is not None and question.type == "grouplist":
        items = []
        for entry in cell.split(LIST_SEPARATOR):
            values = [v.strip() for v in entry.split(FIELD_SEPARATOR)]
            item = Raw("map", line, origin=origin)
            for sub, text in zip(question.fields, values, strict=False):
                item.items[sub.key] = _scalar(text, line, origin)
            items.append(item)
        value = Raw("seq", line, origin=origin, seq=items)
    else:
        value = _scalar(cell, line, origin)
    node.items[parts[-1]] = value


def _scalar(text: str, line: int, origin: str) -> Raw:
    return Raw("scalar", line, tag="tag:yaml.org,2002:str", text=text, origin=origin)


def _yaml_rows(path: Path, base: Raw | None) -> Iterator[_Row | RowResult]:
    from .questionnaire.rawyaml import _convert  # the same converter as for answers files

    try:
        text = path.read_text(encoding="utf-8-sig")
        node = yaml.compose(text, Loader=YAML_LOADER)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AnswersError(f"Die Liste {path} ist kein gültiges YAML in UTF-8 ({exc}).") from None
    if not isinstance(node, yaml.SequenceNode):
        raise AnswersError(f"{path}: Die Liste muss eine YAML-Liste sein (Zeilen mit „- “).")
    for number, item in enumerate(node.value, start=1):
        line = item.start_mark.line + 1
        where = f"{path}:{line}"
        try:
            row = _convert(item, str(path), [MAX_FILE_BYTES // 50], 0)
        except AnswersError as error:
            yield RowResult(number, where, problems=(Problem("error", error.message, where),))
            continue
        if row.kind != "map":
            yield RowResult(number, where, problems=(Problem(
                "error", "Jeder Eintrag der Liste muss aus Schlüssel: Wert-Paaren bestehen.", where),))
            continue
        name = row.items.pop(NAME_COLUMN, None)
        stem = name.text if name is not None and name.kind == "scalar" else ""
        merged = merge_raw(base, row) if base is not None else row
        yield _Row(number, where, merged, stem)


# ---- workers ----------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init_worker(library_path: str | None, settings: dict[str, Any]) -> None:
    from .api import load_library

    _STATE["library"] = load_library(library_path)
    _STATE.update(settings)


def _validate(row: _Row) -> tuple[int, str, tuple[Problem, ...], Any, str]:
    from .library import evaluate_condition
    from .questionnaire.answers import validate

    library = _STATE["library"]
    try:
        answers = validate(row.raw, library.questionnaire, row.where.rsplit(":", 1)[0], evaluate_condition)
    except AnswersError as error:
        return row.number, row.where, error.problems, None, ""
    values = answers.values
    stem = row.stem or f"{values['auftraggeber']['name']} {values['projekt']['titel']}"
    return row.number, row.where, (), answers, stem


def _render(job: tuple[int, str, Any, str]) -> RowResult:
    from .api import build_document, render_document

    number, where, answers, target = job
    library = _STATE["library"]
    directory = Path(_STATE["directory"])
    written = []
    try:
        document = build_document(library, answers, today=_STATE["today"])
        fmt = _STATE["format"]
        if fmt in ("docx", "pdf"):
            data = render_document(document, "docx", library=library)
            suffix = ".docx"
            write_atomic(directory / f"{target}{suffix}", data, force=_STATE["force"], durable=False)
            written.append(f"{target}{suffix}")
        elif fmt == "md":
            write_atomic(directory / f"{target}.md", render_document(document, "md", library=library),
                         force=_STATE["force"], durable=False)
            written.append(f"{target}.md")
        if _STATE["email"]:
            eml = render_document(document, "eml", library=library, sent=_STATE["sent"],
                                  attach=_STATE["attach"])
            write_atomic(directory / f"{target}.eml", eml, force=_STATE["force"], durable=False)
            written.append(f"{target}.eml")
    except ContractgenError as error:
        problems = error.problems or (Problem("error", error.message, where),)
        return RowResult(number, where, target, problems=problems, written=tuple(written))
    return RowResult(number, where, target, written=tuple(written))


# ---- the batch --------------------------------------------------------------------------------

def run_batch(list_path: Path, *, output_dir: Path, base_path: Path | None = None,
              library_path: Path | str | None = None, fmt: str = "docx", email: bool = False,
              attach: bool = False, jobs: int | None = None, force: bool = False,
              today: dt.date, sent: dt.datetime,
              progress: Callable[[int, int], None] | None = None) -> BatchReport:
    from .api import load_library
    from .errors import OutputError

    if not output_dir.is_dir():
        raise OutputError(f"Das Ausgabeverzeichnis {output_dir} gibt es nicht. Bitte zuerst anlegen.")
    library = load_library(library_path)
    base = read_yaml_file(base_path, "Basis-Antwortdatei") if base_path is not None else None
    rows = list(read_rows(list_path, library.questionnaire, base))
    report = BatchReport(total=len(rows))
    settings = {"directory": str(output_dir), "format": "docx" if fmt == "pdf" else fmt,
                "email": email, "attach": attach, "force": force, "today": today, "sent": sent}
    jobs = max(1, jobs or os.cpu_count() or 1)
    pool = None
    if jobs > 1 and len(rows) > 1:
        import multiprocessing

        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        pool = context.Pool(jobs, initializer=_init_worker,
                            initargs=(str(library_path) if library_path else None, settings))
        mapper: Callable[..., Any] = lambda f, items: pool.imap(f, items, chunksize=16)  # noqa: E731
    else:
        _init_worker(str(library_path) if library_path else None, settings)
        mapper = map
    try:
        # 1. validate every row before writing anything
        valid: list[tuple[int, str, Any, str]] = []
        taken: set[str] = set()
        good_rows = [r for r in rows if isinstance(r, _Row)]
        report.failed.extend(r for r in rows if isinstance(r, RowResult))
        for number, where, problems, answers, stem in mapper(_validate, good_rows):
            if problems:
                report.failed.append(RowResult(number, where, problems=problems))
                continue
            target = _unique(safe_file_stem(stem), taken)
            suffixes = [".pdf" if fmt == "pdf" else f".{fmt}"] + ([".eml"] if email else [])
            if not force and all((output_dir / f"{target}{s}").exists() for s in suffixes):
                report.skipped.append(RowResult(number, where, target, skipped=True))
                continue
            valid.append((number, where, answers, target))
        del rows, good_rows
        done = len(report.failed) + len(report.skipped)
        if progress:
            progress(done, report.total)
        # 2. render and write the valid rows
        for result in mapper(_render, valid):
            (report.failed if result.problems else report.written).append(result)
            done += 1
            if progress:
                progress(done, report.total)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    if fmt == "pdf" and report.written:
        _convert_batch_to_pdf(output_dir, report, force=force)
    report.failed.sort(key=lambda r: r.number)
    return report


def _unique(stem: str, taken: set[str]) -> str:
    candidate, counter = stem, 2
    while candidate in taken:
        candidate = f"{stem}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def _convert_batch_to_pdf(output_dir: Path, report: BatchReport, *, force: bool) -> None:
    """All DOCX of the batch in one LibreOffice call; the DOCX are replaced by their PDFs."""
    from .writers.pdf import convert_many

    sources = [output_dir / f"{r.stem}.docx" for r in report.written]
    results = convert_many(sources)
    converted = []
    for result in report.written:
        source = output_dir / f"{result.stem}.docx"
        pdf = results.get(source)
        if pdf is None:
            report.failed.append(RowResult(result.number, result.where, result.stem, problems=(
                Problem("error", "LibreOffice hat kein PDF erzeugt.", result.where),)))
        else:
            write_atomic(output_dir / f"{result.stem}.pdf", pdf, force=force)
            converted.append(RowResult(result.number, result.where, result.stem,
                                       written=(f"{result.stem}.pdf", *result.written[1:])))
        source.unlink(missing_ok=True)
    report.written = converted
