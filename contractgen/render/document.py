"""Build the Document from a library and answers: select, render, parse, number, resolve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .._version import __version__
from ..library import Library, evaluate_condition, select_clauses
from ..model import (
    ClauseStamp,
    Document,
    EmailFrame,
    OverviewRow,
    Paragraph,
    Party,
    Provenance,
    Signature,
    check_terms,
    number_sections,
    plain_text,
    resolve_references,
)
from ..questionnaire.answers import Answers, canonical_json
from .clauses import parse_rendered, render_clause, render_template
from .context import template_context

# Answer keys the engine reads itself (parties block, signatures, e-mail frame), besides the
# clauses and library texts; the library lint counts them as used.
ENGINE_KEYS = (
    "vertragsart", "unterschrift.ort", "unterschrift.datum",
    "auftragnehmer.name", "auftragnehmer.firma", "auftragnehmer.strasse", "auftragnehmer.plz",
    "auftragnehmer.ort", "auftragnehmer.email", "auftragnehmer.telefon",
    "auftragnehmer.steuernummer", "auftragnehmer.ust_id",
    "auftraggeber.name", "auftraggeber.vertreten_durch", "auftraggeber.strasse",
    "auftraggeber.plz", "auftraggeber.ort", "auftraggeber.email",
)


def build_document(library: Library, answers: Answers, *, today: dt.date) -> Document:
    """The whole pipeline up to the model; `today` is injected (the date of e-mail documents)."""
    context = template_context(library, answers)
    clauses = select_clauses(library, context)
    sections = tuple(render_clause(library, clause, context) for clause in clauses)
    texts = _Texts(library, context)
    values = answers.values
    signing = values.get("unterschrift") or {}
    date = signing.get("datum") or today
    freelancer = values["auftragnehmer"]
    rahmen = values.get("vertragsart") == "rahmenvertrag"
    document = Document(
        kind=str(values.get("vertragsart")),
        title=texts.line("titel"),
        subtitle=texts.line("untertitel"),
        date=date,
        author=freelancer.get("firma") or freelancer["name"],
        parties=(
            _party(texts, "rolle_auftragnehmer", freelancer),
            _party(texts, "rolle_auftraggeber", values["auftraggeber"]),
        ),
        parties_between=texts.line("parteien_zwischen"),
        parties_and=texts.line("parteien_und"),
        preamble=texts.blocks("praeambel"),
        overview_title=texts.line("uebersicht_titel"),
        overview=texts.overview(),
        sections=sections,
        signatures=_signatures(texts, values) if rahmen else (),
        conclusion=() if rahmen else texts.blocks("schluss_email_vereinbarung"),
        email=email_frame(texts, values),
        provenance=provenance(library, tuple(ClauseStamp(c.id, c.version, c.sha256) for c in clauses),
                              answers.digest),
        answers_json=canonical_json(values),
    )
    return check_terms(resolve_references(number_sections(document)))


class _Texts:
    """The library's non-clause texts (titles, e-mail frame), rendered in the same sandbox."""

    def __init__(self, library: Library, context: Mapping[str, Any]) -> None:
        self.library = library
        self.context = context

    def blocks(self, name: str) -> tuple[Paragraph, ...]:
        if name not in self.library.texts:
            return ()
        template = self.library.text_template(name)
        text = render_template(template, self.context, f"texte.{name}")
        return parse_rendered(text, f"texte.{name}", str(self.library.root / "library.yaml"))

    def line(self, name: str, **extra: Any) -> str:
        if name not in self.library.texts:
            return ""
        context = {**self.context, **extra} if extra else self.context
        text = render_template(self.library.text_template(name), context, f"texte.{name}")
        blocks = parse_rendered(text, f"texte.{name}", str(self.library.root / "library.yaml"))
        return " ".join(plain_text(p.content) for p in blocks).strip()

    def overview(self) -> tuple[OverviewRow, ...]:
        """The rows of the library's `uebersicht` whose condition holds, rendered."""
        return tuple(
            OverviewRow(label=self.inline(row["label"]), value=self.inline(row["wert"]))
            for row in self.library.texts.get("uebersicht") or ()
            if row.get("when") is None or evaluate_condition(str(row["when"]), self.context)
        )

    def inline(self, source: str) -> str:
        template = self.library.source_template(str(source))
        text = render_template(template, self.context, "texte.uebersicht")
        blocks = parse_rendered(text, "texte.uebersicht", str(self.library.root / "library.yaml"))
        return " ".join(plain_text(p.content) for p in blocks).strip()


