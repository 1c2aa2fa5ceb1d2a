"""Every row of docs/bad-input.md, through the real CLI in a subprocess.

Each case: a clear German message naming the file and key, a non-zero exit code, no traceback,
and nothing written or changed in the output directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

DESIGNER = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")
DOC = ROOT / "docs" / "bad-input.md"


@dataclass
class Case:
    id: str
    answers: bytes | str | None = None      # content of antworten.yaml; None = not created
    args: list[str] = field(default_factory=list)
    code: int = 3
    needles: tuple[str, ...] = ()
    setup: str = ""                         # special preparation, see prepare()
    command: tuple[str, ...] = ("generate",)
    env: dict[str, str] = field(default_factory=dict)
    name: str = "antworten.yaml"            # the file given to the command


def replaced(old: str, new: str) -> str:
    assert old in DESIGNER, old
    return DESIGNER.replace(old, new, 1)


BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n")

CASES = [
    Case("datei-fehlt", None, needles=("gibt es nicht",)),
    Case("datei-leer", "", needles=("leer",)),
    Case("datei-ist-verzeichnis", setup="directory", needles=("Verzeichnis",)),
    Case("nicht-utf8", "projekt:\n  titel: Gr\xfc\xdfe\n".encode("latin-1"), needles=("UTF-8", ":2")),
    Case("kein-yaml", "vertragsart: [rahmenvertrag\n", needles=("kein gültiges YAML",)),
    Case("yaml-liste", "- rahmenvertrag\n- du\n", needles=("Zuordnung",)),
    Case("yaml-bombe", BOMB, needles=("verschachtelt",)),
    Case("datei-50-mb", setup="huge", needles=("höchstens",)),
    Case("falscher-typ", replaced("betrag: 4800", "betrag: viel"),
         needles=("honorar.betrag", "keine Zahl")),
    Case("betrag-mehrdeutig", replaced("betrag: 4800", "betrag: 4,800"),
         needles=("honorar.betrag", "mehrdeutig")),
    Case("yaml-tabulator", "vertragsart: rahmenvertrag\nauftragnehmer:\n\tname: Erika\n",
         needles=("antworten.yaml:3", "Tabulator")),
    Case("pflichtfeld-fehlt", replaced("  titel: Neugestaltung des Markenauftritts\n", ""),
         needles=("projekt.titel", "fehlt")),
    Case("unbekannter-schluessel", replaced("zahlung:", "zahlungg:"),
         needles=("zahlungg", "Meinten Sie")),
    Case("negativer-betrag", replaced("betrag: 4800", "betrag: -4800"),
         needles=("honorar.betrag", "zu klein")),
    Case("absurder-betrag", replaced("betrag: 4800", "betrag: 1000000000000000000000000000000"),
         needles=("honorar.betrag", "zu groß")),
    Case("10000-korrekturschleifen", replaced("inklusive_runden: 2", "inklusive_runden: 10000"),
         needles=("korrekturen.inklusive_runden", "zu groß")),
    Case("prozent-ueber-100", replaced("prozent: 50", "prozent: 150"),
         needles=("ausfall.staffel[2].prozent", "zu groß")),
    Case("pauschal-ausfall-ueber-50", replaced("prozent: 50", "prozent: 80"),
         needles=("ausfall.staffel[2].prozent", "Höchstwert hier: 50", "§ 309 Nr. 5 a")),
    Case("staffel-ungeordnet", replaced("tage_vorher: 7", "tage_vorher: 1"),
         needles=("ausfall.staffel", "absteigend")),
    Case("datum-reihenfolge", replaced("ende: 2027-03-31", "ende: 2027-01-01"),
         needles=("projekt.ende", "nicht nach")),
    Case("datum-unmoeglich", replaced("beginn: 2027-01-15", "beginn: 2027-02-30"),
         needles=("projekt.beginn", "kein gültiges Datum")),
    Case("email-ungueltig", replaced("email: max.mustermann@nordlicht.example", "email: max at nordlicht"),
         needles=("auftraggeber.email", "E-Mail-Adresse")),
    Case("nul-byte", replaced("name: Erika Mustermann", 'name: "Erika\\0Mustermann"'),
         needles=("auftragnehmer.name", "U+0000")),
    Case("steuerzeichen", replaced("name: Erika Mustermann", 'name: "Erika\\x1bMustermann"'),
         needles=("auftragnehmer.name", "U+001B")),
    Case("schreibrichtung-umgedreht", replaced("name: Nordlicht Kommunikation GmbH",
                                               'name: "Nordlicht \\u202eHbmG"'),
         needles=("auftraggeber.name", "Schreibrichtung")),
    Case("sehr-langer-text", replaced("titel: Neugestaltung des Markenauftritts", "titel: " + "x" * 10000),
         needles=("projekt.titel", "Zeichen lang")),
    Case("bibliothek-fehlt", DESIGNER, args=["--library", "{tmp}/keine-bibliothek"], code=4,
         needles=("keine-bibliothek",)),
    Case("referenz-kein-docx", DESIGNER, setup="broken-reference", code=4,
         needles=("reference.docx", "kein lesbares DOCX")),
    Case("referenz-ohne-formatvorlage", DESIGNER, setup="styleless-reference", code=4,
         needles=("reference.docx", "Vertrag Absatz")),
    Case("klausel-boesartig", DESIGNER, setup="hostile-clause", code=5,
         needles=("vertragsgegenstand.md", "unsafe")),
    Case("klausel-endlosschleife", DESIGNER, setup="slow-clause", code=5,
         needles=("vertragsgegenstand.md", "zu lange")),
    Case("ausgabe-verzeichnis-fehlt", DESIGNER, args=["-o", "{tmp}/fehlt/vertrag.docx"], code=6,
         needles=("fehlt", "gibt es nicht")),
    Case("ausgabe-nicht-beschreibbar", DESIGNER, args=["-o", "/proc/vertrag.docx"], code=6,
         needles=("/proc",)),
    Case("ausgabe-existiert", DESIGNER, setup="existing-output", code=6, needles=("--force",)),
    # issue 15: attacks beyond the first table
    Case("email-kodiertes-wort", replaced("vertreten_durch: Max Mustermann",
                                          "vertreten_durch: '=?utf-8?q?Max=0D=0ABcc=3A_x=40evil.example?='"),
         command=("email",), args=["-o", "{tmp}/entwurf.eml"],
         needles=("auftraggeber.vertreten_durch", ":18:", "=?…?=")),
    Case("email-kodiertes-wort-im-titel", replaced("titel: Neugestaltung des Markenauftritts",
                                                   "titel: 'Logo =?utf-8?b?PGV2aWxAeC5leGFtcGxlPg==?='"),
         command=("email",), args=["-o", "{tmp}/entwurf.eml"], needles=("projekt.titel", "=?…?=")),
    Case("bibliothek-link-nach-aussen", DESIGNER, setup="library:link-out", code=4,
         needles=("reference.docx", "aus der Bibliothek hinaus")),
    Case("bibliothek-absoluter-pfad", DESIGNER, setup="library:absolute-reference", code=4,
         needles=("library.yaml:", "reference_docx", "absoluter Pfad")),
    Case("bibliothek-fifo", DESIGNER, setup="library:fifo", code=4,
         needles=("clauses/zz-fifo.md", "FIFO")),
    Case("bibliothek-link-auf-geraet", DESIGNER, setup="library:device-link", code=4,
         needles=("clauses/zz-null.md", "aus der Bibliothek hinaus")),
    Case("muster-verschachtelt", DESIGNER, setup="library:redos-pattern", code=4,
         needles=("questionnaire.yaml", "auftragnehmer.plz", "verschachtelte Wiederholungen")),
    Case("referenz-zip-bombe", DESIGNER, setup="library:reference-bomb", code=4,
         needles=("reference.docx", "erlaubt sind höchstens 50.000.000")),
    Case("referenz-name-ausbruch", DESIGNER, setup="library:reference-dotdot", code=4,
         needles=("reference.docx", "../../evil.xml", "unzulässigem Namen")),
    Case("referenz-ohne-content-types", DESIGNER, setup="library:reference-no-ct", code=4,
         needles=("reference.docx", "[Content_Types].xml")),
    Case("referenz-ohne-rels", DESIGNER, setup="library:reference-no-rels", code=4,
         needles=("reference.docx", "_rels/.rels")),
    Case("referenz-kopfzeile-kaputt", DESIGNER, setup="library:reference-bad-header", code=4,
         needles=("reference.docx", "Kopfzeile ist kein gültiges XML")),
    Case("referenz-nicht-utf8", DESIGNER, setup="library:reference-latin1", code=4,
         needles=("reference.docx", "[Content_Types].xml ist nicht in UTF-8")),
    Case("klausel-formatbreite", DESIGNER, setup="library:format-width", code=5,
         needles=("vertragsgegenstand.md", "Formatbreite zu groß")),
    Case("klausel-auffuellen", DESIGNER, setup="library:center", code=5,
         needles=("vertragsgegenstand.md", "center")),
    Case("antworten-dev-zero", setup="dev-zero", needles=("größer als 1.000.000 Bytes",)),
    Case("antworten-steuerbyte", replaced("anrede: du", "anrede: du\x01"),
         needles=(":5:", "U+0001")),
    Case("antworten-nel", replaced("  name: Erika Mustermann", "  name: Erika\x85Mustermann"),
         needles=(":7:", "U+0085", "NEL")),
    Case("name-nur-fuellzeichen", replaced("name: Erika Mustermann", "name: \u3164\u3164"),
         needles=("auftragnehmer.name", "U+3164")),
    Case("name-tag-zeichen", replaced("name: Erika Mustermann", "name: Erika\U000e0041\U000e0042"),
         needles=("auftragnehmer.name", "U+E0041")),
    Case("name-bidi-markierung", replaced("name: Erika Mustermann", "name: Erika\u200fMustermann"),
         needles=("auftragnehmer.name", "U+200F")),
    Case("batch-yaml-aliase", setup="batch:aliases", command=("batch",), name="liste.yaml",
         args=["-o", "{tmp}/aus", "--base", str(SAMPLES / "designerin-pauschal.yaml")],
         needles=("liste.yaml", "Anker und Aliase")),
    Case("batch-doppelte-spalte", setup="batch:duplicate-column", command=("batch",),
         name="liste.csv", args=["-o", "{tmp}/aus", "--base", str(SAMPLES / "designerin-pauschal.yaml")],
         needles=("liste.csv:1", "auftraggeber.name", "doppelt")),
    Case("batch-riesige-zelle", setup="batch:huge-cell", command=("batch",), name="liste.csv",
         args=["-o", "{tmp}/aus", "--base", str(SAMPLES / "designerin-pauschal.yaml")],
         needles=("liste.csv:2", "länger als 131.072 Zeichen")),
    Case("vertrag-zip-bombe", setup="contract:bomb", command=("inspect",), name="vertrag.docx",
         needles=("vertrag.docx", "erlaubt sind höchstens")),
    Case("vertrag-name-ausbruch", setup="contract:dotdot", command=("inspect",), name="vertrag.docx",
         needles=("vertrag.docx", "unzulässigem Namen")),
    Case("vertrag-document-xml-kaputt", setup="contract:broken-xml", command=("inspect",),
         name="vertrag.docx", needles=("vertrag.docx", "word/document.xml ist kein gültiges XML")),
    Case("terminal-ohne-utf8", DESIGNER, args=["--format", "md"], code=6,
         env={"PYTHONIOENCODING": "ascii"}, needles=("Terminal", "UTF-8")),
]


def prepare(case: Case, tmp: Path) -> tuple[Path, list[str]]:
    answers = tmp / case.name
    if case.setup.startswith(("library:", "batch:", "contract:")) or case.setup == "dev-zero":
        return prepare_attack(case, tmp, answers)
    if case.setup == "directory":
        answers.mkdir()
    elif case.setup == "huge":
        with answers.open("wb") as stream:
            stream.write(b"# " + b"x" * (50 * 1024 * 1024) + b"\n")
    elif isinstance(case.answers, bytes):
        answers.write_bytes(case.answers)
    elif case.answers is not None:
        answers.write_text(case.answers, encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp)) for a in case.args]
    if case.setup in ("broken-reference", "styleless-reference", "hostile-clause", "slow-clause"):
        library = tmp / "bibliothek"
        shutil.copytree(ROOT / "clause_library", library)
        if case.setup == "broken-reference":
            (library / "reference.docx").write_bytes(b"this is not a zip file")
        elif case.setup == "styleless-reference":
            from docx import Document

            Document().save(str(library / "reference.docx"))
        else:
            clause = library / "clauses" / "vertragsgegenstand.md"
            text = clause.read_text(encoding="utf-8")
            evil = ("{{ ''.__class__.__mro__[1].__subclasses__() }}" if case.setup == "hostile-clause"
                    else "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}")
            head, _, body = text.partition("\n---\n")
            clause.write_text(head + "\n---\n" + evil + "\n" + body, encoding="utf-8")
        args += ["--library", str(library)]
    if case.setup == "existing-output":
        (tmp / "vertrag.docx").write_bytes(b"mein alter Vertrag")
        args += ["-o", str(tmp / "vertrag.docx")]
    return answers, args


def rezipped(source: Path, target: Path, *, drop: tuple[str, ...] = (),
             change: dict[str, Callable[[bytes], bytes]] | None = None,
             extra: tuple[tuple[str, bytes], ...] = ()) -> None:
    """A copy of a DOCX package with parts dropped, changed or added."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info.filename)
            if change and info.filename in change:
                data = change[info.filename](data)
            new.writestr(info.filename, data)
        for name, data in extra:
            new.writestr(name, data)


