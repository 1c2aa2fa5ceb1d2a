"""Issue 13 (legal review 2026-12): one test per finding, at the level a freelancer works at.

The notice test pins the rendered Muster-Widerrufsbelehrung and Muster-Widerrufsformular to the
official text of EGBGB Anlage 1 and 2 (contractgen/statutes/egbgb-anlage-1-2.md) for every
consumer variant the tool produces and in every writer: Markdown, the e-mail text and the DOCX
read back.
"""

from __future__ import annotations

import email
import io
import re
from email.policy import default as default_policy
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES, SENT, TODAY
from typer.testing import CliRunner

from contractgen import api
from contractgen.cli import app
from contractgen.errors import AnswersError
from contractgen.statutes import (
    STATUTE_FILE,
    expected_form,
    expected_notice,
    form_problems,
    notice_contact,
    notice_problems,
)

runner = CliRunner()
COACH = SAMPLES / "coach-stunden-verbraucher.yaml"
DESIGN = SAMPLES / "designerin-pauschal.yaml"
SMALL = SAMPLES / "kleinauftrag-email.yaml"
FRAMEWORK = SAMPLES / "rahmenvertrag-ohne-projekt.yaml"
ORDER = SAMPLES / "einzelauftraege" / "einzelauftrag-1.yaml"
PHONE = "auftragnehmer.telefon=040 123456"
CONSUMER = ["auftraggeber.art=verbraucher", "auftraggeber.kaufmann=", PHONE]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


# -- the official text in the repository ----------------------------------------------------------
def test_the_official_text_is_in_the_package_with_source_and_date():
    text = STATUTE_FILE.read_text(encoding="utf-8")
    assert "gesetze-im-internet.de" in text and "Ausgabe April 2026" in text and "§ 5 UrhG" in text
    notice = " ".join(expected_notice(digital=False))
    assert "ein mit der Post versandter Brief oder eine E-Mail" in notice          # M1
    assert "während der Widerrufsfrist beginnen soll, so" in notice               # M2
    assert "Wasser" not in notice and "[" not in notice                            # struck, filled
    assert "Haben Sie verlangt" not in " ".join(expected_notice(digital=True))     # no [6]
    assert expected_form()[0] == "Muster-Widerrufsformular"


def test_the_comparison_finds_each_deviation_the_review_found():
    official = list(expected_notice(digital=False))
    filled = [p.replace("\x00SLOT\x00", "Erika Muster, Weg 1, 20459 Hamburg, Telefon: 040 1, "
                        "E-Mail: e@example.org") for p in official]
    contact = ["Erika Muster", "Weg 1", "20459 Hamburg", "040 1", "e@example.org"]
    assert notice_problems(filled, digital=False, contact=contact) == []
    m1 = [p.replace("Brief oder eine E-Mail", "Brief oder E-Mail") for p in filled]
    assert "amtlich „eine“" in notice_problems(m1, digital=False, contact=contact)[0]
    m2 = [p.replace("beginnen soll,", "beginnen sollen,") for p in filled]
    assert "amtlich „soll“, erzeugt „sollen“" in notice_problems(m2, digital=False,
                                                                   contact=contact)[0]
    c2 = [p.replace("Telefon: 040 1, ", "") for p in filled]
    assert "fehlt „040 1“" in notice_problems(c2, digital=False, contact=contact)[0]
    # digital content: the Wertersatz paragraph [6] of services is a deviation
    assert notice_problems(filled, digital=True, contact=contact)


# -- every consumer variant, in every writer ------------------------------------------------------
def _framework(overrides):
    library = api.load_library()
    answers = api.load_answers(COACH, library=library, overrides=overrides)
    return library, api.build_document(library, answers, today=TODAY), answers.values


def _small(overrides):
    library = api.load_library()
    answers = api.load_answers(SMALL, library=library, overrides=[*CONSUMER, *overrides])
    return library, api.build_document(library, answers, today=TODAY), answers.values


def _order(framework_overrides, overrides=()):
    library = api.load_library()
    document, _ = api.order_document(FRAMEWORK, ORDER, today=TODAY, overrides=overrides,
                                     framework_overrides=[*CONSUMER, *framework_overrides])
    framework = api.load_answers(FRAMEWORK, library=library,
                                 overrides=[*CONSUMER, *framework_overrides])
    return library, document, framework.values


