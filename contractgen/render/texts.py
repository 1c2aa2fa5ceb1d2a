"""The parts of a document that are not clauses: the library's texts (titles, parties, overview,
e-mail frame) rendered in the same sandbox, and the lines the engine composes from the answers
(party block, signatures, sign-off) with the library's words (begriffe)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..countries import abroad, country_name, town_lines
from ..formatting import format_date, locale_of
from ..library import Library, evaluate_condition
from ..model import EmailFrame, OverviewRow, Paragraph, Party, Signature, Wording, plain_text
from .clauses import parse_rendered, render_template


class LibraryTexts:
    """The library's non-clause texts (titles, e-mail frame), rendered in the same sandbox."""

    def __init__(self, library: Library, context: Mapping[str, Any]) -> None:
        self.library = library
        self.context = context
        self.where = str(library.root / library.manifest_name)

    def blocks(self, name: str) -> tuple[Paragraph, ...]:
        if name not in self.library.texts:
            return ()
        template = self.library.text_template(name)
        text = render_template(template, self.context, f"texte.{name}")
        return parse_rendered(text, f"texte.{name}", self.where, self.library.wording.quotes)

    def line(self, name: str, **extra: Any) -> str:
        if name not in self.library.texts:
            return ""
        context = {**self.context, **extra} if extra else self.context
        text = render_template(self.library.text_template(name), context, f"texte.{name}")
        blocks = parse_rendered(text, f"texte.{name}", self.where, self.library.wording.quotes)
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
        blocks = parse_rendered(text, "texte.uebersicht", self.where, self.library.wording.quotes)
        return " ".join(plain_text(p.content) for p in blocks).strip()


def email_frame(texts: LibraryTexts, values: Mapping[str, Any], *,
                personal: LibraryTexts | None = None) -> EmailFrame:
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
        signoff=signoff(freelancer, locale_of(texts.library.language)),
        to_name=recipient_name(values["auftraggeber"]),
    )


def recipient_name(client: Mapping[str, Any]) -> str:
    """The client's display name for the To: header: the person addressed, else the client."""
    return str(client.get("vertreten_durch") or client.get("name") or "")


def international(values: Mapping[str, Any]) -> bool:
    """A party outside Germany: then both addresses name their country."""
    return any(abroad((values.get(role) or {}).get("land"))
               for role in ("auftragnehmer", "auftraggeber"))


def party(texts: LibraryTexts, role_text: str, values: Mapping[str, Any], *,
          country: bool = False) -> Party:
    """One party's block; with `country`, the address ends with the country's name (in the
    document's language, from CLDR)."""
    role = texts.line(role_text)
    locale = locale_of(texts.library.language) if country else None
    return Party(role=role, lines=party_lines(values, texts.library.wording, locale),
                 caption=texts.line("parteien_nachfolgend", rolle=role))


def address_lines(party: Mapping[str, Any], locale: str | None = None) -> tuple[str, ...]:
    """Street, postcode and town in the order of the party's country, then (with `locale`)
    the country's name."""
    land = party.get("land")
    lines = [str(party["strasse"]), *town_lines(land, party.get("plz"), str(party["ort"]))]
    if locale is not None and land:
        lines.append(country_name(str(land), locale))
    return tuple(lines)


def party_lines(party: Mapping[str, Any], words: Wording,
                locale: str | None = None) -> tuple[str, ...]:
    lines = [party["name"]]
    if party.get("firma"):
        lines.append(party["firma"])
    if party.get("vertreten_durch"):
        lines.append(f"{words.represented_by} {party['vertreten_durch']}")
    lines.extend(address_lines(party, locale))
    if party.get("register"):   # the client's commercial register entry, as the user wrote it
        lines.append(str(party["register"]))
    lines.append(party["email"])
    if party.get("telefon"):   # Art. 246a § 1 Abs. 1 Nr. 3 EGBGB: the phone with the identity
        lines.append(f"{words.phone} {party['telefon']}")
    # tax identifiers show the freelancer's own business (and belong on every invoice anyway)
    if party.get("steuernummer"):
        lines.append(f"{words.tax_number} {party['steuernummer']}")
    if party.get("ust_id"):
        lines.append(f"{words.vat_id} {party['ust_id']}")
    return tuple(lines)


def signatures(texts: LibraryTexts, values: Mapping[str, Any], locale: str) -> tuple[Signature, ...]:
    signing = values.get("unterschrift") or {}
    place_date = ""
    if signing.get("ort") and signing.get("datum"):
        place_date = f"{signing['ort']}, {format_date(signing['datum'], locale)}"
    caption = texts.line("unterschrift_ort_datum")
    words = texts.library.wording
    return (
        Signature(role=texts.line("rolle_auftragnehmer"), name=values["auftragnehmer"]["name"],
                  place_date=place_date, place_date_caption=caption),
        Signature(role=texts.line("rolle_auftraggeber"), name=signer(values["auftraggeber"], words),
                  place_date_caption=caption),
    )


def signer(client: Mapping[str, Any], words: Wording) -> str:
    if client.get("vertreten_durch"):
        return f"{client['vertreten_durch']} {words.on_behalf} {client['name']}"
    return str(client["name"])


def signoff(freelancer: Mapping[str, Any], locale: str = "de_DE") -> tuple[str, ...]:
    lines = [freelancer["name"]]
    if freelancer.get("firma"):
        lines.append(freelancer["firma"])
    lines.append(", ".join(address_lines(freelancer, locale if abroad(freelancer.get("land"))
                                         else None)))
    lines.append(freelancer["email"])
    if freelancer.get("telefon"):
        lines.append(freelancer["telefon"])
    return tuple(lines)
