"""Memory per conversation is bounded: the PII engine sends a conversation's
messages through spaCy in bounded batches and keeps only the detections, and
the batches do not change the redaction. Real Presidio and spaCy."""

import weakref
from dataclasses import replace

import pytest
from presidio_analyzer import RecognizerResult

from bench.conversation_memory import many_messages
from schemas.records import Conversation, Eligible, Message, RedactedConversation
from transforms.pii.engine import PiiEngine
from transforms.pii.registry import TokenBisectingContextEnhancer
from transforms.read.validation import to_conversation

LONG = (
    "The weather report said nothing unusual today. " * 12
    + "Write to maria.gonzalez@fastmail.com please, Maria Gonzalez. "
) * 3


def eligible(cid, *texts):
    roles = ["user", "assistant"]
    return Eligible(
        Conversation(
            cid,
            "chatgpt_free",
            0,
            tuple(Message(roles[i % 2], t) for i, t in enumerate(texts)),
            user_id="u",
        )
    )


CONVERSATIONS = [
    eligible("a", "I am Daniel Kim, call 415-555-0101.", "Sure, Daniel.", "Thanks daniel kim!"),
    eligible(
        "b", LONG, "Did maria answer?", "```python\nuser = 'Maria'  # ask Maria Gonzalez\n```"
    ),
    eligible("c", "Mail bob.stone@proton.me or ping Tiffany Lopez.", "Lopez replied.", LONG),
    eligible("d", "How do I reverse a list in Python?", "Use `lst[::-1]`.", ""),
]


def with_bounds(engine, **bounds):
    """The session's engine (same analyzer) with other size bounds."""
    return PiiEngine(replace(engine.config, **bounds), analyzer=engine.analyzer)


@pytest.fixture
def nlp_calls(pii_engine, monkeypatch):
    """Records, for each nlp.pipe call of the shared analyzer, the texts sent
    and weak references to the NLP artifacts it returned."""
    calls = []
    nlp_engine = pii_engine.analyzer.nlp_engine
    real = nlp_engine.process_batch

    def spy(texts, language, **kwargs):
        texts = list(texts)
        call = {
            "texts": texts,
            "artifacts": [],
            "earlier_alive": sum(
                ref() is not None for earlier in calls for ref in earlier["artifacts"]
            ),
        }
        calls.append(call)
        for text, artifacts in real(texts, language, **kwargs):
            call["artifacts"].append(weakref.ref(artifacts))
            yield text, artifacts

    monkeypatch.setattr(nlp_engine, "process_batch", spy)
    return calls


def test_nlp_batches_respect_the_text_and_character_bounds(pii_engine, nlp_calls):
    engine = with_bounds(
        pii_engine,
        max_chars_per_analysis=200,
        max_texts_per_nlp_batch=3,
        max_chars_per_nlp_batch=500,
    )
    engine.redact_batch(CONVERSATIONS)
    assert len(nlp_calls) > 3
    for call in nlp_calls:
        assert 1 <= len(call["texts"]) <= 3
        assert sum(map(len, call["texts"])) <= 500
    assert max(len(t) for call in nlp_calls for t in call["texts"]) <= 200


def test_a_window_longer_than_the_character_bound_is_a_batch_of_its_own(pii_engine, nlp_calls):
    engine = with_bounds(pii_engine, max_texts_per_nlp_batch=10, max_chars_per_nlp_batch=100)
    engine.analyze_texts(["short one", LONG, "short two"])
    assert [call["texts"] for call in nlp_calls] == [["short one"], [LONG], ["short two"]]


def test_spacy_results_of_a_batch_are_freed_before_the_next(pii_engine, nlp_calls):
    engine = with_bounds(pii_engine, max_texts_per_nlp_batch=2)
    engine.analyze_texts([f"Message {i} from Daniel Kim." for i in range(9)])
    assert len(nlp_calls) == 5
    assert [call["earlier_alive"] for call in nlp_calls] == [0, 0, 0, 0, 0]


def test_identical_texts_of_a_batch_are_analysed_once(pii_engine, nlp_calls):
    engine = with_bounds(pii_engine, max_texts_per_nlp_batch=2)
    detections = engine.analyze_texts(["Hi Daniel Kim", "hello", "Hi Daniel Kim", "hello", "bye"])
    assert [t for call in nlp_calls for t in call["texts"]] == ["Hi Daniel Kim", "hello", "bye"]
    assert detections[0] == detections[2] and detections[0]


@pytest.mark.parametrize(
    "bounds",
    [
        {"max_texts_per_nlp_batch": 1},
        {"max_texts_per_nlp_batch": 2, "max_chars_per_nlp_batch": 150},
        {"max_chars_per_nlp_batch": 1},
    ],
)
def test_redaction_does_not_depend_on_the_nlp_batch_bounds(pii_engine, bounds):
    windows = {"max_chars_per_analysis": 300}  # the windows stay the same; only batches change
    default = with_bounds(pii_engine, **windows).redact_batch(CONVERSATIONS)
    tiny = with_bounds(pii_engine, **windows, **bounds).redact_batch(CONVERSATIONS)
    assert all(isinstance(r, RedactedConversation) for r in default)
    assert tiny == default
    assert "maria.gonzalez@fastmail.com" not in repr([r.messages for r in default])


def test_size_bounds_must_be_positive(pii_engine):
    for bound in ("max_chars_per_analysis", "max_texts_per_nlp_batch", "max_chars_per_nlp_batch"):
        with pytest.raises(ValueError, match="at least 1"):
            with_bounds(pii_engine, **{bound: 0})


def test_context_enhancer_finds_the_token_presidio_finds(pii_engine):
    text = "Call  me at 415-555-0101, said Maria:\n\n  her  e-mail is maria@fastmail.com. "
    [(_, artifacts)] = pii_engine.analyzer.nlp_engine.process_batch([text], "en")
    presidio = TokenBisectingContextEnhancer.__mro__[1]._find_index_of_match_token
    ours = TokenBisectingContextEnhancer()._find_index_of_match_token
    for start in range(len(text.rstrip())):
        assert ours("w", start, artifacts.tokens, artifacts.tokens_indices) == presidio(
            "w", start, artifacts.tokens, artifacts.tokens_indices
        )


def test_a_conversation_of_3000_messages_is_redacted(pii_engine, nlp_calls):
    record = many_messages(3000, seed=11)
    conversation = Eligible(to_conversation(record, "", frozenset()))
    [outcome] = pii_engine.process_batch([conversation])
    assert isinstance(outcome, RedactedConversation)
    assert len(outcome.messages) == 3000
    assert "@mailbox.org" not in repr(outcome.messages)
    assert {"PERSON", "EMAIL_ADDRESS"} <= dict(outcome.entity_counts).keys()
    assert max(len(call["texts"]) for call in nlp_calls) <= (
        pii_engine.config.max_texts_per_nlp_batch
    )
    assert max(sum(map(len, call["texts"])) for call in nlp_calls) <= (
        pii_engine.config.max_chars_per_nlp_batch
    )


def test_recurrences_are_found_across_thousands_of_messages(pii_engine):
    texts = [f"Note {i}: nothing to report." for i in range(600)]
    texts[0] = "My colleague Tiffany Lopez joins tomorrow."
    texts[599] = "Say hi to tiffany and to LOPEZ."
    detections = pii_engine.analyze_texts(texts)
    extended = pii_engine.detect(texts, detections)
    assert [(r.start, r.end) for r in extended[599]] == [(10, 17), (25, 30)]
    assert all(isinstance(r, RecognizerResult) for found in extended for r in found)