DESIGN_DIGITAL = ["digitales_produkt=true", *CONSUMER]
VARIANTS = {
    # name: (builder, overrides, digital)
    "rahmenvertrag-fernabsatz": (_framework, [], False),
    "rahmenvertrag-ausserhalb": (_framework, ["vertragsschluss=ausserhalb"], False),
    "rahmenvertrag-ausserhalb-zustimmung": (
        _framework, ["vertragsschluss=ausserhalb", "datentraeger_zustimmung=true"], False),
    "email-vereinbarung": (_small, [], False),
    "email-vereinbarung-ausserhalb": (_small, ["vertragsschluss=ausserhalb"], False),
    "email-vereinbarung-digital": (_small, ["digitales_produkt=true"], True),
    "einzelauftrag": (_order, [], False),
    # C1: the framework signed in the freelancer's premises, the order agreed by e-mail
    "einzelauftrag-rahmen-geschaeftsraeume": (_order, ["vertragsschluss=geschaeftsraeume"], False),
    "einzelauftrag-digital": (_order, ["digitales_produkt=true"], True),
}


def _markdown_annex(text: str, title: str) -> list[str]:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"## Anlage\s\d+: {title}", line))
    out = [lines[start][3:]]
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        if line.strip():
            out.append(line.replace("**", "").replace("\\*", "*").replace("\\_", "_"))
    return out


def _text_annex(text: str, title: str) -> list[str]:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines)
                 if re.fullmatch(rf"ANLAGE\s\d+: {title.upper()}", line))
    out = [lines[start]]
    current: list[str] = []
    for index in range(start + 2, len(lines)):
        line = lines[index]
        if index + 1 < len(lines) and re.fullmatch(r"=+", lines[index + 1]) and line:
            break                                           # the next annex heading
        if not line.strip() or line.startswith("– "):
            if current:
                out.append(" ".join(current))
            current = [line] if line.strip() else []
        else:
            current.append(line.strip())
    if current:
        out.append(" ".join(current))
    return out


def _docx_annex(data: bytes, title: str) -> list[str]:
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    start = next(i for i, p in enumerate(paragraphs)
                 if re.fullmatch(rf"Anlage\s\d+: {title}", p.text))
    out = [paragraphs[start].text]
    for paragraph in paragraphs[start + 1:]:
        if paragraph.style.name.startswith("Heading"):
            break
        if paragraph.text.strip():
            out.append(paragraph.text)
    return out


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_notice_and_form_equal_the_official_text_in_every_writer(name):
    builder, overrides, digital = VARIANTS[name]
    library, document, values = builder(overrides)
    contact = notice_contact(values["auftragnehmer"])
    form_contact = notice_contact(values["auftragnehmer"], phone=False)
    assert "0221 123456" in contact or "040 123456" in contact       # C2: the phone is in it
    outputs = {
        "md": (_markdown_annex, api.render_document(document, "md", library=library).decode()),
        "text": (_text_annex, api.render_document(document, "text", library=library).decode()),
        "docx": (_docx_annex, api.render_document(document, "docx", library=library)),
    }
    for writer, (extract, data) in outputs.items():
        notice = extract(data, "Widerrufsbelehrung")
        assert notice_problems(notice, digital=digital, contact=contact) == [], (name, writer)
        form = extract(data, "Muster-Widerrufsformular")
        assert form_problems(form, contact=form_contact) == [], (name, writer)


def test_no_notice_where_there_is_no_withdrawal_right():
    _, document, _ = _framework(["vertragsschluss=geschaeftsraeume"])
    assert "widerrufsbelehrung" not in {s.clause_id for s in document.sections}
    _, order, _ = _order(["vertragsschluss=geschaeftsraeume"], ["vertragsschluss=geschaeftsraeume"])
    ids = {s.clause_id for s in order.sections}
    assert not ids & {"ea-widerruf", "widerrufsbelehrung", "muster-widerrufsformular"}


