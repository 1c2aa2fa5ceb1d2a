"""Framework agreement without a project, individual orders under it, and the conflict check."""

from __future__ import annotations

import email
import io
import subprocess
import sys
from decimal import Decimal
from email.policy import default as default_policy

import docx
import pytest
from conftest import SAMPLES, SENT, TODAY, require_soffice
from typer.testing import CliRunner

from contractgen import api
from contractgen.cli import app
from contractgen.errors import AnswersError

FRAMEWORK = SAMPLES / "rahmenvertrag-ohne-projekt.yaml"
ORDERS = SAMPLES / "einzelauftraege"
ORDER_FILES = [ORDERS / "einzelauftrag-1.yaml", ORDERS / "einzelauftrag-2.yaml"]
CONFLICT = ORDERS / "einzelauftrag-konflikt.yaml"
runner = CliRunner()


def numbers(document):
    return {s.clause_id: s.number for s in document.sections}


def test_framework_without_project_settles_terms_for_orders(library, tmp_path):
    result = api.generate(FRAMEWORK, output=tmp_path / "rv.docx", today=TODAY)
    text = "\n".join(p.text for p in docx.Document(str(result.path)).paragraphs)
    assert "Projekt" not in result.document.subtitle
    assert "Einzelaufträge nach §\u00a02" in text
    assert "Ein Einzelauftrag kommt zustande, wenn eine Partei der anderen ein Angebot macht " \
           "und die andere es annimmt" in text
    assert "kann ein Einzelauftrag ein anderes Zahlungsziel vereinbaren" in text
    assert "vorzeitiger-beginn" not in numbers(result.document)


def test_project_stays_required_for_the_email_agreement(library, write_answers):
    text = (SAMPLES / "kleinauftrag-email.yaml").read_text(encoding="utf-8")
    start, end = text.index("projekt:"), text.index("vertragstyp:")
    path = write_answers(text[:start] + text[end:])
    with pytest.raises(AnswersError) as caught:
        api.load_answers(path, library=library)
    assert {"projekt.titel", "projekt.leistungen", "projekt.beginn"} <= {
        p.key for p in caught.value.problems}


@pytest.mark.parametrize("order", ORDER_FILES, ids=lambda p: p.stem)
def test_orders_generate_as_docx_and_refer_to_the_framework(library, order, tmp_path):
    result = api.generate_order(FRAMEWORK, order, output=tmp_path / "a.docx", today=TODAY)
    opened = docx.Document(str(result.path))
    text = "\n".join(p.text for p in opened.paragraphs)
    number = order.stem.rsplit("-", 1)[1]
    assert opened.paragraphs[0].text == (
        f"Einzelauftrag Nr. {number} zum Rahmenvertrag vom 10.\xa0Januar 2027")
    framework = api.build_document(library, api.load_answers(FRAMEWORK, library=library),
                                   today=TODAY)
    # the framework's numbers, computed from the framework document, not typed
    payment = f"§\u00a0{numbers(framework)['zahlung']} des Rahmenvertrags"
    assert f"gilt {payment}" in text or f"Abweichend von {payment}" in text
    assert result.document.kind == "einzelauftrag"
    assert not result.document.signatures           # concluded in Textform


def test_order_carries_only_its_own_terms(library):
    one, _ = api.order_document(FRAMEWORK, ORDER_FILES[0], today=TODAY)
    two, _ = api.order_document(FRAMEWORK, ORDER_FILES[1], today=TODAY)
    md_one = api.render_document(one, "md", library=library).decode()
    md_two = api.render_document(two, "md", library=library).decode()
    assert "3.200,00\u00a0€" in md_one and "drei Korrekturschleifen" in md_one   # own terms
    assert "3 Stunden Abstimmungsaufwand" in md_one                          # inherited
    assert "Deutschland, Österreich und Schweiz" in md_one
    assert "innerhalb von 7 Tagen" in md_two and "120,00\u00a0€" in md_two
    assert "Zahlungsziel" in md_one and "14 Tage" in md_one


def test_order_as_eml_draft(tmp_path):
    result = api.generate_order(FRAMEWORK, ORDER_FILES[1], output=tmp_path / "a.eml",
                                today=TODAY, sent=SENT)
    message = email.message_from_bytes(result.path.read_bytes(), policy=default_policy)
    assert message["Subject"] == "Einzelauftrag Nr. 2: „Messeflyer“"
    body = message.get_body().get_content()
    assert "Hallo Max," in body and "Rahmenvertrag vom 10.\xa0Januar 2027" in body
    assert all(len(line) < 80 for line in body.splitlines())


def test_conflicting_order_is_rejected_naming_each_clash():
    with pytest.raises(AnswersError) as caught:
        api.order_document(FRAMEWORK, CONFLICT, today=TODAY)
    error = caught.value
    assert error.exit_code == 3
    found = {p.key: p for p in error.problems}
    assert set(found) == {"honorar.stundensatz_zusatz", "ausfall.staffel", "nutzungsrechte.art"}
    rate = found["honorar.stundensatz_zusatz"]
    assert rate.where == f"{CONFLICT}:13"
    assert "80,00\u00a0€" in rate.message and "95,00\u00a0€" in rate.message
    rate_line = next(number for number, line in enumerate(
        FRAMEWORK.read_text(encoding="utf-8").splitlines(), start=1) if "stundensatz_zusatz" in line)
    assert f"{FRAMEWORK}:{rate_line}" in rate.message
    assert "einfaches Nutzungsrecht" in found["nutzungsrechte.art"].message


