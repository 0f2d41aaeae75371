"""The two baselines, each run in its own process by ``bench.run``:

    python -m bench.methods naive TEXTS.jsonl   # Presidio analyze + anonymize per message
    python -m bench.methods ner TEXTS.jsonl     # raw spaCy nlp.pipe NER, same model

Both build their engine first (not timed), then time one pass over the texts
and print ``{"messages": n, "seconds": s}`` as JSON. Both load the same spaCy
model with the same components as the pipeline's engine. The naive baseline is
Presidio as a user would first run it: its predefined recognizers (with the
e-mail recognizer's public-suffix lookup kept offline), every entity, default
replacement, one message at a time.
"""

from __future__ import annotations

import json
import sys
import time

NER_BATCH_SIZE = 64


def load_texts(path: str) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def naive_presidio(texts: list[str]) -> float:
    """Default ``AnalyzerEngine.analyze`` then ``AnonymizerEngine.anonymize``, per message."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_anonymizer import AnonymizerEngine

    from transforms.pii.config import load_pii_config
    from transforms.pii.recognizers import OfflineEmailRecognizer
    from transforms.pii.registry import LocalSpacyNlpEngine

    config = load_pii_config()
    nlp_engine = LocalSpacyNlpEngine(
        config.model, config.language, config.excluded_spacy_components
    )
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[config.language])
    registry.load_predefined_recognizers(languages=[config.language], nlp_engine=nlp_engine)
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(OfflineEmailRecognizer(supported_language=config.language))
    analyzer = AnalyzerEngine(
        registry=registry, nlp_engine=nlp_engine, supported_languages=[config.language]
    )
    anonymizer = AnonymizerEngine()
    start = time.perf_counter()
    for text in texts:
        anonymizer.anonymize(
            text,
            analyzer.analyze(
                text, language=config.language, score_threshold=config.score_threshold
            ),
        )
    return time.perf_counter() - start


def raw_ner(texts: list[str]) -> float:
    """spaCy's ``nlp.pipe`` with the model as the pipeline loads it: the NER ceiling."""
    import spacy

    from transforms.pii.config import load_pii_config
    from transforms.pii.registry import UNUSED_SPACY_COMPONENTS, resolve_model

    nlp = spacy.load(resolve_model(load_pii_config().model), exclude=list(UNUSED_SPACY_COMPONENTS))
    start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=NER_BATCH_SIZE):
        _ = doc.ents
    return time.perf_counter() - start


METHODS = {"naive": naive_presidio, "ner": raw_ner}


def main(argv: list[str]) -> int:
    method, path = argv
    texts = load_texts(path)
    seconds = METHODS[method](texts)
    print(json.dumps({"messages": len(texts), "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