# -- C1: every consumer order decides its own withdrawal right --------------------------------
def test_c1_order_by_email_under_a_framework_signed_on_premises_has_its_own_withdrawal_right():
    _, framework, _ = _framework(["vertragsschluss=geschaeftsraeume"])
    assert "widerrufsbelehrung" not in {s.clause_id for s in framework.sections}
    library, order, _ = _order(["vertragsschluss=geschaeftsraeume"])
    ids = [s.clause_id for s in order.sections]
    assert {"ea-widerruf", "widerrufsbelehrung", "muster-widerrufsformular"} <= set(ids)
    mail = flat(api.render_document(order, "text", library=library).decode())
    assert "Ich verlange, dass du vor Ablauf der Widerrufsfrist mit der Ausführung beginnst" in mail
    assert "auch für diesen Einzelauftrag ein gesetzliches Widerrufsrecht" in mail


@pytest.mark.parametrize("concluded", ["fernabsatz", "ausserhalb", "geschaeftsraeume"])
def test_c1_the_order_email_reads_cleanly_in_every_way_of_conclusion(concluded):
    library, order, _ = _order(["vertragsschluss=geschaeftsraeume"],
                               [f"vertragsschluss={concluded}"])
    text = api.render_document(order, "text", library=library).decode()
    assert not [line for line in text.split("\n") if re.search(r"\S  +\S", line)]


def test_c1_the_framework_says_that_orders_by_email_carry_their_own_withdrawal_right():
    _, framework, _ = _framework(["vertragsschluss=geschaeftsraeume", "projekt="])
    text = flat(" ".join(p.content[0].text if p.content else "" for s in framework.sections
                         if s.clause_id == "einzelauftraege-aenderungen" for p in s.paragraphs))
    assert "der Auftraggeber hat dann für diesen Einzelauftrag ein eigenes Widerrufsrecht" in text


# -- C2: the telephone number --------------------------------------------------------------------
def test_c2_consumer_answers_without_phone_are_refused_by_generate_email_and_check(tmp_path):
    for command in (["generate", str(COACH), "-o", str(tmp_path / "a.docx")],
                    ["email", str(COACH)], ["check", str(COACH)]):
        result = runner.invoke(app, [*command, "--set", "auftragnehmer.telefon="])
        assert result.exit_code == 3, (command, result.output)
        assert "auftragnehmer.telefon: fehlt (Telefonnummer)" in result.stderr
        assert "Widerrufsbelehrung" in result.stderr
    business = runner.invoke(app, ["check", str(DESIGN)])             # B2B: still optional
    assert business.exit_code == 0, business.output


def test_c2_consumer_order_without_phone_is_refused(write_answers):
    framework = write_answers(FRAMEWORK.read_text(encoding="utf-8"), "rv.yaml")
    with pytest.raises(AnswersError) as caught:
        api.order_document(framework, ORDER, today=TODAY,
                           framework_overrides=["auftraggeber.art=verbraucher",
                                                "auftraggeber.kaufmann="])
    assert "auftragnehmer.telefon" in {p.key for p in caught.value.problems}


def test_c2_phone_is_asked_as_required_in_the_interview_for_consumers(library):
    from contractgen.library import evaluate_condition
    from contractgen.questionnaire.prompting import Interview, ScriptedIO

    question = next(q for q in library.questionnaire.walk() if q.path == "auftragnehmer.telefon")
    session = Interview(library.questionnaire, evaluate_condition, ScriptedIO())
    session.values = {"auftraggeber": {"art": "verbraucher"}}
    assert session.is_required(question)
    session.values = {"auftraggeber": {"art": "unternehmer"}}
    assert not session.is_required(question)


# -- M3, M4, M7, M8: the contract's own words around the notice ----------------------------------
def test_m3_the_end_of_the_withdrawal_right_is_stated_only_under_the_early_start_condition():
    library, document, _ = _framework([])
    markdown = flat(api.render_document(document, "md", library=library).decode())
    assert "Das Widerrufsrecht erlischt, sobald" not in markdown
    assert ("Hat der Auftraggeber den vorzeitigen Beginn verlangt und seine Kenntnis davon "
            "bestätigt, erlischt sein Widerrufsrecht") in markdown
    _, order, _ = _order([])
    text = flat(api.render_document(order, "md", library=library).decode())
    assert "Das Widerrufsrecht erlischt, sobald" not in text


