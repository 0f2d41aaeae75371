"""Detection: what is personal data in each text, and which names recur in a
conversation.

Per text (:meth:`Detector.analyze_texts`):

1. Code is hidden from the language model (:mod:`transforms.pii.chat`): spaCy
   sees the message with code characters blanked, comments kept, and
   shouted runs of capitals re-cased (:func:`~transforms.pii.recognizers.
   informal.recased`), same offsets. Regex recognizers see the whole
   message, code included.
2. Presidio's ``AnalyzerEngine`` runs every enabled recognizer of the
   configured entity types (:mod:`transforms.pii.registry`) for the
   message's language (:mod:`transforms.pii.routing`): a message routed to
   German, Spanish ... is not read by the model at all (only its tokenizer
   runs, for Presidio's context words), and its own recognizers run instead
   of those that read the model.
3. Detections below their entity's threshold, prose-only entities (names,
   places, addresses) inside code, and allow-listed values are dropped; the
   other items of an enumeration of names are added; overlaps are resolved by
   score, then length, then position.

Identical texts are analysed once. A text longer than ``max_chars_per_analysis``
is analysed in windows (spaCy's ``max_length``; no text is skipped), and the
windows go through spaCy's ``nlp.pipe`` in batches bounded in texts and
characters (``nlp_batch`` in ``config/pii.yaml``), whose spaCy documents are
freed before the next, so memory does not grow with a conversation's size.
Inside ``nlp.pipe`` the model runs on :data:`SPACY_MINIBATCH` texts at a
time, the size the NER baseline of ``make bench`` uses: a whole batch at
once made arrays too large for the allocator to reuse, and every batch paid
for fresh pages (3.3 times the page faults of the whole run, 1.4 s more
system time per 8,000 messages, measured). Each window is analysed on its own, so
neither size ever changes the result.

Per conversation (:meth:`Detector.propagate`), a name found once is also found
where it recurs ("Maria Gonzalez" in one message, "maria" in a later one;
:mod:`transforms.pii.recurrence`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

import regex as re
from presidio_analyzer import AnalyzerEngine, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii import chat
from transforms.pii.config import PiiConfig
from transforms.pii.lexicon import EMPTY, Lexicon
from transforms.pii.recognizers import SECRET_ENTITIES
from transforms.pii.recognizers.informal import recased
from transforms.pii.recognizers.people import CHAT_WORDS
from transforms.pii.recurrence import (
    CONFIRMED,
    STRONG_RECOGNIZERS,
    RecurrenceFinder,
    names_to_propagate,
)
from transforms.pii.routing import LanguageRouter
from transforms.pii.spans import Span, SpanSet, inside_longer
from transforms.pii.things import is_guess, thing_values

RECOGNIZER_NAME = RecognizerResult.RECOGNIZER_NAME_KEY
SPACY_MINIBATCH = 64  # texts per model call inside nlp.pipe (module docstring)
# The names under which the sidecar records detections made here, not by a recognizer.
PROPAGATED = "ConversationNameRecognizer"
ENUMERATED = "EnumeratedNameRecognizer"

Detections = list[list[RecognizerResult]]


class Piece(NamedTuple):
    """The window ``text[start:end]`` of a text, analysed on its own."""

    text: str
    start: int
    end: int


def check_bounds(config: PiiConfig) -> None:
    """Refuse size bounds that would stop analysis (a window or batch of nothing)."""
    bounds = (
        config.max_chars_per_analysis,
        config.max_texts_per_nlp_batch,
        config.max_chars_per_nlp_batch,
    )
    if min(bounds) < 1:
        raise ValueError("max_chars_per_analysis and nlp_batch bounds must be at least 1")


class Detector:
    """The final detections of texts with one analyzer and one config."""

    def __init__(self, config: PiiConfig, analyzer: AnalyzerEngine):
        check_bounds(config)
        self.config = config
        self.analyzer = analyzer
        self._prose_only = frozenset(config.prose_only_entities)
        recognizers: list[Any] = list(analyzer.registry.recognizers)
        # Recognizers that read names in code and data (keys, git trailers):
        # their names are not held to the prose-only rule.
        self._in_code = frozenset(str(r.name) for r in recognizers if getattr(r, "IN_CODE", False))
        lexicons = [
            r.lexicon for r in recognizers if isinstance(getattr(r, "lexicon", None), Lexicon)
        ]
        self._lexicon: Lexicon = lexicons[0] if lexicons else EMPTY
        # Routing only to the languages the analyzer has recognizers for.
        routing = config.language_routing
        supported = set(getattr(analyzer, "supported_languages", None) or ())
        routable = supported - {config.language}
        languages = tuple(code for code in routing.languages if code in routable)
        self.router = LanguageRouter(replace(routing, languages=languages), config.language)

    def analyze_texts(self, texts: Sequence[str]) -> Detections:
        """Final detections for each text (see the module docstring): only the
        detections are kept, never a batch's spaCy documents."""
        distinct = list(dict.fromkeys(texts))
        hidden = {text: chat.code_without_comments(text) for text in distinct}
        prose = {text: chat.ner_view(text, hidden[text]) for text in distinct}
        language = {text: self.router.language_of(prose[text]) for text in distinct}
        views = {text: recased(prose[text], self._lexicon) for text in distinct}
        raw: dict[str, list[RecognizerResult]] = {text: [] for text in distinct}
        pieces = (
            piece
            for text in distinct
            for piece in windows(text, self.config.max_chars_per_analysis)
        )
        for batch in nlp_batches(
            pieces, self.config.max_texts_per_nlp_batch, self.config.max_chars_per_nlp_batch
        ):
            for piece, results in self._analyze_batch(batch, views, language):
                raw[piece.text].extend(results)
        found = {text: self._final(text, raw[text], SpanSet(hidden[text])) for text in distinct}
        return [found[text] for text in texts]

    def _analyze_batch(
        self, batch: Sequence[Piece], views: dict[str, str], language: dict[str, str]
    ) -> list[tuple[Piece, list[RecognizerResult]]]:
        """Presidio's detections in each piece in its text's language, the
        distinct NER views of the model's pieces through one ``nlp.pipe``
        (routed pieces: the tokenizer only); the spaCy documents die on return."""
        model = self.config.language
        view_of = {piece: views[piece.text][piece.start : piece.end] for piece in batch}
        distinct = list(dict.fromkeys(view_of[p] for p in batch if language[p.text] == model))
        artifacts = {
            view: found
            for view, found in zip(
                distinct,
                self.analyzer.nlp_engine.process_batch(distinct, model, batch_size=SPACY_MINIBATCH)
                if distinct
                else (),
                strict=True,
            )
        }
        return [
            (
                piece,
                [
                    shifted(r, piece.start)
                    for r in self.analyzer.analyze(
                        piece.text[piece.start : piece.end],
                        language=language[piece.text],
                        entities=list(self.config.entities),
                        nlp_artifacts=artifacts[view_of[piece]][1]
                        if language[piece.text] == model
                        else self._tokens_only(view_of[piece]),
                        score_threshold=self.config.lowest_threshold(),
                    )
                ],
            )
            for piece in batch
        ]

    def _tokens_only(self, view: str) -> NlpArtifacts:
        """Presidio's artifacts of a routed piece without the model: the
        tokenizer's tokens, their lowercase text as lemmas (for Presidio's
        context words), no entities."""
        engine: Any = self.analyzer.nlp_engine  # a SpacyNlpEngine (registry.py)
        doc = engine.get_nlp(self.config.language).make_doc(view)
        return NlpArtifacts(
            entities=[],
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            lemmas=[token.lower_ for token in doc],
            nlp_engine=self.analyzer.nlp_engine,
            language=self.config.language,  # the tokenizer's (for its stop words)
        )

    def _final(
        self, text: str, results: Iterable[RecognizerResult], hidden: SpanSet
    ) -> list[RecognizerResult]:
        """A text's detections after thresholds, the code rule, the allow-list,
        enumerations of names and overlaps."""
        kept = self._keep(text, results, hidden)
        kept += self._keep(text, self._enumerated(text, kept), hidden)
        return mark_confirmed(resolve_overlaps(kept, self._prose_only), kept)

    def _keep(
        self, text: str, results: Iterable[RecognizerResult], hidden: SpanSet
    ) -> list[RecognizerResult]:
        """Detections that pass their threshold, the code rule and the allow-list."""
        return [
            r
            for r in results
            if r.score >= self.config.threshold(r.entity_type)
            and not (
                r.entity_type in self._prose_only
                and recognizer_of(r) not in self._in_code
                and hidden.overlaps(r.start, r.end)
            )
            and not self.config.allow_list.permits(r.entity_type, text[r.start : r.end])
        ]

    def _enumerated(self, text: str, kept: Sequence[RecognizerResult]) -> list[RecognizerResult]:
        """The other items of an enumeration of names (:func:`enumerated_names`)."""
        if "PERSON" not in self.config.entities:
            return []
        people = [(r.start, r.end) for r in kept if r.entity_type == "PERSON"]
        return [
            RecognizerResult(
                "PERSON", start, end, 0.5, recognition_metadata={RECOGNIZER_NAME: ENUMERATED}
            )
            for start, end in enumerated_names(text, people, self._lexicon)
        ]

    def propagate(
        self, texts: Sequence[str], detections: Sequence[Sequence[RecognizerResult]]
    ) -> Detections:
        """One conversation's detections (each text's as :meth:`analyze_texts`
        returns them), plus recurrences of the names found in it wherever
        else they occur in prose."""
        if "PERSON" not in self.config.entities:
            return [list(d) for d in detections]
        detections = without_things(texts, detections, self._lexicon)
        finder = RecurrenceFinder(*names_to_propagate(texts, detections, self._lexicon))
        if not finder:
            return [list(d) for d in detections]
        return [
            resolve_overlaps([*found, *recurrences(text, found, finder)], self._prose_only)
            for text, found in zip(texts, detections, strict=True)
        ]


