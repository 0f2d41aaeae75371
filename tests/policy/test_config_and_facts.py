"""The policy file and the fail-closed handling of malformed control events."""

import pytest
import yaml

from schemas import reasons
from schemas.records import Conversation, Exclusion, FailClosed, Message
from transforms.policy.config import DEFAULT_POLICY_PATH, PolicyError, load_policy, parse_policy
from transforms.policy.facts import DELETION_POISONED, SETTING_POISONED, fragment
from transforms.policy.rules import RunContext, decide
from transforms.policy.timeline import ConversationFacts, Timeline
from transforms.read.forgiving import fail_closed


def default_doc():
    return yaml.safe_load(DEFAULT_POLICY_PATH.read_text())


def test_default_policy_has_an_id_and_version_and_every_source():
    policy = load_policy()
    assert policy.policy_id and policy.version
    assert set(policy.sources) == {
        "chatgpt_free",
        "chatgpt_plus",
        "dalle",
        "chatgpt_team",
        "chatgpt_enterprise",
        "api",
        "api_fine_tune_upload",
    }


def test_a_new_consumer_plan_is_admitted_by_a_policy_change_not_code():
    doc = default_doc()
    doc["sources"]["chatgpt_pro"] = "consumer"
    policy = parse_policy(doc)
    conv = Conversation("c", "chatgpt_pro", 0, (Message("user", "hi"),), user_id="u")
    assert not isinstance(decide(conv, ConversationFacts(), RunContext(10, policy)), Exclusion)
    assert (
        decide(conv, ConversationFacts(), RunContext(10, load_policy())).reason
        == reasons.UNKNOWN_SOURCE
    )


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda d: d["sources"].update(x="nope"), "unknown category"),
        (lambda d: d["categories"]["api"]["gate"].update(subject="planet"), "subject"),
        (
            lambda d: d["categories"]["api"]["dated_rules"][0].update(created_before="2023-03-01"),
            "created_before",
        ),
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["categories"]["consumer"].update(never={"reason": "x"}), "exactly one"),
    ],
)
def test_malformed_policy_files_fail_with_a_clear_message(mutate, message):
    doc = default_doc()
    mutate(doc)
    with pytest.raises(PolicyError, match=message):
        parse_policy(doc)


def test_timeline_default_when_no_event_at_or_before_the_instant():
    timeline = Timeline.of([(10, False)])
    assert timeline.enabled_at(9, default=True) is True
    assert timeline.enabled_at(10, default=True) is False
    assert Timeline.of([], poisoned=True).enabled_at(5, default=True) is False


def test_fail_closed_subjects_are_the_readable_ones_and_become_poisoned_facts():
    def subjects(name, raw):
        return [(f.kind, f.subject_id) for f in fail_closed(name, raw)]

    assert subjects(reasons.CONSENT_EVENTS, {"user_id": "u", "training_enabled": 1}) == [
        ("user", "u")
    ]
    assert subjects(reasons.CONSENT_EVENTS, {"training_enabled": 1}) == []
    assert subjects(reasons.CONSENT_EVENTS, "not an object") == []
    assert subjects(reasons.SHARING_EVENTS, {"scope": "org", "id": "o"}) == [("org", "o")]
    assert subjects(reasons.SHARING_EVENTS, {"scope": "??", "id": "o"}) == [
        ("org", "o"),
        ("workspace", "o"),
    ]
    assert subjects(
        reasons.DELETIONS, {"kind": "account", "user_id": "u", "requested_at": "x"}
    ) == [("user", "u")]
    assert subjects(reasons.DELETIONS, {"kind": "conversation", "conversation_id": "c"}) == [
        ("conversation", "c")
    ]
    assert fragment(FailClosed(reasons.CONSENT_EVENTS, "user", "u")) == (
        ("user", "u"),
        (SETTING_POISONED, None),
    )
    assert fragment(FailClosed(reasons.DELETIONS, "conversation", "c")) == (
        ("conversation", "c"),
        (DELETION_POISONED, None),
    )