def test_m4_the_notice_comes_before_the_consumers_declaration_only_the_confirmation_after():
    library, document, _ = _framework([])
    text = flat(api.render_document(document, "md", library=library).decode())
    assert "erhält der Auftraggeber vor Abgabe seiner Vertragserklärung" in text
    assert "spätestens bevor er mit der Ausführung der Leistungen beginnt" not in text
    assert "Nach Vertragsschluss erhält er innerhalb einer angemessenen Frist" in text


@pytest.mark.parametrize("consent", [False, True])
def test_m7_off_premises_paper_unless_the_consumer_consented(consent):
    overrides = ["vertragsschluss=ausserhalb", f"datentraeger_zustimmung={str(consent).lower()}"]
    library, document, _ = _small(overrides)
    mail = flat(api.render_document(document, "text", library=library).decode())
    contract = flat(api.render_document(document, "md", library=library).decode())
    if consent:
        assert "mit deiner Zustimmung per E-Mail statt auf Papier" in mail
        assert "mit seiner vorherigen Zustimmung auf einem dauerhaften Datenträger" in contract
    else:
        assert "außerdem auf Papier; bitte antworte mir erst, wenn dir die Papierfassung " \
               "vorliegt" in mail
        assert "vor Abgabe seiner Vertragserklärung auf Papier" in contract
    assert "als Bestätigung auf einem dauerhaften Datenträger" not in mail


def test_m8_consumer_orders_and_changes_are_always_offered_by_the_freelancer():
    library, document, _ = _framework([])
    text = flat(api.render_document(document, "md", library=library).decode())
    assert "Das Angebot für einen Einzelauftrag macht der Auftragnehmer in Textform" in text
    assert "eine Partei der anderen ein Angebot" not in text
    assert "bietet der Auftragnehmer dem Auftraggeber in Textform als neuen Einzelauftrag an" \
           in text


# -- M5: digital products for consumers ---------------------------------------------------------
def test_m5_digital_product_replaces_acceptance_and_defects_and_uses_356_5():
    library = api.load_library()
    answers = api.load_answers(DESIGN, library=library, overrides=DESIGN_DIGITAL)
    document = api.build_document(library, answers, today=TODAY)
    ids = {s.clause_id for s in document.sections}
    assert "digitale-produkte" in ids and not ids & {"abnahme", "maengel"}
    text = flat(api.render_document(document, "md", library=library).decode())
    assert "Die Bereitstellung tritt an die Stelle der Abnahme" in text
    assert "§ 356 Abs. 5 Nr. 2 BGB" in text and "keinen Wertersatz (§ 357a Abs. 3 BGB)" in text
    assert "Ich stimme ausdrücklich zu" in text and "Ich verlange ausdrücklich" not in text
    assert "Aktualisierungen" in text and "§ 327f BGB" in text
    assert "nach der Bereitstellung des digitalen Produkts" in text          # payment
    assert "Haben Sie verlangt, dass die Dienstleistungen" not in text      # no [6]


def test_m5_business_clients_are_never_asked_about_digital_products(library):
    question = library.questionnaire.question("digitales_produkt")
    assert question.when == 'auftraggeber.art == "verbraucher"'
    answers = api.load_answers(DESIGN, library=library)
    ids = {s.clause_id for s in api.build_document(library, answers, today=TODAY).sections}
    assert {"abnahme", "maengel"} <= ids


# -- M6, M11, M12: e-mail agreements --------------------------------------------------------------
def test_m6_framework_email_concludes_nothing_by_reply():
    library, document, _ = _framework([])
    mail = flat(api.render_document(document, "text", library=library).decode())
    assert "verbindlich ist allein der Rahmenvertrag" in mail
    assert "per Antwort auf diese E-Mail" not in mail
    assert "bis zum 24. Januar 2027 ein unterschriebenes Exemplar zurück" in mail


