"""Recurrences of the names found in a conversation.

A name found once is redacted wherever it recurs in the conversation, in any
case ("Tiffany Lopez" ... "tiffany"): the whole name and each of its words of
three letters or more, except function words and words that also name things
(so "Will Smith" or "Berg Hills Street" does not make every "will" or "street"
a name). Only names that passed a stricter bar than one guess of the model
recur (:func:`propagates`): a cue, a key, a full name, or a word the lexicon
knows as a name and not as an English word.

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

from transforms.pii.lexicon import EMPTY, Lexicon
from transforms.pii.recognizers.people import NOT_NAMES, ORG_WORDS
from transforms.pii.recognizers.places import STREET_TYPES
from transforms.pii.spans import Span

# Prefix factoring stops this many characters deep (the regex stays shallow).
_TRIE_DEPTH = 40
# Words of a detected name that are not propagated on their own.
NOT_PROPAGATED = frozenset(STOP_WORDS | NOT_NAMES | ORG_WORDS | set(STREET_TYPES.split("|")))
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


# Recognizers whose names passed a cue, a key or a convention that says
# "person": what they find always recurs.
STRONG_RECOGNIZERS = frozenset(
    {"PersonCueRecognizer", "CodeAuthorRecognizer", "DataNameRecognizer", "AddresseeRecognizer"}
    | {"LocalNameCueRecognizer"}  # the cues of the routed languages
)
# Metadata of a name that a strong recognizer found too (detection.mark_confirmed).
CONFIRMED = "confirmed_by_cue"


def names_to_propagate(
    texts: Sequence[str], detections, lexicon: Lexicon = EMPTY
) -> tuple[list[str], list[str]]:
    """The PERSON values detected in ``texts`` that pass the bar of
    :func:`propagates`, and their words that may recur alone: (those that
    recur in any case, those that recur only capitalised). A name found as a single word that
    is also an English word ("Alexander", "Rose") recurs only capitalised, so
    "a rose" or "rose to" stays; the words of a full name recur in any case
    ("Tiffany Lopez" ... "tiffany")."""
    names = {
        text[r.start : r.end]
        for text, found in zip(texts, detections, strict=True)
        for r in found
        if r.entity_type == "PERSON" and propagates(text[r.start : r.end], r, lexicon)
    }
    words = {
        w
        for name in names
        for w in _WORD.findall(name)
        if len(w) >= 3 and w.lower() not in NOT_PROPAGATED and not lexicon.ordinary_word(w)
    }
    single = {n for n in names if len(_WORD.findall(n)) == 1 and lexicon.english_word(n)}
    capitalised = {n[:1].upper() + n[1:] for n in single}
    return sorted((names | words) - single), sorted(capitalised)


def propagates(value: str, result, lexicon: Lexicon) -> bool:
    """Whether a detected name is sure enough to be redacted wherever it
    recurs: it passed a cue, a key or a convention (:data:`STRONG_RECOGNIZERS`),
    or it is a full name (two words or more), or a single word that the
    lexicon knows as a name (if it is also an English word, it recurs only
    capitalised: :func:`names_to_propagate`). A single guess of the model on
    another capitalised word ("Canva", "Notion", "Phoenix") stays where it
    was found: propagating it turned one mistake into dozens."""
    metadata = result.recognition_metadata or {}
    if metadata.get("recognizer_name", "") in STRONG_RECOGNIZERS or metadata.get(CONFIRMED):
        return True
    words = [w for w in _WORD.findall(value) if len(w) > 1]
    if len(words) >= 2:
        return True
    if not words or not lexicon.given:
        return bool(words) and not lexicon.given  # no lexicon: the old rule
    word = words[0]
    return lexicon.known_name(word[:1].upper() + word[1:].lower())


class RecurrenceFinder:
    """Where any of ``names`` occurs in a text as a whole word, in any case,
    and any of ``exact_names`` in its own case."""

    def __init__(self, names: Iterable[str], exact_names: Iterable[str] = ()):
        self._scans = _scans(names, re.IGNORECASE) + _scans(exact_names, 0)

    def __bool__(self) -> bool:
        return bool(self._scans)

    def spans(self, text: str) -> list[Span]:
        return [span for length, scan in self._scans for span in _matches(scan, length, text)]


def _scans(names: Iterable[str], flags: int) -> list:
    """One regex per name length (see the module docstring)."""
    by_length = defaultdict(list)
    for name in sorted(set(names)):
        by_length[len(name)].append(name)
    return [
        (length, re.compile(rf"(?<![\w-])(?={_trie(group)}(?![\w-]))", flags))
        for length, group in sorted(by_length.items())
    ]


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
