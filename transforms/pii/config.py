"""PII settings (``config/pii.yaml``), loaded into a small, picklable dataclass.

The dataclass is shipped to every worker with the model handler (it is part of
the job graph), so it holds plain data only, and no secret: the keyed
operators' key is given as ``pseudonym_key_ref``, a reference to the record-id
key that the engine resolves on the worker (:mod:`transforms.keys`).

The file is checked when it is loaded: an unknown key anywhere (named by its
path, e.g. ``residual_check.enabeld``), a missing ``version``, unknown
operators, recognizer names or fields, entity types that no enabled recognizer
finds and per-type settings for a type not in ``entities`` are a ``ValueError``
that names them (:mod:`transforms.pii.registry`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping, Optional

import yaml

from transforms.keys import KeyRef
from transforms.pii.allow import AllowList
from transforms.pii.locales import ROUTABLE
from transforms.pii.registry import UNUSED_SPACY_COMPONENTS, RecognizerSettings, check_recognizers
from transforms.pii.residual import CHECKS

DEFAULT_PII_CONFIG_PATH = Path(__file__).resolve().parents[2] / "config" / "pii.yaml"
OPERATORS = ("placeholder", "hmac", "surrogate")


@dataclass(frozen=True)
class ResidualCheckConfig:
    """The independent post-redaction check (see ``transforms.pii.residual``)."""

    enabled: bool = True
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class DensityConfig:
    """``pii_density_exceeded``: exclude a conversation with more than
    ``max_entities_per_1000_chars`` redactions per 1,000 characters of text,
    counted only once it has at least ``min_entities`` redactions."""

    enabled: bool = False
    max_entities_per_1000_chars: float = 20.0
    min_entities: int = 5


@dataclass(frozen=True)
class LanguageConfig:
    """``unsupported_language``: exclude a conversation whose user text is,
    with at least ``min_confidence``, in none of ``supported`` languages
    (ISO 639-1); texts shorter than ``min_chars`` are not judged."""

    enabled: bool = False
    supported: tuple[str, ...] = ("en",)
    min_chars: int = 80
    min_confidence: float = 0.9


@dataclass(frozen=True)
class RoutingConfig:
    """``language_routing``: messages identified as one of ``languages``
    (with at least ``min_letters`` letters and ``min_confidence``) are read
    by that language's recognizers instead of the English model's
    (:mod:`transforms.pii.routing`)."""

    enabled: bool = True
    languages: tuple[str, ...] = ("de", "es", "fr", "it", "nl", "pt")
    min_letters: int = 12
    min_confidence: float = 0.9

    def __post_init__(self):
        unknown = sorted(set(self.languages) - set(ROUTABLE))
        if unknown:
            raise ValueError(
                f"language_routing.languages: no recognizers for {unknown}; use {list(ROUTABLE)}"
            )


@dataclass(frozen=True)
class PiiConfig:
    version: str = ""  # of the settings file, recorded in the audit and the outputs
    model: str = "en_core_web_md"
    language: str = "en"
    entities: tuple[str, ...] = ()
    score_threshold: float = 0.4
    score_thresholds: Mapping[str, float] = field(default_factory=dict)
    prose_only_entities: tuple[str, ...] = ("PERSON", "LOCATION", "STREET_ADDRESS")
    excluded_spacy_components: tuple[str, ...] = UNUSED_SPACY_COMPONENTS
    allow_list: AllowList = field(default_factory=AllowList)
    operators: Mapping[str, str] = field(default_factory=dict)
    recognizers: RecognizerSettings = field(default_factory=RecognizerSettings)
    residual_check: ResidualCheckConfig = field(default_factory=ResidualCheckConfig)
    density: DensityConfig = field(default_factory=DensityConfig)
    language_filter: LanguageConfig = field(default_factory=LanguageConfig)
    language_routing: RoutingConfig = field(default_factory=RoutingConfig)
    max_chars_per_analysis: int = 100_000
    max_texts_per_nlp_batch: int = 1_000
    max_chars_per_nlp_batch: int = 200_000
    min_batch_size: int = 8
    max_batch_size: int = 64
    # Where the record-id key is (the pipeline's --record-id-key); the keyed
    # operators (hmac, surrogate) use a key derived from it.
    pseudonym_key_ref: Optional[KeyRef] = None

    def threshold(self, entity_type: str) -> float:
        """The minimum score at which ``entity_type`` is redacted."""
        return self.score_thresholds.get(entity_type, self.score_threshold)

    def lowest_threshold(self) -> float:
        """The lowest threshold of any entity type: what Presidio is asked for."""
        return min([self.score_threshold, *self.score_thresholds.values()])

    def operator(self, entity_type: str) -> str:
        return self.operators.get(entity_type, "placeholder")


def load_pii_config(path: Optional[str] = None, model: Optional[str] = None) -> PiiConfig:
    """Read the PII settings; ``model`` (the --spacy-model flag) overrides the file.
    Raises ValueError for an unreadable file, an unknown operator or a
    ``recognizers`` section or ``entities`` list that does not hold together."""
    source = Path(path) if path else DEFAULT_PII_CONFIG_PATH
    try:
        doc = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read PII config {source}: {exc}") from None
    try:
        check_keys(doc)
        config = _parse(doc, model)
        check_recognizers(config.entities, config.recognizers, config.language)
        _check_entity_settings(config)
    except ValueError as exc:
        raise ValueError(f"PII config {source}: {exc}") from None
    except (TypeError, AttributeError) as exc:  # a list where a mapping belongs, say
        raise ValueError(
            f"PII config {source}: a setting has the wrong type ({type(exc).__name__}: {exc})"
        ) from None
    return config


# The keys the file may hold, per section (a section not listed here is checked
# by its own reader: ``recognizers``; or holds entity types: ``score_thresholds``,
# ``operators``, ``allow_list.patterns``, checked against ``entities``).
_KEYS: dict[str, frozenset] = {
    "": frozenset(
        {
            "version",
            "model",
            "language",
            "excluded_spacy_components",
            "entities",
            "recognizers",
            "score_threshold",
            "score_thresholds",
            "code",
            "allow_list",
            "operators",
            "residual_check",
            "pii_density",
            "language_filter",
            "language_routing",
            "max_chars_per_analysis",
            "batch_size",
            "nlp_batch",
        }
    ),
    "code": frozenset({"prose_only_entities"}),
    "allow_list": frozenset(AllowList.CONFIG_KEYS),
    "residual_check": frozenset(f.name for f in fields(ResidualCheckConfig)),
    "pii_density": frozenset(f.name for f in fields(DensityConfig)),
    "language_filter": frozenset(f.name for f in fields(LanguageConfig)),
    "language_routing": frozenset(f.name for f in fields(RoutingConfig)),
    "batch_size": frozenset({"min", "max"}),
    "nlp_batch": frozenset({"max_texts", "max_chars"}),
}


def check_keys(doc: Mapping) -> None:
    """Every key is one the settings know (a misspelt key would silently leave
    its setting at the default), and the file has a ``version``."""
    if not isinstance(doc, Mapping):
        raise ValueError("the file must hold a mapping of settings")
    for section, known in _KEYS.items():
        body = doc.get(section) if section else doc
        if body is None:
            continue
        if not isinstance(body, Mapping):
            raise ValueError(f"{section} must be a mapping")
        unknown = sorted(str(k) for k in body if k not in known)
        if unknown:
            where = f"{section}." if section else ""
            raise ValueError(
                f"unknown key {where}{unknown[0]}; the keys here are {', '.join(sorted(known))}"
            )
    if not isinstance(doc.get("version"), str) or not doc["version"]:
        raise ValueError('version must be a non-empty string (e.g. version: "2026.12.02-1")')


def _check_entity_settings(config: PiiConfig) -> None:
    """Per-type settings name types the config redacts (and residual kinds the
    residual check knows): a misspelt type would otherwise be ignored."""
    for section, types in (
        ("score_thresholds", config.score_thresholds),
        ("operators", config.operators),
        ("allow_list.patterns", config.allow_list.patterns),
    ):
        unknown = sorted(set(types) - set(config.entities))
        if unknown:
            raise ValueError(f"{section}: {unknown[0]} is not in entities")
    unknown = sorted(set(config.residual_check.entities) - set(CHECKS))
    if unknown:
        raise ValueError(
            f"residual_check.entities: unknown kind {unknown[0]}; the kinds are {sorted(CHECKS)}"
        )


def _parse(doc: Mapping, model: Optional[str]) -> PiiConfig:
    """The settings of a YAML document, with the defaults for what it leaves out."""
    batch = doc.get("batch_size") or {}
    nlp_batch = doc.get("nlp_batch") or {}
    code = doc.get("code") or {}
    operators = {str(k): str(v) for k, v in (doc.get("operators") or {}).items()}
    unknown = sorted(set(operators.values()) - set(OPERATORS))
    if unknown:
        raise ValueError(f"unknown operator(s) {unknown}; use {OPERATORS}")
    defaults = PiiConfig()
    return PiiConfig(
        version=str(doc["version"]),
        model=model or doc.get("model", defaults.model),
        language=doc.get("language", defaults.language),
        entities=tuple(doc.get("entities") or ()),
        score_threshold=float(doc.get("score_threshold", defaults.score_threshold)),
        score_thresholds={k: float(v) for k, v in (doc.get("score_thresholds") or {}).items()},
        prose_only_entities=tuple(code.get("prose_only_entities", defaults.prose_only_entities)),
        excluded_spacy_components=tuple(
            doc.get("excluded_spacy_components", defaults.excluded_spacy_components)
        ),
        allow_list=AllowList.from_config(doc.get("allow_list") or {}),
        operators=operators,
        recognizers=RecognizerSettings.from_config(doc.get("recognizers")),
        residual_check=ResidualCheckConfig(**_section(doc, "residual_check")),
        density=DensityConfig(**_section(doc, "pii_density")),
        language_filter=LanguageConfig(**_section(doc, "language_filter")),
        language_routing=RoutingConfig(**_section(doc, "language_routing")),
        max_chars_per_analysis=int(
            doc.get("max_chars_per_analysis", defaults.max_chars_per_analysis)
        ),
        max_texts_per_nlp_batch=int(nlp_batch.get("max_texts", defaults.max_texts_per_nlp_batch)),
        max_chars_per_nlp_batch=int(nlp_batch.get("max_chars", defaults.max_chars_per_nlp_batch)),
        min_batch_size=int(batch.get("min", defaults.min_batch_size)),
        max_batch_size=int(batch.get("max", defaults.max_batch_size)),
    )


def _section(doc: Mapping, name: str) -> dict:
    """A nested section with list values turned into tuples (hashable, frozen)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in (doc.get(name) or {}).items()}
