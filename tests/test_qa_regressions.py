"""Found by the QA passes: each case once silently dropped data or crashed."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

from contractgen import generate_batch, load_answers
from contractgen.errors import AnswersError

DESIGNER = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CONTRACTGEN_DEBUG"}
    return subprocess.run([sys.executable, "-m", "contractgen", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_list_entry_with_colon_is_kept_as_text(library, write_answers):
    path = write_answers(DESIGNER.replace("    - Gestaltung der Geschäftsausstattung",
                                          "    - Geschäftsausstattung: Briefpapier, Visitenkarten"))
    answers = load_answers(path, library=library)
    assert "Geschäftsausstattung: Briefpapier, Visitenkarten" in answers.get("projekt.leistungen")


@pytest.mark.parametrize("entry, message", [("    - [a, b]", "kein einfacher Text"),
                                            ("    -", "ist leer")])
def test_structured_or_empty_list_entries_are_errors(library, write_answers, entry, message):
    path = write_answers(DESIGNER.replace("    - Gestaltung der Geschäftsausstattung", entry))
    with pytest.raises(AnswersError) as info:
        load_answers(path, library=library)
    assert any(p.key == "projekt.leistungen[2]" and message in p.message for p in info.value.problems)


def test_empty_keys_leave_the_profile_in_force(library, write_answers, isolated_config_dir):
    (isolated_config_dir / "profil.yaml").write_text(
        "auftragnehmer:\n  name: Erika Mustermann\n  strasse: Hafenstraße 12\n  plz: '20459'\n"
        "  ort: Hamburg\n  email: hallo@mustermann-design.example\n  kleinunternehmer: true\n",
        encoding="utf-8")
    start = DESIGNER.index("auftragnehmer:")
    end = DESIGNER.index("auftraggeber:")
    path = write_answers(DESIGNER[:start] + "auftragnehmer:\n  firma:\n  kleinunternehmer:\n"
                         + DESIGNER[end:])
    answers = load_answers(path, library=library)
    assert answers.get("auftragnehmer.kleinunternehmer") is True
    assert answers.get("auftragnehmer.name") == "Erika Mustermann"


def test_invisible_characters_and_grouped_thousands(library):
    with pytest.raises(AnswersError) as info:
        load_answers(SAMPLES / "designerin-pauschal.yaml", library=library,
                     overrides=["projekt.titel=Logo\u200bRelaunch", "honorar.betrag=4,800"])
    messages = {p.key: p.message for p in info.value.problems}
    assert "U+200B" in messages["projekt.titel"]
    assert "mehrdeutig" in messages["honorar.betrag"]     # 4,8 or 4800: never guessed
    grouped = load_answers(SAMPLES / "designerin-pauschal.yaml", library=library,
                           overrides=["honorar.betrag=4.800,00"])
    assert str(grouped.get("honorar.betrag")) == "4800.00"


def test_set_indices_count_from_one_like_the_messages(library):
    answers = load_answers(SAMPLES / "designerin-pauschal.yaml", library=library,
                           overrides=["ausfall.staffel.1.prozent=40", "projekt.titel=[Beta] Launch"])
    assert answers.get("ausfall.staffel")[0]["prozent"] == 40
    assert answers.get("projekt.titel") == "[Beta] Launch"


def test_csv_row_split_by_a_decimal_comma_is_refused(tmp_path):
    listing = tmp_path / "liste.csv"
    listing.write_text("auftraggeber.name,projekt.titel,honorar.betrag,honorar.stundensatz_zusatz,"
                       "korrekturen.preis_runde\n"
                       "Alpha GmbH,Logo,95,50\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    report = generate_batch(listing, output_dir=tmp_path / "out", base=SAMPLES / "designerin-pauschal.yaml",
                            jobs=1, today=dt.date(2027, 1, 10),
                            sent=dt.datetime(2027, 1, 10, tzinfo=dt.timezone.utc))
    assert not report.written and "Anführungszeichen" in report.failed[0].problems[0].message


def test_outputs_with_the_wrong_suffix_are_refused(tmp_path):
    email = cli("email", str(SAMPLES / "kleinauftrag-email.yaml"), "-o", str(tmp_path / "a.docx"))
    assert email.returncode == 2
    generate = cli("generate", str(SAMPLES / "designerin-pauschal.yaml"), "-o", str(tmp_path / "a.txt"))
    assert generate.returncode == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_a_clear_error():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "contractgen", "generate",
                                 str(SAMPLES / "designerin-pauschal.yaml"), "--format", "md"],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 6
    assert "kein Speicherplatz" in result.stderr and "Traceback" not in result.stderr


def test_part_day_cancellation_is_billed_by_the_hour_as_the_contract_says():
    day_rate = ["--set", "honorar.modell=tag", "--set", "honorar.betrag=720",
                "--set", "honorar.stunden_pro_tag=7,5", "--set", "honorar.stundensatz_zusatz=90"]
    result = cli("mail", "ausfallhonorar", str(SAMPLES / "designerin-pauschal.yaml"), "--termin",
                 "10.03.2027", "--dauer-tage", "0,5", *day_rate)
    assert result.returncode == 0, result.stderr
    assert "3,75 Std. × 90,00\xa0€ = 337,50\xa0€" in result.stdout
    both = cli("mail", "ausfallhonorar", str(SAMPLES / "designerin-pauschal.yaml"), "--termin",
               "10.03.2027", "--dauer-tage", "1", "--dauer-stunden", "2", *day_rate)
    assert both.returncode == 3 and "nicht beides" in both.stderr
