"""PDF through LibreOffice (`soffice --headless --convert-to pdf`), when it is installed.

One LibreOffice start costs about a second, so a batch converts all its files in one call.
Each call uses a private LibreOffice profile, so a running LibreOffice does not interfere.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RenderError, ToolMissingError
from . import WriterOptions

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


def convert_many(sources: list[Path]) -> dict[Path, bytes]:
    """PDF bytes for each DOCX path that LibreOffice converted."""
    if not sources:
        return {}
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="contractgen-pdf-") as temporary:
        work = Path(temporary)
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(work / "out"),
                   *(str(s) for s in sources)]
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


def docx_to_pdf(data: bytes, name: str = "vertrag") -> bytes:
    with tempfile.TemporaryDirectory(prefix="contractgen-docx-") as temporary:
        source = Path(temporary) / f"{name}.docx"
        source.write_bytes(data)
        result = convert_many([source]).get(source)
    if result is None:
        raise RenderError("LibreOffice konnte das DOCX nicht in PDF umwandeln.")
    return result


def write(document: Document, options: WriterOptions) -> bytes:
    """The registry's entry point (writers/__init__.py): the DOCX, converted by LibreOffice."""
    from .docx import write as write_docx

    return docx_to_pdf(write_docx(document, options))
