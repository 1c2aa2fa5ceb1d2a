"""The steps every command goes through, in one place (pandoc's reader -> AST -> writer):

    load the library -> layer and validate the answers -> select, render and transform into
    the Document -> write it in a registered format

`api` (the facade the CLI and the tests call), `batch`, `order`, `followup` and `provenance`
all take these steps from here; none of them goes through `api`. Heavy modules are imported
inside the steps, so importing the pipeline is cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .clock import clock_now, clock_today
from .errors import Problem, UsageError
from .writers import DOCUMENT, MAIL, WriterOptions, WriterSpec, in_words, writer, writers

if TYPE_CHECKING:
    from .library import Library
    from .model import Document
    from .questionnaire.answers import Answers

__all__ = ["DOCUMENT", "MAIL", "build_document", "clock_now", "clock_today", "default_file_name",
           "load_answers", "load_library", "output_format", "render_document", "risk_warnings",
           "write_document"]


# -- reading ------------------------------------------------------------------------------------
def load_library(path: Path | str | None = None) -> Library:
    """The clause library at `path`, or $CONTRACTGEN_LIBRARY, or the one shipped with the package.
    Templates compile on first use (and are cached on disk)."""
    from .library import load_library as load

    return load(path, compile_all=False)


def load_answers(path: Path | str, *, library: Library, overrides: Iterable[str] = (),
                 profile: Path | str | Literal["user"] | None = "user") -> Answers:
    """Read and validate an answers file against the library's questionnaire (all problems at once).

    `profile` is the layer below the answers file: "user" = the freelancer's profile in the
    config directory ($CONTRACTGEN_CONFIG_DIR), if there is one; a path; or None for none."""
    from .library import evaluate_condition
    from .questionnaire.layers import load_answers_file
    from .questionnaire.profile import existing_profile

    profile_path = existing_profile() if profile == "user" else (
        Path(profile) if profile is not None else None)
    return load_answers_file(Path(path), library.questionnaire, evaluate_condition, overrides,
                             profile=profile_path)


# -- the model ----------------------------------------------------------------------------------
def build_document(library: Library, answers: Answers, *, today: dt.date | None = None,
                   draft: bool = False) -> Document:
    """Select and render the clauses, number them and resolve references: the document model,
    in the language of the answers (`sprache`: the library's, an edition's, or two of them
    paired side by side). A broken reference is a RenderError; a `draft` (a preview) shows a
    visible marker instead and lists the problem in `Document.problems`."""
    from .render import build_contract

    return build_contract(library, answers, today=today or clock_today(), draft=draft)


def risk_warnings(answers: Answers, *, today: dt.date | None = None) -> tuple[Problem, ...]:
    """What `contractgen check` warns about risky agreements, also shown when generating."""
    from .questionnaire.risks import assess

    return assess(answers, today=today or clock_today())


# -- writing ------------------------------------------------------------------------------------
def output_format(output: Path | str | None, fmt: str | None, *,
                  families: Iterable[str] = (DOCUMENT,), default: str = "docx") -> WriterSpec:
    """The writer: `fmt`, else the one of the output file's suffix, else `default`. A suffix or
    format the command cannot write, or a format that contradicts the suffix, is refused
    (UsageError, exit 2), so `-o vertrag.odt` never holds a DOCX. Every command decides here."""
    families = tuple(families)
    hint = " Für den Vertrag als Datei gibt es „contractgen generate“." if families == (MAIL,) else ""
    name = choose_format(output, fmt, [(s.name, s.suffixes) for s in writers(families)], default,
                         hint=hint)
    return writer(name)


def choose_format(output: Path | str | None, fmt: str | None,
                  offered: list[tuple[str, tuple[str, ...]]], default: str, *, hint: str = "") -> str:
    """The rule every command follows (`offered`: name and suffixes of each format it can write):
    `fmt`, else the format of the output file's suffix, else `default`; an unknown suffix or
    format, or a format that contradicts the suffix, is a UsageError (exit 2)."""
    suffix = Path(output).suffix.lower() if output is not None else ""
    implied = next((name for name, suffixes in offered if suffix in suffixes), None)
    if suffix and implied is None:
        allowed = in_words(s for _, suffixes in offered for s in suffixes)
        raise UsageError(f"Die Endung {suffix} von {output} passt zu keinem Format; erlaubt: "
                         f"{allowed}.{hint}")
    if fmt is None:
        return implied or default
    if fmt not in (name for name, _ in offered):
        raise UsageError(f"--format {fmt}: erlaubt sind {in_words(n for n, _ in offered)}.")
    if implied is not None and implied != fmt:
        raise UsageError(f"--format {fmt} passt nicht zur Ausgabedatei {output} (Endung {suffix}).")
    return fmt


# the e-mail of these documents makes the attached full version the agreement (issue 13, M11):
# their e-mail draft always carries it
ATTACHMENT_REQUIRED = ("email-vereinbarung", "einzelauftrag")


def writer_options(document: Document, spec: WriterSpec, *, library: Library,
                   sent: dt.datetime | None = None, attach: bool | str = False,
                   pdf_a: bool = False) -> WriterOptions:
    """The options `spec` reads: the reference DOCX, the send time, the contract as attachment
    (`attach`: True or "docx" as DOCX, "pdf" as PDF)."""
    attachment = None
    if (attach or document.kind in ATTACHMENT_REQUIRED) and "attachment" in spec.options:
        attached = writer("pdf" if attach == "pdf" else "docx")
        attachment = (default_file_name(document, attached.suffix),
                      render_document(document, attached.name, library=library))
    return WriterOptions(
        reference_docx=library.reference_docx if "reference_docx" in spec.options else None,
        sent=(sent or clock_now()) if "sent" in spec.options else None,
        attachment=attachment, pdf_a=pdf_a and "pdf_a" in spec.options)


def render_document(document: Document, fmt: str | WriterSpec, *, library: Library,
                    sent: dt.datetime | None = None, attach: bool | str = False,
                    pdf_a: bool = False) -> bytes:
    """The document in one registered output format (writers.WRITERS)."""
    spec = fmt if isinstance(fmt, WriterSpec) else writer(fmt)
    options = writer_options(document, spec, library=library, sent=sent, attach=attach,
                             pdf_a=pdf_a)
    return spec.load()(document, options)


STDOUT = "-"      # `-o -`: the output goes to standard output, as with most command-line tools


def write_document(document: Document, spec: WriterSpec, *, library: Library,
                   output: Path | str | None, default_stem: str, force: bool,
                   sent: dt.datetime | None = None, attach: bool | str = False,
                   pdf_a: bool = False) -> tuple[bytes, Path | None]:
    """Render `document` and write it to `output` (atomically, never over a file without
    `force`). Binary formats without `output` get a file name derived from `default_stem`;
    text without `output`, and any format with `output` "-" (STDOUT), goes back to the caller
    (to print)."""
    from .output import safe_file_stem, write_atomic

    if pdf_a and "pdf_a" not in spec.options:
        from .errors import UsageError

        raise UsageError(f"--pdf-a gilt nur für PDF (--format pdf oder -o DATEI.pdf), "
                         f"nicht für {spec.name}.")
    data = render_document(document, spec, library=library, sent=sent, attach=attach, pdf_a=pdf_a)
    if output is not None and str(output) == STDOUT:
        return data, None
    path: Path | None = Path(output) if output is not None else None
    if path is None and spec.binary:
        path = Path(f"{safe_file_stem(default_stem)}{spec.suffix}")
    if path is not None:
        write_atomic(path, data, force=force)
    return data, path


def default_file_name(document: Document, suffix: str) -> str:
    """A file name from the document's title and the client, e.g. for an attachment."""
    from .output import safe_file_stem

    client = document.parties[1].lines[0] if len(document.parties) > 1 else ""
    return f"{safe_file_stem(f'{document.title} {client}')}{suffix}"
