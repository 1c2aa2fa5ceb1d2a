"""Batch generation: one contract per row of a CSV or YAML list, on all cores.

Every row is validated before anything is written; a failing row is reported with its line and
never stops the others (also an unexpected internal error in one row); outputs that exist are
skipped unless `force`, so a re-run finishes rows that an interrupted run left half written.
Layers per row, highest first: the row, the base answers file, the freelancer's profile,
question defaults.

Memory: rows are validated and rendered in a process pool in chunks, but the parent keeps every
row (raw answers, then validated answers) until rendering starts, because all rows are checked
before anything is written. Memory therefore grows with the number of rows: for 1,000 rows the
measured peak is about 120 MiB PSS across all processes (benchmarks/RESULTS.md). Very long lists
are better split into several batches.

PDF: the DOCX of each row is rendered into a private temporary directory and converted from
there in one LibreOffice call; only the PDFs reach the output directory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import AnswersError, ContractgenError, Problem
from .formatting import count
from .output import safe_file_stem, write_atomic
from .questionnaire.layers import layer_answers
from .questionnaire.rawyaml import Raw
from .questionnaire.schema import Questionnaire
from .yamlload import YAML_LOADER, yaml_problem

NAME_COLUMN = "_datei"
LIST_SEPARATOR = "|"
FIELD_SEPARATOR = ":"
MAX_LIST_BYTES = 50_000_000


def _leftover_pattern() -> re.Pattern[str]:
    """A temporary file a batch writes through output.write_atomic (mkstemp: ".NAME." + the
    batch's token + "." + 8 random characters + ".tmp") for a file name batch writes
    (safe_file_stem: lower-case letters, digits, hyphens) with a suffix batch writes: that of a
    document writer, or the .eml draft. The token says which batch (batchtemp)."""
    from .writers import DOCUMENT, writer, writers

    written = [spec.suffix for spec in writers((DOCUMENT,))] + [writer("eml").suffix]
    suffixes = "|".join(re.escape(s.lstrip(".")) for s in written)
    return re.compile(rf"\.[a-z0-9-]+\.(?:{suffixes})\.(?P<token>[0-9a-f]{{12}})\.[a-z0-9_]{{8}}\.tmp")


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
    from .limits import read_limited

    if list_path.is_dir():
        raise AnswersError(f"Die Liste {list_path} ist ein Verzeichnis, keine Datei.")
    data = read_limited(list_path, MAX_LIST_BYTES, "Die Liste", AnswersError)  # pipes too
    yaml_list = list_path.suffix.lower() in (".yaml", ".yml")
    text = _decode(list_path, data, csv_file=not yaml_list)
    if yaml_list:
        yield from _yaml_rows(list_path, text, base)
    else:
        yield from _csv_rows(list_path, text, questionnaire, base)


def _decode(path: Path, data: bytes, *, csv_file: bool) -> str:
    """UTF-8 (with or without BOM); a CSV that is not UTF-8 as Windows-1252, which German Excel
    writes for "CSV (Trennzeichen-getrennt)" (UTF-8 never decodes text in another encoding by
    accident, so the order is safe)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if csv_file:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        also = " oder Windows-1252 (Excel)" if csv_file else ""
        raise AnswersError(f"{path}:{line}: Die Liste ist nicht in UTF-8{also} gespeichert.") from None


def _csv_rows(path: Path, text: str, questionnaire: Questionnaire,
              base: Raw | None) -> Iterator[_Row | RowResult]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise AnswersError(f"Die Liste {path} ist leer.") from None
    except csv.Error as exc:
        raise _csv_error(path, reader.line_num or 1, exc) from None
    header = [h.strip() for h in header]
    seen: dict[str, int] = {}
    for index, column in enumerate(header, start=1):
        if column and column in seen:  # like a key twice in YAML: which value would count?
            raise AnswersError(f"{path}:1: Die Spalte {column!r} kommt doppelt vor (Spalte "
                               f"{seen[column]} und {index}). Bitte eine davon entfernen.")
        seen.setdefault(column, index)
    kinds = {q.path: q for q in questionnaire.walk()}
    number = 0
    for cells in _csv_lines(path, reader):
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        line = reader.line_num
        where = f"{path}:{line}"
        if len(cells) != len(header):
            # never pad or cut: "95,50" in a comma-separated file is two cells, and guessing
            # would put amounts into the wrong columns
            hint = (" Enthält eine Zelle ein Komma (z. B. 95,50), bitte in Anführungszeichen "
                    "setzen oder ; als Trennzeichen verwenden." if delimiter == "," else "")
            yield RowResult(number, where, problems=(Problem(
                "error", f"Die Zeile hat {count(len(cells), 'Spalte', 'Spalten')}, die Kopfzeile "
                f"{len(header)}.{hint}",
                where, code="batch.columns"),))
            continue
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
        yield _Row(number, where, layer_answers(source=str(path), base=base, file=row).raw, stem)


def _csv_lines(path: Path, reader: Any) -> Iterator[list[str]]:
    """The rows of the reader; a malformed line (a cell over the csv module's size limit, a
    quote left open) is an AnswersError with its line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(path, reader.line_num, exc) from None


def _csv_error(path: Path, line: int, exc: csv.Error) -> AnswersError:
    if "field larger than field limit" in str(exc):
        return AnswersError(f"{path}:{line}: Eine Zelle ist länger als "
                            f"{csv.field_size_limit():,} Zeichen; so lange Angaben sind in einer "
                            "Liste nicht möglich (ein Text hat höchstens 5.000 Zeichen)."
                            .replace(",", "."))
    return AnswersError(f"{path}:{line}: Die Zeile ist kein gültiges CSV (z. B. ein nicht "
                        "geschlossenes Anführungszeichen).")


def _set_cell(row: Raw, column: str, cell: str, question: Any, line: int, origin: str) -> None:
    parts = column.split(".")
    node = row
    for part in parts[:-1]:
        node = node.items.setdefault(part, Raw("map", line, origin=origin))
        if node.kind != "map":
            return
    value: Raw
    if question is not None and question.is_text_list:
        value = Raw("seq", line, origin=origin, seq=[
            _scalar(item.strip(), line, origin) for item in cell.split(LIST_SEPARATOR) if item.strip()])
    elif question is not None and question.is_group_list:
        items = []
        for entry in cell.split(LIST_SEPARATOR):
            values = [v.strip() for v in entry.split(FIELD_SEPARATOR)]
            item = Raw("map", line, origin=origin)
            for sub, text in zip(question.fields, values, strict=False):
                if text:   # an empty field is left out (`:100:24`: a tier in hours, no days)
                    item.items[sub.key] = _scalar(text, line, origin)
            items.append(item)
        value = Raw("seq", line, origin=origin, seq=items)
    else:
        value = _scalar(cell, line, origin)
    node.items[parts[-1]] = value


def _scalar(text: str, line: int, origin: str) -> Raw:
    return Raw("scalar", line, tag="tag:yaml.org,2002:str", text=text, origin=origin)


def _yaml_rows(path: Path, text: str, base: Raw | None) -> Iterator[_Row | RowResult]:
    from .questionnaire.rawyaml import MAX_NODES, _convert  # as for answers files

    try:
        node = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        number, problem = yaml_problem(exc, text)
        line = f":{number}" if number is not None else ""
        raise AnswersError(f"{path}{line}: Die Liste ist kein gültiges YAML. {problem}") from None
    if not isinstance(node, yaml.SequenceNode):
        raise AnswersError(f"{path}: Die Liste muss eine YAML-Liste sein (Zeilen mit „- “).")
    # one budget for the whole file: the nodes written in it, plus as many again as aliases may
    # add (an answers file's limit); per entry, a short list could expand to gigabytes
    budget = [_distinct_nodes(node) + MAX_NODES]
    for number, item in enumerate(node.value, start=1):
        line = item.start_mark.line + 1
        where = f"{path}:{line}"
        try:
            row = _convert(item, str(path), budget, 0)
        except AnswersError as error:
            if budget[0] < 0:
                raise AnswersError(  # an alias has the anchor's line, so name the entry
                    f"{path}: Die Liste wird durch YAML-Anker und Aliase zu groß (ab dem "
                    f"{number}. Eintrag mehr als {MAX_NODES:,} zusätzliche Werte); bitte die "
                    "Angaben direkt eintragen.".replace(",", ".")) from None
            yield RowResult(number, where, problems=(Problem("error", error.message, where,
                                                                code="batch.row"),))
            continue
        if row.kind != "map":
            yield RowResult(number, where, problems=(Problem(
                "error", "Jeder Eintrag der Liste muss aus Schlüssel: Wert-Paaren bestehen.", where,
                code="batch.row"),))
            continue
        name = row.items.pop(NAME_COLUMN, None)
        stem = name.text if name is not None and name.kind == "scalar" else ""
        yield _Row(number, where, layer_answers(source=str(path), base=base, file=row).raw, stem)


def _distinct_nodes(root: yaml.Node) -> int:
    """How many nodes the file itself holds (an alias names an anchored node again: counted once)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return len(seen)


# ---- workers ----------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init_worker(library_path: str | None, settings: dict[str, Any]) -> None:
    from .pipeline import load_library

    _STATE["library"] = load_library(library_path)
    _STATE.update(settings)


def _validate(row: _Row) -> tuple[int, str, tuple[Problem, ...], Any, str]:
    from .library import evaluate_condition
    from .questionnaire.answers import validate

    library = _STATE["library"]
    try:
        answers = validate(row.raw, library.questionnaire, row.where.rsplit(":", 1)[0], evaluate_condition)
        stem = row.stem or _default_stem(answers.values)
    except ContractgenError as error:
        return row.number, row.where, _problems(error, row.where), None, ""
    except Exception as error:  # noqa: BLE001 - one row must never end the whole batch
        return row.number, row.where, (_internal(error, row.where),), None, ""
    return row.number, row.where, (), answers, stem


def _default_stem(values: Any) -> str:
    """File name from the client and the project title; a framework agreement without a project
    is named after the client and "Rahmenvertrag"."""
    client = (values.get("auftraggeber") or {}).get("name") or ""
    title = (values.get("projekt") or {}).get("titel") or "Rahmenvertrag"
    return f"{client} {title}".strip()


def _problems(error: ContractgenError, where: str) -> tuple[Problem, ...]:
    return tuple(error.problems) or (Problem("error", error.message, where, code="batch.row"),)


def _internal(error: BaseException, where: str) -> Problem:
    return Problem("error", f"Interner Fehler bei dieser Zeile ({type(error).__name__}). Das ist ein "
                   "Fehler in contractgen, nicht in Ihren Angaben; bitte melden Sie ihn. Die "
                   "anderen Zeilen sind davon nicht betroffen.", where, code="batch.internal")


def _render(job: tuple[int, str, Any, str]) -> RowResult:
    """Write the row's missing outputs (all of them with `force`). With PDF the DOCX goes into the
    private directory `pdf_dir` and is listed as "NAME.docx" for the conversion step. A row with
    nothing missing is skipped; a row that fails keeps the files it already wrote."""
    from .pipeline import build_document, render_document
    from .writers import writer

    number, where, answers, target = job
    library = _STATE["library"]
    directory = Path(_STATE["directory"])
    force = _STATE["force"]
    spec = writer(_STATE["format"])
    written: list[str] = []

    def missing(suffix: str) -> bool:
        return force or not (directory / f"{target}{suffix}").exists()

    try:
        document: Any = None

        def built() -> Any:
            nonlocal document
            if document is None:
                document = build_document(library, answers, today=_STATE["today"])
            return document

        if spec.name == "pdf":  # converted afterwards, all rows in one LibreOffice call
            if missing(spec.suffix):
                data = render_document(built(), "docx", library=library)
                write_atomic(Path(_STATE["pdf_dir"]) / f"{target}.docx", data, force=True,
                             durable=False)
                written.append(f"{target}.docx")
        elif missing(spec.suffix):
            write_atomic(directory / f"{target}{spec.suffix}",
                         render_document(built(), spec, library=library), force=force, durable=False,
                         tag=_STATE["tag"])
            written.append(f"{target}{spec.suffix}")
        if _STATE["email"]:
            eml = writer("eml")
            if missing(eml.suffix):
                data = render_document(built(), eml, library=library, sent=_STATE["sent"],
                                       attach=_STATE["attach"])
                write_atomic(directory / f"{target}{eml.suffix}", data, force=force, durable=False,
                             tag=_STATE["tag"])
                written.append(f"{target}{eml.suffix}")
    except ContractgenError as error:
        return RowResult(number, where, target, problems=_problems(error, where),
                         written=tuple(written))
    except Exception as error:  # noqa: BLE001 - one row must never end the whole batch
        return RowResult(number, where, target, problems=(_internal(error, where),),
                         written=tuple(written))
    return RowResult(number, where, target, written=tuple(written), skipped=not written)


# ---- the batch --------------------------------------------------------------------------------

def run_batch(list_path: Path, *, output_dir: Path, base_path: Path | None = None,
              library_path: Path | str | None = None, fmt: str = "docx", email: bool = False,
              attach: bool = False, jobs: int | None = None, force: bool = False,
              today: dt.date, sent: dt.datetime,
              progress: Callable[[int, int], None] | None = None, pdf_a: bool = False,
              status: Callable[[str], None] | None = None) -> BatchReport:
    """`status`: told what takes long without a row count (the PDF conversion)."""
    from .errors import OutputError
    from .output import describe_os_error
    from .pipeline import load_library
    from .questionnaire.profile import existing_profile

    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(f"{output_dir} ist eine Datei, kein Ausgabeverzeichnis.")
    library = load_library(library_path)   # before any folder is made: a bad library stops here
    profile = existing_profile()
    # each row over the base answers file over the profile (questionnaire/layers.py)
    base = (layer_answers(source=str(base_path or list_path), profile=profile, base=base_path).raw
            if base_path is not None or profile is not None else None)
    rows = list(read_rows(list_path, library.questionnaire, base))
    from .batchtemp import BatchLock

    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"Das Ausgabeverzeichnis {output_dir} lässt sich nicht anlegen: "
                          f"{describe_os_error(error)}.") from None

    remove_leftovers(output_dir)
    report = BatchReport(total=len(rows))
    with BatchLock(output_dir) as lock, tempfile.TemporaryDirectory(prefix="contractgen-batch-") as pdf_dir:
        settings = {"directory": str(output_dir), "format": fmt, "pdf_dir": pdf_dir,
                    "email": email, "attach": attach, "force": force, "today": today, "sent": sent,
                    "tag": lock.token}
        _run(rows, report, settings, output_dir=output_dir, library_path=library_path, fmt=fmt,
             email=email, force=force, jobs=jobs, progress=progress)
        if fmt == "pdf":
            _convert_batch_to_pdf(Path(pdf_dir), output_dir, report, force=force, tag=lock.token,
                                  pdf_a=pdf_a, status=status)
    report.failed.sort(key=lambda r: r.number)
    return report


