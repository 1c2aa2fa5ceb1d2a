"""Parse the rendered Markdown subset (paragraphs, lists, bold) into model paragraphs.

A real Markdown parser (markdown-it-py) with only the rules we allow; HTML, links, headings,
entities and the rest stay plain text, so nothing in a clause or an answer can become markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Inline, ItemList, Paragraph, Ref, Strong, Term, Text
from ..templating import SENTINEL_RE

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# texts kept on disk between processes (parses_kept_on_disk): the latest document's first
MAX_KEPT = 256
_FORMAT = "parsed-1"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only when a text is not known yet

    return MarkdownIt("zero").enable(["list", "emphasis", "escape"])


class MarkupError(ValueError):
    """The rendered text uses Markdown outside the supported subset."""


@dataclass
class _Kept:
    entries: dict[tuple[str, tuple[str, str]], tuple[Paragraph, ...]]
    used: dict[tuple[str, tuple[str, str]], None] = field(default_factory=dict)
    changed: bool = False


_KEPT: _Kept | None = None


@contextmanager
def parses_kept_on_disk() -> Iterator[None]:
    """Within this block, parsed texts come from and go to the disk cache (one file of at most
    MAX_KEPT texts, this document's first): a process whose texts are all known there never
    imports or runs the Markdown parser. The result of a parse depends only on the text, the
    quotes, this module and markdown-it-py, and those are the key."""
    global _KEPT
    from ..cache import load_object, store_object

    key = _kept_key()
    entries: dict[tuple[str, tuple[str, str]], tuple[Paragraph, ...]] = {}
    loaded = load_object("parsed", key) if key else None
    if isinstance(loaded, list):
        for item in loaded:
            if (isinstance(item, tuple) and len(item) == 3 and isinstance(item[0], str)
                    and isinstance(item[1], tuple) and len(item[1]) == 2
                    and all(isinstance(q, str) for q in item[1]) and isinstance(item[2], tuple)
                    and all(isinstance(p, Paragraph) for p in item[2])):
                entries[(item[0], (item[1][0], item[1][1]))] = item[2]
    kept = _KEPT = _Kept(entries)
    try:
        yield
    finally:
        _KEPT = None
        if kept.changed and key:
            order = list(kept.used) + [k for k in entries if k not in kept.used]
            store_object("parsed", key, [(text, quotes, kept.entries[(text, quotes)])
                                         for text, quotes in order[:MAX_KEPT]])


@lru_cache(maxsize=1)
def _kept_key() -> str:
    """The versions a parse depends on: the sources of this module, of the model's nodes and
    of markdown-it-py (found without importing it); empty when they cannot be read (then
    nothing is kept)."""
    import hashlib
    import importlib.util
    import sys
    from pathlib import Path

    from .._version import __version__
    from ..model import nodes as _nodes

    try:
        spec = importlib.util.find_spec("markdown_it")
        origin = spec.origin if spec is not None else None
        if origin is None:
            return ""
        parts = [Path(__file__).read_bytes(), Path(origin).read_bytes(),
                 Path(_nodes.__file__ or "").read_bytes()]
    except (OSError, ImportError, ValueError):
        return ""
    digest = hashlib.sha256(f"{_FORMAT}\0{__version__}\0{sys.version}".encode())
    for part in parts:
        digest.update(b"\0" + hashlib.sha256(part).digest())
    return digest.hexdigest()


def parse_blocks(text: str, quotes: tuple[str, str] = ('"', '"')) -> tuple[Paragraph, ...]:
    """Parse rendered text; memoized, since many clauses render identically for many answers
    (the result is immutable, so sharing it is safe), and inside `parses_kept_on_disk` also
    kept between processes. `quotes`: around defined terms."""
    kept = _KEPT
    if kept is None:
        return _parse_blocks(text, quotes)
    key = (text, quotes)
    found = kept.entries.get(key)
    if found is None:
        found = kept.entries[key] = _parse_blocks(text, quotes)
        kept.changed = True
    kept.used[key] = None
    return found


@lru_cache(maxsize=4096)
def _parse_blocks(text: str, quotes: tuple[str, str]) -> tuple[Paragraph, ...]:
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
