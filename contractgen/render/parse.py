"""Parse the rendered Markdown subset (paragraphs, lists, bold) into model paragraphs.

A real Markdown parser (markdown-it-py) with only the rules we allow; HTML, links, headings,
entities and the rest stay plain text, so nothing in a clause or an answer can become markup.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import Inline, ItemList, Paragraph, Ref, Strong, Term, Text
from ..templating import SENTINEL_RE


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("zero").enable(["list", "emphasis", "escape"])


class MarkupError(ValueError):
    """The rendered text uses Markdown outside the supported subset."""


@lru_cache(maxsize=4096)
def parse_blocks(text: str, quotes: tuple[str, str] = ('"', '"')) -> tuple[Paragraph, ...]:
    """Parse rendered text; memoized, since many clauses render identically for many answers
    (the result is immutable, so sharing it is safe). `quotes`: around defined terms."""
    tokens = _parser().parse(text)
    paragraphs: list[Paragraph] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "paragraph_open":
            inline = tokens[index + 1]
            label, content = _inlines(inline.children or [], quotes)
            paragraphs.append(Paragraph(content=content, label=label))
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            index, item_list = _list(tokens, index, quotes)
            if paragraphs:
                last = paragraphs[-1]
                paragraphs[-1] = Paragraph(last.content, last.lists + (item_list,), last.label)
            else:
                paragraphs.append(Paragraph(content=(), lists=(item_list,)))
        else:
            index += 1
    return tuple(paragraphs)


def _list(tokens: list[Token], index: int, quotes: tuple[str, str]) -> tuple[int, ItemList]:
    ordered = tokens[index].type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    depth = 0
    items: list[tuple[Inline, ...]] = []
    index += 1
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            raise MarkupError("verschachtelte Listen werden nicht unterstützt")
        if token.type == close and depth == 0:
            return index + 1, ItemList(ordered=ordered, items=tuple(items))
        if token.type == "list_item_open":
            current: list[Inline] = []
            items.append(())
        elif token.type == "inline":
            _, content = _inlines(token.children or [], quotes)
            current.extend(content)
            items[-1] = tuple(current)
        index += 1
    raise MarkupError("Liste ohne Ende")


def _inlines(children: list[Token], quotes: tuple[str, str],
             ) -> tuple[str | None, tuple[Inline, ...]]:
    label: str | None = None
    stack: list[list[Inline]] = [[]]
    for child in children:
        if child.type == "text":
            for node in _split_sentinels(child.content, quotes):
                if isinstance(node, str):
                    if not any(stack[0]) and label is None and len(stack) == 1 and not stack[0]:
                        label = node
                    else:
                        raise MarkupError(f"absatz({node!r}) muss am Anfang des Absatzes stehen")
                else:
                    stack[-1].append(node)
        elif child.type in ("softbreak", "hardbreak"):
            stack[-1].append(Text(" "))
        elif child.type == "strong_open":
            stack.append([])
        elif child.type == "strong_close":
            inner = stack.pop()
            stack[-1].append(Strong(_merge(inner)))
        elif child.type in ("em_open", "em_close"):
            continue
        else:
            stack[-1].append(Text(child.content))
    while len(stack) > 1:
        inner = stack.pop()
        stack[-1].extend(inner)
    content = _merge(stack[0])
    if content and isinstance(content[0], Text):
        stripped = content[0].text.lstrip()
        content = ((Text(stripped),) if stripped else ()) + content[1:]
    return label, content


def _split_sentinels(text: str, quotes: tuple[str, str]) -> list[Inline | str]:
    """Text with sentinels -> Text and Ref nodes; a label sentinel comes back as a plain str."""
    out: list[Inline | str] = []
    position = 0
    for match in SENTINEL_RE.finditer(text):
        if match.start() > position:
            out.append(Text(text[position:match.start()]))
        kind, payload = match.group(1), match.group(2)
        if kind == "L":
            out.append(payload)
        elif kind in ("D", "T"):
            name, _, form = payload.partition("#")
            out.append(Term(name=name, text=form or name, definition=kind == "D", quotes=quotes))
        else:
            clause_id, _, label = payload.partition("#")
            out.append(Ref(clause_id=clause_id, label=label or None))
        position = match.end()
    if position < len(text):
        out.append(Text(text[position:]))
    return out


def _merge(nodes: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)