def without_things(
    texts: Sequence[str], detections: Sequence[Sequence[RecognizerResult]], lexicon: Lexicon
) -> Sequence[Sequence[RecognizerResult]]:
    """``detections`` without the guessed names that the conversation uses as
    things' names (:func:`transforms.pii.things.thing_values`)."""
    things = thing_values(texts, detections, lexicon)
    if not things:
        return detections
    return [
        [r for r in found if not (is_guess(r) and text[r.start : r.end] in things)]
        for text, found in zip(texts, detections, strict=True)
    ]


def windows(text: str, limit: int) -> Iterator[Piece]:
    """Pieces of ``text`` no longer than ``limit``, cut at whitespace where
    possible so words are not split."""
    start = 0
    while True:
        if len(text) - start <= limit:
            yield Piece(text, start, len(text))
            return
        cut = text.rfind(" ", start, start + limit)
        cut = cut if cut > start else start + limit
        yield Piece(text, start, cut)
        start = cut


def nlp_batches(pieces: Iterable[Piece], max_texts: int, max_chars: int) -> Iterator[list[Piece]]:
    """Consecutive pieces in batches of at most ``max_texts`` pieces and
    ``max_chars`` characters (a longer piece is a batch of its own)."""
    batch: list[Piece] = []
    chars = 0
    for piece in pieces:
        size = piece.end - piece.start
        if batch and (len(batch) >= max_texts or chars + size > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(piece)
        chars += size
    if batch:
        yield batch


def recurrences(
    text: str, found: Sequence[RecognizerResult], finder: RecurrenceFinder
) -> list[RecognizerResult]:
    """Recurrences of names in ``text`` outside code and outside ``found``
    (non-overlapping detections)."""
    spans = finder.spans(text)
    if not spans:
        return []
    hidden = SpanSet(chat.code_without_comments(text))
    taken = SpanSet((r.start, r.end) for r in found)
    return [
        RecognizerResult(
            "PERSON", start, end, 0.6, recognition_metadata={RECOGNIZER_NAME: PROPAGATED}
        )
        for start, end in spans
        if not hidden.overlaps(start, end) and not taken.overlaps(start, end)
    ]


def resolve_overlaps(
    results: Sequence[RecognizerResult], swallowed: frozenset = frozenset()
) -> list[RecognizerResult]:
    """Non-overlapping detections. A detection of a ``swallowed`` type (names,
    places: the model's guesses) inside a longer detection goes, whatever its
    score: the longer one hides it anyway (a street name the model calls a
    PERSON inside an address). A secret beats any other detection it overlaps:
    its span is exactly the secret (the password in ``https://user:pw@host`` is
    not the local part of an e-mail address). Otherwise the higher score wins,
    then the longer span, the earlier start and the entity name (a total order,
    so the outcome is deterministic)."""
    contained = inside_longer((r.start, r.end) for r in results)
    ranked = sorted(
        (r for r in results if r.entity_type not in swallowed or (r.start, r.end) not in contained),
        key=lambda r: (
            r.entity_type not in SECRET_ENTITIES,
            -r.score,
            -(r.end - r.start),
            r.start,
            r.entity_type,
        ),
    )
    kept: list[RecognizerResult] = []
    taken = SpanSet()
    for result in ranked:
        if not taken.overlaps(result.start, result.end):
            taken.add(result.start, result.end)
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)


