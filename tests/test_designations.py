"""Party designations (auftragnehmer.bezeichnung / auftraggeber.bezeichnung), read back from the
files a user gets: every clause, the parties block, the signature lines and the e-mail follow the
choice, with articles and pronouns that agree; the default keeps the wording of the goldens."""

import io
import re

import pytest
from conftest import SAMPLES, TODAY
from docx import Document as open_docx

from contractgen import build_document, load_answers, load_library, render_document
from contractgen.errors import ContractgenError

# the party words as they were written before designations: "der Auftragnehmer", "des Auftraggebers"
MASCULINE = re.compile(r"\b(?:der|des|dem|den|Der|Des|Dem|Den|zum|vom|beim)\s+Auftrag(?:nehmer|geber)s?\b")
BARE = re.compile(r"\bAuftrag(?:nehmer|geber)s?\b(?!in)")


def answers(library, sample, **designations):
    overrides = [f"{party}.bezeichnung={value}" for party, value in designations.items()]
    return load_answers(SAMPLES / sample, library=library, overrides=overrides)


def docx_text(library, sample, **designations):
    document = build_document(library, answers(library, sample, **designations), today=TODAY)
    data = render_document(document, "docx", library=library)
    docx = open_docx(io.BytesIO(data))
    paragraphs = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += [p.text for p in cell.paragraphs]
    return "\n".join(paragraphs)


def email_text(library, sample, **designations):
    document = build_document(library, answers(library, sample, **designations), today=TODAY)
    return render_document(document, "text", library=library).decode("utf-8")


def without_generic(text, sample=None):
    """"für andere Auftraggeber tätig": other people, written as the plain word on purpose; and
    what the sample's answers say in their own words ("die Website des Auftraggebers")."""
    text = re.sub(r"\s+", " ", text).replace("andere Auftraggeber", "")   # e-mail lines wrap
    if sample is not None:
        own = (SAMPLES / sample).read_text(encoding="utf-8")
        for phrase in set(re.findall(r"[\w-]+ (?:des|der|dem|den) Auftrag(?:geber|nehmer)s?\b", own)):
            text = text.replace(phrase, "")
    return text


def test_the_default_is_todays_wording(library):
    text = docx_text(library, "designerin-pauschal.yaml")
    assert "nachfolgend „Auftragnehmer“ genannt" in text
    assert "Der Auftragnehmer erbringt seine Leistungen" in text
    assert "Auftragnehmerin" not in text and "auftragnehmende" not in text


@pytest.mark.parametrize("sample", ["designerin-pauschal.yaml", "coach-stunden-verbraucher.yaml",
                                    "webentwicklung-wartung.yaml", "kleinauftrag-email.yaml"])
def test_feminine_designations_reach_every_clause_block_and_signature(library, sample):
    text = docx_text(library, sample, auftragnehmer="auftragnehmerin",
                     auftraggeber="auftraggeberin")
    assert "nachfolgend „Auftragnehmerin“ genannt" in text
    assert "nachfolgend „Auftraggeberin“ genannt" in text
    rest = without_generic(text, sample)
    found = MASCULINE.findall(rest) + BARE.findall(rest)
    assert not found, found
    # pronouns agree: no "er"/"sein" left after the party in the sentences we know
    assert "Die Auftragnehmerin erbringt ihre Leistungen" in text or "persönlich" in text
    assert not re.search(r"(Auftragnehmerin|Auftraggeberin) \w+ (seine|seinen|seiner)\b", text)


def test_the_freelancers_own_words_agree(library):
    text = docx_text(library, "designerin-pauschal.yaml", auftragnehmer="auftragnehmerin")
    assert "Die Auftragnehmerin erbringt ihre Leistungen als selbständige Unternehmerin." in text
    assert "Für die Versteuerung ihrer Vergütung und ihre soziale Absicherung sorgt sie selbst." \
        in text
    assert "auch für andere Auftraggeber tätig" in text      # other clients: the plain word
    small = docx_text(library, "kleinauftrag-email.yaml", auftragnehmer="auftragnehmerin")
    assert "Kleinunternehmerin im Sinne" in small


def test_neutral_designations_read_as_a_party(library):
    text = docx_text(library, "designerin-pauschal.yaml", auftragnehmer="neutral",
                     auftraggeber="neutral")
    assert "nachfolgend „auftragnehmende Partei“ genannt" in text
    assert "Die auftragnehmende Partei erbringt ihre Leistungen als selbständiger Unternehmer." \
        in text                                               # the legal term for any person
    assert "der auftraggebenden Partei" in text
    assert not MASCULINE.findall(text)
    assert not BARE.findall(without_generic(text))


def test_the_email_agreement_follows_the_designations(library):
    # the e-mail speaks in the first person; its clause headings follow the designation
    text = email_text(library, "kleinauftrag-email.yaml", auftragnehmer="auftragnehmerin",
                      auftraggeber="auftraggeberin")
    assert "– Mitwirkung der Auftraggeberin:" in text
    assert not MASCULINE.findall(without_generic(text, "kleinauftrag-email.yaml"))
    assert "– Mitwirkung des Auftraggebers:" in email_text(library, "kleinauftrag-email.yaml")


def test_an_unknown_designation_is_refused_with_the_choices(library):
    with pytest.raises(ContractgenError) as caught:
        answers(library, "designerin-pauschal.yaml", auftragnehmer="frau")
    message = " ".join(p.message for p in caught.value.problems) or caught.value.message
    assert "auftragnehmerin" in message


def test_the_parties_block_labels_the_phone(library):
    text = docx_text(library, "coach-stunden-verbraucher.yaml")
    assert "Telefon 0221 123456" in text


def test_an_order_names_the_parties_as_its_framework_does():
    from contractgen import api

    document, _ = api.order_document(
        SAMPLES / "rahmenvertrag-ohne-projekt.yaml",
        SAMPLES / "einzelauftraege" / "einzelauftrag-1.yaml", today=TODAY,
        framework_overrides=["auftragnehmer.bezeichnung=auftragnehmerin",
                             "auftraggeber.bezeichnung=neutral"])
    library = load_library()
    docx = open_docx(io.BytesIO(render_document(document, "docx", library=library)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "nachfolgend „Auftragnehmerin“ genannt" in text
    assert "Die Auftragnehmerin erbringt im Auftrag" in text
    assert "vergütet die auftraggebende Partei" in text
    assert not MASCULINE.findall(text)
