"""What every writer receives besides the document (pandoc's WriterOptions), and the one signature
every writer has. A module of its own: writer modules import it, the registry only names them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Document


@dataclass(frozen=True)
class WriterOptions:
    """What a writer may need besides the document; each entry of the registry names the fields
    its writer reads."""

    reference_docx: Path | None = None                # styles of DOCX (and PDF through DOCX)
    sent: dt.datetime | None = None                   # the Date of an e-mail draft
    attachment: tuple[str, bytes] | None = None       # a file attached to an e-mail draft
    pdf_a: bool = False                               # PDF: PDF/A-2b instead of a tagged PDF


Writer = Callable[["Document", WriterOptions], bytes]