def email_frame(texts: _Texts, values: Mapping[str, Any], *,
                personal: _Texts | None = None) -> EmailFrame:
    """The e-mail around a document: subject, intro and confirmation from `texts`; greeting and
    closing from `personal` (the main library's texts) when given."""
    personal = personal or texts
    freelancer = values["auftragnehmer"]
    return EmailFrame(
        subject=texts.line("email_betreff"),
        to=values["auftraggeber"]["email"],
        sender=freelancer["email"],
        sender_name=freelancer["name"],
        greeting=personal.line("email_anrede"),
        intro=texts.blocks("email_einleitung"),
        confirmation=texts.blocks("email_bestaetigung"),
        closing=personal.line("email_gruss"),
        signoff=_signoff(freelancer),
        to_name=recipient_name(values["auftraggeber"]),
    )


def recipient_name(client: Mapping[str, Any]) -> str:
    """The client's display name for the To: header: the person addressed, else the client."""
    return str(client.get("vertreten_durch") or client.get("name") or "")


def provenance(library: Library, clauses: tuple[ClauseStamp, ...], digest: str) -> Provenance:
    return Provenance(generator=f"contractgen {__version__}", library_name=library.name,
                      library_version=library.version, clauses=clauses, answers_digest=digest)


def _party(texts: _Texts, role_text: str, party: Mapping[str, Any]) -> Party:
    role = texts.line(role_text)
    return Party(role=role, lines=_party_lines(party),
                 caption=texts.line("parteien_nachfolgend", rolle=role))


def _party_lines(party: Mapping[str, Any]) -> tuple[str, ...]:
    lines = [party["name"]]
    if party.get("firma"):
        lines.append(party["firma"])
    if party.get("vertreten_durch"):
        lines.append(f"vertreten durch {party['vertreten_durch']}")
    lines.append(party["strasse"])
    lines.append(f"{party['plz']} {party['ort']}")
    lines.append(party["email"])
    # tax identifiers show the freelancer's own business (and belong on every invoice anyway)
    if party.get("steuernummer"):
        lines.append(f"Steuernummer {party['steuernummer']}")
    if party.get("ust_id"):
        lines.append(f"USt-IdNr. {party['ust_id']}")
    return tuple(lines)


def _signatures(texts: _Texts, values: Mapping[str, Any]) -> tuple[Signature, ...]:
    from ..formatting import format_date

    signing = values.get("unterschrift") or {}
    place_date = ""
    if signing.get("ort") and signing.get("datum"):
        place_date = f"{signing['ort']}, {format_date(signing['datum'])}"
    caption = texts.line("unterschrift_ort_datum")
    return (
        Signature(role=texts.line("rolle_auftragnehmer"), name=values["auftragnehmer"]["name"],
                  place_date=place_date, place_date_caption=caption),
        Signature(role=texts.line("rolle_auftraggeber"), name=_signer(values["auftraggeber"]),
                  place_date_caption=caption),
    )


def _signer(client: Mapping[str, Any]) -> str:
    if client.get("vertreten_durch"):
        return f"{client['vertreten_durch']} für {client['name']}"
    return str(client["name"])


def _signoff(freelancer: Mapping[str, Any]) -> tuple[str, ...]:
    lines = [freelancer["name"]]
    if freelancer.get("firma"):
        lines.append(freelancer["firma"])
    lines.append(f"{freelancer['strasse']}, {freelancer['plz']} {freelancer['ort']}")
    lines.append(freelancer["email"])
    if freelancer.get("telefon"):
        lines.append(freelancer["telefon"])
    return tuple(lines)