def test_m11_m12_email_agreement_one_way_deadline_and_replies_with_changes(tmp_path):
    library = api.load_library()
    answers = api.load_answers(SMALL, library=library,
                               overrides=["angebot_gueltig_bis=2027-02-20"])
    document = api.build_document(library, answers, today=TODAY)
    mail = flat(api.render_document(document, "text", library=library).decode())
    contract = flat(api.render_document(document, "md", library=library).decode())
    assert "gehört auch sie dazu" not in mail                                      # M11
    assert "Weicht die Zusammenfassung von der ausführlichen Fassung ab, gilt die " \
           "ausführliche Fassung" in mail
    for text in (mail, contract):                                                 # M12
        assert "bis zum 20. Februar 2027" in text
        assert "Antwort mit Änderungen oder Ergänzungen ist ein neues Angebot" in text
    # without a date: 14 days after the e-mail
    default = api.build_document(library, api.load_answers(SMALL, library=library), today=TODAY)
    assert "bis zum 24. Januar 2027" in flat(api.render_document(default, "text",
                                                                  library=library).decode())


def test_m11_the_eml_always_carries_the_attachment_and_text_output_warns(tmp_path):
    result = api.email_agreement(SMALL, output=tmp_path / "a.eml", today=TODAY, sent=SENT)
    message = email.message_from_bytes(result.path.read_bytes(), policy=default_policy)
    assert [part.get_filename() for part in message.iter_attachments()] == [
        "vereinbarung-ueber-einen-auftrag-kaffeeroesterei.docx"]
    text = api.email_agreement(SMALL, today=TODAY)
    assert any(w.code == "email.attachment-required" for w in text.warnings)
    order = api.generate_order(FRAMEWORK, ORDER, output=tmp_path / "o.eml", today=TODAY, sent=SENT)
    message = email.message_from_bytes(order.path.read_bytes(), policy=default_policy)
    assert len(list(message.iter_attachments())) == 1
    assert not any(w.code == "email.attachment-required" for w in order.warnings)


def test_m12_order_email_has_a_deadline_and_the_reply_rule():
    library = api.load_library()
    document, _ = api.order_document(FRAMEWORK, ORDER, today=TODAY,
                                     overrides=["angebot_gueltig_bis=2027-02-10"])
    mail = flat(api.render_document(document, "text", library=library).decode())
    assert "bis zum 10. Februar 2027" in mail and "ist ein neues Angebot" in mail
    with pytest.raises(AnswersError):                      # before the order's own date
        api.order_document(FRAMEWORK, ORDER, today=TODAY,
                           overrides=["angebot_gueltig_bis=2027-01-15"])


# -- M9: the two new mails and projektabschluss -----------------------------------------------
def test_m9_request_for_acceptance_deadline_never_shorter_than_the_contract():
    mail = api.follow_up_mail("abnahme", DESIGN, today=TODAY,
                              inputs={"geliefert": ["Logo"], "frist_bis": "2027-02-01"}).text
    assert "bis zum 1. Februar 2027" in flat(mail)
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("abnahme", DESIGN, today=TODAY,
                           inputs={"geliefert": ["Logo"], "frist_bis": "2027-01-18"})
    assert "zu früh" in caught.value.problems[0].message
    consumer = flat(api.follow_up_mail("abnahme", DESIGN, today=TODAY, overrides=CONSUMER,
                                       inputs={"geliefert": ["Logo"]}).text)
    assert "Das hat dieselben Folgen wie eine ausdrücklich erklärte Abnahme" in consumer
    assert "die Verjährungsfrist für deine Mängelansprüche beginnt" in consumer


def test_m9_projektabschluss_in_a_werkvertrag_asks_for_payment_only_after_acceptance():
    inputs = {"geliefert": ["Logo"], "offene_rechnung": ["RE-1=100"]}
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("projektabschluss", DESIGN, today=TODAY, inputs=inputs)
    assert caught.value.problems[0].where == "--abnahme-am"
    assert "§ 641 Abs. 1 BGB" in caught.value.problems[0].message
    service = api.follow_up_mail("projektabschluss", DESIGN, today=TODAY, inputs=inputs,
                                 overrides=["vertragstyp=dienstvertrag"])
    assert "überweise" in service.text                       # a Dienstvertrag needs no Abnahme


