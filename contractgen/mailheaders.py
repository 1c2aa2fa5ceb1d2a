"""What may reach an e-mail header, and the check that a written draft carries exactly the
headers and recipients it was meant to.

Names and titles from the answers become display names and the Subject of the .eml draft.
Two things in such a value can change the message instead of being shown:

- a line break (CR, LF and the other Unicode line separators) would end the header and start
  a new one, e.g. ``Bcc:``;
- an RFC 2047 encoded word (``=?utf-8?q?…?=``) is decoded by the email package while it folds
  the header and by mail programs when they show it, so ``=?utf-8?q?=0D=0ABcc=3A_x?=`` turns
  into a line break after all, and ``=?utf-8?q?=3Cx=40evil=3E?=`` into an address.

The answers refuse both (`header_problem`); everything else that reaches a header (question
defaults, library texts) is neutralised by `header_text`. The writer builds every address from
structured values (`mail_address`) and, after writing, `verify_draft` parses the message back
and compares it with what was intended: the header names, the From and To addresses, that no
Cc, Bcc or Reply-To exists, and the Subject. It reads the raw header lines itself as well, so
the check does not depend on how one Python version's email parser treats a damaged header.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the email package's header parser is imported only to write a draft
    from email.headerregistry import Address

# as lenient as any decoder: "=?" … "?=" may be taken for an encoded word
_ENCODED_WORD = re.compile(r"=\?.*?\?=", re.DOTALL)
# everything a mail program or the email package may treat as the end of a line
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# RFC 5322 atext: the characters of a dot-atom local part
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LDH_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
# joiners are kept (names in Persian or Indic scripts, emoji sequences); other format
# characters (bidi controls, tags, zero width space) are not shown honestly in a header
_KEPT_FORMAT = frozenset("\u200c\u200d")


def header_problem(text: str) -> str | None:
    """Why `text` cannot stand in an e-mail header as it is (German), or None."""
    if _ENCODED_WORD.search(text):
        return ("enthält die Zeichenfolge „=?…?=“. Mail-Programme lesen sie als kodiertes Wort "
                "(RFC 2047) und zeigen dann etwas anderes an oder fügen Empfänger hinzu. Bitte "
                "anders schreiben.")
    return None


def header_text(text: str) -> str:
    """`text` as one harmless header line: line breaks and control characters become spaces,
    other invisible format characters are dropped, "=?" is broken apart so that nothing can be
    read as an encoded word."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if char in LINE_BREAKS or category in ("Cc", "Zl", "Zp") or char == "\t":
            out.append(" ")
        elif category in ("Cf", "Cs", "Co", "Cn") and char not in _KEPT_FORMAT:
            continue
        else:
            out.append(char)
    line = _spaced("".join(out))
    while "=?" in line:
        line = line.replace("=?", "= ?")
    return line


class AddressError(ValueError):
    """An e-mail address that cannot be written into a header (message in German)."""


def ascii_domain(domain: str) -> str:
    """The domain in its ASCII form by IDNA 2008 (with the UTS 46 mapping, non-transitional):
    `straße.example` becomes `xn--strae-oqa.example`, never `strasse.example` as IDNA 2003
    (Python's "idna" codec) would make it, which is another domain."""
    if not domain or len(domain) > 253:
        raise AddressError("Die Domain fehlt oder ist zu lang.")
    lowered = domain.lower()
    if lowered.isascii() and not any(label.startswith("xn--") for label in lowered.split(".")):
        labels = lowered.split(".")
        if all(_LDH_LABEL.fullmatch(label) for label in labels):
            return lowered
        raise AddressError("Die Domain enthält einen leeren Teil, ein unzulässiges Zeichen "
                           "oder einen Bindestrich am Anfang oder Ende eines Teils.")
    import idna  # only for internationalised domains (its tables cost start-up time)

    try:
        encoded = idna.encode(domain, uts46=True, transitional=False, std3_rules=True)
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        raise AddressError(f"Die Domain ist nach IDNA 2008 nicht zulässig ({exc}).") from None
    return encoded.decode("ascii")


def unicode_domain(domain: str) -> str:
    """The domain as people read it (IDNA 2008 U-labels), for messages."""
    if not any(label.startswith("xn--") for label in domain.lower().split(".")):
        return domain
    import idna

    try:
        return str(idna.decode(domain))
    except (idna.IDNAError, UnicodeError, ValueError):
        return domain


def split_address(addr_spec: str) -> tuple[str, str]:
    """(local part, ASCII domain) of an address, or AddressError."""
    local, at, domain = addr_spec.rpartition("@")
    if not at or not local:
        raise AddressError("Die Adresse braucht genau ein @ mit Text davor und danach.")
    if not local.isascii():
        raise AddressError("Vor dem @ sind Umlaute, ß und andere Sonderzeichen nicht erlaubt.")
    if len(local) > 64 or not _LOCAL_PART.fullmatch(local) or "=?" in local:
        raise AddressError("Vor dem @ stehen unzulässige Zeichen (z. B. zwei Punkte "
                           "hintereinander, ein Punkt am Anfang oder direkt vor dem @).")
    return local, ascii_domain(domain)


