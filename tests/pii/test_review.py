"""The P1 review: the independent residual check (dead letters), the optional
density and language exclusions, and their Beam wiring (TestPipeline on the
FnApiRunner)."""

from dataclasses import replace

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from schemas import reasons
from schemas.records import Conversation, Eligible, Message
from tests.beam_options import offline_pipeline
from transforms.outcomes import DEAD_LETTER
from transforms.pii.config import DensityConfig, LanguageConfig, load_pii_config
from transforms.pii.engine import PiiEngine
from transforms.pii.redaction import EXCLUDED, RedactPii
from transforms.pii.residual import CHECKS, residual_findings
from transforms.pii.review import PiiRejection

ALLOW = load_pii_config().allow_list
KEY = "sk-proj-" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3k"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("write to maria.gonzalez@fastmail.com", "EMAIL_ADDRESS"),
        ("call +44 20 7946 0321", "PHONE_NUMBER"),
        ("call (415) 867-5309", "PHONE_NUMBER"),
        ("card 4532 0151 1283 0366", "CREDIT_CARD"),
        ("iban DE89 3704 0044 0532 0130 00", "IBAN_CODE"),
        ("ssn 460-89-9847", "US_SSN"),
        ("from 81.2.69.142", "IP_ADDRESS"),
        ("key " + KEY, "SECRET"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE", "SECRET"),
    ],
)
def test_residual_check_finds_each_kind(text, kind):
    assert residual_findings([text], list(CHECKS), ALLOW) == [(0, kind)]


@pytest.mark.parametrize(
    "text",
    [
        "write to <EMAIL_ADDRESS_1> or noreply@test.invalid",
        "router 192.168.1.1, docs 203.0.113.9, version 1.2.3",
        "card 4532 0151 1283 0367 (Luhn fails)",
        "ssn 987-65-4321 (9xx never issued)",
        "iban DE00 3704 0044 0532 0130 00 (check digits 00)",
        "key sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx and ghp_aaaaaaaaaaaaaaaaaaaaaaaa",
        "dates 2024-05-01 10:22:01",
    ],
)
def test_residual_check_ignores_placeholders_invalid_and_allowed_values(text):
    assert residual_findings([text], list(CHECKS), ALLOW) == []


def conversation(cid, *texts, source="chatgpt_free"):
    return Eligible(
        Conversation(
            cid,
            source,
            0,
            tuple(Message(("user", "assistant")[i % 2], t) for i, t in enumerate(texts)),
            user_id="u",
            location=f"input:{cid}",
        )
    )


@pytest.fixture(scope="module")
def without_email(pii_engine):
    """An engine whose detectors skip e-mails, so the residual check must catch them."""
    config = replace(
        pii_engine.config,
        entities=tuple(e for e in pii_engine.config.entities if e != "EMAIL_ADDRESS"),
    )
    return PiiEngine(config, analyzer=pii_engine.analyzer)


def test_a_leftover_identifier_is_a_residual_rejection(without_email):
    [outcome] = without_email.process_batch([conversation("c", "hi", "mail bob@fastmail.com")])
    assert isinstance(outcome, PiiRejection) and outcome.dead_letter
    assert outcome.code == reasons.RESIDUAL_PII
    assert "EMAIL_ADDRESS in message 1" in outcome.detail and "bob@" not in outcome.detail


def test_density_policy_excludes_dense_conversations(pii_engine):
    config = replace(
        pii_engine.config,
        density=DensityConfig(enabled=True, max_entities_per_1000_chars=20, min_entities=2),
    )
    engine = PiiEngine(config, analyzer=pii_engine.analyzer)
    dense = conversation("d", "mail a.b@fastmail.com or c.d@proton.me or e.f@web.de")
    sparse = conversation("s", "mail a.b@fastmail.com. " + "Plain words here. " * 20)
    dense_outcome, sparse_outcome = engine.process_batch([dense, sparse])
    assert dense_outcome.code == reasons.PII_DENSITY_EXCEEDED and not dense_outcome.dead_letter
    assert not isinstance(sparse_outcome, PiiRejection)


def test_language_policy_excludes_confidently_unsupported_text(pii_engine):
    config = replace(pii_engine.config, language_filter=LanguageConfig(enabled=True))
    engine = PiiEngine(config, analyzer=pii_engine.analyzer)
    german = conversation(
        "de",
        "Wie kann ich in Python eine Liste umdrehen? Ich habe schon "
        "alles versucht, aber es funktioniert einfach nicht richtig.",
    )
    english = conversation(
        "en",
        "How do I reverse a list in Python? I have tried everything "
        "and it still does not work the way I expect.",
    )
    short = conversation("short", "Danke schön!")
    outcomes = engine.process_batch([german, english, short])
    assert outcomes[0].code == reasons.UNSUPPORTED_LANGUAGE
    assert not isinstance(outcomes[1], PiiRejection) and not isinstance(outcomes[2], PiiRejection)


def test_beam_dead_letters_residual_pii_and_outputs_exclusions():
    config = load_pii_config()
    config = replace(
        config,
        entities=tuple(e for e in config.entities if e != "EMAIL_ADDRESS"),
        density=DensityConfig(enabled=True, max_entities_per_1000_chars=20, min_entities=2),
    )
    clean = conversation("clean", "How do I reverse a list in Python?")
    leaky = conversation("leaky", "mail bob@fastmail.com please")
    dense = conversation("dense", "card 4532 0151 1283 0366, iban DE89 3704 0044 0532 0130 00")
    with offline_pipeline() as p:
        outputs = p | beam.Create([clean, leaky, dense]) | RedactPii(config)
        assert_that(
            outputs.redacted | "Ids" >> beam.Map(lambda r: r.eligible.conversation.conversation_id),
            equal_to(["clean"]),
            label="written",
        )
        assert_that(
            outputs[DEAD_LETTER]
            | "Dead"
            >> beam.Map(
                lambda d: (d.stage, d.error.split(":")[0], d.conversation_id, "bob@" in d.error)
            ),
            equal_to([(reasons.STAGE_PII, reasons.RESIDUAL_PII, "leaky", False)]),
            label="dead letters",
        )
        assert_that(
            outputs[EXCLUDED]
            | "Excluded" >> beam.Map(lambda e: (e.reason, e.source, e.conversation_id)),
            equal_to([(reasons.PII_DENSITY_EXCEEDED, "chatgpt_free", "dense")]),
            label="excluded",
        )
