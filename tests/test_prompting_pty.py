"""`contractgen new` in a real pseudo-terminal (pexpect): what a freelancer actually sees."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, TODAY
from test_prompting import COACH, DESIGNER, SCRIPTS

from contractgen import build_document, load_answers, render_document

pexpect = pytest.importorskip("pexpect", reason="pexpect fehlt (pip install '.[test]')")
if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminals need a POSIX system", allow_module_level=True)

PROMPT = r"(: |\] )$"          # every question ends in ": " or "] " (yes/no)


def spawn(args, cwd: Path, config: Path):
    env = {**os.environ, "CONTRACTGEN_CONFIG_DIR": str(config), "PYTHONIOENCODING": "utf-8",
           "SOURCE_DATE_EPOCH": "1799625600"}      # 2027-01-10: fixed date in the file header
    env.pop("CONTRACTGEN_DEBUG", None)
    child = pexpect.spawn(sys.executable, ["-m", "contractgen", *args], cwd=str(cwd), env=env,
                          encoding="utf-8", timeout=30, dimensions=(50, 200))
    child.delaybeforesend = None     # input() reads whole lines; no need to pause per answer
    return child


def answer_all(child, answers):
    for text in answers:
        child.expect(PROMPT)
        child.sendline(text)


def markdown(library, path):
    answers = load_answers(path, library=library, profile=None)
    return render_document(build_document(library, answers, today=TODAY), "md",
                           library=library).decode("utf-8")


@pytest.mark.parametrize("sample", sorted(SCRIPTS))
def test_full_interview_in_a_terminal(library, tmp_path, isolated_config_dir, sample):
    child = spawn(["new", "-o", "antworten.yaml"], tmp_path, isolated_config_dir)
    answer_all(child, SCRIPTS[sample])
    child.expect("Stimmen die Angaben")
    child.sendline("")
    child.expect("Gespeichert: antworten.yaml")
    child.expect("als Profil speichern")
    child.sendline("n")
    child.expect(r"erzeugen \((antworten\.(docx|eml))\)\? \[J/n\]")
    made = child.match.group(1)
    child.sendline("j")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    written = tmp_path / "antworten.yaml"
    assert markdown(library, written) == markdown(library, SAMPLES / f"{sample}.yaml")
    assert (tmp_path / made).stat().st_size > 0
    assert "contractgen new" in written.read_text(encoding="utf-8").splitlines()[0]
    assert not (isolated_config_dir / "profil.yaml").exists()


def test_invalid_answer_reasked_and_conditional_skipped(tmp_path, isolated_config_dir):
    child = spawn(["new", "-o", "a.yaml"], tmp_path, isolated_config_dir)
    assert COACH[6] == "50668"
    answer_all(child, COACH[:6])                    # up to the freelancer's street
    child.expect("Postleitzahl: ")
    child.sendline("5066")
    child.expect("ist keine Postleitzahl für Deutschland .*erwartet: fünf Ziffern")
    child.expect("Postleitzahl: ")
    child.sendline("50668")
    consumer = COACH.index("verbraucher")
    answer_all(child, COACH[7:consumer + 1])
    # a consumer: the Kaufmann question is skipped; how the contract is concluded is asked
    # (for consumers only), then the project comes next
    child.expect(PROMPT)
    assert "Wie wird der Vertrag geschlossen?" in child.before
    assert "Kaufmann" not in child.before
    child.sendline(COACH[consumer + 1])
    child.expect(PROMPT)
    assert "„Das Projekt“ in den Vertrag aufnehmen" in child.before + child.after
    assert "Kaufmann" not in child.before
    child.sendintr()
    child.expect(r"aufheben, um später\s+weiterzumachen")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()


def test_ctrl_c_and_no_leaves_no_file(tmp_path, isolated_config_dir):
    child = spawn(["new", "-o", "a.yaml"], tmp_path, isolated_config_dir)
    answer_all(child, DESIGNER[:20])
    child.expect(PROMPT)
    child.sendintr()
    child.expect(r"Die bisherigen Antworten in a\.zwischenstand\.yaml aufheben, um später\s+"
                 r"weiterzumachen\? \[J/n\] ")
    child.sendline("n")
    child.expect("Abgebrochen. Es wurde nichts gespeichert")
    child.expect("contractgen new -o a.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []
    assert list(isolated_config_dir.iterdir()) == []


def test_from_earlier_answers_changes_only_the_project(library, tmp_path, isolated_config_dir):
    child = spawn(["new", "-o", "neu.yaml", "--from", str(SAMPLES / "designerin-pauschal.yaml")],
                  tmp_path, isolated_config_dir)
    child.expect("Was möchten Sie ändern")
    child.sendline("projekt, unterschrift")         # the project and the signature
    child.expect("„Das Projekt“ in den Vertrag aufnehmen\\? \\[J/n\\] ")
    child.sendline("")
    child.expect("Titel des Projekts \\[Neugestaltung des Markenauftritts\\]: ")
    child.sendline("Website-Relaunch")
    child.expect("Übernehmen\\? \\[J/n\\]")         # services: keep
    child.sendline("n")
    child.expect("1: ")
    child.sendline("Gestaltung der Website")
    child.expect("2: ")
    child.sendline("")
    child.expect("Übernehmen\\? \\[J/n\\]")         # not included: keep
    child.sendline("")
    child.expect("Beginn der Arbeiten \\[15.01.2027\\]: ")
    child.sendline("01.05.2027")
    child.expect("Voraussichtliches Ende \\[31.03.2027\\]: ")
    child.sendline("30.06.2027")
    child.expect("Ort der Unterschrift \\[Hamburg\\]: ")
    child.sendline("")
    child.expect("Datum \\[10.01.2027\\]: ")
    child.sendline("20.04.2027")
    child.expect("Stimmen die Angaben")
    child.sendline("j")
    child.expect("als Profil speichern")
    child.sendline("n")
    child.expect("DOCX erzeugen")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = load_answers(tmp_path / "neu.yaml", library=library, profile=None)
    assert answers.get("projekt.titel") == "Website-Relaunch"
    assert answers.get("projekt.leistungen") == ["Gestaltung der Website"]
    assert answers.get("auftraggeber.name") == "Nordlicht Kommunikation GmbH"   # kept
    assert str(answers.get("honorar.betrag")) == "4800"


def test_refuses_to_overwrite_before_asking(tmp_path, isolated_config_dir):
    (tmp_path / "a.yaml").write_text("alt\n", encoding="utf-8")
    child = spawn(["new", "-o", "a.yaml"], tmp_path, isolated_config_dir)
    child.expect("gibt es schon")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 6
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "alt\n"