def test_m9_contract_confirmation_records_the_early_start_and_attaches_the_contract(tmp_path):
    no_start = flat(api.follow_up_mail("vertragsbestaetigung", COACH, today=TODAY,
                                       inputs={"geschlossen_am": "2027-01-20"}).text)
    # 20 January + 14 days = 3 February 2027 (a Wednesday)
    assert "erst nach Ablauf der Widerrufsfrist, die am 3. Februar 2027 endet" in no_start
    result = api.follow_up_mail("vertragsbestaetigung", COACH, today=TODAY, sent=SENT,
                                output=tmp_path / "b.eml",
                                inputs={"geschlossen_am": "2027-01-20",
                                        "vorzeitig_verlangt_am": "2027-01-20"})
    message = email.message_from_bytes(result.path.read_bytes(), policy=default_policy)
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename().endswith(".docx")
    digital = flat(api.follow_up_mail(
        "vertragsbestaetigung", DESIGN, today=TODAY, overrides=DESIGN_DIGITAL,
        inputs={"geschlossen_am": "2027-01-10", "vorzeitig_verlangt_am": "2027-01-10"}).text)
    assert "durch diese Zustimmung mit Beginn der Ausführung des Vertrags dein Widerrufsrecht " \
           "verlierst (§ 356 Abs. 5, § 312f Abs. 3 BGB)" in digital
    with pytest.raises(AnswersError):                         # business clients: no § 312f
        api.follow_up_mail("vertragsbestaetigung", DESIGN, today=TODAY,
                           inputs={"geschlossen_am": "2027-01-10"})


def test_m9_cli_offers_the_two_new_kinds(tmp_path):
    result = runner.invoke(app, ["mail", "--help"])
    assert "abnahme" in result.output and "vertragsbestaetigung" in result.output
    done = runner.invoke(app, ["mail", "abnahme", str(DESIGN), "--geliefert", "Logo",
                               "--frist-bis", "2099-01-31"])
    assert done.exit_code == 0, done.output
    assert "31.\u00a0Januar 2099" in done.stdout


def test_m9_acceptance_minimum_matches_the_clause():
    from contractgen.followup import ACCEPTANCE_WERKTAGE

    library = api.load_library()
    clause = (Path(library.root) / "clauses" / "abnahme.md").read_text(encoding="utf-8")
    # the contract's period is an answer (issue 11); the mail's fallback is its default
    assert "mindestens {{ abnahme.pruefung_werktage|zahlwort }} Werktage" in clause
    period = next(q for q in library.questionnaire.walk() if q.path == "abnahme.pruefung_werktage")
    assert period.default == ACCEPTANCE_WERKTAGE


# -- M10: cancellation fees under a flat fee --------------------------------------------------------
def test_m10_flat_fee_cancellation_uses_the_appointments_value_and_at_most_half(library):
    answers = api.load_answers(DESIGN, library=library)
    text = flat(api.render_document(api.build_document(library, answers, today=TODAY), "md",
                                    library=library).decode())
    assert "Wert einer Terminstunde innerhalb des Pauschalhonorars von 90,00 €" in text
    assert "Stundensatz für zusätzlichen Aufwand nach" not in text.split("## § 7")[1].split("## § 8")[0]
    assert "Telefon- und Videobesprechungen zur Abstimmung fallen nicht darunter" in text
    with pytest.raises(AnswersError) as caught:
        api.load_answers(DESIGN, library=library, overrides=["ausfall.staffel.2.prozent=80"])
    (problem,) = caught.value.problems
    assert problem.key == "ausfall.staffel[2].prozent" and "Höchstwert hier: 50" in problem.message
    with pytest.raises(AnswersError) as caught:
        api.load_answers(DESIGN, library=library, overrides=["ausfall.terminwert_stunde="])
    assert {p.key for p in caught.value.problems} == {"ausfall.terminwert_stunde"}
    hourly = api.load_answers(COACH, library=library,
                              overrides=["ausfall.staffel=[{tage_vorher: 1, prozent: 100}]"])
    assert hourly.get("ausfall.staffel")[0]["prozent"] == 100   # time-based fees: up to 100 %