def _run(rows: list[_Row | RowResult], report: BatchReport, settings: dict[str, Any], *,
         output_dir: Path, library_path: Path | str | None, fmt: str, email: bool, force: bool,
         jobs: int | None, progress: Callable[[int, int], None] | None) -> None:
    """Validate every row, then render the valid ones (on a process pool when jobs > 1)."""
    from .writers import writer

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
        suffixes = [writer(fmt).suffix] + ([writer("eml").suffix] if email else [])
        for number, where, problems, answers, stem in mapper(_validate, good_rows):
            if problems:
                report.failed.append(RowResult(number, where, problems=problems))
                continue
            target = _unique(safe_file_stem(stem), taken)
            if not force and all((output_dir / f"{target}{s}").exists() for s in suffixes):
                report.skipped.append(RowResult(number, where, target, skipped=True))
                continue
            valid.append((number, where, answers, target))
        rows.clear()  # the validated answers are all that is needed from here on
        del good_rows
        done = len(report.failed) + len(report.skipped)
        if progress:
            progress(done, report.total)
        # 2. render and write the valid rows: only their missing outputs
        for result in mapper(_render, valid):
            if result.problems:
                report.failed.append(result)
            elif result.skipped:
                report.skipped.append(result)
            else:
                report.written.append(result)
            done += 1
            if progress:
                progress(done, report.total)
    finally:
        if pool is not None:
            pool.close()
            pool.join()