def test_a_term_the_framework_leaves_open_may_differ():
    with pytest.raises(AnswersError) as caught:
        api.order_document(FRAMEWORK, CONFLICT, today=TODAY,
                           framework_overrides=["einzelauftraege.honorar_abweichend=true",
                                                "einzelauftraege.ausfall_abweichend=true"])
    assert {p.key for p in caught.value.problems} == {"nutzungsrechte.art"}


def test_consumer_business_mismatch_is_never_allowed(write_answers):
    text = ORDER_FILES[0].read_text(encoding="utf-8") + "auftraggeber:\n  art: verbraucher\n"
    path = write_answers(text, "auftrag.yaml")
    with pytest.raises(AnswersError) as caught:
        api.order_document(FRAMEWORK, path, today=TODAY)
    (problem,) = caught.value.problems
    assert problem.key == "auftraggeber.art" and "Unternehmer" in problem.message
    assert "kann ein Einzelauftrag nicht ändern" in problem.message


def test_order_file_is_validated_with_all_problems_and_lines(write_answers):
    path = write_answers("nummer: 1\ndatum: 31.02.2027\ntitl: X\nleistungen: []\n"
                         "beginn: 2027-03-01\n", "auftrag.yaml")
    with pytest.raises(AnswersError) as caught:
        api.order_document(FRAMEWORK, path, today=TODAY)
    shown = [str(p) for p in caught.value.problems]
    assert any(":2: datum:" in s for s in shown)
    assert any(":3: titl:" in s and "Meinten Sie 'titel'" in s for s in shown)
    assert any("titel: fehlt" in s for s in shown)


def test_order_before_the_framework_date_is_rejected():
    with pytest.raises(AnswersError) as caught:
        api.order_document(FRAMEWORK, ORDER_FILES[0], today=TODAY, overrides=["datum=2027-01-05"])
    assert [p.key for p in caught.value.problems] == ["datum"]


def test_interview_plan_asks_only_what_the_framework_leaves_to_the_order(library):
    from contractgen.order import interview_plan, order_questionnaire

    framework = api.load_answers(FRAMEWORK, library=library)
    questionnaire, start, fixed = interview_plan(framework, order_questionnaire(library))
    assert {"auftraggeber", "ausfall", "honorar.modell", "honorar.stundensatz_zusatz"} <= fixed
    assert "zahlung" not in fixed                   # the framework leaves the payment term open
    assert start["korrekturen"] == {"inklusive_runden": 2}
    fee = questionnaire.question("honorar").field("betrag")
    assert fee.required


def test_new_auftrag_interview_writes_an_order_that_generates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    answers = ["5", "2027-06-01", "Website-Teaser", "Teaser gestalten", "", "", "2027-06-07", "",
               "", "", "2500", "", "", "", "", "n", "", "j", "n"]
    result = runner.invoke(app, ["new", "--auftrag", str(FRAMEWORK), "-o", "auftrag.yaml"],
                           input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "auftrag.yaml").read_text(encoding="utf-8")
    assert "betrag: 2500" in written and "ausfall" not in written
    order = api.generate_order(FRAMEWORK, tmp_path / "auftrag.yaml", fmt="md", today=TODAY)
    assert "2.500,00\u00a0€" in order.data.decode()


def test_cli_auftrag_conflict_exit_3_and_message():
    result = runner.invoke(app, ["auftrag", str(FRAMEWORK), str(CONFLICT)])
    assert result.exit_code == 3
    assert "passt nicht zum Rahmenvertrag" in result.stderr
    assert "honorar.stundensatz_zusatz: widerspricht dem Rahmenvertrag" in result.stderr