# -- M14, M15 ---------------------------------------------------------------------------------------
def test_m14_trademark_and_design_clearance(library):
    plain = flat(api.render_document(api.build_document(
        library, api.load_answers(DESIGN, library=library), today=TODAY), "md",
        library=library).decode())
    assert "prüft der Auftragnehmer nur, wenn die Parteien eine solche Recherche ausdrücklich " \
           "vereinbaren und gesondert vergüten" in plain
    assert "prüft der Auftraggeber dies vor der Verwendung als Kennzeichen" in plain
    ordered = flat(api.render_document(api.build_document(library, api.load_answers(
        DESIGN, library=library, overrides=["nutzungsrechte.recherche=true",
                                            "nutzungsrechte.recherche_preis=350"]),
        today=TODAY), "md", library=library).decode())
    assert "Die Recherche wird mit 350,00 € zuzüglich Umsatzsteuer gesondert vergütet" in ordered
    assert "bewertet der Auftragnehmer nicht" in ordered


def test_m15_processing_on_behalf_gets_the_art_28_contract(library):
    answers = api.load_answers(DESIGN, library=library, overrides=[
        "datenschutz.auftragsverarbeitung=true",
        "datenschutz.daten=[Namen und E-Mail-Adressen der Newsletter-Empfänger]",
        "datenschutz.betroffene=[Newsletter-Empfänger des Auftraggebers]",
        "datenschutz.zweck=Versand des Newsletters",
        "datenschutz.unterauftragnehmer=['Beispiel Hosting GmbH, Berlin']"])
    document = api.build_document(library, answers, today=TODAY)
    annex = next(s for s in document.sections if s.clause_id == "auftragsverarbeitung")
    assert annex.annex
    text = flat(api.render_document(document, "md", library=library).decode())
    for phrase in ("nur auf dokumentierte Weisung", "zur Vertraulichkeit verpflichtet",
                   "nach Art. 32 DSGVO erforderlichen", "Beispiel Hosting GmbH, Berlin",
                   "Kapitel III DSGVO", "Art. 32 bis 36 DSGVO", "löscht der Auftragnehmer nach "
                   "Wahl des Auftraggebers", "Inspektionen", "Versand des Newsletters",
                   "Newsletter-Empfänger des Auftraggebers", "gilt der Vertrag über die "
                   "Auftragsverarbeitung in Anlage"):
        assert phrase in text, phrase
    assert "schließen die Parteien vor Beginn der Verarbeitung einen Vertrag" not in text


def test_m15_consumer_with_sensitive_data_gets_privacy_information_and_separate_consent(library):
    answers = api.load_answers(COACH, library=library)
    assert answers.get("datenschutz.besondere_daten") is True
    document = api.build_document(library, answers, today=TODAY)
    text = flat(api.render_document(document, "md", library=library).decode())
    assert "## Anlage 3: Datenschutzhinweise und Einwilligung" in text
    for phrase in ("Art. 9 Abs. 2 lit. a DSGVO", "Art. 77 DSGVO", "Art. 7 Abs. 3 DSGVO",
                   "☐ Ich willige ausdrücklich ein", "Die Einwilligung ist freiwillig"):
        assert phrase in text, phrase
    mail = flat(api.email_agreement(SMALL, today=TODAY, overrides=[
        *CONSUMER, "datenschutz.besondere_daten=true"]).text)
    assert "schreibt in seine Antwort-E-Mail zusätzlich den Satz: „Ich willige ausdrücklich ein" \
           in mail


# -- the new answer keys are a documented, asked, validated interface ------------------------------
NEW_KEYS = ("digitales_produkt", "angebot_gueltig_bis", "datentraeger_zustimmung",
            "ausfall.terminwert_stunde", "nutzungsrechte.recherche",
            "nutzungsrechte.recherche_preis", "datenschutz.auftragsverarbeitung",
            "datenschutz.daten", "datenschutz.betroffene", "datenschutz.zweck",
            "datenschutz.unterauftragnehmer", "datenschutz.besondere_daten")