def remove_leftovers(directory: Path) -> list[str]:
    """Remove the temporary files (and lock) of batches that ended without cleaning up (killed)
    in `directory`; those of a batch still running and other programs' files stay. Their names."""
    from .batchtemp import remove_stale

    return remove_stale(directory, _leftover_pattern())


def _unique(stem: str, taken: set[str]) -> str:
    candidate, counter = stem, 2
    while candidate in taken:
        candidate = f"{stem}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def _convert_batch_to_pdf(pdf_dir: Path, output_dir: Path, report: BatchReport, *,
                          force: bool, tag: str = "", pdf_a: bool = False,
                          status: Callable[[str], None] | None = None) -> None:
    """All DOCX of the batch (in the private `pdf_dir`) in one LibreOffice call; only the PDFs
    are written to the output directory. `status` hears before and after the conversion, which
    takes long on LibreOffice's first start."""
    import time

    from .formatting import format_number
    from .writers.pdf import convert_many

    pending = [r for r in report.written if f"{r.stem}.docx" in r.written]
    sources = [pdf_dir / f"{r.stem}.docx" for r in pending]
    if sources and status is not None:
        status(f"{count(len(sources), 'PDF wird', 'PDFs werden')} mit LibreOffice erzeugt "
               "(der erste Start von LibreOffice kann eine Minute dauern) …")
    started = time.monotonic()
    results = convert_many(sources, pdf_a=pdf_a) if sources else {}
    if sources and status is not None:
        seconds = Decimal(str(round(time.monotonic() - started, 1)))
        status(f"{count(len(results), 'PDF', 'PDFs')} erzeugt in {format_number(seconds)} s.")
    kept = [r for r in report.written if f"{r.stem}.docx" not in r.written]
    for result in pending:
        others = tuple(name for name in result.written if name != f"{result.stem}.docx")
        pdf = results.get(pdf_dir / f"{result.stem}.docx")
        problem = None
        if pdf is None:
            problem = Problem("error", "LibreOffice hat kein PDF erzeugt.", result.where,
                              code="batch.pdf")
        else:
            try:
                write_atomic(output_dir / f"{result.stem}.pdf", pdf, force=force, tag=tag)
            except ContractgenError as error:
                problem = Problem("error", error.message, result.where, code="batch.pdf")
        if problem is None:
            kept.append(RowResult(result.number, result.where, result.stem,
                                  written=(f"{result.stem}.pdf", *others)))
        else:
            report.failed.append(RowResult(result.number, result.where, result.stem,
                                           problems=(problem,), written=others))
    kept.sort(key=lambda r: r.number)
    report.written = kept