def mark_confirmed(
    final: list[RecognizerResult], candidates: Sequence[RecognizerResult]
) -> list[RecognizerResult]:
    """Mark the names of ``final`` that a recognizer of :data:`STRONG_RECOGNIZERS`
    also found (a cue, a key) though another one won the overlap: they
    recur in the conversation like the strong recognizer's own."""
    strong = SpanSet(
        (r.start, r.end)
        for r in candidates
        if r.entity_type == "PERSON" and recognizer_of(r) in STRONG_RECOGNIZERS
    )
    for r in final:
        if r.entity_type == "PERSON" and strong.overlaps(r.start, r.end):
            r.recognition_metadata[CONFIRMED] = True
    return final


def shifted(result: RecognizerResult, offset: int) -> RecognizerResult:
    """A copy of ``result`` moved by ``offset``, keeping its recognizer's name."""
    return RecognizerResult(
        result.entity_type,
        result.start + offset,
        result.end + offset,
        result.score,
        recognition_metadata={RECOGNIZER_NAME: recognizer_of(result)},
    )


def recognizer_of(result: RecognizerResult) -> str:
    """The name of the recognizer that made ``result`` (recorded in the sidecar)."""
    return (result.recognition_metadata or {}).get(RECOGNIZER_NAME, "")


# "Efimiya, Mary, Ariana, Isabel and Jodi": capitalised one- or two-word items
# separated by commas, the last by "and"/"or"/"&".
_ITEM = r"\p{Lu}[\p{L}'’-]*(?:[ \t]\p{Lu}[\p{L}'’-]*)?"
_ENUMERATION = re.compile(
    rf"(?<![\p{{L}}-]){_ITEM}(?:,[ \t]+{_ITEM})+,?[ \t]+(?:and|or|&)[ \t]+{_ITEM}(?![\p{{L}}-])"
)
_ITEM_REGEX = re.compile(_ITEM)
_PAIR = re.compile(r"(?<![\p{L}-])(\p{Lu}\p{Ll}+)[ \t]+(?:and|&)[ \t]+(\p{Lu}\p{Ll}+)(?![\p{L}-])")
# "zainab and piotr", "mirela, yaroslav and nnamdi": lowercase single words.
_LOWER_ITEM = r"\p{Ll}[\p{Ll}'’-]{2,}"
_LOWER_ENUMERATION = re.compile(
    rf"(?<![\p{{L}}-]){_LOWER_ITEM}(?:,[ \t]+{_LOWER_ITEM})*,?[ \t]+(?:and|&)[ \t]+{_LOWER_ITEM}"
    r"(?![\p{L}-])"
)
_LOWER_ITEM_REGEX = re.compile(_LOWER_ITEM)
# Words that announce a list of people: "line-up:", "starring", "guests:".
_PEOPLE_LIST = re.compile(
    r"(?i)\b(?:line-?up|cast|starring|featuring|feat\.|guests?|speakers?|panel(?:ists)?|"
    r"attendees|invitees|invited|players|squad|roster|team\s+members|participants|"
    r"authors|judges|nominees|finalists|winners)\s*(?:is|are|was|were|includes?)?\s*:?\s*$"
)


