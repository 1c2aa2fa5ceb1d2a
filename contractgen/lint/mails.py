"""Checks for the follow-up e-mail templates (mails/*.md): front matter and Jinja syntax, the
variables they use, the clause and paragraphs they quote, and two legal rules (no "Strafe"; the
Ausfallhonorar mail quotes the counter-proof paragraph)."""

from __future__ import annotations

import re

from jinja2 import TemplateSyntaxError

from ..errors import Problem
from .designations import use_findings
from .findings import Finding
from .legal import rules_for
from .rules import Analysis
from .sources import Sources, finding
from .variables import analyse, parse_template, resolve

# a request to pay: in a Werkvertrag only after the Abnahme (§ 641 Abs. 1 BGB)
_PAYMENT_REQUEST = re.compile(r"überweis|zahlen\s+Sie|bezahl|Zahlung\s+bis", re.I)
_DEEMED_ACCEPTANCE = re.compile(r"§\s*640\s+Abs\.\s*2", re.I)


def check_mails(sources: Sources, analysis: Analysis) -> list[Finding]:
    from ..followup import COMPUTED, MAIL_DIR, MAIL_VARIABLES, read_mail_template

    library = sources.library
    assert library is not None
    out: list[Finding] = []
    legal = rules_for(library)   # None: the language is unknown (reported as language-unknown)
    for path in sorted((sources.root / MAIL_DIR).glob("*.md")):
        problems: list[Problem] = []
        template = read_mail_template(path, problems)
        for problem in problems:
            out.append(finding("mail-syntax", "error", problem.message, problem.where))
        if template is None:
            continue
        clause_info = analysis.clauses.get(template.clause)
        clause = library.clause(template.clause)
        where_clause = f"{path}:{template.key_lines.get('klausel', 2)}"
        if clause is None:
            out.append(finding("mail-clause", "error", f"klausel {template.clause!r}: diese "
                               "Klausel gibt es nicht.", where_clause, template.id))
        elif clause_info is not None:
            for label in template.labels:
                if label not in clause_info.labels:
                    out.append(finding(
                        "mail-clause", "error", f"absaetze: Die Klausel {template.clause!r} hat "
                        f"keinen Absatz {label!r} (mit absatz() benennen).",
                        f"{path}:{template.key_lines.get('absaetze', 2)}", template.id))
        if clause is not None and clause.topic == "ausfallhonorar" and \
                "gegenbeweis" not in template.labels:
            out.append(finding("mail-gegenbeweis", "error", "Die E-Mail zum Ausfallhonorar muss "
                               "den Absatz zum Gegenbeweis zitieren (absaetze: [..., gegenbeweis]; "
                               "§ 309 Nr. 5 b BGB).", where_clause, template.id))
        inputs = {q.key for q in template.inputs.questions}
        if _PAYMENT_REQUEST.search(template.body) and "abnahme_am" not in inputs:
            out.append(finding("mail-abnahme", "error", "Die E-Mail bittet um Zahlung, fragt aber "
                               "nicht nach dem Tag der Abnahme: Im Werkvertrag ist die Vergütung "
                               "erst mit der Abnahme fällig (§ 641 Abs. 1 BGB); eingaben braucht "
                               "abnahme_am.", f"{path}:{template.key_lines.get('eingaben', 2)}",
                               template.id))
        if clause is not None and clause.topic == "abnahme" and (
                "fiktion" not in template.labels or not _DEEMED_ACCEPTANCE.search(template.body)):
            out.append(finding("mail-abnahme-hinweis", "error", "Die Bitte um Abnahme muss die "
                               "Regel zur Abnahmefiktion zitieren (absaetze: [fiktion]) und in "
                               "Textform auf die Folge nach § 640 Abs. 2 BGB hinweisen (gegenüber "
                               "Verbrauchern Voraussetzung der Fiktion).", where_clause,
                               template.id))
        computed = set(COMPUTED.get(template.id, ()))
        parts = [(template.body, template.body_line),
                 (template.subject, template.key_lines.get("betreff", 2))]
        if template.quote_intro:
            parts.append((template.quote_intro, template.key_lines.get("zitat_einleitung", 2)))
        for text, line in parts:
            try:
                usage = analyse(parse_template(text, line))
            except TemplateSyntaxError as exc:
                out.append(finding("mail-syntax", "error", f"Jinja-Syntaxfehler: {exc.message}",
                                   f"{path}:{exc.lineno}", template.id))
                continue
            out += use_findings(library, usage.designation_uses(), usage.designation_calls,
                                str(path), template.id)
            for use in usage.uses:
                root = use.path[0]
                where = f"{path}:{use.line}"
                if root in MAIL_VARIABLES:
                    names = inputs if root == "eingabe" else computed if root == "berechnet" \
                        else None
                    if names is not None and len(use.path) > 1 and use.path[1] not in names:
                        out.append(finding("mail-variable", "error", f"{root}.{use.path[1]} "
                                           f"gibt es für diese E-Mail nicht (bekannt: "
                                           f"{', '.join(sorted(names)) or 'keine'}).", where,
                                           template.id))
                    continue
                resolved = resolve(use.path, library.questionnaire)
                if resolved.error:
                    out.append(finding("mail-variable", "error", resolved.error, where,
                                       template.id))
            for call in usage.refs:
                if call.clause_id is None:
                    continue
                target = analysis.clauses.get(call.clause_id)
                if target is None:
                    out.append(finding("mail-clause", "error", f"ref({call.clause_id!r}): diese "
                                       "Klausel gibt es nicht.", f"{path}:{call.line}",
                                       template.id))
                elif call.label is not None and call.label not in target.labels:
                    out.append(finding("mail-clause", "error", f"ref({call.clause_id!r}, "
                                       f"{call.label!r}): diesen Absatz gibt es nicht.",
                                       f"{path}:{call.line}", template.id))
        for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if text.lstrip().startswith(("hinweis", "legal")) or legal is None:
                continue
            if legal.mail_penalty.search(text):
                out.append(finding("mail-penalty", "error", "„Strafe“/„Vertragsstrafe“ in einer "
                                   "E-Mail: ein Ausfallhonorar ist keine Strafe (§ 309 Nr. 6 BGB).",
                                   f"{path}:{number}", template.id))
    return out

