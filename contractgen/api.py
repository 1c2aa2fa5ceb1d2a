"""The library API the CLI and the tests call. Options are keyword-only and mirror the CLI."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import Problem, UsageError

if TYPE_CHECKING:
    from .batch import BatchReport
from .library import Library, evaluate_condition
from .library import load_library as _load_library
from .model import Document, FollowUpMail
from .output import safe_file_stem, write_atomic
from .questionnaire.answers import Answers, load_answers_file
from .render import build_document as _build_document


def load_library(path: Path | str | None = None) -> Library:
    """The clause library at `path`, or $CONTRACTGEN_LIBRARY, or the one shipped with the package."""
    return _load_library(path, compile_all=False)  # templates compile on first use (and are cached)


def load_answers(path: Path | str, *, library: Library, overrides: Iterable[str] = (),
                 profile: Path | str | Literal["user"] | None = "user") -> Answers:
    """Read and validate an answers file against the library's questionnaire (all problems at once).

    `profile` is the layer below the answers file: "user" = the freelancer's profile in the
    config directory ($CONTRACTGEN_CONFIG_DIR), if there is one; a path; or None for none."""
    from .questionnaire.profile import existing_profile

    profile_path = existing_profile() if profile == "user" else (
        Path(profile) if profile is not None else None)
    return load_answers_file(Path(path), library.questionnaire, evaluate_condition, overrides,
                             profile=profile_path)


def build_document(library: Library, answers: Answers, *, today: dt.date | None = None) -> Document:
    """Select and render the clauses, number them and resolve references: the document model."""
    return _build_document(library, answers, today=today or clock_today())


def render_document(document: Document, fmt: str, *, library: Library,
                    sent: dt.datetime | None = None, attach: bool = False) -> bytes:
    """The document in one output format: docx, md, text (e-mail body) or eml."""
    from .writers import writer

    if fmt == "docx":
        return writer("docx")(document, library.reference_docx)  # type: ignore[no-any-return]
    if fmt == "md":
        return writer("md")(document).encode("utf-8")  # type: ignore[no-any-return]
    text = writer("text")(document)
    if fmt == "text":
        return text.encode("utf-8")  # type: ignore[no-any-return]
    if fmt == "eml":
        from .writers.eml import write_eml

        attachment = None
        if attach:
            attachment = (default_file_name(document, "docx"),
                          render_document(document, "docx", library=library))
        return write_eml(document, text, sent=sent or clock_now(), attachment=attachment)
    raise ValueError(f"unknown format {fmt!r}")


@dataclass(frozen=True)
class GenerateResult:
    document: Document
    data: bytes
    path: Path | None             # None: the caller prints `data`
    warnings: tuple[Problem, ...]


OUTPUT_SUFFIXES = {".docx": "docx", ".pdf": "pdf", ".md": "md"}


def output_format(output: Path | str | None, fmt: str | None) -> str:
    """The format: as given, else from the output file's suffix, else DOCX. A format that
    contradicts the suffix is refused, so `-o vertrag.pdf` never holds a DOCX."""
    suffix = Path(output).suffix.lower() if output is not None else ""
    implied = OUTPUT_SUFFIXES.get(suffix)
    if suffix and implied is None:
        raise UsageError(f"Die Endung {suffix} von {output} passt zu keinem Format; erlaubt: "
                         ".docx, .pdf, .md.")
    if fmt is None:
        return implied or "docx"
    if implied is not None and implied != fmt:
        raise UsageError(f"--format {fmt} passt nicht zur Ausgabedatei {output} (Endung {suffix}).")
    return fmt


def generate(answers_path: Path | str, *, output: Path | str | None = None, fmt: str | None = None,
             library_path: Path | str | None = None, overrides: Iterable[str] = (),
             force: bool = False, today: dt.date | None = None) -> GenerateResult:
    """Answers file -> contract. The format comes from `fmt`, else from the suffix of `output`,
    else DOCX. DOCX and PDF go to `output` (default: a name derived from the answers file, in
    the current directory); Markdown goes to `output` or back to the caller."""
    fmt = output_format(output, fmt)
    if fmt == "pdf":
        from .writers.pdf import find_soffice

        find_soffice()  # a clear error before any work when LibreOffice is missing
    library = load_library(library_path)
    answers = load_answers(answers_path, library=library, overrides=overrides)
    document = build_document(library, answers, today=today)
    warnings = answers.warnings + risk_warnings(answers, today=today)
    data, path = _write_output(document, fmt, library=library, output=output,
                               default_stem=Path(answers_path).stem, force=force)
    return GenerateResult(document, data, path, warnings)


def _write_output(document: Document, fmt: str, *, library: Library, output: Path | str | None,
                  default_stem: str, force: bool, sent: dt.datetime | None = None,
                  ) -> tuple[bytes, Path | None]:
    """Render `document` (PDF through LibreOffice) and write it to `output`; files (DOCX, PDF,
    .eml) without `output` get a name derived from `default_stem`, text goes back to the caller."""
    if fmt == "pdf":
        from .writers.pdf import docx_to_pdf

        data = docx_to_pdf(render_document(document, "docx", library=library))
    else:
        data = render_document(document, fmt, library=library, sent=sent)
    path: Path | None = Path(output) if output is not None else None
    if path is None and fmt in ("docx", "pdf", "eml"):
        path = Path(f"{safe_file_stem(default_stem)}.{fmt}")
    if path is not None:
        write_atomic(path, data, force=force)
    return data, path


@dataclass(frozen=True)
class EmailResult:
    document: Document
    text: str
    path: Path | None
    warnings: tuple[Problem, ...]


def email_agreement(answers_path: Path | str, *, output: Path | str | None = None,
                    attach: bool = False, library_path: Path | str | None = None,
                    overrides: Iterable[str] = (), force: bool = False,
                    today: dt.date | None = None, sent: dt.datetime | None = None) -> EmailResult:
    """Answers file -> e-mail text; with `output` ending in .eml an e-mail draft, else a text file."""
    library = load_library(library_path)
    answers = load_answers(answers_path, library=library, overrides=overrides)
    document = build_document(library, answers, today=today)
    text = render_document(document, "text", library=library).decode("utf-8")
    path = Path(output) if output is not None else None
    if path is not None and path.suffix.lower() not in (".eml", ".txt", ""):
        raise UsageError(f"{path}: Die E-Mail wird als .eml-Entwurf oder als Text (.txt) "
                         "gespeichert; für den Vertrag als DOCX gibt es „contractgen generate“.")
    if path is not None:
        if path.suffix.lower() == ".eml":
            data = render_document(document, "eml", library=library, sent=sent, attach=attach)
        else:
            data = text.encode("utf-8")
        write_atomic(path, data, force=force)
    return EmailResult(document, text, path, answers.warnings + risk_warnings(answers, today=today))


def generate_batch(list_path: Path | str, *, output_dir: Path | str, base: Path | str | None = None,
          fmt: str = "docx", email: bool = False, attach: bool = False, jobs: int | None = None,
          library_path: Path | str | None = None, force: bool = False,
          today: dt.date | None = None, sent: dt.datetime | None = None,
          progress: Callable[[int, int], None] | None = None) -> BatchReport:
    """One contract per row of a CSV (columns = answer key paths) or YAML list, merged over `base`.
    Every row is validated before anything is written; failures are reported per row."""
    from .batch import run_batch

    if fmt == "pdf":
        from .writers.pdf import find_soffice

        find_soffice()
    return run_batch(Path(list_path), output_dir=Path(output_dir),
                     base_path=Path(base) if base is not None else None, library_path=library_path,
                     fmt=fmt, email=email, attach=attach, jobs=jobs, force=force,
                     today=today or clock_today(), sent=sent or clock_now(), progress=progress)


def risk_warnings(answers: Answers, *, today: dt.date | None = None) -> tuple[Problem, ...]:
    """What `contractgen check` warns about risky agreements, also shown when generating."""
    from .questionnaire.risks import assess

    return assess(answers, today=today or clock_today())


def default_file_name(document: Document, suffix: str) -> str:
    client = document.parties[1].lines[0] if len(document.parties) > 1 else ""
    return f"{safe_file_stem(f'{document.title} {client}')}.{suffix}"


def clock_now() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} ist keine gültige Zeit (Sekunden seit "
                             "1970-01-01, z. B. 1800000000).") from None
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)


def clock_today() -> dt.date:
    return clock_now().date()


# -- issue 7: individual orders and follow-up e-mails ------------------------------------------
ORDER_FORMATS = ("docx", "md", "text", "eml", "pdf")


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
                   sent: dt.datetime | None = None) -> GenerateResult:
    """The Einzelauftrag as DOCX (default), PDF, Markdown, e-mail text or .eml draft. Without
    `fmt` the format follows the suffix of `output`."""
    if fmt is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output is not None else "docx"
        fmt = {"txt": "text", "markdown": "md"}.get(suffix, suffix)
        if fmt not in ORDER_FORMATS:
            fmt = "docx"
    if fmt not in ORDER_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "pdf":
        from .writers.pdf import find_soffice

        find_soffice()  # a clear error before any work when LibreOffice is missing
    library = load_library(library_path)
    document, warnings = order_document(framework_path, order_path, overrides=overrides,
                                        today=today, library=library)
    data, path = _write_output(document, fmt, library=library, output=output,
                               default_stem=Path(order_path).stem, force=force, sent=sent)
    return GenerateResult(document, data, path, warnings)


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
    from .followup import build_mail
    from .writers.eml import write_frame_eml
    from .writers.text import write_mail_text

    library = load_library(library_path)
    answers = load_answers(answers_path, library=library, overrides=overrides)
    contract = build_document(library, answers, today=today)
    mail = build_mail(library, answers, kind, inputs, contract=contract,
                      today=today or clock_today())
    text = write_mail_text(mail)
    path = Path(output) if output is not None else None
    if path is not None:
        data = (write_frame_eml(mail.frame, text, sent=sent or clock_now())
                if path.suffix.lower() == ".eml" else text.encode("utf-8"))
        write_atomic(path, data, force=force)
    return MailResult(mail, text, path, answers.warnings)
