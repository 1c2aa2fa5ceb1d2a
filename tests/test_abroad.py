"""Parties abroad (issue 12): VAT wording derived from the parties in every output (contract,
fee overview, e-mail agreement, follow-up mail, individual order), jurisdiction and the check
warnings, each case generated from the Austrian sample as a user would."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, TODAY

from contractgen import api

AUSTRIA = SAMPLES / "designerin-oesterreich.yaml"
ORDER = """nummer: 1
datum: 2027-05-03
titel: Sommerkampagne 2027
leistungen:
  - Gestaltung von drei Anzeigenmotiven
beginn: 2027-05-10
ende: 2027-06-30
honorar:
  betrag: 3200
"""
CLIENT_VAT_ID = ("  ust_id: ATU65432105             # UID-Nummer des Auftraggebers, Format und "
                 "Prüfziffer geprüft\n")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def variant(text: str, case: str) -> str:
    """The Austrian sample turned into one VAT case (the client's country, kind, VAT ID)."""
    client = {"land: AT ": "land: {land} ", 'plz: "1020"': 'plz: "{plz}"', "ort: Wien": "ort: {ort}"}
    place = {"inland": ("DE", "10115", "Berlin"), "eu": ("AT", "1020", "Wien"),
             "drittland": ("CH", "8001", "Zürich"), "verbraucher": ("AT", "1020", "Wien"),
             "kleinunternehmer": ("AT", "1020", "Wien"), "usa": ("US", "10001", "New York, NY")}
    land, plz, ort = place[case]
    for old, new in client.items():
        assert old in text
        text = text.replace(old, new.format(land=land, plz=plz, ort=ort), 1)
    if case in ("inland", "drittland", "verbraucher", "usa"):
        text = text.replace(CLIENT_VAT_ID, "")
    if case == "verbraucher":
        text = text.replace("  name: Donaublick Werbeagentur GmbH\n  vertreten_durch: Anna Gruber\n",
                            "  name: Anna Gruber\n")
        text = text.replace("  art: unternehmer ", "  art: verbraucher ")
        text = text.replace("  kaufmann: true\n", "")
        text = text.replace("  email: hallo@mustermann-design.example\n",
                            "  email: hallo@mustermann-design.example\n  telefon: 040 123456\n")
    if case == "kleinunternehmer":
        text = text.replace("kleinunternehmer: false ", "kleinunternehmer: true ")
    return text


@pytest.fixture
def case_file(write_answers):
    def make(case: str):
        return write_answers(variant(AUSTRIA.read_text(encoding="utf-8"), case), f"{case}.yaml")
    return make


def outputs(path, order_path) -> dict[str, str]:
    """Every output a user makes from one answers file, as text."""
    contract = api.generate(path, fmt="md", today=TODAY)
    overview = "\n".join(f"{row.label}: {row.value}" for row in contract.document.overview)
    mail = api.follow_up_mail("korrekturschleifen", path, inputs={"runden_erledigt": "2"},
                              today=TODAY)
    order_text = api.generate_order(path, order_path, fmt="md", today=TODAY).data.decode("utf-8")
    return {"vertrag": flat(contract.data.decode("utf-8")), "uebersicht": flat(overview),
            "email": flat(api.email_agreement(path, today=TODAY).text), "mail": flat(mail.text),
            "auftrag": flat(order_text)}


# case -> output -> (texts it must contain, texts it must not contain)
NO_GERMAN_VAT = ("zuzüglich Umsatzsteuer", "zzgl.", "einschließlich 19 % Umsatzsteuer", "inkl.")
EXPECTED = {
    "inland": {
        "vertrag": (["6.500,00 € zuzüglich Umsatzsteuer nach § ", "derzeit 19 %"],
                    ["Steuerschuldnerschaft", "nicht steuerbar"]),
        "uebersicht": (["6.500,00 € zzgl. 19 % Umsatzsteuer"], ["Steuerschuldnerschaft"]),
        "email": (["6.500,00 € zuzüglich Umsatzsteuer"], ["Steuerschuldnerschaft"]),
        "mail": (["300,00 € zuzüglich Umsatzsteuer"], []),
        "auftrag": (["3.200,00 € zuzüglich Umsatzsteuer"], ["Steuerschuldnerschaft"]),
    },
    "eu": {
        "vertrag": (["6.500,00 €; die Umsatzsteuer schuldet der Auftraggeber nach § ",
                     "§ 3a Abs. 2 UStG", "§ 13b Abs. 1 und 5 UStG", "§ 14a Abs. 1 und 5 UStG",
                     "Steuerschuldnerschaft des Leistungsempfängers", "DE298765435",
                     "ATU65432105"], NO_GERMAN_VAT),
        "uebersicht": (["Pauschalhonorar: 6.500,00 €",
                        "Umsatzsteuer: Steuerschuldnerschaft des Leistungsempfängers"],
                       NO_GERMAN_VAT),
        "email": (["Steuerschuldnerschaft des Leistungsempfängers", "§ 3a Abs. 2 UStG",
                   "§ 13b UStG", "DE298765435 und ATU65432105"], NO_GERMAN_VAT),
        "mail": (["kostet 300,00 €."], ["Umsatzsteuer"]),
        "auftrag": (["3.200,00 €; die Umsatzsteuer schuldet der Auftraggeber "
                     "(Steuerschuldnerschaft des Leistungsempfängers)"], NO_GERMAN_VAT),
    },
    "drittland": {
        "vertrag": (["6.500,00 €; die Leistungen sind nach § ", "in Deutschland nicht steuerbar",
                     "§ 3a Abs. 2 UStG"], NO_GERMAN_VAT + ("Steuerschuldnerschaft",)),
        "uebersicht": (["Umsatzsteuer: in Deutschland nicht steuerbar"], NO_GERMAN_VAT),
        "email": (["in Deutschland nicht steuerbar (§ 3a Abs. 2 UStG)"],
                  NO_GERMAN_VAT + ("Steuerschuldnerschaft",)),
        "mail": (["kostet 300,00 €."], ["Umsatzsteuer"]),
        "auftrag": (["3.200,00 €; die Leistungen sind in Deutschland nicht steuerbar"],
                    NO_GERMAN_VAT),
    },
    "verbraucher": {
        "vertrag": (["7.735,00 € einschließlich 19 % Umsatzsteuer"],
                    ["Steuerschuldnerschaft", "nicht steuerbar", "zuzüglich Umsatzsteuer nach"]),
        "uebersicht": (["7.735,00 € inkl. 19 % Umsatzsteuer"], ["Steuerschuldnerschaft"]),
        "email": (["7.735,00 € einschließlich 19 % Umsatzsteuer"], ["Steuerschuldnerschaft"]),
        "mail": (["357,00 € einschließlich Umsatzsteuer"], []),
        "auftrag": (["3.808,00 € einschließlich 19 % Umsatzsteuer"], ["Steuerschuldnerschaft"]),
    },
    "kleinunternehmer": {
        "vertrag": (["§ 19 UStG"], NO_GERMAN_VAT + ("Steuerschuldnerschaft", "nicht steuerbar")),
        "uebersicht": (["Umsatzsteuer: keine, Kleinunternehmer nach § 19 UStG"],
                       NO_GERMAN_VAT + ("Steuerschuldnerschaft",)),
        "email": (["§ 19 UStG"], NO_GERMAN_VAT + ("Steuerschuldnerschaft",)),
        "mail": (["kostet 300,00 €."], ["Umsatzsteuer"]),
        "auftrag": (["3.200,00 €; Umsatzsteuer fällt nicht an"],
                    NO_GERMAN_VAT + ("Steuerschuldnerschaft",)),
    },
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_vat_wording_follows_the_parties_in_every_output(case, case_file, write_answers):
    texts = outputs(case_file(case), write_answers(ORDER, "auftrag.yaml"))
    for output, (present, absent) in EXPECTED[case].items():
        for needle in present:
            assert needle in texts[output], (case, output, needle)
        for needle in absent:
            assert needle not in texts[output], (case, output, needle)


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_jurisdiction_at_the_freelancers_seat_for_a_business_client_abroad(case_file,
                                                                          write_answers):
    # § 38 Abs. 2 ZPO: a client without a general place of jurisdiction in Germany, even when
    # neither party is a Kaufmann; at home only two Kaufleute (§ 38 Abs. 1 ZPO)
    text = AUSTRIA.read_text(encoding="utf-8").replace("  kaufmann: true\n", "  kaufmann: false\n")
    abroad = flat(api.generate(write_answers(text, "at.yaml"), fmt="md", today=TODAY)
                  .data.decode("utf-8"))
    assert "für den Sitz des Auftragnehmers zuständige Gericht (Hamburg, Deutschland)" in abroad
    assert "auch in dem Staat, in dem der Auftraggeber seinen Sitz hat" in abroad
    assert "unter Ausschluss des Übereinkommens der Vereinten Nationen über Verträge über den " \
           "internationalen Warenkauf (UN-Kaufrecht)" in abroad
    home = flat(api.generate(write_answers(variant(text, "inland"), "de.yaml"), fmt="md",
                             today=TODAY).data.decode("utf-8"))
    assert "Gerichtsstand" not in home and "UN-Kaufrecht" not in home
    consumer = api.generate(case_file("verbraucher"), fmt="md", today=TODAY)
    consumer_text = flat(consumer.data.decode("utf-8"))
    assert "Gerichtsstand" not in consumer_text
    assert "Art. 6 Abs. 2 Rom-I-Verordnung" in consumer_text


def test_check_warns_where_a_client_abroad_needs_a_second_look(case_file, library):
    def risks(case):
        return api.risk_warnings(api.load_answers(case_file(case), library=library),
                                 today=TODAY)

    consumer = risks("verbraucher")
    assert {"risk.verbraucher-ausland-ust", "risk.verbraucher-ausland-recht"} <= codes(consumer)
    vat = next(p for p in consumer if p.code == "risk.verbraucher-ausland-ust")
    assert vat.level == "warning" and "One-Stop-Shop" in vat.message and "§ 3a Abs. 5 UStG" \
        in vat.message and vat.location.key == "auftraggeber.land" and vat.location.line
    law = next(p for p in consumer if p.code == "risk.verbraucher-ausland-recht")
    assert "Art. 6 Abs. 2 Rom-I-Verordnung" in law.message
    assert "risk.reverse-charge-pflichten" in codes(risks("eu"))
    assert "risk.gerichtsstand-drittstaat" in codes(risks("usa"))
    assert "risk.gerichtsstand-drittstaat" not in codes(risks("drittland"))   # Lugano (CH)
    home = codes(risks("inland"))
    assert not home & {"risk.verbraucher-ausland-ust", "risk.verbraucher-ausland-recht",
                       "risk.reverse-charge-pflichten", "risk.gerichtsstand-drittstaat"}
    # the Kleinunternehmer abroad charges no VAT at all: no OSS warning
    text = variant(AUSTRIA.read_text(encoding="utf-8"), "verbraucher").replace(
        "kleinunternehmer: false ", "kleinunternehmer: true ")
    path = case_file("verbraucher").with_name("klein.yaml")
    path.write_text(text, encoding="utf-8")
    small = codes(api.risk_warnings(api.load_answers(path, library=library), today=TODAY))
    assert "risk.verbraucher-ausland-ust" not in small
    assert "risk.verbraucher-ausland-recht" in small


def test_a_business_client_in_the_eu_needs_both_vat_ids(write_answers, library):
    from contractgen.errors import AnswersError

    text = AUSTRIA.read_text(encoding="utf-8")
    for missing, key in ((CLIENT_VAT_ID, "auftraggeber.ust_id"),
                         ("  ust_id: DE298765435             # Pflicht bei einem Unternehmen in "
                          "einem anderen EU-Staat\n", "auftragnehmer.ust_id")):
        assert missing in text
        with pytest.raises(AnswersError) as caught:
            api.load_answers(write_answers(text.replace(missing, ""), "ohne.yaml"),
                             library=library)
        assert key in {p.key for p in caught.value.problems if p.code == "answers.missing"}


# a wrong postcode for each country with a known format (the list)
WRONG_POSTCODES = {"DE": "2045", "AT": "20459", "CH": "0123", "LI": "9499", "LU": "L-12345",
                   "NL": "1012", "BE": "0999", "FR": "7500", "IT": "0018A", "ES": "53001",
                   "PL": "00950", "DK": "0999", "SE": "1145", "GB": "SW1A", "IE": "B02 X285",
                   "US": "1000"}
LISTED = ("DE", "AT", "CH", "LI", "LU", "NL", "BE", "FR", "IT", "ES", "PL", "DK", "SE", "GB",
          "IE", "US")


def client_in(country: str, postcode: str) -> str:
    text = variant(AUSTRIA.read_text(encoding="utf-8"), "drittland")   # no VAT ID needed
    return text.replace("land: CH ", f"land: {country} ").replace('plz: "8001"', f'plz: "{postcode}"')


def test_every_listed_country_has_a_postcode_format_and_a_wrong_one_is_refused(write_answers,
                                                                               library):
    from contractgen.countries import POSTCODES
    from contractgen.errors import AnswersError

    assert set(LISTED) <= set(POSTCODES) and set(WRONG_POSTCODES) == set(POSTCODES)
    for country, rule in POSTCODES.items():
        if country in ("AT", "BE", "DK", "ES", "FR", "IT", "LU", "NL", "PL", "SE", "IE"):
            continue   # EU states: a business there needs a VAT ID; checked below as consumer
        path = write_answers(client_in(country, rule.example), f"{country}.yaml")
        assert api.load_answers(path, library=library).get("auftraggeber.plz") == rule.example
    for country, rule in POSTCODES.items():
        text = client_in(country, rule.example).replace("  art: unternehmer ",
                                                        "  art: verbraucher ")
        text = text.replace("  kaufmann: true\n", "")
        text = text.replace("  email: hallo@mustermann-design.example\n",
                            "  email: hallo@mustermann-design.example\n  telefon: 040 123456\n")
        answers = api.load_answers(write_answers(text, f"{country}-v.yaml"), library=library)
        assert answers.get("auftraggeber.plz") == rule.example, country
        head, _, tail = text.rpartition(f'plz: "{rule.example}"')   # the client's, the last
        wrong = f'{head}plz: "{WRONG_POSTCODES[country]}"{tail}'
        line = head.count("\n") + 1
        with pytest.raises(AnswersError) as caught:
            api.load_answers(write_answers(wrong, f"{country}-x.yaml"), library=library)
        [problem] = [p for p in caught.value.problems if p.code == "answers.postcode"]
        assert problem.location.key == "auftraggeber.plz" and problem.location.line == line, \
            country
        assert rule.hint in problem.message and f"auftraggeber.land {country}" in problem.message


def test_postcodes_are_written_as_the_country_writes_them_and_free_elsewhere(write_answers,
                                                                           library):
    for country, typed, normal in (("GB", "sw1a1aa", "SW1A 1AA"), ("NL", "1012ab", "1012 AB"),
                                   ("SE", "11455", "114 55"), ("IE", "d02x285", "D02 X285")):
        text = client_in(country, typed).replace("  art: unternehmer ", "  art: verbraucher ")
        text = text.replace("  email: hallo@mustermann-design.example\n",
                            "  email: hallo@mustermann-design.example\n  telefon: 040 123456\n")
        answers = api.load_answers(write_answers(text, f"{country}.yaml"), library=library)
        assert answers.get("auftraggeber.plz") == normal
    # a country without a known format takes any postcode, or none
    japan = api.load_answers(write_answers(client_in("JP", "100-0001"), "jp.yaml"),
                             library=library)
    assert japan.get("auftraggeber.plz") == "100-0001"
    hongkong = client_in("HK", "x").replace('  plz: "x"', "")
    assert api.load_answers(write_answers(hongkong, "hk.yaml"), library=library)


def test_the_address_block_follows_the_country(write_answers):
    def block(country, postcode, town):
        text = client_in(country, postcode).replace("ort: Zürich", f"ort: {town}")
        document = api.generate(write_answers(text, f"{country}.yaml"), fmt="md",
                                today=TODAY).document
        return document.parties[1].lines

    assert block("GB", "SW1A 1AA", "London")[2:6] == ("Praterstraße 31", "London", "SW1A 1AA",
                                                      "Vereinigtes Königreich")
    assert block("US", "10001", "New York, NY")[2:5] == ("Praterstraße 31", "New York, NY 10001",
                                                         "Vereinigte Staaten")
    assert block("CH", "8001", "Zürich")[2:5] == ("Praterstraße 31", "8001 Zürich", "Schweiz")


def test_the_email_agreement_for_a_small_job_abroad(write_answers):
    text = (SAMPLES / "kleinauftrag-email.yaml").read_text(encoding="utf-8")
    text = text.replace("  kleinunternehmer: true\n", "  kleinunternehmer: false\n")
    text = text.replace('  plz: "04275"\n  ort: Leipzig\n',
                        '  land: CH\n  plz: "8001"\n  ort: Zürich\n')
    result = api.email_agreement(write_answers(text, "ch.yaml"), today=TODAY)
    mail = flat(result.text)
    assert "als Unternehmen mit Sitz außerhalb der EU; sie sind in Deutschland nicht steuerbar " \
           "(§ 3a Abs. 2 UStG)" in mail
    assert "Pauschalhonorar beträgt 850,00 €." in mail and "zuzüglich Umsatzsteuer" not in mail
    assert "Es gilt deutsches Recht ohne das UN-Kaufrecht." in mail
    assert "das Gericht am Sitz meines Unternehmens (Leipzig, Deutschland)" in mail
    assert [row.value for row in result.document.overview if row.label == "Umsatzsteuer"] == [
        "in Deutschland nicht steuerbar; Leistungsort beim Auftraggeber"]


def test_a_wrong_vat_id_is_refused_with_key_and_line(write_answers, library):
    from contractgen.errors import AnswersError

    text = AUSTRIA.read_text(encoding="utf-8")
    for wrong, why in (("ATU65432106", "Prüfziffer"), ("AT65432105", "ATU")):
        bad = text.replace("ust_id: ATU65432105", f"ust_id: {wrong}")
        line = bad[:bad.index(f"ust_id: {wrong}")].count("\n") + 1
        with pytest.raises(AnswersError) as caught:
            api.load_answers(write_answers(bad, "falsch.yaml"), library=library)
        [problem] = [p for p in caught.value.problems if p.code == "answers.vat-id"]
        assert problem.location.key == "auftraggeber.ust_id" and problem.location.line == line
        assert wrong in problem.message and why in problem.message, problem.message
    # a German client's number in an Austrian address: kept, with a warning
    answers = api.load_answers(write_answers(text.replace("ust_id: ATU65432105",
                                                          "ust_id: DE123456788"), "de.yaml"),
                               library=library)
    assert "answers.vat-id-country" in codes(answers.warnings)
