"""The writer registry decides every command's formats: choices, suffixes, refusals, help texts."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from contractgen.cli import app
from contractgen.errors import UsageError
from contractgen.pipeline import output_format
from contractgen.writers import DOCUMENT, MAIL, WRITERS, for_suffix

DESIGNER = str(SAMPLES / "designerin-pauschal.yaml")
FRAMEWORK = str(SAMPLES / "rahmenvertrag-ohne-projekt.yaml")
ORDER = str(SAMPLES / "einzelauftraege" / "einzelauftrag-1.yaml")
runner = CliRunner()


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "contractgen", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_auftrag_and_generate_refuse_an_unwritable_suffix_alike(tmp_path):
    generate = cli("generate", DESIGNER, "-o", "vertrag.odt", cwd=tmp_path)
    order = cli("auftrag", FRAMEWORK, ORDER, "-o", "auftrag.odt", cwd=tmp_path)
    assert generate.returncode == order.returncode == 2
    assert "Die Endung .odt von vertrag.odt passt zu keinem Format" in generate.stderr
    assert "Die Endung .odt von auftrag.odt passt zu keinem Format" in order.stderr
    assert list(tmp_path.iterdir()) == []   # nothing written under the wrong name


@pytest.mark.parametrize("command", [
    ["generate", DESIGNER], ["auftrag", FRAMEWORK, ORDER], ["batch", "liste.csv", "-o", "."]])
def test_every_command_refuses_an_unknown_format_alike(command):
    result = runner.invoke(app, [*command, "--format", "odt"])
    assert result.exit_code == 2
    assert "erlaubt sind docx, pdf" in result.output


def test_the_order_refuses_a_format_that_contradicts_the_suffix(tmp_path):
    with pytest.raises(UsageError, match="passt nicht zur Ausgabedatei"):
        output_format(tmp_path / "a.docx", "md", families=(DOCUMENT, MAIL))


def test_suffixes_choose_the_writer_and_are_unique():
    seen: set[str] = set()
    for spec in WRITERS:
        for suffix in spec.suffixes:
            assert suffix not in seen, suffix
            seen.add(suffix)
            assert for_suffix(suffix.upper(), (spec.family,)) is spec


def test_help_texts_name_every_registered_format():
    for command, families in (("generate", (DOCUMENT,)), ("auftrag", (DOCUMENT, MAIL))):
        text = runner.invoke(app, [command, "--help"]).output
        for spec in WRITERS:
            if spec.family in families:
                assert spec.name in text, (command, spec.name)


def test_the_catalogue_refuses_an_unwritable_suffix_alike(tmp_path):
    result = runner.invoke(app, ["library", "catalog", "-o", str(tmp_path / "katalog.odt")])
    assert result.exit_code == 2
    assert "Die Endung .odt" in result.output and "passt zu keinem Format" in result.output
    assert list(tmp_path.iterdir()) == []
    written = runner.invoke(app, ["library", "catalog", "-o", str(tmp_path / "katalog.md")])
    assert written.exit_code == 0, written.output
    assert (tmp_path / "katalog.md").read_text(encoding="utf-8").startswith("# Klauselkatalog")
