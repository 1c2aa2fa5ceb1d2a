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
