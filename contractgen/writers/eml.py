"""An .eml draft of the e-mail agreement (stdlib email), deterministic for the same input."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from ..errors import OutputError
from ..model import Document, EmailFrame
from .options import WriterOptions

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def write_eml(document: Document, text: str, *, sent: dt.datetime,
              attachment: tuple[str, bytes] | None = None) -> bytes:
    return write_frame_eml(document.email, text, sent=sent, attachment=attachment)


def write_frame_eml(email: EmailFrame, text: str, *, sent: dt.datetime,
                    attachment: tuple[str, bytes] | None = None) -> bytes:
    """An .eml draft from an e-mail frame and its text (follow-up e-mails use this directly)."""
    message = EmailMessage(policy=SMTP)
    sender = _headers(message, email)
    message["Date"] = format_datetime(sent)
    digest = hashlib.sha256()
    digest.update(text.encode("utf-8"))
    digest.update(sent.isoformat().encode())
    if attachment is not None:
        digest.update(attachment[1])
    domain = sender.domain or "contractgen.invalid"
    message["Message-ID"] = f"<{digest.hexdigest()[:32]}@{domain}>"
    message["X-Unsent"] = "1"
    message["MIME-Version"] = "1.0"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=name)
        message.set_boundary(f"contractgen-{digest.hexdigest()[:24]}")
    return message.as_bytes()


def _headers(message: EmailMessage, email: EmailFrame) -> Address:
    """From, To and Subject. Addresses are checked when the answers are read; should one still
    not fit into a header, that is an OutputError with a German message, never a crash."""
    try:
        sender = address(email.sender_name, email.sender)
        message["From"] = sender
        message["To"] = address(email.to_name, email.to)
        message["Subject"] = email.subject
    except (ValueError, MessageError):  # header defects and IDNA errors are ValueErrors
        raise OutputError(
            "Der E-Mail-Entwurf kann nicht geschrieben werden: Die Absenderadresse "
            f"{email.sender!r} oder die Empfängeradresse {email.to!r} lässt sich nicht in eine "
            "E-Mail schreiben. Bitte die E-Mail-Adressen prüfen.") from None
    return sender


def address(display_name: str, addr_spec: str) -> Address:
    """A header address; a domain with umlauts is written in its ASCII (IDNA) form."""
    local, _, domain = addr_spec.rpartition("@")
    if domain and not domain.isascii():
        addr_spec = f"{local}@{domain.encode('idna').decode('ascii')}"
    return Address(display_name=display_name, addr_spec=addr_spec)


def write(document: Document, options: WriterOptions) -> bytes:
    """The registry's entry point (writers/__init__.py): the e-mail agreement as a draft."""
    from .text import write_email_text

    if options.sent is None:
        raise ValueError("an e-mail draft needs its date (options.sent)")
    return write_eml(document, write_email_text(document), sent=options.sent,
                     attachment=options.attachment)
