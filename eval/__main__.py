"""``make eval`` / ``python -m eval [--pii-config FILE] [--out DIR]``.

Runs the pipeline's real PII stage (``PiiEngine`` on ``config/pii.yaml``) over
four sets and writes ``docs/eval/results.json`` and ``docs/eval/results.md``:

- presidio-research ``synth_dataset_v2.json`` (``eval.synth``: mapping and scope);
- the chat-shaped set of ``eval.chat_set``;
- the secrets set of ``eval.secrets_set`` (scored on secret types only: its
  texts are not labelled for other personal data);
- the wild secrets set of ``eval.wild_secrets_set`` (formats and syntaxes
  seen in real pastes, and look-alikes; secret types only);
- the clean texts of ``eval.clean_set``: share of characters redacted;
- German, Spanish, French, Italian, Dutch and Portuguese messages of
  ``eval.languages_set`` (clean and personal halves, per language).

Precision, recall and F2 per entity type and overall follow the span-matching
rule of ``eval.scoring``. The run also measures the spaCy pipeline without
tagger, attribute_ruler and lemmatizer, to show what they are kept for.
Offline; about a minute on two cores.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from eval import (
    chat_set,
    clean_set,
    identifiers_set,
    informal_set,
    languages_set,
    people_set,
    secrets_set,
    synth,
    wild_secrets_set,
)
from eval.harness import run_cases
from eval.report import TARGETS, markdown, residual_losses, targets
from eval.scoring import Tally
from transforms.pii.config import load_pii_config
from transforms.pii.engine import PiiEngine
from transforms.pii.recognizers.secrets import SECRET_ENTITIES

OUT = Path(__file__).resolve().parents[1] / "docs" / "eval"
LEAN_COMPONENTS = ("parser", "senter", "tagger", "attribute_ruler", "lemmatizer")


def score(cases: list[dict], outcomes: list[dict], in_scope: set, types=None) -> dict:
    """Tally every message of every case; ``types`` limits the predictions scored."""
    tally = Tally()
    for case, outcome in zip(cases, outcomes, strict=True):
        for index, predicted in enumerate(outcome["predicted"]):
            gold = [s for s in case["spans"] if s["message"] == index]
            tally.add_case(
                gold, [p for p in predicted if types is None or p["entity_type"] in types], in_scope
            )
    report = tally.report()
    report["review"] = _review_counts(outcomes)
    return report


def _review_counts(outcomes: list[dict]) -> dict:
    counts: dict = {}
    for outcome in outcomes:
        counts[outcome["review"]] = counts.get(outcome["review"], 0) + 1
    return dict(sorted(counts.items()))


def labelled_set(engine: PiiEngine, cases: list[dict], types: Sequence[str]) -> dict:
    """A set of labelled positives and unlabelled look-alikes, scored on
    ``types``: per-entity precision, recall and F2, and the look-alikes
    (cases without gold) with any detection of those types."""
    outcomes = run_cases(engine, cases)
    report = score(cases, outcomes, set(types), set(types))
    lookalikes = [
        (case, outcome) for case, outcome in zip(cases, outcomes, strict=True) if not case["spans"]
    ]
    flagged = [
        {"entity_type": p["entity_type"], "text": case["messages"][i][p["start"] : p["end"]]}
        for case, outcome in lookalikes
        for i, found in enumerate(outcome["predicted"])
        for p in found
        if p["entity_type"] in types
    ]
    texts = sum(
        any(p["entity_type"] in types for found in o["predicted"] for p in found)
        for _, o in lookalikes
    )
    return {
        "cases": len(cases),
        **report,
        "lookalikes": {
            "texts": len(lookalikes),
            "texts_flagged": texts,
            "false_positive_rate": round(texts / max(1, len(lookalikes)), 4),
            "flagged": flagged,
        },
    }


def export_over_redaction(engine: PiiEngine, cases: list[dict]) -> dict:
    """Conversations with no person in them, through the whole PII stage
    (name recurrences included): redacted characters, and the ``PERSON``
    placeholders a conversation would get (distinct values)."""
    outcomes = run_cases(engine, cases)
    chars = sum(len(t) for c in cases for t in c["messages"])
    redacted = sum(p["end"] - p["start"] for o in outcomes for m in o["predicted"] for p in m)
    people: dict = {}
    for case, outcome in zip(cases, outcomes, strict=True):
        for text, found in zip(case["messages"], outcome["predicted"], strict=True):
            for p in found:
                if p["entity_type"] == "PERSON":
                    value = text[p["start"] : p["end"]]
                    people[value] = people.get(value, 0) + 1
    return {
        "conversations": len(cases),
        "chars": chars,
        "redacted_chars": redacted,
        "over_redaction": round(redacted / max(1, chars), 4),
        "person_mentions": sum(people.values()),
        "person_values": dict(sorted(people.items(), key=lambda kv: -kv[1])[:30]),
    }


def over_redaction(engine: PiiEngine, texts: list[str]) -> dict:
    outcomes = run_cases(engine, [{"messages": [t], "spans": []} for t in texts])
    redacted = sum(p["end"] - p["start"] for o in outcomes for p in o["predicted"][0])
    flagged = [
        (t, o["predicted"][0]) for t, o in zip(texts, outcomes, strict=True) if o["predicted"][0]
    ]
    chars = sum(len(t) for t in texts)
    return {
        "texts": len(texts),
        "chars": chars,
        "redacted_chars": redacted,
        "over_redaction": round(redacted / chars, 4),
        "texts_with_redactions": len(flagged),
        "redacted": [
            {"entity_type": p["entity_type"], "text": t[p["start"] : p["end"]]}
            for t, found in flagged
            for p in found
        ],
    }


def evaluate(engine: PiiEngine) -> dict:
    synth_cases = synth.load_cases()
    chat_cases = chat_set.build_cases()
    secret_cases = [
        {"messages": [s["text"]], "spans": [{**g, "message": 0} for g in s["spans"]]}
        for s in secrets_set.build_samples()
    ]
    chat_types = {s["entity_type"] for c in chat_cases for s in c["spans"]}
    synth_outcomes = run_cases(engine, synth_cases)
    places = score(synth_cases, synth_outcomes, {"LOCATION"})["per_entity"]["LOCATION"]
    return {
        "synth_dataset_v2": {
            "samples": len(synth_cases),
            "in_scope": sorted(synth.IN_SCOPE),
            "mapping": synth.GOLD_TO_OURS,
            "out_of_scope": synth.OUT_OF_SCOPE,
            "gpe_recall_not_a_target": places["recall"],
            **score(synth_cases, synth_outcomes, synth.IN_SCOPE),
        },
        "chat": {
            "conversations": len(chat_cases),
            "seed": chat_set.SEED,
            **score(chat_cases, run_cases(engine, chat_cases), chat_types),
        },
        "secrets": {
            "samples": len(secret_cases),
            "seed": secrets_set.SEED,
            **score(
                secret_cases,
                run_cases(engine, secret_cases),
                set(SECRET_ENTITIES),
                set(SECRET_ENTITIES),
            ),
        },
        "clean": over_redaction(engine, clean_set.build_texts()),
        "identifiers": {
            "seed": identifiers_set.SEED,
            **labelled_set(engine, identifiers_set.build_cases(), identifiers_set.TYPES),
        },
        "code_people": {
            "seed": people_set.SEED,
            **labelled_set(engine, people_set.code_cases(), ["PERSON"]),
        },
        "wild_secrets": {
            "seed": wild_secrets_set.SEED,
            **labelled_set(engine, wild_secrets_set.build_cases(), wild_secrets_set.TYPES),
        },
        "informal": {
            "seed": informal_set.SEED,
            **labelled_set(engine, informal_set.build_cases(), informal_set.TYPES),
        },
        "export": export_over_redaction(engine, people_set.export_cases()),
        "languages": {"seed": languages_set.SEED, **languages_set.evaluate(engine)},
    }


def component_effect(config, full: dict) -> dict:
    """Overall F2 with tagger, attribute_ruler and lemmatizer left out too."""
    lean = evaluate(PiiEngine(replace(config, excluded_spacy_components=LEAN_COMPONENTS)))
    return {
        "excluded_now": list(config.excluded_spacy_components),
        "also_excluded_in_comparison": [
            c for c in LEAN_COMPONENTS if c not in config.excluded_spacy_components
        ],
        "overall_f2": {
            name: {"kept": full[name]["overall"]["f2"], "left_out": lean[name]["overall"]["f2"]}
            for name in ("synth_dataset_v2", "chat", "secrets")
        },
        "over_redaction": {
            "kept": full["clean"]["over_redaction"],
            "left_out": lean["clean"]["over_redaction"],
        },
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__.splitlines()[0])
    parser.add_argument("--pii-config", help="PII config to evaluate (default config/pii.yaml)")
    parser.add_argument("--out", default=str(OUT), help="directory for results.json and results.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    config = load_pii_config(args.pii_config)
    results = evaluate(PiiEngine(config))
    results["residual_losses"] = residual_losses(results)
    results["spacy_components"] = component_effect(config, results)
    results["targets"] = targets(results)
    results["config"] = {
        "file": args.pii_config or "config/pii.yaml",
        "model": config.model,
        "entities": list(config.entities),
        "score_threshold": config.score_threshold,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "results.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    print(
        f"written to {out} in {time.perf_counter() - started:.0f} s "
        f"({len(TARGETS)} targets, {sum(t['met'] for t in results['targets'])} met)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
