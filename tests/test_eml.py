"""The .eml writer: addresses the answers accept always fit into the headers; anything that
still does not is an OutputError (exit 6), never an internal error; the To: header names the
client."""

from __future__ import annotations

import dataclasses
import email
import email.policy

import pytest
from conftest import SAMPLES, SENT, TODAY
from typer.testing import CliRunner

from contractgen import api
from contractgen.cli import app
from contractgen.errors import OutputError
from contractgen.writers.eml import write_frame_eml

runner = CliRunner()
SMALL_JOB = str(SAMPLES / "kleinauftrag-email.yaml")
DESIGNER = str(SAMPLES / "designerin-pauschal.yaml")


@pytest.mark.parametrize("address", ["a..b@b.de", "a.@b.de", "jörg@bücher.de"])
@pytest.mark.parametrize("key", ["auftraggeber.email", "auftragnehmer.email"])
def test_cli_email_with_an_unusable_address_is_an_input_error(tmp_path, key, address):
    result = runner.invoke(app, ["email", SMALL_JOB, "-o", str(tmp_path / "u.eml"),
                                 "--set", f"{key}={address}"])
    assert result.exit_code == 3, result.output
    assert f"{key}: {address!r} ist keine gültige E-Mail-Adresse" in result.stderr
    assert "interner Fehler" not in result.stderr
    assert not (tmp_path / "u.eml").exists()


def _frame(**changes: str):
    document = api.email_agreement(SMALL_JOB, today=TODAY).document
    return dataclasses.replace(document.email, **changes)


@pytest.mark.parametrize("changes", [{"to": "a..b@b.de"}, {"sender": "jörg@bücher.de"},
                                     {"to": "a@b..de"}, {"to": "a@" + "x" * 70 + "ü.de"}])
def test_writer_turns_header_errors_into_an_output_error(changes):
    with pytest.raises(OutputError) as caught:
        write_frame_eml(_frame(**changes), "Text", sent=SENT)
    assert caught.value.exit_code == 6
    assert "E-Mail-Adressen prüfen" in caught.value.message


def test_umlaut_domain_is_written_in_its_ascii_form():
    data = write_frame_eml(_frame(to="tom@bücher.de", to_name="Tom Schreiber"), "Text",
                           sent=SENT)
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["To"] == "Tom Schreiber <tom@xn--bcher-kva.de>"
    assert data == write_frame_eml(_frame(to="tom@bücher.de", to_name="Tom Schreiber"), "Text",
                                   sent=SENT)


@pytest.mark.parametrize("sample, name, address", [
    (SMALL_JOB, "Tom Schreiber", "tom@bohnenglueck.example"),          # vertreten_durch
    (DESIGNER, "Max Mustermann", "max.mustermann@nordlicht.example"),  # vertreten_durch
    (str(SAMPLES / "coach-stunden-verbraucher.yaml"), "Sabine Krüger",  # a consumer: the name
     "sabine.krueger@example.org"),
])
def test_to_header_names_the_client(tmp_path, sample, name, address):
    target = tmp_path / "entwurf.eml"
    api.email_agreement(sample, output=target, today=TODAY, sent=SENT)
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    to = message["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == (name, address)
    first = target.read_bytes()
    api.email_agreement(sample, output=target, today=TODAY, sent=SENT, force=True)
    assert target.read_bytes() == first


def _draft(tmp_path, *overrides: str, attach: bool | str = False) -> bytes:
    target = tmp_path / "entwurf.eml"
    api.email_agreement(SMALL_JOB, output=target, today=TODAY, sent=SENT, attach=attach,
                        overrides=list(overrides), force=True)
    return target.read_bytes()


def test_draft_opens_as_a_draft_in_outlook_apple_mail_and_thunderbird(tmp_path):
    message = email.message_from_bytes(_draft(tmp_path), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["X-Uniform-Type-Identifier"] == "com.apple.mail-draft"
    assert str(message["X-Mozilla-Draft-Info"]).startswith("internal/draft;")
    assert "deliveryformat=1" in str(message["X-Mozilla-Draft-Info"])  # plain text


def test_every_line_is_at_most_76_characters_and_a_long_subject_folds(tmp_path):
    title = ("Überarbeitung der Produkttexte für den Frühjahrskatalog „Gärten & Höfe“, "
             "Teil 2: Stauden, Gräser und Gehölze für schattige Plätze") * 2
    data = _draft(tmp_path, f"projekt.titel={title}", attach=True)
    # the top-level headers and the quoted-printable text (RFC 2045: at most 76); only the
    # attachment's MIME type is one longer word that cannot be folded
    lines = [line for line in data.split(b"\r\n") if not line.startswith(b"Content-Type: application/")]
    assert all(len(line) <= 76 for line in lines), max(lines, key=len)
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert title in str(message["Subject"])
    head = data.partition(b"\r\n\r\n")[0]
    assert head.count(b"\r\n =?utf-8?q?") >= 3  # folded into several encoded words


def test_text_is_format_flowed_and_reads_as_the_plain_text(tmp_path):
    data = _draft(tmp_path)
    message = email.message_from_bytes(data, policy=email.policy.default)
    body = message.get_body()
    assert body.get_content_type() == "text/plain" and body.get_param("format") == "flowed"
    assert body["Content-Transfer-Encoding"] == "quoted-printable"
    flowed = body.get_content().replace("\r\n", "\n")
    plain = api.email_agreement(SMALL_JOB, today=TODAY).text
    soft = [line for line in flowed.split("\n") if line.endswith(" ")]
    assert len(soft) > 5  # wrapped paragraph lines are soft breaks
    # RFC 3676 reading: undo space-stuffing, join soft breaks; the plain text's paragraphs
    unstuffed = [line[1:] if line.startswith(" ") else line for line in flowed.split("\n")]
    assert "\n".join(line.removesuffix(" ") for line in unstuffed) == plain
    joined = "".join(line if line.endswith(" ") else line + "\n" for line in unstuffed)
    # a reader of flowed text sees each wrapped paragraph of the plain text as one line
    paragraph = next(p for p in plain.split("\n\n") if p.count("\n") >= 2)
    assert " ".join(paragraph.split("\n")) + "\n" in joined
    assert all(not line.startswith(("From ", ">")) for line in unstuffed if line in flowed)


def test_attach_format_pdf_attaches_the_pdf(tmp_path):
    from conftest import require_soffice

    require_soffice()
    message = email.message_from_bytes(_draft(tmp_path, attach="pdf"), policy=email.policy.default)
    (part,) = list(message.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename().endswith(".pdf")
    assert part.get_content().startswith(b"%PDF")


def test_cli_attach_format(tmp_path):
    bad = runner.invoke(app, ["email", SMALL_JOB, "-o", str(tmp_path / "a.eml"),
                              "--attach-format", "odt"])
    assert bad.exit_code == 2 and "docx und pdf" in bad.output
    good = runner.invoke(app, ["email", SMALL_JOB, "-o", str(tmp_path / "a.eml"),
                               "--attach-format", "docx"])
    assert good.exit_code == 0, good.output
    message = email.message_from_bytes((tmp_path / "a.eml").read_bytes(),
                                       policy=email.policy.default)
    (part,) = list(message.iter_attachments())
    assert part.get_filename().endswith(".docx")