def test_new_keys_have_label_help_condition_and_appear_in_questions_json(library):
    import json

    paths = {q.path: q for q in library.questionnaire.walk()}
    for key in NEW_KEYS:
        question = paths[key]
        assert question.label and (question.help or key.endswith(("recherche_preis",))), key
        assert question.when, key            # asked only where it matters
    data = json.loads(runner.invoke(app, ["questions", "--json"]).stdout)

    def keys(items):
        for item in items:
            yield item["key"]
            yield from keys(item.get("fields", ()))

    assert set(NEW_KEYS) <= set(keys(data["questions"]))
    phone = next(f for q in data["questions"] if q["key"] == "auftragnehmer"
                 for f in q["fields"] if f["key"] == "auftragnehmer.telefon")
    assert phone["required_when"] == 'auftraggeber.art == "verbraucher"'
    template = runner.invoke(app, ["questions"]).stdout
    assert "Pflichtangabe, wenn auftraggeber.art" in template


def test_order_questionnaire_has_its_own_conclusion_and_deadline():
    from contractgen.order import order_questionnaire

    paths = {q.path for q in order_questionnaire(api.load_library()).walk()}
    assert {"vertragsschluss", "angebot_gueltig_bis", "digitales_produkt",
            "datentraeger_zustimmung", "ausfall.terminwert_stunde"} <= paths


# -- the minor findings taken (L2 … L25): each one visible in the generated text ---------------------
MINOR = {
    # finding: (answers, overrides, phrases that must be there, phrases that must be gone)
    "L2": (COACH, [], ["bei Abrechnung nach Zeit ist das die bis zum Widerruf geleistete "
                       "Arbeitszeit zu den vereinbarten Sätzen"], []),
    "L3": (COACH, [], ["Honorar von 107,10 € je Stunde einschließlich 19 % Umsatzsteuer "
                       "(netto 90,00 €)"], ["90,00 € je Stunde zuzüglich"]),
    "L7": (DESIGN, [], ["innerhalb von fünf Arbeitstagen nach Zugang"], ["Werktagen nach Zugang"]),
    "L8": (DESIGN, [], ["Ein mündlich erteilter Einzelauftrag ist ebenfalls wirksam"], []),
    "L10": (DESIGN, ["mitwirkung.rueckmeldung_arbeitstage=3"],
            ["Freigabeanfragen innerhalb von drei Arbeitstagen nach Zugang"], []),
    "L12": (COACH, [], ["Muss der Auftragnehmer einen fest vereinbarten Termin absagen"], []),
    "L16": (COACH, [], ["Endpreise einschließlich der gesetzlichen Umsatzsteuer"],
            ["sind Nettobeträge; die Umsatzsteuer von derzeit 19 % kommt hinzu"]),
    "L21": (DESIGN, [], ["Ab der Abnahme darf er die Ergebnisse außerdem vorläufig im "
                         "vereinbarten Umfang nutzen", "ist das kein Verzug"],
            ["nur zur Prüfung und für interne Abstimmungen verwenden"]),
    "L23": (COACH, [], ["nach Maßgabe des § 628 BGB einen seinen bisherigen Leistungen "
                        "entsprechenden Teil der Vergütung"], []),
    "L24": (DESIGN, ["auftragnehmer.kaufmann=true"],
            ["das für den Sitz des Auftragnehmers zuständige Gericht (Hamburg)"], []),
    "L25": (COACH, [], ["Frist, Ausübung und Folgen des Widerrufs"], ["Frist, Form und Folgen"]),
}


@pytest.mark.parametrize("finding", sorted(MINOR))
def test_minor_findings_taken_are_in_the_contract(library, finding):
    path, overrides, present, absent = MINOR[finding]
    answers = api.load_answers(path, library=library, overrides=overrides)
    text = flat(api.render_document(api.build_document(library, answers, today=TODAY), "md",
                                    library=library).decode())
    for phrase in present:
        assert phrase in text, (finding, phrase)
    for phrase in absent:
        assert phrase not in text, (finding, phrase)


def test_l4_consumers_must_be_told_when_the_work_ends(library):
    with pytest.raises(AnswersError) as caught:
        api.load_answers(COACH, library=library, overrides=["projekt.ende="])
    (problem,) = caught.value.problems
    assert problem.key == "projekt.ende" and "Art. 246a § 1 Abs. 1 Nr. 7 EGBGB" in problem.message
    api.load_answers(DESIGN, library=library, overrides=["projekt.ende="])    # B2B: optional
