"""The exhaustive render: every clause under every reachable combination of the answers it reads.

For each clause the answers it reads (its condition, body and short form; a derived variable
counts as its source keys), the consumer flag, and the conditions of the clauses it refers to
span a value space (questionnaire.yaml gives the values: choices, yes/no, present/absent, empty or
non-empty lists, boundary numbers). The full product is tried when it is small, all-pairs
otherwise. Each combination must select, render and parse; references must point at selected
clauses and existing paragraphs; consumer-only legal rules are checked on the rendered text.
Alternatives in one slot are checked over their conditions, and whole documents are built over
an all-pairs set of every answer any clause reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import TemplateSyntaxError

from ..errors import ContractgenError, RenderError
from ..library import Clause, Library, select_clauses
from ..model import Paragraph, Ref, Section, Strong, plain_text
from ..questionnaire.answers import Answers, canonical_json
from ..questionnaire.schema import Question
from ..render.clauses import render_clause
from ..render.context import template_context
from ..render.document import build_document
from ..terms import DERIVED_SOURCES
from .deals import rendered_findings
from .findings import Finding
from .legal import first_line, rules_for
from .legal_checks import clause_findings, document_findings
from .rules import Analysis, ClauseInfo
from .sources import Sources, finding
from .space import build_values, combinations, describe, domain, example, field_variants
from .variables import analyse, parse_condition, resolve
from .vat import VAT_SOURCES, german_vat_findings, reverse_charge_findings, speaks_of_vat

TODAY = dt.date(2027, 1, 10)


@dataclass
class Stats:
    combinations: int = 0
    documents: int = 0
    strategies: set[str] = field(default_factory=set)
    document_strategy: str = ""


class ValueSpace:
    def __init__(self, library: Library, analysis: Analysis) -> None:
        self.library = library
        self.questionnaire = library.questionnaire
        self.questions: dict[str, Question] = {q.path: q for q in self.questionnaire.walk()}
        self.base = {q.key: example(q) for q in self.questionnaire.questions}
        self.constants: dict[str, list[Any]] = {}
        self.lengths: dict[str, list[int]] = {}
        for info in analysis.clauses.values():
            for path, values in info.constants.items():
                self.constants.setdefault(path, []).extend(values)
            for path, sizes in info.lengths.items():
                self.lengths.setdefault(path, []).extend(int(s) for s in sizes)
        self.gates: dict[str, set[str]] = {}
        for q in self.questionnaire.walk():
            for expression in (q.when, q.optional_when):
                if not expression:
                    continue
                try:
                    usage = analyse(parse_condition(expression, 1))
                except TemplateSyntaxError:
                    continue
                keys = self.gates.setdefault(q.path, set())
                for use in usage.uses:
                    resolved = resolve(use.path, self.questionnaire)
                    if resolved.key:
                        keys.add(resolved.key)
                    elif resolved.derived:
                        keys |= set(DERIVED_SOURCES[resolved.derived])

    def closure(self, keys: Iterable[str]) -> set[str]:
        """The keys plus the keys of the conditions that switch their questions on."""
        result = set(keys)
        todo = list(result)
        while todo:
            key = todo.pop()
            parts = key.split(".")
            for n in range(1, len(parts) + 1):
                for gate in self.gates.get(".".join(parts[:n]), ()):
                    if gate not in result:
                        result.add(gate)
                        todo.append(gate)
                prefix = ".".join(parts[:n])
                q = self.questions.get(prefix)
                if q is not None and q.is_group and q.optional and prefix not in result:
                    result.add(prefix)
                    todo.append(prefix)
        return result

    def parameters(self, keys: Iterable[str]) -> list[tuple[str, list[Any]]]:
        out = []
        for key in sorted(keys):
            q = self.questions.get(key)
            if q is None:
                continue
            values = domain(q, self.constants.get(key, ()), self.lengths.get(key, ()))
            if q.is_group_list:
                fields = {f.key: self.constants.get(f.path, []) for f in q.fields}
                for variant in field_variants(q, fields):
                    if variant not in values:
                        values.append(variant)
            if len(values) > 1:
                out.append((key, values))
        return out

    def answers(self, row: Mapping[str, Any]) -> tuple[dict[str, Any], Answers]:
        values = build_values(self.questionnaire, self.base, row)
        return values, Answers(values=values, source="library check")


def run(sources: Sources, analysis: Analysis, *, clauses_only: bool = False,
        ) -> tuple[list[Finding], Stats]:
    """`clauses_only`: each clause under its combinations, without the slots and whole
    documents (for a language edition, whose selection and structure are the German ones)."""
    library = sources.library
    assert library is not None
    space = ValueSpace(library, analysis)
    found: dict[tuple[str, str, str], Finding] = {}
    stats = Stats()

    def report(item: Finding) -> None:
        key = (item.rule, item.key, item.where)
        old = found.get(key)
        if old is None or (old.level != "error" and item.level == "error"):
            found[key] = item

    broken_conditions = False
    for info in analysis.clauses.values():
        broken_conditions |= _clause(space, info, analysis, report, stats,
                                     german_checks=not clauses_only)
        if broken_conditions:
            break
    if not broken_conditions and not clauses_only:
        _slots(space, analysis, report, stats)
        _documents(space, analysis, report, stats)
    return list(found.values()), stats


def _clause(space: ValueSpace, info: ClauseInfo, analysis: Analysis, report: Any,
            stats: Stats, german_checks: bool = True) -> bool:
    clause = info.source.clause
    library = space.library
    keys = set(info.reads) | set(DERIVED_SOURCES["verbraucher"])
    if clause.topic == "gerichtsstand":
        keys |= set(DERIVED_SOURCES["gerichtsstand_vereinbar"])
    if speaks_of_vat(f"{clause.body}\n{clause.short or ''}"):   # VAT-08 needs the VAT cases
        keys |= set(VAT_SOURCES)
    for ref in info.refs:
        target = analysis.clauses.get(ref.clause_id or "")
        if target is not None:
            keys |= target.when_reads
    rows, strategy = combinations(space.parameters(space.closure(keys)))
    stats.strategies.add(strategy)
    rendered: dict[tuple[str, str], Section | None] = {}
    for row, values, answers, fingerprint in _distinct(space, rows):
        context = template_context(library, answers)
        combo = describe(row, values)
        try:
            selected = select_clauses(library, context)
        except RenderError as exc:
            for problem in exc.problems:
                source = next((s for s in analysis.clauses.values()
                               if s.id == problem.key), None)
                where = source.source.at("when") if source else problem.where
                report(finding("render-failed", "error", f"{problem.message} (bei {combo})",
                               where, problem.key))
            return True
        ids = {c.id for c in selected}
        if clause.id not in ids:
            continue
        stats.combinations += 1
        try:
            section = render_clause(library, clause, context)
        except ContractgenError as exc:
            for problem in exc.problems or ():
                report(finding("render-failed", "error", f"{problem.message} — bei {combo}",
                               problem.where or str(clause.path), clause.id))
            if not exc.problems:
                report(finding("render-failed", "error", f"{exc.message} — bei {combo}",
                               str(clause.path), clause.id))
            continue
        if not section.paragraphs:
            report(finding("render-failed", "error", f"Die Klausel ergibt keinen Text — bei {combo}",
                           f"{clause.path}:{clause.body_line}", clause.id))
        _references(space, info, section, selected, context, fingerprint, rendered, combo, report)
        _consumer_rules(library, info, section, context, combo, report)
        if german_checks and rules_for(library) is not None:   # they read German text
            _vat_rules(info, section, context, combo, report)
            for item in clause_findings(clause, f"{clause.path}:{clause.body_line}", section,
                                        context, combo):
                report(item)
            for item in rendered_findings(info.source, section, context, combo):   # deals.py
                report(item)
    return False


def _refs(paragraphs: Iterable[Paragraph]) -> list[Ref]:
    out: list[Ref] = []

    def inlines(nodes: Iterable[Any]) -> None:
        for node in nodes:
            if isinstance(node, Ref):
                out.append(node)
            elif isinstance(node, Strong):
                inlines(node.children)

    for paragraph in paragraphs:
        inlines(paragraph.content)
        for item_list in paragraph.lists:
            for item in item_list.items:
                inlines(item)
    return out


def _references(space: ValueSpace, info: ClauseInfo, section: Section, selected: tuple[Clause, ...],
                context: Mapping[str, Any], fingerprint: str,
                rendered: dict[tuple[str, str], Section | None], combo: str, report: Any) -> None:
    clause = info.source.clause
    by_id = {c.id: c for c in selected}
    for ref in _refs((*section.paragraphs, *section.short)):
        line = next((r.line for r in info.refs if r.clause_id == ref.clause_id
                     and r.label == ref.label), clause.body_line)
        where = f"{clause.path}:{line}"
        target = by_id.get(ref.clause_id)
        if target is None:
            if space.library.clause(ref.clause_id) is not None:
                report(finding("ref-deselected", "error", f"Verweis auf {ref.clause_id!r}, die bei "
                               f"diesen Antworten nicht im Vertrag steht — bei {combo}",
                               where, clause.id))
            continue
        if ref.label is None:
            continue
        key = (target.id, fingerprint)
        if key not in rendered:
            try:
                rendered[key] = render_clause(space.library, target, context)
            except ContractgenError:
                rendered[key] = None     # reported when the target itself is checked
        target_section = rendered[key]
        if target_section is not None and all(p.label != ref.label
                                              for p in target_section.paragraphs):
            report(finding("ref-label", "error", f"Verweis auf den Absatz {ref.label!r} von "
                           f"{ref.clause_id!r}, den es bei diesen Antworten nicht gibt — bei "
                           f"{combo}", where, clause.id))


def _vat_rules(info: ClauseInfo, section: Section, context: Mapping[str, Any], combo: str,
               report: Any) -> None:
    """VAT-08/VAT-09 (lint/vat.py) on the rendered clause and its short form."""
    clause = info.source.clause
    texts = [" ".join(plain_text(p.content) + " " + " ".join(
        plain_text(i) for lst in p.lists for i in lst.items) for p in part)
        for part in (section.paragraphs, section.short)]
    where = f"{clause.path}:{clause.body_line}"
    for item in (*german_vat_findings(texts, context, combo, where, clause.id),
                 *reverse_charge_findings(clause.topic, texts, context, combo, where, clause.id)):
        report(item)


def _consumer_rules(library: Library, info: ClauseInfo, section: Section,
                    context: Mapping[str, Any], combo: str, report: Any) -> None:
    source = info.source
    clause = source.clause
    text = " ".join(plain_text(p.content) + " " + " ".join(
        plain_text(i) for lst in p.lists for i in lst.items)
        for p in (*section.paragraphs, *section.short)) + " " + clause.title
    consumer = bool(context.get("verbraucher"))
    legal = rules_for(library)   # None: reported once as language-unknown
    if legal is not None and consumer and legal.penalty.search(text):
        report(finding("CXL-03", "error", "Vertragsstrafe/Strafe in einer Klausel für Verbraucher "
                       f"(§ 309 Nr. 6 BGB) — bei {combo}",
                       f"{clause.path}:{first_line(source, legal.penalty)}", clause.id))
    if legal is not None and legal.written_form.search(text):
        where = f"{clause.path}:{first_line(source, legal.written_form)}"
        if consumer:
            report(finding("FORM-01", "error", "Schriftform gegenüber Verbrauchern: höchstens "
                           f"Textform verlangen (§ 309 Nr. 13 BGB) — bei {combo}", where, clause.id))
        else:
            report(finding("AGB-03", "warning", "Schriftformklausel: gegenüber Individualabreden "
                           "wirkungslos (§ 305b BGB); Textform genügt.", where, clause.id))
    if clause.topic == "gerichtsstand" and (consumer or not context.get("gerichtsstand_vereinbar")):
        report(finding("JUR-01", "error", "Gerichtsstandsklausel, obwohl nicht beide Parteien "
                       "Kaufleute sind (§ 38 Abs. 1 ZPO) und der Auftraggeber einen allgemeinen "
                       f"Gerichtsstand in Deutschland hat (§ 38 Abs. 2 ZPO) — bei {combo}",
                       source.at("when")
                       if "when" in source.key_lines else source.at("topic"), clause.id))
    if clause.topic == "ausfallhonorar" and "gegenbeweis" not in clause.safeguards:
        level = "error" if consumer else "warning"
        where = source.at("safeguards") if "safeguards" in source.key_lines else source.at("topic")
        report(finding("CXL-01", level, "Ausfallhonorar ohne ausdrücklichen Gegenbeweis "
                       "(§ 309 Nr. 5 b BGB): safeguards muss gegenbeweis enthalten"
                       + (" (die Klausel gilt auch für Verbraucher)." if consumer else "."),
                       where, clause.id))


def _slots(space: ValueSpace, analysis: Analysis, report: Any, stats: Stats) -> None:
    """Alternatives (same section and order) must never be selected together."""
    slots: dict[tuple[str, int], list[ClauseInfo]] = {}
    for info in analysis.clauses.values():
        clause = info.source.clause
        slots.setdefault((clause.section, clause.order), []).append(info)
    for members in slots.values():
        if len(members) < 2:
            continue
        ids = {m.id for m in members}
        keys = set().union(*(m.when_reads for m in members))
        rows, strategy = combinations(space.parameters(space.closure(keys)))
        stats.strategies.add(strategy)
        for row in rows:
            values, answers = space.answers(row)
            selected = [c.id for c in select_clauses(space.library,
                                                              template_context(space.library, answers))
                        if c.id in ids]
            if len(selected) > 1:
                second = next(m for m in members if m.id == selected[1])
                report(finding("slot-conflict", "error", f"{' und '.join(selected)} stehen beide "
                               "im Vertrag (gleiche section und order, kein replaces) — bei "
                               f"{describe(row, values)}", second.source.at("when")
                               if "when" in second.source.key_lines else second.source.at("id"),
                               second.id))
                break


def _distinct(space: ValueSpace, rows: Iterable[dict[str, Any]],
              ) -> Iterator[tuple[dict[str, Any], dict[str, Any], Answers, str]]:
    """Rows with their answers and the answers' fingerprint, skipping rows whose answers equal
    an earlier row's (after the questions' conditions apply, rows often give the same answers)."""
    seen: set[str] = set()
    for row in rows:
        values, answers = space.answers(row)
        fingerprint = canonical_json(values)
        if fingerprint not in seen:
            seen.add(fingerprint)
            yield row, values, answers, fingerprint


def document_samples(space: ValueSpace, analysis: Analysis,
                     ) -> tuple[Iterator[tuple[dict[str, Any], dict[str, Any], Answers, str]], str]:
    """The whole documents the check builds: an all-pairs set (or the full product, when small)
    of everything the clauses read, rows with equal answers left out; and the strategy's name.
    Each item is (row, answer values, answers, fingerprint)."""
    keys = set().union(*(info.reads for info in analysis.clauses.values())) \
        if analysis.clauses else set()
    rows, strategy = combinations(space.parameters(space.closure(keys)))
    return _distinct(space, rows), strategy


def _documents(space: ValueSpace, analysis: Analysis, report: Any, stats: Stats) -> None:
    """Whole documents over the sample set (document_samples): references resolve."""
    samples, stats.document_strategy = document_samples(space, analysis)
    for row, values, answers, _ in samples:
        stats.documents += 1
        try:
            document = build_document(space.library, answers, today=TODAY)
            context = template_context(space.library, answers, today=TODAY)
            for item in document_findings(space.library, document, context,
                                          describe(row, values),
                                          offer_by_email=document.kind == "email-vereinbarung"):
                report(item)
            if rules_for(space.library) is not None:   # VAT-08 on the fee overview
                for item in german_vat_findings((f"{r.label}: {r.value}" for r in
                                                 document.overview), context,
                                                describe(row, values),
                                                str(space.library.root / "library.yaml")):
                    report(item)
        except ContractgenError as exc:
            combo = describe(row, values)
            for problem in exc.problems or ():
                report(finding("document-refs", "error", f"{problem.message} — bei {combo}",
                               problem.where or str(space.library.root / "library.yaml"),
                               problem.location.clause or problem.key))
            if not exc.problems:
                report(finding("render-failed", "error", f"{exc.message} — bei {combo}",
                               str(space.library.root / "library.yaml")))
        except (KeyError, TypeError, ValueError) as exc:
            report(finding("render-failed", "error", f"Das Dokument lässt sich nicht erzeugen "
                           f"({type(exc).__name__}: {exc}) — bei {describe(row, values)}",
                           str(space.library.root / "library.yaml")))

