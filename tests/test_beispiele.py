"""`contractgen beispiele`: the samples ship inside the package and come out under the README's
names."""

from __future__ import annotations

import re

from conftest import ROOT, SAMPLES
from typer.testing import CliRunner

from contractgen.beispiele import list_samples
from contractgen.cli import app

runner = CliRunner()


def test_the_list_names_every_sample_with_its_description_in_80_columns():
    result = runner.invoke(app, ["beispiele"])
    assert result.exit_code == 0
    names = {p.relative_to(SAMPLES).with_suffix("").as_posix() for p in SAMPLES.rglob("*.yaml")}
    assert {s.name for s in list_samples()} == names
    for name in names:
        assert f"  {name}\n" in result.stdout
    assert "Eine Designerin, Pauschalhonorar" in result.stdout
    assert "# contractgen" not in result.stdout                 # the example commands are not shown
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_all_come_out_under_the_names_the_readme_uses(tmp_path):
    result = runner.invoke(app, ["beispiele", "alle", "-o", str(tmp_path / "samples")])
    assert result.exit_code == 0, result.output
    for path in SAMPLES.rglob("*.yaml"):
        copied = tmp_path / "samples" / path.relative_to(SAMPLES)
        assert copied.read_bytes() == path.read_bytes()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    mentioned = set(re.findall(r"samples/([\w/-]+\.yaml)", readme))
    assert mentioned and all((tmp_path / "samples" / name).is_file() for name in mentioned)
    again = runner.invoke(app, ["beispiele", "alle", "-o", str(tmp_path / "samples")])
    assert again.exit_code == 6 and "gibt es schon. Mit --force" in again.stderr
    assert runner.invoke(app, ["beispiele", "alle", "-o", str(tmp_path / "samples"),
                               "--force"]).exit_code == 0


def test_one_sample_into_a_new_folder_or_to_stdout(tmp_path):
    target = tmp_path / "neu"
    result = runner.invoke(app, ["beispiele", "einzelauftraege/einzelauftrag-1.yaml", "-o",
                                 str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "einzelauftraege" / "einzelauftrag-1.yaml").is_file()
    shown = runner.invoke(app, ["beispiele", "kleinauftrag-email", "-o", "-"])
    assert shown.stdout == (SAMPLES / "kleinauftrag-email.yaml").read_text(encoding="utf-8")


def test_an_unknown_name_lists_the_others():
    result = runner.invoke(app, ["beispiele", "designerin"])
    assert result.exit_code == 2
    assert "Das Beispiel 'designerin' gibt es nicht. Es gibt: " in result.stderr
    assert "designerin-pauschal" in result.stderr


def test_the_wheel_carries_the_samples():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"samples" = "contractgen/samples"' in pyproject
