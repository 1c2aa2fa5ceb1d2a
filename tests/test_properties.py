"""Property-based: for answers across the whole questionnaire (valid and near-valid), contractgen
either produces a DOCX, Markdown and e-mail that contain the answered values in German formatting,
or fails with a ContractgenError — never with another exception."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from conftest import SAMPLES, TODAY
from docx import Document as open_docx
from hypothesis import event, given
from hypothesis import strategies as st

from contractgen import build_document, load_answers, render_document
from contractgen.errors import ContractgenError
from contractgen.formatting import format_date, format_money

BASE = yaml.safe_load((SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8"))

valid_text = st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P", "S", "M"]),
                     min_size=1, max_size=60).filter(lambda t: t.strip())
texts = st.one_of(
    valid_text,
    st.sampled_from(["Müller & Söhne", "{{ 7*7 }}", "**fett**", "- Liste", "1. eins", "<b>x</b>",
                     "O'Brien \"Zitat\"", "שלום", "e\u0301", "\\", "[a](b)", "# Titel", "a\tb"]),
)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2, allow_nan=False)

# one deliberate mistake, so near-valid answers are covered too
BREAKS = [
    ("honorar", "betrag", "-5"), ("honorar", "betrag", "viel"), ("honorar", "anzahlung_prozent", 101),
    ("korrekturen", "inklusive_runden", 10000), ("zahlung", "ziel_tage", -1),
    ("auftraggeber", "email", "keine-adresse"), ("auftraggeber", "art", "firma"),
    ("auftragnehmer", "name", "Erika\x00"), ("auftragnehmer", "name", "a\u202eb"),
    ("projekt", "beginn", "2027-02-30"), ("projekt", "leistungen", []), ("honorar", "skonto", 2),
    ("auftragnehmer", "plz", "123"), ("kuendigung", "frist_wochen", "vier"),
]


@st.composite
def tiers(draw: st.DrawFn) -> list[dict[str, int]]:
    days = sorted(draw(st.sets(st.integers(0, 365), min_size=1, max_size=4)), reverse=True)
    percents = sorted(draw(st.lists(st.integers(1, 100), min_size=len(days), max_size=len(days))))
    return [{"tage_vorher": d, "prozent": p} for d, p in zip(days, percents, strict=True)]


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["vertragsart"] = draw(st.sampled_from(["rahmenvertrag", "email-vereinbarung"]))
    data["anrede"] = draw(st.sampled_from(["du", "sie"]))
    data["vertragsschluss"] = draw(st.sampled_from(["fernabsatz", "ausserhalb", "geschaeftsraeume"]))
    data["vertragstyp"] = draw(st.sampled_from(["werkvertrag", "dienstvertrag"]))
    client, freelancer = data["auftraggeber"], data["auftragnehmer"]
    client["art"] = draw(st.sampled_from(["unternehmer", "verbraucher"]))
    client["name"] = draw(texts)
    client["kaufmann"] = draw(st.booleans())
    freelancer["kaufmann"] = draw(st.booleans())
    freelancer["kleinunternehmer"] = draw(st.booleans())
    freelancer["firma"] = draw(texts)
    if draw(st.booleans()):
        client["vertreten_durch"] = draw(texts)
    else:
        del client["vertreten_durch"]
    data["projekt"]["titel"] = draw(texts)
    data["projekt"]["leistungen"] = draw(st.lists(texts, min_size=1, max_size=4))
    data["projekt"]["nicht_enthalten"] = draw(st.lists(texts, max_size=2))
    beginn = draw(st.dates(dt.date(2024, 1, 1), dt.date(2035, 12, 31)))
    data["projekt"]["beginn"] = beginn
    if draw(st.booleans()):
        data["projekt"]["ende"] = beginn + dt.timedelta(days=draw(st.integers(1, 400)))
    else:
        del data["projekt"]["ende"]
    fee = data["honorar"]
    fee["modell"] = draw(st.sampled_from(["pauschal", "stunde", "tag"]))
    fee["betrag"] = str(draw(money))
    fee["stundensatz_zusatz"] = str(draw(money.filter(lambda m: m <= 100000)))
    if draw(st.booleans()):
        del fee["anzahlung_prozent"]
    else:
        fee["anzahlung_prozent"] = draw(st.integers(0, 100))
    data["abstimmung"]["inklusive_stunden"] = str(draw(st.decimals("0", "1000", places=1, allow_nan=False)))
    data["korrekturen"]["inklusive_runden"] = draw(st.integers(0, 20))
    if draw(st.booleans()):
        data["korrekturen"]["preis_runde"] = str(draw(money))
    if draw(st.booleans()):
        del data["ausfall"]
    else:
        data["ausfall"]["staffel"] = draw(tiers())
    data["kuendigung"]["frist_wochen"] = draw(st.integers(0, 52))
    data["zahlung"]["ziel_tage"] = draw(st.integers(0, 90))
    if draw(st.booleans()):
        del data["nutzungsrechte"]
    else:
        data["nutzungsrechte"]["art"] = draw(st.sampled_from(["einfach", "ausschliesslich"]))
        data["nutzungsrechte"]["zweck"] = draw(texts)
    if draw(st.booleans()):
        freelancer["iban"] = "DE89 3704 0044 0532 0130 00"
        freelancer["bank"] = draw(texts)
    if data["vertragsart"] == "rahmenvertrag":
        if draw(st.integers(0, 3)) == 0:  # a framework agreement without a project
            del data["projekt"]
        data["einzelauftraege"] = {flag: draw(st.booleans()) for flag in (
            "honorar_abweichend", "zahlungsziel_abweichend", "ausfall_abweichend",
            "nutzungsrechte_abweichend")}
    else:
        del data["unterschrift"]
        if data["vertragstyp"] == "werkvertrag":
            del data["kuendigung"]
    if draw(st.integers(0, 3)) == 0:
        group, key, value = draw(st.sampled_from(BREAKS))
        if isinstance(data.get(group), dict):
            data[group][key] = value
    return data


def clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@given(answers())
def test_valid_or_contractgen_error(library, tmp_path_factory, data: dict[str, Any]) -> None:
    path: Path = tmp_path_factory.mktemp("p") / "antworten.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        parsed = load_answers(path, library=library)
        document = build_document(library, parsed, today=TODAY)
    except ContractgenError as error:
        event(f"rejected: {type(error).__name__}: " + "; ".join(
            f"{p.key}: {p.message[:40]}" for p in error.problems if p.level == "error")[:120])
        return
    event("generated")
    markdown = render_document(document, "md", library=library).decode("utf-8")
    mail = render_document(document, "text", library=library).decode("utf-8")
    docx = render_document(document, "docx", library=library)
    text = "\n".join(p.text for p in open_docx(io.BytesIO(docx)).paragraphs)
    # the Markdown writer escapes syntax characters; read it back as a previewer would show it
    flat_markdown = clean(re.sub(r"\\(.)", r"\1", markdown))
    project = parsed.get("projekt") or {}
    for value in (parsed.get("auftraggeber.name"), project.get("titel"),
                  *(project.get("leistungen") or ())):
        if value is None:
            continue
        assert clean(value) in flat_markdown
        assert clean(value) in clean(text)
    # answers never become Markdown: a CommonMark parser sees exactly the document's headings
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len(headings) == 1 + bool(document.overview) + len(document.sections)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    if parsed.get("honorar.betrag") is not None:
        assert format_money(parsed.get("honorar.betrag")) in markdown
    if project:
        assert clean(format_date(project["beginn"])) in flat_markdown
    assert all(len(line) < 80 for line in mail.splitlines())
