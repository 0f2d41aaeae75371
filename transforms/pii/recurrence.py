"""Recurrences of the names found in a conversation.

A name found once is redacted wherever it recurs in the conversation, in any
case ("Tiffany Lopez" ... "tiffany"): the whole name and each of its words of
three letters or more, except function words and words that also name things
(so "Will Smith" or "Berg Hills Street" does not make every "will" or "street"
a name).

A conversation of 50,000 messages can name thousands of people. Scanning
every message once per name costs names × characters; :class:`RecurrenceFinder`
scans once per name *length*, with one regular expression whose alternatives
are factored by common prefixes (a trie: at each word start the regex engine
tries one branch per distinct first letter, not one per name), and finds
exactly the matches that
``re.finditer(rf"(?<![\\w-]){re.escape(name)}(?![\\w-])", text, re.IGNORECASE)``
gives for each name.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from itertools import groupby
from typing import Iterable, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii.recognizers.people import NOT_NAMES, ORG_WORDS
from transforms.pii.recognizers.places import STREET_TYPES
from transforms.pii.spans import Span

# Prefix factoring stops this many characters deep (the regex stays shallow).
_TRIE_DEPTH = 40
# Words of a detected name that are not propagated on their own.
NOT_PROPAGATED = frozenset(STOP_WORDS | NOT_NAMES | ORG_WORDS | set(STREET_TYPES.split("|")))
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def names_to_propagate(texts: Sequence[str], detections) -> list[str]:
    """The PERSON values detected in ``texts`` and their propagated words."""
    names = {
        text[r.start : r.end]
        for text, found in zip(texts, detections, strict=True)
        for r in found
        if r.entity_type == "PERSON"
    }
    words = {
        w
        for name in names
        for w in _WORD.findall(name)
        if len(w) >= 3 and w.lower() not in NOT_PROPAGATED
    }
    return sorted(names | words)


class RecurrenceFinder:
    """Where any of ``names`` occurs in a text as a whole word, in any case."""

    def __init__(self, names: Iterable[str]):
        by_length = defaultdict(list)
        for name in sorted(set(names)):
            by_length[len(name)].append(name)
        self._scans = [
            (length, re.compile(rf"(?<![\w-])(?={_trie(group)}(?![\w-]))", re.IGNORECASE))
            for length, group in sorted(by_length.items())
        ]

    def __bool__(self) -> bool:
        return bool(self._scans)

    def spans(self, text: str) -> list[Span]:
        return [span for length, scan in self._scans for span in _matches(scan, length, text)]


def _trie(names: list[str], depth: int = 0) -> str:
    """A regex matching exactly ``names`` (sorted, of one length), factored by
    common prefixes: ``Anna|Anne|Bobo`` → ``(?:Ann(?:a|e)|Bobo)``."""
    if len(names) == 1 or depth == _TRIE_DEPTH:
        return "(?:" + "|".join(map(re.escape, names)) + ")"
    branches = [
        re.escape(first) + _trie([name[1:] for name in group], depth + 1)
        for first, group in groupby(names, key=lambda name: name[:1])
    ]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _matches(scan: re.Pattern, length: int, text: str) -> list[Span]:
    """The spans where the names of one length occur. ``scan`` reports every
    position where one of them starts; as with ``finditer`` for each name on
    its own, an occurrence inside an earlier occurrence of the same name ("Ann
    Ann" in "Ann Ann Ann") is skipped."""
    spans: list[Span] = []
    covering: deque = deque()  # (start, value) of the kept occurrences still covering the scan
    for match in scan.finditer(text):
        start = match.start()
        while covering and covering[0][0] + length <= start:
            covering.popleft()
        value = text[start : start + length]
        if not any(_same_name(seen, value) for _, seen in covering):
            covering.append((start, value))
            spans.append((start, start + length))
    return spans


def _same_name(a: str, b: str) -> bool:
    """Whether two occurrences are of the same name: equal but for case, as
    ``re.IGNORECASE`` sees it (which also equates "K" and the Kelvin sign)."""
    return a == b or re.fullmatch(re.escape(a), b, re.IGNORECASE) is not None
