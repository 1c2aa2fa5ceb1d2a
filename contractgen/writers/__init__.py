"""The writer registry: every output format is one module plus one entry in WRITERS (pandoc's
`Writers.hs`). Writers see only the model; each has one signature,
`write(document, options) -> bytes`, and reads from `WriterOptions` only what its entry names.

The CLI's `--format` choices and help texts, the suffix-to-format rule of every command, the
default file names and the batch's leftover pattern all come from this table. The writer
modules themselves are imported only when a document is written in their format, so
`contractgen --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module

from .options import Writer, WriterOptions

__all__ = ["CATALOG_FORMATS", "DOCUMENT", "MAIL", "WRITERS", "Writer", "WriterOptions",
           "WriterSpec", "for_suffix", "in_words", "names", "writer", "writers"]

DOCUMENT = "document"   # the contract and the individual order as a document
MAIL = "mail"           # the e-mail agreement: its text and the .eml draft



@dataclass(frozen=True)
class WriterSpec:
    name: str                        # the --format value
    suffixes: tuple[str, ...]        # file suffixes, the first one is used for new files
    binary: bool                     # bytes; False: UTF-8 text, printed when there is no -o
    family: str                      # DOCUMENT or MAIL: which commands offer it
    label: str                       # how help texts name it
    target: str                      # "module:function" of write(document, options) -> bytes
    options: frozenset[str] = frozenset()     # the WriterOptions fields it reads
    requires: str | None = None      # "module:function" that fails early when a tool is missing

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    def load(self) -> Writer:
        module, function = self.target.split(":")
        writer: Writer = getattr(import_module(module), function)
        return writer

    def check_tools(self) -> None:
        """A clear error before any work when an external tool is missing (PDF: LibreOffice)."""
        if self.requires is not None:
            module, function = self.requires.split(":")
            getattr(import_module(module), function)()


WRITERS: tuple[WriterSpec, ...] = (
    WriterSpec("docx", (".docx",), True, DOCUMENT, "docx", "contractgen.writers.docx:write",
               frozenset({"reference_docx"})),
    WriterSpec("pdf", (".pdf",), True, DOCUMENT, "pdf (über LibreOffice)",
               "contractgen.writers.pdf:write", frozenset({"reference_docx", "pdf_a"}),
               requires="contractgen.writers.pdf:find_soffice"),
    WriterSpec("md", (".md", ".markdown"), False, DOCUMENT, "md (Markdown)",
               "contractgen.writers.markdown:write"),
    WriterSpec("html", (".html", ".htm"), False, DOCUMENT, "html (Vorschau im Browser)",
               "contractgen.writers.html:write"),
    WriterSpec("text", (".txt",), False, MAIL, "text (E-Mail-Text)", "contractgen.writers.text:write"),
    WriterSpec("eml", (".eml",), True, MAIL, "eml (E-Mail-Entwurf)", "contractgen.writers.eml:write",
               frozenset({"sent", "attachment"})),
)


# the clause catalogue (a model of its own, model/catalog.py): name and suffixes of its writers
CATALOG_FORMATS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("docx", (".docx",)), ("md", (".md", ".markdown")))


def writer(name: str) -> WriterSpec:
    """The entry of a format; KeyError for an unknown one (the CLI checks names first)."""
    for spec in WRITERS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def writers(families: Iterable[str]) -> tuple[WriterSpec, ...]:
    wanted = set(families)
    return tuple(spec for spec in WRITERS if spec.family in wanted)


def for_suffix(suffix: str, families: Iterable[str]) -> WriterSpec | None:
    suffix = suffix.lower()
    return next((spec for spec in writers(families) if suffix in spec.suffixes), None)


def names(families: Iterable[str]) -> tuple[str, ...]:
    return tuple(spec.name for spec in writers(families))


def in_words(items: Iterable[str], conjunction: str = "und") -> str:
    """'a, b und c' for help texts and messages."""
    parts = list(items)
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"