def test_cli_auftrag_markdown_to_stdout():
    result = runner.invoke(app, ["auftrag", str(FRAMEWORK), str(ORDER_FILES[0]), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Einzelauftrag Nr. 1 zum Rahmenvertrag vom 10.\xa0Januar 2027")


def test_cli_auftrag_subprocess_writes_eml_and_refuses_to_overwrite(tmp_path):
    command = [sys.executable, "-m", "contractgen", "auftrag", str(FRAMEWORK),
               str(ORDER_FILES[0]), "-o", str(tmp_path / "a.eml")]
    first = subprocess.run(command, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "a.eml").read_bytes().startswith(b"From:")
    second = subprocess.run(command, capture_output=True, text=True, check=False)
    assert second.returncode == 6


def test_libreoffice_converts_an_order(tmp_path):
    require_soffice()
    result = api.generate_order(FRAMEWORK, ORDER_FILES[0], output=tmp_path / "a.pdf",
                                today=TODAY)
    assert result.path.read_bytes().startswith(b"%PDF")
    assert io.BytesIO(result.data).getbuffer().nbytes > 1000


# -- the order's own cancellation tiers (review finding: they were silently dropped) -------------
OWN_TIERS = "ausfall.staffel=[{tage_vorher: 14, prozent: 40}, {tage_vorher: 1, prozent: 50}]"
ALLOW_TIERS = "einzelauftraege.ausfall_abweichend=true"


def _order_texts(library, *, overrides=(), framework_overrides=()):
    document, _ = api.order_document(FRAMEWORK, ORDER_FILES[0], today=TODAY, overrides=overrides,
                                     framework_overrides=framework_overrides)
    markdown = api.render_document(document, "md", library=library).decode()
    mail = api.render_document(document, "text", library=library).decode()
    return document, markdown, mail


def test_order_with_its_own_cancellation_tiers_states_them(library):
    framework = api.build_document(library, api.load_answers(FRAMEWORK, library=library),
                                   today=TODAY)
    cancel = f"§\u00a0{numbers(framework)['ausfallhonorar']}"
    document, md, mail = _order_texts(library, overrides=[OWN_TIERS],
                                      framework_overrides=[ALLOW_TIERS])
    own = numbers(document)["ea-ausfall"]
    section = md[md.index(f"## §\u00a0{own} Absage fest vereinbarter Termine"):]
    section = section[:section.index("\n## ")]
    assert f"an die Stelle von {cancel} des Rahmenvertrags" in section
    assert "mindestens 14 Kalendertage vor dem Termin zu, entsteht kein Ausfallhonorar" in section
    assert "bei Absage weniger als 14 Kalendertage vor dem Termin: 40\u00a0%," in section
    assert "bei Absage am Tag des Termins: 50\u00a0%." in section
    assert "Wert einer Terminstunde innerhalb des Pauschalhonorars von 80,00\u00a0€" in section
    assert "ausdrücklich der Nachweis gestattet" in section                  # counter-proof
    assert "anderweitige Verwendung der frei gewordenen Zeit" in section      # credit
    assert "(§ 615 Satz 2 BGB)" in section
    assert "Strafe" not in md and "strafe" not in md
    assert f"Absage von Terminen ({cancel})" not in md   # no longer "the framework's rules apply"
    assert all(len(line) < 80 for line in mail.splitlines())
    mail = " ".join(line.strip() for line in mail.splitlines())
    assert "eigene Staffel" in mail
    assert "40\u00a0% bei Absage weniger als 14 Kalendertage vorher" in mail
    assert "jederzeit nachweisen" in mail


def test_order_without_own_tiers_refers_to_the_framework(library):
    framework = api.build_document(library, api.load_answers(FRAMEWORK, library=library),
                                   today=TODAY)
    cancel = f"§\u00a0{numbers(framework)['ausfallhonorar']}"
    same = "ausfall.staffel=[{tage_vorher: 7, prozent: 25}, {tage_vorher: 2, prozent: 50}]"
    for overrides in ([], [same]):                    # repeating the framework's tiers is no change
        _, md, mail = _order_texts(library, overrides=overrides)
        assert (f"Für die Absage fest vereinbarter Termine dieses Einzelauftrags gilt {cancel} des "
                "Rahmenvertrags mit der dort vereinbarten Staffel") in md
        assert "Kalendertage" not in md and "Staffel" not in mail


def test_own_tiers_under_a_framework_without_tiers(library):
    _, md, _ = _order_texts(library, overrides=[OWN_TIERS, "ausfall.terminwert_stunde=80"],
                            framework_overrides=[ALLOW_TIERS, "ausfall.staffel=[]"])
    assert "40\u00a0%" in md and "Rahmenvertrags, wie nach" not in md
    assert "an die Stelle von" not in md and "None" not in md


@pytest.mark.parametrize("model, rate", [("stunde", "Stundenhonorar"), ("tag", "Tagessatz")])
def test_own_tiers_with_time_based_fees(library, model, rate):
    _, md, _ = _order_texts(
        library, overrides=[OWN_TIERS, "honorar.betrag=", "honorar.anzahlung_prozent=",
                            "korrekturen.inklusive_runden="],
        framework_overrides=[ALLOW_TIERS, f"honorar.modell={model}", "honorar.betrag=90",
                             "abstimmung.inklusive_stunden=", "korrekturen.inklusive_runden="])
    assert f"vervielfacht mit dem {rate} nach §\u00a02" in md and "None" not in md


def test_effective_terms_carry_the_cancellation_tiers(library):
    from contractgen.order import effective_terms, load_order_answers, order_questionnaire

    framework = api.load_answers(FRAMEWORK, library=library)
    plain = load_order_answers(ORDER_FILES[0], order_questionnaire(library))
    own = load_order_answers(ORDER_FILES[0], order_questionnaire(library), [OWN_TIERS])
    inherited = effective_terms(plain, framework)["ausfall"]
    assert inherited == {"staffel": framework.values["ausfall"]["staffel"], "abweichend": False,
                         "terminwert_stunde": Decimal("80")}
    mine = effective_terms(own, framework)["ausfall"]
    assert mine["abweichend"] and [s["prozent"] for s in mine["staffel"]] == [40, 50]
