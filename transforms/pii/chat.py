"""Code-aware views of a chat message.

Chat messages mix prose with pasted code. NER on code shreds identifiers
(``getUserName`` becomes a PERSON, ``Logger.warn`` an ORGANIZATION), so the
language model only sees prose: :func:`ner_view` returns the message with the
characters of code blanked. Offsets, line breaks and the length are
unchanged, so spans found in the view are spans of the message. Comments in
code are prose written by a person (``# ask maria lopez``) and stay visible.

Regex recognizers (e-mail, IP, cards, IBAN, secrets ...) run on the whole,
original message, code included: a key pasted in code is still a key.

Code is recognised as in Markdown:

- fenced blocks: a line opening with three or more backticks or tildes, up to
  a closing fence of the same kind (or the end of the message);
- indented blocks: lines indented by four spaces or a tab, after a blank line
  or at the start of the message, and not a list item's continuation;
- inline code: text between matching backtick runs on one line.

Inside code, ``#``, ``//`` and ``-- `` line comments and ``/* ... */`` block
comments are kept as prose.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from transforms.pii.spans import Span, SpanSet

_FENCE_OPEN = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_INLINE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_INDENTED_LINE = re.compile(r"(?:    |\t)[^\n]*\S[^\n]*")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,3}[.)])\s")
_LINE_COMMENT = re.compile(r"(?:(?<=\s)|^)(?:#(?!!)|//|-- )(?P<text>[^\n]*)", re.MULTILINE)
_BLOCK_COMMENT = re.compile(r"/\*(?P<text>.*?)(?:\*/|$)", re.DOTALL)


def fenced_blocks(text: str) -> list[Span]:
    """(start, end) of each fenced code block, fences included."""
    blocks: list[Span] = []
    position = 0
    while True:
        opening = _FENCE_OPEN.search(text, position)
        if not opening:
            return blocks
        fence = opening.group(1)
        closing = re.compile(
            rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE
        ).search(text, opening.end())
        end = closing.end() if closing else len(text)
        blocks.append((opening.start(), end))
        position = end


def indented_blocks(text: str, outside: list[Span]) -> list[Span]:
    """(start, end) of each indented code block that is not inside ``outside``."""
    blocks: list[Span] = []
    fenced = SpanSet(outside)
    previous_blank, previous_list = True, False
    block_start: Optional[int] = None
    block_end = 0
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        inside = fenced.overlaps(start, start + 1)
        indented = not inside and bool(_INDENTED_LINE.fullmatch(line))
        if indented and (block_start is not None or (previous_blank and not previous_list)):
            block_start = start if block_start is None else block_start
            block_end = end
        elif line.strip() or inside:
            if block_start is not None:
                blocks.append((block_start, block_end))
            block_start = None
        if line.strip():
            previous_list = bool(_LIST_ITEM.match(line)) or (previous_list and line[:1].isspace())
        previous_blank = not line.strip()
    if block_start is not None:
        blocks.append((block_start, block_end))
    return blocks


def inline_code(text: str, outside: list[Span]) -> list[Span]:
    """(start, end) of inline code spans (backticks included) outside blocks."""
    blocks = SpanSet(outside)
    return [match.span() for match in _INLINE.finditer(text) if not blocks.overlaps(*match.span())]


def code_regions(text: str) -> list[Span]:
    """Every code region of a message, sorted: fenced, indented and inline."""
    if "`" not in text and "~~~" not in text and "    " not in text and "\t" not in text:
        return []
    fenced = fenced_blocks(text)
    blocks = sorted(fenced + indented_blocks(text, fenced))
    return sorted(blocks + inline_code(text, blocks))


def comments(text: str, region: Span) -> Iterator[Span]:
    """(start, end) of the text of each comment inside one code region,
    without its marker (a ``#`` before a name reads as a number to NER)."""
    start, end = region
    for regex in (_BLOCK_COMMENT, _LINE_COMMENT):
        for match in regex.finditer(text, start, end):
            yield match.start("text"), min(match.end("text"), end)


def code_without_comments(text: str) -> list[Span]:
    """Code regions minus their comments: the characters NER must not see."""
    hidden: list[Span] = []
    for region in code_regions(text):
        cursor = region[0]
        for start, end in sorted(comments(text, region)):
            if start > cursor:
                hidden.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < region[1]:
            hidden.append((cursor, region[1]))
    return hidden


def ner_view(text: str, hidden: list[Span]) -> str:
    """``text`` with every hidden character except line breaks replaced by a
    space: same length, same offsets, same lines. A hidden line starts with a
    full stop instead, so the model reads what follows (a comment) as a new
    sentence rather than as the tail of a run of blanks."""
    if not hidden:
        return text
    chars = list(text)
    for start, end in hidden:
        for i in range(start, end):
            if chars[i] != "\n":
                at_line_start = i == 0 or text[i - 1] == "\n"
                chars[i] = "." if at_line_start else " "
    return "".join(chars)


def overlaps(span: Span, regions: list[Span]) -> bool:
    start, end = span
    return any(s < end and start < e for s, e in regions)
