"""The CLI as a user runs it: CliRunner for the happy paths, real subprocesses for errors."""

import email
import email.policy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from contractgen.cli import app

runner = CliRunner()
DESIGNER = str(SAMPLES / "designerin-pauschal.yaml")
SMALL_JOB = str(SAMPLES / "kleinauftrag-email.yaml")


def run(*args, cwd=None):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CONTRACTGEN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "contractgen", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_generate_docx_then_refuse_to_overwrite(tmp_path):
    target = tmp_path / "vertrag.docx"
    result = runner.invoke(app, ["generate", DESIGNER, "-o", str(target)])
    assert result.exit_code == 0, result.output
    first = target.read_bytes()
    assert first.startswith(b"PK")
    result = runner.invoke(app, ["generate", DESIGNER, "-o", str(target),
                                 "--set", "honorar.betrag=1"])
    assert result.exit_code == 6
    assert "--force" in result.output
    assert target.read_bytes() == first
    result = runner.invoke(app, ["generate", DESIGNER, "-o", str(target), "--force",
                                 "--set", "honorar.betrag=1"])
    assert result.exit_code == 0
    assert target.read_bytes() != first
    assert [p.name for p in tmp_path.iterdir()] == ["vertrag.docx"]  # no temporary files left


def test_generate_markdown_to_stdout():
    result = runner.invoke(app, ["generate", DESIGNER, "--format", "md"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Rahmenvertrag")
    assert "## §\xa01 " in result.stdout


def test_default_output_name(tmp_path):
    result = run("generate", DESIGNER, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "designerin-pauschal.docx").exists()


def test_email_text_is_plain_and_short_lined():
    result = runner.invoke(app, ["email", SMALL_JOB])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Hallo Tom,")
    assert all(len(line) < 80 for line in text.splitlines())
    assert "**" not in text and "## " not in text
    assert "850,00\xa0€" in text
    assert "§\xa0126b BGB" in text
    assert "Lena Vogt" in text.splitlines()[-5:] or "Lena Vogt" in text


def test_eml_draft_with_attachment(tmp_path):
    target = tmp_path / "auftrag.eml"
    result = runner.invoke(app, ["email", SMALL_JOB, "-o", str(target), "--attach"])
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "Tom Schreiber <tom@bohnenglueck.example>"
    assert "Lena Vogt" in message["From"]
    assert "Texte für den neuen Online-Shop" in message["Subject"]
    assert message["Date"] and message["Message-ID"]
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Hallo Tom,")
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    assert attachments[0].get_filename().endswith(".docx")
    assert attachments[0].get_content().startswith(b"PK")


def test_eml_is_reproducible(tmp_path):
    env_epoch = {"SOURCE_DATE_EPOCH": "1800000000"}
    outputs = []
    for name in ("a.eml", "b.eml"):
        result = subprocess.run(
            [sys.executable, "-m", "contractgen", "email", SMALL_JOB, "-o", str(tmp_path / name),
             "--attach"], capture_output=True, text=True, env={**os.environ, **env_epoch})
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("args, code, needle", [
    (["generate", "gibt-es-nicht.yaml"], 3, "gibt es nicht"),
    (["generate", DESIGNER, "--library", "/nirgends"], 4, "/nirgends"),
    (["generate", DESIGNER, "-o", "/nirgends/vertrag.docx"], 6, "/nirgends"),
    (["generate", DESIGNER, "--set", "honorar.betrag=-1"], 3, "honorar.betrag"),
    (["generate", DESIGNER, "--format", "pdfx"], 2, "--format"),
])
def test_errors_are_clear_without_traceback(tmp_path, args, code, needle):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_invalid_answers_file_lists_every_problem(tmp_path):
    text = Path(DESIGNER).read_text(encoding="utf-8")
    bad = tmp_path / "kaputt.yaml"
    bad.write_text(text.replace("betrag: 4800", "betrag: viel").replace(
        "art: unternehmer", "art: firma").replace("ziel_tage: 14", "ziel_tage: 14\n  skonto: 2"),
        encoding="utf-8")
    result = run("generate", str(bad), "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 3
    assert "3 Fehler" in result.stderr
    for needle in ("honorar.betrag", "auftraggeber.art", "zahlung.skonto", f"{bad}:"):
        assert needle in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_dash_o_dash_writes_every_format_to_stdout(tmp_path):
    docx = runner.invoke(app, ["generate", DESIGNER, "-o", "-"])
    assert docx.exit_code == 0, docx.output
    assert docx.stdout_bytes.startswith(b"PK") and b"word/document.xml" in docx.stdout_bytes
    assert not Path("-").exists()
    md = runner.invoke(app, ["generate", DESIGNER, "-o", "-", "--format", "md"])
    assert md.stdout.startswith("# Rahmenvertrag")
    mail = runner.invoke(app, ["email", SMALL_JOB, "-o", "-"])
    assert mail.stdout == runner.invoke(app, ["email", SMALL_JOB]).stdout
    order = runner.invoke(app, ["auftrag", str(SAMPLES / "rahmenvertrag-ohne-projekt.yaml"),
                                str(SAMPLES / "einzelauftraege" / "einzelauftrag-1.yaml"), "-o", "-"])
    assert order.exit_code == 0 and order.stdout_bytes.startswith(b"PK")


def test_no_docx_into_a_terminal(tmp_path):
    import pty

    _, terminal = pty.openpty()
    result = subprocess.run([sys.executable, "-m", "contractgen", "generate", DESIGNER, "-o", "-"],
                            stdout=terminal, stderr=subprocess.PIPE, text=True, timeout=120,
                            cwd=tmp_path)
    os.close(terminal)
    assert result.returncode == 2
    assert "DOCX und PDF lassen sich nicht im Terminal anzeigen" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_order_as_eml_with_the_attachment_format(tmp_path):
    framework = str(SAMPLES / "rahmenvertrag-ohne-projekt.yaml")
    order = str(SAMPLES / "einzelauftraege" / "einzelauftrag-1.yaml")
    target = tmp_path / "auftrag.eml"
    result = runner.invoke(app, ["auftrag", framework, order, "-o", str(target),
                                 "--attach-format", "docx"])
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert [p.get_content_type() for p in message.iter_attachments()] == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    wrong = runner.invoke(app, ["auftrag", framework, order, "-o", str(tmp_path / "a.docx"),
                                "--attach-format", "pdf"])
    assert wrong.exit_code == 2 and "nur für einen E-Mail-Entwurf" in wrong.output
    assert runner.invoke(app, ["auftrag", framework, order, "-o", str(tmp_path / "b.eml"),
                               "--attach-format", "odt"]).exit_code == 2
    not_pdf = runner.invoke(app, ["auftrag", framework, order, "-o", str(tmp_path / "c.docx"),
                                  "--pdf-a"])
    assert not_pdf.exit_code == 2 and "--pdf-a gilt nur für PDF" in not_pdf.output


def test_an_order_as_eml_with_a_pdf_and_as_pdf_a(tmp_path):
    from conftest import require_soffice

    require_soffice()
    framework = str(SAMPLES / "rahmenvertrag-ohne-projekt.yaml")
    order = str(SAMPLES / "einzelauftraege" / "einzelauftrag-1.yaml")
    target = tmp_path / "auftrag.eml"
    result = runner.invoke(app, ["auftrag", framework, order, "-o", str(target),
                                 "--attach-format", "pdf"])
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    pdf = tmp_path / "auftrag.pdf"
    assert runner.invoke(app, ["auftrag", framework, order, "-o", str(pdf), "--pdf-a"]).exit_code == 0
    assert b"<pdfaid:part>2</pdfaid:part>" in pdf.read_bytes()


def test_help_and_version():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("generate", "email"):
        assert command in result.stdout
    assert runner.invoke(app, ["--version"]).stdout.startswith("contractgen ")


def _commands():
    import typer.main

    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        yield [name], command
        for sub in getattr(command, "commands", {}):
            yield [name, sub], command.commands[sub]


@pytest.mark.parametrize("words, command", list(_commands()), ids=lambda v: " ".join(v)
                         if isinstance(v, list) else "")
def test_every_help_is_german_with_h_and_names_each_argument(words, command):
    result = runner.invoke(app, [*words, "-h"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text == runner.invoke(app, [*words, "--help"]).stdout
    for english in ("Arguments:", "[required]", "Show this message", "Options:", "Commands:"):
        assert english not in text
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    if arguments:
        assert text.count("Argumente:") == 1
    for argument in arguments:
        assert argument.help, f"{' '.join(words)}: {argument.name} has no help"
        assert " ".join(argument.help.split()[:2]) in " ".join(text.split())


def test_shell_completion_as_the_readme_documents_it():
    command = [str(Path(sys.executable).parent / "contractgen")]    # the installed command
    env = {**os.environ, "_CONTRACTGEN_COMPLETE": "source_bash"}
    script = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert script.returncode == 0 and "complete_bash" in script.stdout
    assert 'eval "$(_CONTRACTGEN_COMPLETE=source_bash contractgen)"' in (
        Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    env = {**os.environ, "_CONTRACTGEN_COMPLETE": script.stdout.split("_CONTRACTGEN_COMPLETE=")[1]
           .split()[0], "COMP_WORDS": "contractgen library ", "COMP_CWORD": "2"}
    words = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert set(words.stdout.split()) >= {"check", "list", "catalog"}


def test_click_messages_are_german():
    help_text = runner.invoke(app, ["--help"]).stdout
    assert "Diese Hilfe anzeigen und beenden." in help_text and "Show this message" not in help_text
    assert "Aufruf:" in help_text
    result = run("generatee")
    assert result.returncode == 2
    assert "Fehler: Den Befehl 'generatee' gibt es nicht." in result.stderr
    assert "Meinten Sie 'generate'?" in result.stderr and "Did you mean" not in result.stderr
    missing = run("generate")
    assert "Es fehlt das Argument 'ANSWERS'." in missing.stderr