def prepare_attack(case: Case, tmp: Path, answers: Path) -> tuple[Path, list[str]]:
    """The attacks of issue 15: a hostile library, list or contract."""
    args = [a.replace("{tmp}", str(tmp)) for a in case.args]
    kind = case.setup.split(":", 1)[-1]
    if case.setup == "dev-zero":
        answers.symlink_to("/dev/zero")
        return answers, args
    if case.setup.startswith("library:"):
        answers.write_text(case.answers or DESIGNER, encoding="utf-8")
        library = tmp / "bibliothek"
        shutil.copytree(ROOT / "clause_library", library)
        reference = library / "reference.docx"
        original = tmp / "original.docx"
        shutil.copy(reference, original)
        outside = tmp / "fremd.docx"
        if kind == "link-out":
            shutil.copy(reference, outside)
            reference.unlink()
            reference.symlink_to(outside)
        elif kind == "absolute-reference":
            shutil.copy(reference, outside)
            manifest = library / "library.yaml"
            manifest.write_text(manifest.read_text(encoding="utf-8").replace(
                "reference_docx: reference.docx", f"reference_docx: {outside}"), encoding="utf-8")
        elif kind == "fifo":
            os.mkfifo(library / "clauses" / "zz-fifo.md")
        elif kind == "device-link":
            (library / "clauses" / "zz-null.md").symlink_to("/dev/zero")
        elif kind == "redos-pattern":
            questions = library / "questionnaire.yaml"
            questions.write_text(questions.read_text(encoding="utf-8").replace(
                "{key: plz, type: postcode, country: auftragnehmer.land,",
                "{key: plz, type: text, pattern: '^([0-9]+)+$',", 1), encoding="utf-8")
        elif kind.startswith("reference-"):
            variants = {
                "reference-bomb": {"extra": (("word/media/bombe.bin", b"\0" * 300_000_000),)},
                "reference-dotdot": {"extra": (("../../evil.xml", b"<x/>"),)},
                "reference-no-ct": {"drop": ("[Content_Types].xml",)},
                "reference-no-rels": {"drop": ("_rels/.rels",)},
                "reference-bad-header": {"change": {"word/header1.xml": lambda d: d[:-20]}},
                "reference-latin1": {"change": {"[Content_Types].xml": lambda d: d.replace(
                    b"</Types>", b"<!-- Gr\xfc\xdfe --></Types>")}},
            }
            rezipped(original, reference, **variants[kind])  # type: ignore[arg-type]
        elif kind in ("format-width", "center"):
            clause = library / "clauses" / "vertragsgegenstand.md"
            text = clause.read_text(encoding="utf-8")
            evil = '{{ "%0999999999d" % 1 }}' if kind == "format-width" else '{{ "x".center(10**9) }}'
            head, _, body = text.partition("\n---\n")
            clause.write_text(head + "\n---\n" + evil + "\n" + body, encoding="utf-8")
        original.unlink()
        return answers, args + ["--library", str(library)]
    if case.setup.startswith("batch:"):
        (tmp / "aus").mkdir()
        if kind == "aliases":
            rows = ["- &a {auftraggeber: {name: &n [" + ", ".join(["x"] * 50) + "]}}",
                    "- &b {x: [" + ", ".join(["*n"] * 50) + "]}"] + ["- *b"] * 3000
            answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
        elif kind == "duplicate-column":
            answers.write_text("auftraggeber.name;projekt.titel;auftraggeber.name\nA;B;C\n",
                               encoding="utf-8")
        elif kind == "huge-cell":
            answers.write_text("auftraggeber.name;projekt.titel\nA;" + "x" * 200_000 + "\n",
                               encoding="utf-8")
        return answers, args
    # contract:* — a DOCX someone sent, for inspect
    contract = tmp / "echt.docx"
    subprocess.run([sys.executable, "-m", "contractgen", "generate", str(SAMPLES /
                    "designerin-pauschal.yaml"), "-o", str(contract)], check=True,
                   capture_output=True, timeout=120)
    variants = {"bomb": {"extra": (("word/media/bombe.bin", b"\0" * 300_000_000),)},
                "dotdot": {"extra": (("../../../etc/evil.xml", b"<x/>"),)},
                "broken-xml": {"change": {"word/document.xml": lambda d: d[: len(d) // 2]}}}
    rezipped(contract, answers, **variants[kind])  # type: ignore[arg-type]
    contract.unlink()
    return answers, args


def snapshot(tmp: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(tmp)): (p.read_bytes() if p.is_file() and p.stat().st_size < 10**6 else None)
            for p in sorted(tmp.rglob("*"))}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    answers, args = prepare(case, tmp_path)
    if not any(a in ("-o", "--format") for a in args) and case.command == ("generate",):
        args += ["-o", str(tmp_path / "vertrag.docx")]
    before = snapshot(tmp_path)
    env = {**os.environ, "CONTRACTGEN_TEMPLATE_SECONDS": "1", **case.env}
    env.pop("CONTRACTGEN_DEBUG", None)
    result = subprocess.run([sys.executable, "-m", "contractgen", *case.command, str(answers), *args],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == case.code, output
    assert "Traceback" not in output
    for needle in case.needles:
        assert needle in output, (needle, output)
    if case.code == 3 and case.setup != "directory":
        assert str(answers) in output  # the message names the file
    assert snapshot(tmp_path) == before  # nothing written or changed


def test_every_case_is_documented() -> None:
    documented = DOC.read_text(encoding="utf-8")
    missing = [case.id for case in CASES if f"`{case.id}`" not in documented]
    assert not missing, f"in docs/bad-input.md fehlen: {missing}"


def test_rtl_and_combining_text_is_accepted(tmp_path: Path) -> None:
    answers = tmp_path / "antworten.yaml"
    answers.write_text(replaced("name: Nordlicht Kommunikation GmbH", "name: שלום Cafe\u0301 GmbH"),
                       encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "contractgen", "generate", str(answers), "--format", "md"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "שלום Café GmbH" in result.stdout
