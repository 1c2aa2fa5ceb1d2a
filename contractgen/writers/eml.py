"""An .eml draft of the e-mail agreement (stdlib email), deterministic for the same input."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from ..model import Document, EmailFrame

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def write_eml(document: Document, text: str, *, sent: dt.datetime,
              attachment: tuple[str, bytes] | None = None) -> bytes:
    return write_frame_eml(document.email, text, sent=sent, attachment=attachment)


def write_frame_eml(email: EmailFrame, text: str, *, sent: dt.datetime,
                    attachment: tuple[str, bytes] | None = None) -> bytes:
    """An .eml draft from an e-mail frame and its text (follow-up e-mails use this directly)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(display_name=email.sender_name, addr_spec=email.sender)
    message["To"] = Address(addr_spec=email.to)
    message["Subject"] = email.subject
    message["Date"] = format_datetime(sent)
    digest = hashlib.sha256()
    digest.update(text.encode("utf-8"))
    digest.update(sent.isoformat().encode())
    if attachment is not None:
        digest.update(attachment[1])
    domain = email.sender.rpartition("@")[2] or "contractgen.invalid"
    message["Message-ID"] = f"<{digest.hexdigest()[:32]}@{domain}>"
    message["X-Unsent"] = "1"
    message["MIME-Version"] = "1.0"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=name)
        message.set_boundary(f"contractgen-{digest.hexdigest()[:24]}")
    return message.as_bytes()
