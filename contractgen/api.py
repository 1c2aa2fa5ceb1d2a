"""The library API the CLI and the tests call: one function per command. Options are keyword-only
and mirror the CLI. The steps themselves live in `pipeline`; this module only composes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem
from .pipeline import (
    DOCUMENT,
    MAIL,
    build_document,
    clock_now,
    clock_today,
    default_file_name,
    load_answers,
    load_library,
    output_format,
    render_document,
    risk_warnings,
    write_document,
)

if TYPE_CHECKING:
    from .batch import BatchReport
    from .library import Library
    from .model import Document, FollowUpMail
    from .model.catalog import Catalog
    from .questionnaire.answers import Answers

__all__ = ["EmailResult", "GenerateResult", "MailResult", "build_document", "clock_now",
           "clock_today", "default_file_name", "email_agreement", "follow_up_mail", "generate",
           "generate_batch", "generate_order", "load_answers", "load_library", "order_document",
           "output_format", "render_document", "risk_warnings", "write_catalog"]


@dataclass(frozen=True)
class GenerateResult:
    document: Document
    data: bytes
    path: Path | None             # None: the caller prints `data`
    warnings: tuple[Problem, ...]
    binary: bool = False          # `data` is a binary format (DOCX, PDF), not text


def generate(answers_path: Path | str, *, output: Path | str | None = None, fmt: str | None = None,
             library_path: Path | str | None = None, overrides: Iterable[str] = (),
             force: bool = False, today: dt.date | None = None,
             pdf_a: bool = False) -> GenerateResult:
    """Answers file -> contract (`pdf_a`: a PDF as PDF/A-2b). The format comes from `fmt`, else
    from the suffix of `output`, else DOCX. Binary formats (DOCX, PDF) go to `output` (default:
    a name derived from the answers file, in the current directory); text formats go to
    `output` or back to the caller."""
    spec = output_format(output, fmt, families=(DOCUMENT,))
    spec.check_tools()  # a clear error before any work when LibreOffice is missing
    from .cache import code_kept_together
    from .render.parse import parses_kept_on_disk

    # one document: its clause texts and compiled templates are kept together for the next run
    with parses_kept_on_disk(), code_kept_together():
        library = load_library(library_path)
        answers = load_answers(answers_path, library=library, overrides=overrides)
        document = build_document(library, answers, today=today)
        warnings = answers.warnings + risk_warnings(answers, today=today)
        data, path = write_document(document, spec, library=library, output=output,
                                    default_stem=Path(answers_path).stem, force=force,
                                    pdf_a=pdf_a)
    return GenerateResult(document, data, path, warnings, binary=spec.binary)


@dataclass(frozen=True)
class EmailResult:
    document: Document
    text: str
    path: Path | None
    warnings: tuple[Problem, ...]


def email_agreement(answers_path: Path | str, *, output: Path | str | None = None,
                    attach: bool | str = False, library_path: Path | str | None = None,
                    overrides: Iterable[str] = (), force: bool = False,
                    today: dt.date | None = None, sent: dt.datetime | None = None) -> EmailResult:
    """Answers file -> e-mail text; with `output` ending in .eml an e-mail draft, else a text file.
    `attach`: True or "docx" attaches the contract as DOCX, "pdf" as PDF (LibreOffice)."""
    spec = output_format(output, None, families=(MAIL,), default="text")
    if attach == "pdf":
        from .writers.pdf import find_soffice

        find_soffice()  # a clear error before any work when LibreOffice is missing
    library = load_library(library_path)
    answers = load_answers(answers_path, library=library, overrides=overrides)
    document = build_document(library, answers, today=today)
    text = render_document(document, "text", library=library).decode("utf-8")
    path = None
    if output is not None:
        _, path = write_document(document, spec, library=library, output=output, default_stem="",
                                 force=force, sent=sent, attach=attach)
    return EmailResult(document, text, path, answers.warnings + risk_warnings(answers, today=today)
                       + attachment_warning(document, spec.name if path is not None else "text"))


def generate_batch(list_path: Path | str, *, output_dir: Path | str, base: Path | str | None = None,
                   fmt: str = "docx", email: bool = False, attach: bool = False,
                   jobs: int | None = None, library_path: Path | str | None = None,
                   force: bool = False, today: dt.date | None = None,
                   sent: dt.datetime | None = None,
                   progress: Callable[[int, int], None] | None = None, pdf_a: bool = False,
                   status: Callable[[str], None] | None = None) -> BatchReport:
    """One contract per row of a CSV (columns = answer key paths) or YAML list, merged over `base`.
    Every row is validated before anything is written; failures are reported per row. The
    output folder is made when it is missing. `pdf_a`: PDFs as PDF/A-2b; `status`: hears what
    takes long without a row count (the PDF conversion)."""
    from .batch import run_batch

    spec = output_format(None, fmt, families=(DOCUMENT,))
    if pdf_a and "pdf_a" not in spec.options:
        from .errors import UsageError

        raise UsageError(f"--pdf-a gilt nur für PDF (--format pdf), nicht für {spec.name}.")
    spec.check_tools()
    return run_batch(Path(list_path), output_dir=Path(output_dir),
                     base_path=Path(base) if base is not None else None, library_path=library_path,
                     fmt=spec.name, email=email, attach=attach, jobs=jobs, force=force,
                     today=today or clock_today(), sent=sent or clock_now(), progress=progress,
                     pdf_a=pdf_a, status=status)


# -- individual orders and follow-up e-mails ----------------------------------------------------
def order_document(framework_path: Path | str, order_path: Path | str, *,
                   library_path: Path | str | None = None, overrides: Iterable[str] = (),
                   framework_overrides: Iterable[str] = (),
                   today: dt.date | None = None,
                   library: Library | None = None) -> tuple[Document, tuple[Problem, ...]]:
    """Framework answers + order answers -> the Einzelauftrag as a document model. The order is
    validated (all problems at once) and checked against the framework (AnswersError, exit 3).
    `library`: an already loaded library (else it is loaded from `library_path`)."""
    from .order import build_order, load_order_answers, order_questionnaire

    library = library or load_library(library_path)
    framework = load_answers(framework_path, library=library, overrides=framework_overrides)
    order = load_order_answers(Path(order_path), order_questionnaire(library), overrides)
    document = build_order(library, framework, order, today=today or clock_today())
    return document, framework.warnings + order.warnings


def generate_order(framework_path: Path | str, order_path: Path | str, *,
                   output: Path | str | None = None, fmt: str | None = None,
                   library_path: Path | str | None = None, overrides: Iterable[str] = (),
                   force: bool = False, today: dt.date | None = None,
                   sent: dt.datetime | None = None, attach: bool | str = False,
                   pdf_a: bool = False) -> GenerateResult:
    """The Einzelauftrag in any registered format (DOCX by default); without `fmt` the format
    follows the suffix of `output`, and a suffix no writer has is refused as in `generate`.
    `attach`: the attachment of an .eml draft as "docx" (the default) or "pdf"; `pdf_a`: a PDF
    as PDF/A-2b."""
    spec = output_format(output, fmt, families=(DOCUMENT, MAIL))
    spec.check_tools()  # a clear error before any work when LibreOffice is missing
    if attach and spec.name != "eml":
        from .errors import UsageError

        raise UsageError("--attach-format gilt nur für einen E-Mail-Entwurf (-o DATEI.eml).")
    if attach == "pdf":
        from .writers.pdf import find_soffice

        find_soffice()
    library = load_library(library_path)
    document, warnings = order_document(framework_path, order_path, overrides=overrides,
                                        today=today, library=library)
    data, path = write_document(document, spec, library=library, output=output,
                                default_stem=Path(order_path).stem, force=force, sent=sent,
                                attach=attach, pdf_a=pdf_a)
    return GenerateResult(document, data, path, warnings + attachment_warning(document, spec.name),
                          binary=spec.binary)


def attachment_warning(document: Document, fmt: str) -> tuple[Problem, ...]:
    """A warning when the text of an e-mail that refers to its attached full version (e-mail
    agreement, individual order) is produced without it, i.e. not as an .eml draft."""
    from .pipeline import ATTACHMENT_REQUIRED

    if document.kind not in ATTACHMENT_REQUIRED or fmt not in ("text", "md"):
        return ()
    what = "Der Einzelauftrag" if document.kind == "einzelauftrag" else "Die Vereinbarung"
    return (Problem("warning", f"{what} ist die ausführliche Fassung, auf die die E-Mail als "
                    "Anhang verweist: Hängen Sie das DOCX an (contractgen generate bzw. "
                    "contractgen auftrag … -o datei.docx) oder erzeugen Sie gleich den "
                    "E-Mail-Entwurf mit Anhang (-o datei.eml).", code="email.attachment-required"),)


def write_catalog(output: Path | str, *, fmt: str | None = None, library_path: Path | str | None = None,
                  example_path: Path | str | None = None, force: bool = False,
                  today: dt.date | None = None, sprache: str | None = None) -> Path:
    """The clause catalogue of the library (lint/catalog.py) as DOCX or Markdown, written to
    `output`; `example_path`: answers whose values the texts show instead of placeholders. The
    format follows `fmt`, else the suffix of `output`; other suffixes are refused as everywhere.
    `sprache`: "en" the catalogue of the English edition, "de-en" each clause in both languages,
    the German entry first (default: the library's own language)."""
    from .library import evaluate_condition
    from .output import write_atomic
    from .pipeline import choose_format
    from .questionnaire.layers import load_answers_file
    from .writers import CATALOG_FORMATS

    fmt = choose_format(output, fmt, list(CATALOG_FORMATS), "docx")
    library = load_library(library_path)
    example = (load_answers_file(Path(example_path), library.questionnaire, evaluate_condition)
               if example_path is not None else None)
    catalog = _catalog_in_languages(library, sprache, example, today)
    if fmt == "md":
        from .writers.catalog_markdown import write_catalog_markdown

        data = write_catalog_markdown(catalog).encode("utf-8")
    else:
        from .writers.catalog_docx import write_catalog_docx

        data = write_catalog_docx(catalog, library.reference_docx)
    path = Path(output)
    write_atomic(path, data, force=force)
    return path


def _catalog_in_languages(library: Library, sprache: str | None, example: Answers | None,
                          today: dt.date | None) -> Catalog:
    """The catalogue of one edition, or of two with their entries paired clause by clause."""
    from dataclasses import replace

    from .lint.catalog import build_catalog
    from .model.bilingual import language_header
    from .render.languages import edition_for

    codes = tuple((sprache or library.language.split("-")[0]).split("-"))
    catalogs = [build_catalog(edition_for(library, code), example=example, today=today)
                for code in codes]
    if len(catalogs) == 1:
        return catalogs[0]
    first, second = catalogs[0], catalogs[1]
    other = {e.id: e for e in second.entries}
    name = language_header(edition_for(library, codes[1]).language)
    entries = []
    for entry in first.entries:
        entries.append(entry)
        if entry.id in other:
            entries.append(replace(other[entry.id], title=f"{other[entry.id].title} ({name})"))
    return replace(first, entries=tuple(entries))


@dataclass(frozen=True)
class MailResult:
    mail: FollowUpMail
    text: str
    path: Path | None
    warnings: tuple[Problem, ...]


def follow_up_mail(kind: str, answers_path: Path | str, *, inputs: Mapping[str, object],
                   output: Path | str | None = None, library_path: Path | str | None = None,
                   overrides: Iterable[str] = (), force: bool = False,
                   today: dt.date | None = None, sent: dt.datetime | None = None) -> MailResult:
    """A follow-up e-mail (see followup.KINDS) for the contract of `answers_path`: text, or with
    `output` ending in .eml an e-mail draft (else a text file). `inputs`: option name (without
    dashes, with underscores) -> value or list of values."""
    from .followup import build_mail, load_mail_template
    from .output import write_atomic
    from .writers.eml import write_frame_eml
    from .writers.text import write_mail_text

    spec = output_format(output, None, families=(MAIL,), default="text")
    library = load_library(library_path)
    answers = load_answers(answers_path, library=library, overrides=overrides)
    contract = build_document(library, answers, today=today)
    mail = build_mail(library, answers, kind, inputs, contract=contract,
                      today=today or clock_today())
    text = write_mail_text(mail)
    path = Path(output) if output is not None else None
    eml = path is not None and spec.name == "eml"
    # a mail whose text says the contract is attached (`anhang: vertrag`) carries it as DOCX
    attached = load_mail_template(library, kind).attachment == "vertrag"
    warnings = answers.warnings
    if attached and not eml:
        warnings += (Problem("warning", "Diese E-Mail verweist auf den vollständigen Vertrag im "
                             "Anhang: Hängen Sie ihn an (contractgen generate … -o vertrag.docx) "
                             "oder erzeugen Sie den Entwurf mit Anhang (-o datei.eml).",
                             code="email.attachment-required"),)
    if path is not None:
        attachment = ((default_file_name(contract, ".docx"),
                       render_document(contract, "docx", library=library)) if attached else None)
        data = (write_frame_eml(mail.frame, write_mail_text(mail, flowed=True),
                                sent=sent or clock_now(), attachment=attachment)
                if eml else text.encode("utf-8"))
        write_atomic(path, data, force=force)
    return MailResult(mail, text, path, warnings)