def enumerated_names(text: str, people: list[Span], lexicon: Lexicon = EMPTY) -> list[Span]:
    """Items of an enumeration that are names because the others are: most
    items already names ("They had 6: Efimiya, Mary, Ariana, Isabel, Teresa
    and Jodi", where the model knows four), or the list announced as people
    ("tonight's line-up: Oyelaran, Castellanos, Kowalczyk and Mbeki"); and
    lowercase words that are no English word coordinated with a name ("lol
    zainab and piotr are coming", where the lexicon knows Piotr). Returns the
    new items' spans."""
    found: list[Span] = []
    for enumeration in _ENUMERATION.finditer(text):
        items = [
            m.span()
            for m in _ITEM_REGEX.finditer(text, enumeration.start(), enumeration.end())
            if text[m.start() : m.end()] not in ("and", "or")
        ]
        named = [i for i in items if any(s < i[1] and i[0] < e for s, e in people)]
        announced = bool(
            _PEOPLE_LIST.search(text, max(0, enumeration.start() - 40), enumeration.start())
        )
        if announced or (len(items) >= 3 and 2 * len(named) > len(items)):
            found.extend(
                i for i in items if i not in named and text[i[0] : i[1]].lower() not in STOP_WORDS
            )
    if lexicon.english:
        found.extend(_lowercase_items(text, people, lexicon))
    if lexicon.given:
        found.extend(_paired_given_names(text, people, lexicon))
    return found


