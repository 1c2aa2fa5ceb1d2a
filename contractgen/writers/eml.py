"""An .eml draft of the e-mail agreement (stdlib email), deterministic for the same input.

Every address is built from structured parts and every header value passes through
`mailheaders.header_text`; after writing, the draft is parsed back and must have exactly the
intended headers, sender, recipient and Subject (`mailheaders.verify_draft`), else nothing is
written. The draft opens as a draft, not as a received message: `X-Unsent` for Outlook,
`X-Uniform-Type-Identifier` for Apple Mail, `X-Mozilla-Draft-Info` for Thunderbird (which
opens it with "Als neue Nachricht bearbeiten" or from its Drafts folder). The text is
`format=flowed` (RFC 3676), so it reflows on small screens, in quoted-printable lines of at
most 76 characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from ..errors import OutputError
from ..mailheaders import (
    AddressError,
    DraftMismatch,
    Intended,
    header_registry,
    header_text,
    mail_address,
    verify_draft,
)
from ..model import Document, EmailFrame
from .options import WriterOptions

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
PDF_TYPE = ("application", "pdf")
ATTACHMENT_TYPES = {".docx": DOCX_TYPE, ".pdf": PDF_TYPE}
# what makes mail programs open the file as a draft to send, not as a message received
DRAFT_HEADERS = (
    ("X-Unsent", "1"),                                            # Outlook
    ("X-Uniform-Type-Identifier", "com.apple.mail-draft"),        # Apple Mail
    ("X-Mozilla-Draft-Info", "internal/draft; vcard=0; receipt=0; DSN=0; uuencode=0; "
                             "attachmentreminder=0; deliveryformat=1"),  # Thunderbird, plain text
)
# RFC 2045: quoted-printable lines of at most 76 characters; headers folded at the same width
POLICY = SMTP.clone(max_line_length=76, header_factory=header_registry())


def write_eml(document: Document, text: str, *, sent: dt.datetime,
              attachment: tuple[str, bytes] | None = None) -> bytes:
    return write_frame_eml(document.email, text, sent=sent, attachment=attachment)


def write_frame_eml(email: EmailFrame, text: str, *, sent: dt.datetime,
                    attachment: tuple[str, bytes] | None = None) -> bytes:
    """An .eml draft from an e-mail frame and its text (follow-up e-mails use this directly).
    `text` may be the flowed text of writers.text (soft line breaks end in a space)."""
    sender, recipient = _addresses(email)
    subject = header_text(email.subject)
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    digest = hashlib.sha256()
    digest.update(text.encode("utf-8"))
    digest.update(sent.isoformat().encode())
    if attachment is not None:
        digest.update(attachment[1])
    message["Message-ID"] = f"<{digest.hexdigest()[:32]}@{sender.domain}>"
    message["MIME-Version"] = "1.0"
    for name, value in DRAFT_HEADERS:
        message[name] = value
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable",
                        params={"format": "flowed"})
    names: tuple[str, ...] = ()
    if attachment is not None:
        name, data = attachment
        maintype, subtype = _attachment_type(name)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        message.set_boundary(f"contractgen-{digest.hexdigest()[:24]}")
        names = (name,)
    try:
        data = message.as_bytes(policy=POLICY)
    except (ValueError, MessageError):  # e.g. HeaderWriteError (3.13): a header with a newline
        raise _refused("Eine Kopfzeile des Entwurfs ließe sich nicht sicher schreiben.") from None
    intended = Intended(
        sender=sender, recipients=(recipient,), subject=subject,
        headers=frozenset(key.lower() for key in message.keys()), attachments=names)
    try:
        verify_draft(data, intended)
    except DraftMismatch:
        raise _refused("Beim Gegenlesen des fertigen Entwurfs stimmten Absender, Empfänger oder "
                       "Betreff nicht mit den Angaben überein.") from None
    return data


def _addresses(email: EmailFrame) -> tuple[Address, Address]:
    """From and To. Addresses are checked when the answers are read; should one still not fit
    into a header, that is an OutputError with a German message, never a crash."""
    try:
        return (mail_address(email.sender_name, email.sender),
                mail_address(email.to_name, email.to))
    except (AddressError, ValueError, MessageError) as exc:
        raise OutputError(
            "Der E-Mail-Entwurf kann nicht geschrieben werden: Die Absenderadresse "
            f"{email.sender!r} oder die Empfängeradresse {email.to!r} lässt sich nicht in eine "
            f"E-Mail schreiben ({exc}). Bitte die E-Mail-Adressen prüfen.") from None


def _attachment_type(name: str) -> tuple[str, str]:
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    return ATTACHMENT_TYPES.get(suffix, ("application", "octet-stream"))


def _refused(reason: str) -> OutputError:
    return OutputError(f"Der E-Mail-Entwurf wurde nicht geschrieben: {reason} Bitte Namen, "
                       "E-Mail-Adressen und Projekttitel prüfen (Zeilenumbrüche, „=?…?=“).")


def write(document: Document, options: WriterOptions) -> bytes:
    """The registry's entry point (writers/__init__.py): the e-mail agreement as a draft, its
    text format=flowed."""
    from .text import write_email_text

    if options.sent is None:
        raise ValueError("an e-mail draft needs its date (options.sent)")
    return write_eml(document, write_email_text(document, flowed=True), sent=options.sent,
                     attachment=options.attachment)
