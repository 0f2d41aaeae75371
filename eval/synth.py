"""Presidio-research's ``synth_dataset_v2.json`` as labelled cases.

The file is found at ``$SHARED_DIR/fixtures/pii/presidio_research/`` or, by
default, ``../shared/...`` beside the repository. Its entity names are mapped
to ours (``GOLD_TO_OURS``); types with no counterpart among the personal data
the product redacts are kept out of scope (``OUT_OF_SCOPE`` says why), and
predictions overlapping them count as false positives like any other.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RELATIVE_PATH = Path("fixtures/pii/presidio_research/synth_dataset_v2.json")

GOLD_TO_OURS = {
    "PERSON": "PERSON",
    "STREET_ADDRESS": "STREET_ADDRESS",
    "GPE": "LOCATION",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN_CODE",
    "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_DRIVER_LICENSE": "US_DRIVER_LICENSE",
}
# Scored for recall: the personal data the product redacts in any context.
IN_SCOPE = {
    "PERSON",
    "STREET_ADDRESS",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "US_DRIVER_LICENSE",
}
OUT_OF_SCOPE = {
    "GPE": "every city and country is labelled, also in news and travel sentences; the product "
    "redacts a place only as someone's home (LOCATION) or inside a street address, so "
    "GPE recall is reported but not a target",
    "ORGANIZATION": "companies are not personal data",
    "DATE_TIME": "a date alone does not identify a person",
    "NRP": "nationality, religion, politics: not identifying; redacting them removes meaning",
    "TITLE": "Mr., Dr. ... identify nobody",
    "AGE": "an age alone does not identify a person",
    "ZIP_CODE": "a postal code alone names an area, not a person (inside an address it is "
    "redacted with the address)",
    "DOMAIN_NAME": "website addresses are mostly organisations'",
}


def dataset_path() -> Path:
    shared = os.environ.get("SHARED_DIR")
    base = Path(shared) if shared else REPO.parent / "shared"
    return base / RELATIVE_PATH


def load_cases(path: Path | None = None) -> list[dict]:
    """One single-message case per sample, spans mapped to our entity types
    (spans of out-of-scope types keep their own name, for the record)."""
    samples = json.loads((path or dataset_path()).read_text(encoding="utf-8"))
    return [
        {
            "messages": [sample["full_text"]],
            "spans": [
                {
                    "message": 0,
                    "start": s["start_position"],
                    "end": s["end_position"],
                    "entity_type": GOLD_TO_OURS.get(s["entity_type"], s["entity_type"]),
                }
                for s in sample["spans"]
            ],
        }
        for sample in samples
    ]