def _paired_given_names(text: str, people: list[Span], lexicon: Lexicon) -> list[Span]:
    """The other of two words joined by "and" when one is a name and the
    other a given name of the lexicon that the model read as a place
    ("a toast for Savannah and Orla")."""
    found: list[Span] = []
    for pair in _PAIR.finditer(text):
        first, second = pair.span(1), pair.span(2)
        for item, other in ((first, second), (second, first)):
            word = text[item[0] : item[1]]
            if (
                _overlaps(other, people)
                and not _overlaps(item, people)
                and word in lexicon.given
                and not lexicon.ordinary_word(word)
            ):
                found.append(item)
    return found


def _overlaps(item: Span, people: list[Span]) -> bool:
    return any(s < item[1] and item[0] < e for s, e in people)


def _lowercase_items(text: str, people: list[Span], lexicon: Lexicon) -> list[Span]:
    found: list[Span] = []
    for enumeration in _LOWER_ENUMERATION.finditer(text):
        items = [
            m.span()
            for m in _LOWER_ITEM_REGEX.finditer(text, enumeration.start(), enumeration.end())
            if text[m.start() : m.end()] not in ("and",)
        ]
        named = [i for i in items if any(s < i[1] and i[0] < e for s, e in people)]
        others = [i for i in items if i not in named]
        if named and all(
            not lexicon.english_form(text[i[0] : i[1]])
            and text[i[0] : i[1]] not in STOP_WORDS
            and text[i[0] : i[1]] not in CHAT_WORDS
            for i in others
        ):
            found.extend(others)
    return found
