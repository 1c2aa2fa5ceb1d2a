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
from conftest import SAMPLES, SENT, TODAY
from docx import Document as open_docx
from hypothesis import event, given
from hypothesis import strategies as st

from contractgen import build_document, load_answers, render_document
from contractgen.errors import ContractgenError
from contractgen.formatting import format_date, format_money

DRAFT_HEADERS = ("from", "to", "subject", "date", "message-id", "mime-version", "x-unsent",
                 "x-uniform-type-identifier", "x-mozilla-draft-info", "content-type")
BASE = yaml.safe_load((SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8"))

valid_text = st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P", "S", "M"]),
                     min_size=1, max_size=60).filter(lambda t: t.strip())
# pieces an attacker (or an unlucky user) puts into names, titles and list entries. Accepted:
# address syntax, quotes, combining characters, right-to-left scripts, joiners in words and
# emoji. Refused (the answers' checks): encoded words (RFC 2047), line separators, bidi
# controls and marks, fillers, tag characters. Every text draws a refused piece only now and
# then, so that most cases still produce documents.
ACCEPTED_PIECES = ["Tom, <bcc@evil.example>", '"x" <a@evil.example>;', "e\u0301\u0308", "\u05d0\u05b7",
                   "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\U0001f469\u200d\U0001f4bb", "=?",
                   "a\u200cb", "~~", "&amp;", "&#x41;", "\u2764\ufe0f", "Müller\\Söhne", "(a@b.example)"]
REFUSED_PIECES = ["=?utf-8?q?x=0D=0ABcc=3A_a=40evil.example?=", "=?utf-8?b?PGFAZXZpbC5leGFtcGxlPg==?=",
                  "\u2028", "\u0085", "\u202e", "\u200f", "\u061c", "\u2067x\u2069", "\u3164",
                  "\U000e0041", "\u200b"]
pieces = st.lists(st.one_of(st.sampled_from(ACCEPTED_PIECES), valid_text), min_size=1, max_size=4)
texts = st.one_of(
    valid_text,
    st.sampled_from(["Müller & Söhne", "{{ 7*7 }}", "**fett**", "- Liste", "1. eins", "<b>x</b>",
                     "O'Brien \"Zitat\"", "שלום", "e\u0301", "\\", "[a](b)", "# Titel", "a\tb"]),
    pieces.map(" ".join),
    st.integers(0, 11).flatmap(lambda n: (
        st.tuples(pieces, st.sampled_from(REFUSED_PIECES)).map(lambda t: " ".join([*t[0], t[1]]))
        if n == 0 else pieces.map(" ".join))),
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
    client["email"] = draw(st.sampled_from(["max.mustermann@nordlicht.example", "tom@straße.example",
                                            "o'neil+shop@bücher.de", "a@xn--bcher-kva.de"]))
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
    check_draft(render_document(document, "eml", library=library, sent=SENT, attach=True),
                parsed)


def check_draft(data: bytes, parsed: Any) -> None:
    """The .eml has exactly the draft's headers, one sender and one recipient (the answers'
    addresses and names), no other address header, and the project title in the subject."""
    import email
    import email.policy

    from contractgen.mailheaders import ascii_domain, header_text

    def squeezed(text: str) -> str:  # see test_attacks.squeezed
        return "".join(text.split())

    message = email.message_from_bytes(data, policy=email.policy.default)
    head = data.partition(b"\r\n\r\n")[0]
    names = sorted(line.split(b":", 1)[0].decode().lower() for line in head.split(b"\r\n")
                   if line[:1] not in (b" ", b"\t"))
    assert names == sorted(DRAFT_HEADERS)
    for name in ("cc", "bcc", "reply-to", "sender", "resent-to"):
        assert message.get_all(name) is None
    client, freelancer = parsed.get("auftraggeber"), parsed.get("auftragnehmer")
    (to,) = message["To"].addresses
    (sender,) = message["From"].addresses
    for found, address in ((to, client["email"]), (sender, freelancer["email"])):
        local, _, domain = address.rpartition("@")
        assert (found.username, found.domain) == (local, ascii_domain(domain))
    assert squeezed(to.display_name) == squeezed(
        header_text(client.get("vertreten_durch") or client["name"]))
    assert squeezed(sender.display_name) == squeezed(header_text(freelancer["name"]))
    title = (parsed.get("projekt") or {}).get("titel")
    if title is not None:
        assert header_text(title) in str(message["Subject"])