def mail_address(display_name: str, addr_spec: str) -> Address:
    """A header address from structured parts: the display name as one harmless line, the
    domain in IDNA 2008 form. Raises AddressError."""
    from email.headerregistry import Address

    local, domain = split_address(addr_spec)
    return Address(display_name=header_text(display_name), username=local, domain=domain)


# -- writing the headers ---------------------------------------------------------------------
# The email package folds a long non-ASCII header into several encoded words; Python 3.10 to
# 3.12 put the space at a fold outside the encoded words, where RFC 2047 decoders drop it
# ("Müller Söhne" reads "MüllerSöhne"). From, To and Subject are therefore folded here: every
# space inside an encoded word, each word at most 75 characters, each line at most 76.

WIDTH = 76
_Q_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
_EW_FRAME = len("=?utf-8?q??=")
_QUOTE_SAFE = re.compile(r"[ !#-\[\]-~]*")  # printable ASCII but " and \\


def _q(char: str) -> str:
    if char in _Q_SAFE:
        return char
    if char == " ":
        return "_"
    return "".join(f"={byte:02X}" for byte in char.encode("utf-8"))


def _fold_tokens(name: str, tokens: list[tuple[str, bool]], linesep: str) -> str:
    """`Name: token token …` in lines of at most WIDTH characters. A token is (text, is_text):
    text tokens are written as encoded words, split wherever a line is full; other tokens
    (plain words, <address>) stand as they are."""
    lines = [f"{name}:"]

    def room() -> int:
        return WIDTH - len(lines[-1]) - 1

    for text, encode in tokens:
        if not encode:
            if len(text) > room() and lines[-1] != f"{name}:":
                lines.append("")
            lines[-1] += " " + text
            continue
        word = ""
        for char in text:
            piece = _q(char)
            if _EW_FRAME + len(word) + len(piece) > min(room(), 75):
                if word:
                    lines[-1] += f" =?utf-8?q?{word}?="
                    word = ""
                if _EW_FRAME + len(piece) > min(room(), 75):
                    lines.append("")
            word += piece
        if word:
            lines[-1] += f" =?utf-8?q?{word}?="
    return linesep.join(lines) + linesep


def fold_unstructured(name: str, value: str, linesep: str = "\r\n") -> str:
    """A Subject: ASCII words as they are (folded at spaces), else the whole value as encoded
    words (their spaces encoded too, so nothing depends on folding whitespace)."""
    if value.isascii() and all(len(word) <= WIDTH - len(name) - 2 for word in value.split(" ")):
        return _fold_tokens(name, [(word, False) for word in value.split(" ") if word], linesep)
    return _fold_tokens(name, [(value, True)], linesep)


def fold_addresses(name: str, addresses: tuple[Address, ...], linesep: str = "\r\n") -> str:
    """From or To: each address as display name (quoted string, or encoded words when it is not
    plain ASCII or too long) and <local@domain>, comma-separated."""
    tokens: list[tuple[str, bool]] = []
    for index, address in enumerate(addresses):
        spec = f"<{address.username}@{address.domain}>" + ("," if index < len(addresses) - 1
                                                            else "")
        display = address.display_name
        if not display:
            tokens.append((spec, False))
            continue
        if display.isascii() and _QUOTE_SAFE.fullmatch(display) and len(display) <= 58:
            # atoms as they are ("Tom Schreiber"), a quoted string where specials occur
            atoms = all(_LOCAL_PART.fullmatch(word) and not set(word) & set(".=?")
                        for word in display.split(" "))
            tokens.append((display if atoms else f'"{display}"', False))
        else:
            tokens.append((display, True))
        tokens.append((spec, False))
    return _fold_tokens(name, tokens, linesep)


def header_registry() -> Any:
    """The email package's header classes, with From, To and Subject folded by this module."""
    from email.headerregistry import HeaderRegistry, UniqueAddressHeader, UniqueUnstructuredHeader

    class SubjectHeader(UniqueUnstructuredHeader):
        def fold(self, *, policy: Any) -> str:
            return fold_unstructured(self.name, str(self), policy.linesep)  # type: ignore[attr-defined]

    class AddressHeader(UniqueAddressHeader):
        def fold(self, *, policy: Any) -> str:
            return fold_addresses(self.name, self.addresses,  # type: ignore[attr-defined]
                                  policy.linesep)

    registry = HeaderRegistry()
    # the registry mixes BaseHeader in, as for its own Unique…Header classes
    registry.map_to_type("subject", SubjectHeader)  # type: ignore[arg-type]
    registry.map_to_type("from", AddressHeader)  # type: ignore[arg-type]
    registry.map_to_type("to", AddressHeader)  # type: ignore[arg-type]
    return registry


