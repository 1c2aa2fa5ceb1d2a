"""The freelancer's profile: a layer below the answers file, in a (temporary) config directory."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, TODAY
from typer.testing import CliRunner

from contractgen import build_document, load_answers, render_document
from contractgen.cli import app
from contractgen.errors import AnswersError
from contractgen.questionnaire.profile import profile_path

runner = CliRunner()
DESIGNER = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")
SECTION = re.search(r"^auftragnehmer:\n(?:  .*\n)+", DESIGNER, re.M).group(0)
WITHOUT_FREELANCER = DESIGNER.replace(SECTION, "")


def write_profile(text: str = SECTION):
    path = profile_path()
    path.write_text("# mein Profil\n" + text, encoding="utf-8")
    return path


def markdown(library, path, **kwargs):
    answers = load_answers(path, library=library, **kwargs)
    return render_document(build_document(library, answers, today=TODAY), "md",
                           library=library).decode("utf-8")


def test_config_dir_is_isolated_for_tests(isolated_config_dir):
    assert profile_path().parent == isolated_config_dir
    assert not profile_path().exists()


def test_answers_without_freelancer_use_the_profile(library, write_answers):
    assert "auftragnehmer" not in WITHOUT_FREELANCER
    write_profile()
    path = write_answers(WITHOUT_FREELANCER)
    text = markdown(library, path)
    assert text == markdown(library, SAMPLES / "designerin-pauschal.yaml")
    assert "Erika Mustermann" in text and "Hafenstraße 12" in text
    # the CLI uses the profile too
    result = runner.invoke(app, ["generate", str(path), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "Hafenstraße 12" in result.stdout


def test_answers_file_beats_profile_key_by_key(library, write_answers):
    write_profile()
    path = write_answers(WITHOUT_FREELANCER.replace(
        "auftraggeber:", "auftragnehmer:\n  strasse: Elbchaussee 1\nauftraggeber:", 1))
    answers = load_answers(path, library=library)
    assert answers.get("auftragnehmer.strasse") == "Elbchaussee 1"     # answers file
    assert answers.get("auftragnehmer.name") == "Erika Mustermann"     # profile
    answers = load_answers(path, library=library, overrides=["auftragnehmer.ort=Kiel"])
    assert answers.get("auftragnehmer.ort") == "Kiel"                  # --set


def test_without_profile_the_freelancer_is_missing(library, write_answers):
    path = write_answers(WITHOUT_FREELANCER)
    with pytest.raises(AnswersError) as info:
        load_answers(path, library=library)
    assert "auftragnehmer.name" in {p.key for p in info.value.problems}
    write_profile()
    with pytest.raises(AnswersError):
        load_answers(path, library=library, profile=None)          # profile switched off


def test_problem_in_profile_names_the_profile_file(library, write_answers):
    profile = write_profile(SECTION.replace('plz: "20459"', 'plz: "2045"'))
    line = next(n for n, text in enumerate(profile.read_text().splitlines(), 1) if "2045" in text)
    path = write_answers(WITHOUT_FREELANCER)
    with pytest.raises(AnswersError) as info:
        load_answers(path, library=library)
    problem = next(p for p in info.value.problems if p.key == "auftragnehmer.plz")
    assert problem.where == f"{profile}:{line}"


def test_profile_may_hold_only_the_freelancer(library, write_answers):
    profile = write_profile(SECTION + "zahlung:\n  ziel_tage: 30\n")
    with pytest.raises(AnswersError) as info:
        load_answers(write_answers(WITHOUT_FREELANCER), library=library)
    assert str(profile) in info.value.problems[0].where
    assert info.value.problems[0].key == "zahlung"


def test_iban_checksum(library, write_answers):
    good = DESIGNER.replace("  kaufmann: false\n", "  kaufmann: false\n  iban: DE89 3704 0044 "
                            "0532 0130 00\n  bank: Musterbank\n", 1)
    answers = load_answers(write_answers(good), library=library)
    assert answers.get("auftragnehmer.iban") == "DE89 3704 0044 0532 0130 00"
    with pytest.raises(AnswersError) as info:
        load_answers(write_answers(good.replace("0130 00", "0130 01")), library=library)
    assert "Prüfziffern" in info.value.problems[0].message


def test_profil_show_and_edit():
    result = runner.invoke(app, ["profil"])
    assert result.exit_code == 0
    assert "Noch kein Profil" in result.output
    # the designation (Auftragnehmerin) belongs to the freelancer's profile
    answers = ["Erika Mustermann", "Mustermann Design", "auftragnehmerin", "Hafenstraße 12", "",
               "2045", "20459",
               "Hamburg", "hallo@mustermann-design.example", "", "12/345/67890", "", "n", "n",
               "", ""]
    result = runner.invoke(app, ["profil", "bearbeiten"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "fünf Ziffern" in result.output                     # re-asked with the explanation
    assert profile_path().is_file()
    shown = runner.invoke(app, ["profil"])
    assert "Erika Mustermann" in shown.output and "20459" in shown.output
    assert "auftragnehmerin" in shown.output or "Auftragnehmerin" in shown.output
    # editing again: Enter keeps every value
    result = runner.invoke(app, ["profil", "--edit"], input="\n" * 20)
    assert result.exit_code == 0, result.output
    assert "[Erika Mustermann]" in result.output


def test_new_takes_the_freelancer_from_the_profile(library, tmp_path):
    from test_prompting import DESIGNER as SCRIPT

    write_profile()
    # the script without the 12 freelancer answers; then confirm, no contract
    answers = [*SCRIPT[:3], *SCRIPT[15:], "", "n"]
    target = tmp_path / "neu.yaml"
    result = runner.invoke(app, ["new", "-o", str(target)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "aus dem Profil" in result.output
    assert "Straße und Hausnummer: " not in result.output.split("Angaben zum Auftraggeber")[0]
    assert markdown(library, target, profile=None) == markdown(
        library, SAMPLES / "designerin-pauschal.yaml")
