"""The e-mail agreement as plain text a person would send: short lines, no Markdown.

With `flowed=True` the text is format=flowed (RFC 3676) for the .eml draft: a line that was
wrapped inside a paragraph ends in a space (a soft break that mail programs on phones join
again), every other line break is hard, and lines that start with a space, ">" or "From " get
one more space in front (space-stuffing), which readers of flowed text remove again.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

from ..model import Document, FollowUpMail, Paragraph, Wording, plain_text
from ..model.bilingual import language_header
from .options import WriterOptions

WIDTH = 76
_BULLET = "\u2013 "
_SOFT = "\ue003"  # marks a wrapped line; answers cannot contain private-use characters


# between the languages of a bilingual e-mail (the prevailing language first)
SEPARATOR = "-" * 24


def _separator(lang: str) -> list[str]:
    return ["", "", SEPARATOR, language_header(lang), SEPARATOR, ""]


def write_email_text(document: Document, *, flowed: bool = False) -> str:
    """The e-mail agreement; a bilingual one in both languages, one after the other."""
    if document.bilingual is not None:
        other = document.bilingual.other
        return (write_email_text(replace(document, bilingual=None), flowed=flowed).rstrip("\n")
                + "\n" + "\n".join(_separator(other.lang)) + "\n"
                + write_email_text(other, flowed=flowed))
    words = document.wording      # keeps "§ 126b" on one line (keep_with_numbers)

    def _paragraph(paragraph: Paragraph, numbered: bool = False) -> list[str]:
        return _paragraph_lines(paragraph, words, numbered)

    def _wrap(text: str, initial: str = "", subsequent: str = "") -> list[str]:
        return _wrap_text(text, words, initial, subsequent)

    email = document.email
    out: list[str] = [*_wrap(email.greeting), ""]
    for paragraph in email.intro:
        out += _paragraph(paragraph)
    for section in document.body_sections:
        if not section.short:
            continue
        first = True
        for paragraph in section.short:
            text = plain_text(paragraph.content)
            if first:
                text = f"{section.title}: {text}" if text else section.title + ":"
                out += _wrap(text, initial=_BULLET, subsequent=" " * len(_BULLET))
                first = False
            elif text:
                out += _wrap(text, initial="  ", subsequent="  ")
            for item_list in paragraph.lists:
                for number, item in enumerate(item_list.items, start=1):
                    marker = f"  {number}. " if item_list.ordered else "  \u00b7 "
                    out += _wrap(plain_text(item), initial=marker, subsequent=" " * len(marker))
        out.append("")
    for paragraph in (*document.email_annex_list, *email.confirmation):
        out += _paragraph(paragraph)
    out += [*_wrap(email.closing), *(line for part in email.signoff for line in _wrap(part))]
    full_text = [s for s in document.sections if s.annex or s.full_in_email]
    for section in full_text:
        out += ["", "", section.heading.upper() if section.annex else section.heading,
                "=" * min(WIDTH, len(section.heading)), ""]
        for paragraph in section.paragraphs:
            out += _paragraph(paragraph, numbered=True)
    return _finish(out, flowed)


def _paragraph_lines(paragraph: Paragraph, words: Wording | None,
                    numbered: bool = False) -> list[str]:
    lines: list[str] = []
    if paragraph.content:
        prefix = f"({paragraph.number}) " if numbered and paragraph.number is not None else ""
        lines += _wrap_text(prefix + plain_text(paragraph.content), words,
                            subsequent=" " * len(prefix))
        if paragraph.lists and numbered:
            lines.append("")  # full texts (annexes): a blank line between lead sentence and list
    for item_list in paragraph.lists:
        for number, item in enumerate(item_list.items, start=1):
            marker = f"{number}. " if item_list.ordered else _BULLET
            lines += _wrap_text(plain_text(item), words, initial=marker,
                                subsequent=" " * len(marker))
    lines.append("")
    return lines


def _wrap_text(text: str, words: Wording | None, initial: str = "",
               subsequent: str = "") -> list[str]:
    if words is not None:
        text = words.keep_with_numbers(text)  # keep "§ 126b", "Abs. 2" on one line
    lines = textwrap.wrap(
        text, width=WIDTH, initial_indent=initial, subsequent_indent=subsequent,
        break_on_hyphens=False,
    ) or [initial.rstrip()]
    return [line + _SOFT for line in lines[:-1]] + lines[-1:]


def _finish(lines: list[str], flowed: bool) -> str:
    """The lines as text: soft breaks removed, or for format=flowed kept as a trailing space."""
    out = []
    for line in lines:
        soft = line.endswith(_SOFT)
        line = line.removesuffix(_SOFT).rstrip()
        if flowed:
            if line.startswith((" ", ">", "From ")):
                line = " " + line
            if soft:
                line += " "
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def write_mail_text(mail: FollowUpMail, *, flowed: bool = False) -> str:
    """A follow-up e-mail: greeting, body, the quoted contract passages, closing; a bilingual
    one in both languages, one after the other."""
    if mail.translation is not None:
        other = mail.translation
        return (write_mail_text(replace(mail, translation=None), flowed=flowed).rstrip("\n")
                + "\n" + "\n".join(_separator(other.lang)) + "\n"
                + write_mail_text(other, flowed=flowed))
    words = mail.wording
    quote_open, quote_close = mail.wording.quotes if mail.wording is not None else ('"', '"')

    def _paragraph(paragraph: Paragraph, numbered: bool = False) -> list[str]:
        return _paragraph_lines(paragraph, words, numbered)

    def _wrap(text: str, initial: str = "", subsequent: str = "") -> list[str]:
        return _wrap_text(text, words, initial, subsequent)

    frame = mail.frame
    out: list[str] = [*_wrap(frame.greeting), ""]
    for paragraph in frame.intro:
        out += _paragraph(paragraph)
    for paragraph in mail.quote_intro:
        out += _paragraph(paragraph)
    for quote in mail.quotes:
        out += _wrap(f"{quote.reference} ({quote.title}):")
        lines: list[str] = []
        for paragraph in quote.paragraphs:
            if lines:
                lines.append("")
            text = plain_text(paragraph.content)
            if text:
                lines += _wrap(text, initial="  ", subsequent="  ")
            for item_list in paragraph.lists:
                for item in item_list.items:
                    lines += _wrap(plain_text(item), initial="  " + _BULLET,
                                   subsequent="  " + " " * len(_BULLET))
        if lines:  # the whole passage in the library's quotation marks
            lines[0] = "  " + quote_open + lines[0][2:]
            lines[-1] = lines[-1] + quote_close
        out += lines + [""]
    out += [*_wrap(frame.closing), *(line for part in frame.signoff for line in _wrap(part))]
    return _finish(out, flowed)


def write(document: Document, options: WriterOptions) -> bytes:
    """The registry's entry point (writers/__init__.py): the e-mail agreement's text."""
    return write_email_text(document).encode("utf-8")