# -- the check after writing -----------------------------------------------------------------

ADDRESS_HEADERS = ("from", "sender", "reply-to", "to", "cc", "bcc", "resent-from",
                   "resent-sender", "resent-to", "resent-cc", "resent-bcc",
                   "disposition-notification-to", "return-receipt-to")
_HEADER_LINE = re.compile(rb"([!-9;-~]+):")
PART_HEADERS = frozenset({"content-type", "content-transfer-encoding", "content-disposition",
                          "mime-version"})


@dataclass(frozen=True)
class Intended:
    """What a draft must contain, compared after writing."""

    sender: Address
    recipients: tuple[Address, ...]
    subject: str
    headers: frozenset[str]           # lower-case names of the top-level headers, each once
    attachments: tuple[str, ...] = ()  # file names


class DraftMismatch(ValueError):
    """The written draft is not the intended one (the reason is English, for the log)."""


def verify_draft(data: bytes, intended: Intended) -> None:
    """Parse the draft back strictly and compare it with `intended`; DraftMismatch if any
    header, recipient or the Subject differs from what was meant."""
    from email import policy
    from email.parser import BytesParser

    head, separator, _ = data.partition(b"\r\n\r\n")
    if not separator:
        raise DraftMismatch("no blank line after the headers")
    names = _raw_header_names(head)
    if sorted(names) != sorted(intended.headers):
        raise DraftMismatch(f"headers {sorted(names)} instead of {sorted(intended.headers)}")
    try:
        _compare(BytesParser(policy=policy.default).parsebytes(data), intended)
    except DraftMismatch:
        raise
    except (ValueError, TypeError, LookupError, AttributeError) as exc:
        # the parser itself refuses what it reads (e.g. a decoded line break in a display
        # name raises ValueError on some Python versions): not the intended draft either
        raise DraftMismatch(f"the draft does not parse back: {exc!r}") from None


def _compare(message: Any, intended: Intended) -> None:
    if message.defects:
        raise DraftMismatch(f"message defects: {message.defects}")
    for name in ADDRESS_HEADERS:
        values = message.get_all(name) or []
        expected = {"from": (intended.sender,), "to": intended.recipients}.get(name)
        if expected is None:
            if values:
                raise DraftMismatch(f"unexpected {name} header")
            continue
        if len(values) != 1:
            raise DraftMismatch(f"{len(values)} {name} headers")
        header = values[0]
        if getattr(header, "defects", ()):
            raise DraftMismatch(f"{name}: {header.defects}")
        found = tuple(_parts(a) for a in header.addresses)
        if found != tuple(_parts(a) for a in expected):
            raise DraftMismatch(f"{name}: {found} instead of {tuple(map(_parts, expected))}")
    subject = message.get_all("subject") or []
    if len(subject) != 1 or _spaced(str(subject[0])) != intended.subject or subject[0].defects:
        raise DraftMismatch(f"subject {[str(s) for s in subject]!r} instead of "
                            f"{intended.subject!r}")
    attachments = []
    for part in message.walk():
        if part is message:
            continue
        extra = {key.lower() for key in part.keys()} - PART_HEADERS
        if extra:
            raise DraftMismatch(f"unexpected part headers {sorted(extra)}")
        if part.get_content_disposition() == "attachment":
            attachments.append(part.get_filename())
    if tuple(attachments) != intended.attachments:
        raise DraftMismatch(f"attachments {attachments} instead of {intended.attachments}")


def _raw_header_names(head: bytes) -> list[str]:
    """The names of the header lines, read from the bytes: every line is a header line or the
    continuation of one, and no line holds a lone CR or LF."""
    names: list[str] = []
    for line in head.split(b"\r\n"):
        if b"\r" in line or b"\n" in line:
            raise DraftMismatch("a lone CR or LF in the headers")
        if line[:1] in (b" ", b"\t"):
            if not names:
                raise DraftMismatch("continuation line before the first header")
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            raise DraftMismatch(f"not a header line: {line[:40]!r}")
        names.append(match.group(1).decode("ascii").lower())
    return names


def _parts(address: Address) -> tuple[str, str, str]:
    """An address for the comparison. The display name without its whitespace: the email
    package's phrase parser (3.10 to 3.13 alike) keeps the folding whitespace between two
    encoded words, which RFC 2047 (and mail programs) drop, so a long name folded inside a word
    would read back with an extra space. Which addresses there are is compared exactly."""
    return ("".join(address.display_name.split()), address.username, address.domain.lower())


def _spaced(text: str) -> str:
    """Runs of spaces as one, none at the ends; no-break spaces (U+00A0 in "3.\u00a0Februar")
    and other Unicode spaces stay as they are."""
    return " ".join(part for part in text.split(" ") if part)
