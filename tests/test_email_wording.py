"""What the client reads first: the greeting of the e-mail agreement and the follow-up mails, and
the sentence naming both parties, for every way the answers can name the person addressed."""

import re

import pytest
from conftest import SAMPLES, TODAY

from contractgen import build_document, load_answers, load_library, render_document
from contractgen.templating import family_name

IT = "it-beratung-stunden.yaml"       # Sie, Alpenland Logistik AG, vertreten durch Markus Berger


def email(sample, *overrides):
    library = load_library()
    answers = load_answers(SAMPLES / sample, library=library, overrides=list(overrides))
    document = build_document(library, answers, today=TODAY)
    return render_document(document, "text", library=library).decode("utf-8")


@pytest.mark.parametrize("overrides, greeting", [
    ((), "Guten Tag Markus Berger,"),                       # no Herr/Frau: never guessed
    (("auftraggeber.ansprechpartner_anrede=herr",), "Sehr geehrter Herr Berger,"),
    (("auftraggeber.ansprechpartner_anrede=frau", "auftraggeber.vertreten_durch=Dr. Anna von Berg"),
     "Sehr geehrte Frau Dr. von Berg,"),
    (("auftraggeber.anrede_name=Frau Kessler",), "Sehr geehrte Frau Kessler,"),
    (("auftraggeber.anrede_name=Team Logistik",), "Guten Tag Team Logistik,"),
    (("auftraggeber.vertreten_durch=",), "Guten Tag an das Team der Alpenland Logistik AG,"),
    (("anrede=du",), "Hallo Markus,"),
])
def test_the_greeting_uses_what_the_answers_say(overrides, greeting):
    assert email(IT, *overrides).splitlines()[0] == greeting


def test_the_agreement_names_both_parties_with_their_designations():
    text = re.sub(r"\s+", " ", email("kleinauftrag-email.yaml", "auftragnehmer.bezeichnung=auftragnehmerin"))
    assert ("Vertragspartner sind Kaffeerösterei Bohnenglück UG (haftungsbeschränkt), vertreten "
            "durch Tom Schreiber, als Auftraggeber und ich, Lena Vogt, als Auftragnehmerin.") in text


def test_a_framework_email_does_not_claim_an_attachment():
    text = re.sub(r"\s+", " ", email(IT))           # the .eml attaches it only with --attach
    assert "erhalten Sie von mir unseren Rahmenvertrag zur Unterschrift" in text
    assert "Anhang" not in text and "beiliegt" not in text


@pytest.mark.parametrize("name, family", [
    ("Jonas Kessler", "Kessler"), ("Anna Maria Schmidt", "Schmidt"), ("Anna von Berg", "von Berg"),
    ("Prof. Dr. Eva de la Cruz", "Prof. Dr. de la Cruz"), ("Kessler", "Kessler"),
])
def test_family_name(name, family):
    assert family_name(name) == family
