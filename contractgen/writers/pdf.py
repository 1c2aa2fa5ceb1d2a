"""PDF through LibreOffice (`soffice --headless --convert-to pdf`), when it is installed.

One LibreOffice start costs about a second, so a batch converts all its files in one call.
Each call uses a private LibreOffice profile, so a running LibreOffice does not interfere.
The PDF is tagged (structure and the document language from the DOCX, for screen readers and
text extraction); with `pdf_a` it is PDF/A-2b for archiving. Export options go to LibreOffice's
PDF filter as JSON on the command line (LibreOffice 7.4 or later).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RenderError, ToolMissingError
from .options import WriterOptions

if TYPE_CHECKING:
    from ..model import Document

TIMEOUT_SECONDS = 600


def find_soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ToolMissingError(
            "Für PDF wird LibreOffice gebraucht, es ist aber nicht installiert. Installieren, z. B. "
            "mit „apt-get install libreoffice-writer-nogui“, oder DOCX erzeugen (--format docx).")
    return found


def export_filter(*, pdf_a: bool = False) -> str:
    """The --convert-to target: Writer's PDF export with tagging, and PDF/A-2b on request."""
    options: dict[str, dict[str, str]] = {"UseTaggedPDF": {"type": "boolean", "value": "true"}}
    if pdf_a:
        options["SelectPdfVersion"] = {"type": "long", "value": "2"}  # 2 = PDF/A-2b
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def convert_many(sources: list[Path], *, pdf_a: bool = False) -> dict[Path, bytes]:
    """PDF bytes for each DOCX path that LibreOffice converted."""
    if not sources:
        return {}
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="contractgen-pdf-") as temporary:
        work = Path(temporary)
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", export_filter(pdf_a=pdf_a),
                   "--outdir", str(work / "out"), *(str(s) for s in sources)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise RenderError("LibreOffice hat die PDF-Umwandlung nicht rechtzeitig beendet.") from None
        results = {}
        for source in sources:
            pdf = work / "out" / f"{source.stem}.pdf"
            if pdf.is_file():
                results[source] = pdf.read_bytes()
        return results


def docx_to_pdf(data: bytes, name: str = "vertrag", *, pdf_a: bool = False) -> bytes:
    with tempfile.TemporaryDirectory(prefix="contractgen-docx-") as temporary:
        source = Path(temporary) / f"{name}.docx"
        source.write_bytes(data)
        result = convert_many([source], pdf_a=pdf_a).get(source)
    if result is None:
        raise RenderError("LibreOffice konnte das DOCX nicht in PDF umwandeln.")
    return result


def write(document: Document, options: WriterOptions) -> bytes:
    """The registry's entry point (writers/__init__.py): the DOCX, converted by LibreOffice."""
    from .docx import write as write_docx

    return docx_to_pdf(write_docx(document, options), pdf_a=options.pdf_a)
