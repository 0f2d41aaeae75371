"""Every rule of POLICY.md, with cases at its boundaries (pure functions, no Beam)."""

import pytest

from schemas import reasons
from schemas.records import Conversation, Eligible, Exclusion, Message
from schemas.timestamps import DAY, parse_instant
from transforms.policy.config import load_policy
from transforms.policy.facts import (
    DELETED,
    DELETION_POISONED,
    SETTING,
    SETTING_POISONED,
    fold_facts,
)
from transforms.policy.rules import RunContext, decide
from transforms.policy.timeline import ConversationFacts

AS_OF = parse_instant("2026-11-24T00:00:00Z")
CREATED = parse_instant("2026-11-01T12:00:00Z")
A2_DATE = parse_instant("2023-03-01T00:00:00Z")
SECOND = 1_000_000
CONTEXT = RunContext(as_of=AS_OF, policy=load_policy())


def conv(source="chatgpt_free", created_at=CREATED, messages=None, **fields):
    defaults = {"user_id": "u1"}
    if source in ("chatgpt_team", "chatgpt_enterprise"):
        defaults["workspace_id"] = "w1"
    if source == "api":
        defaults = {"org_id": "o1"}
    defaults.update(fields)
    if messages is None:
        messages = (
            Message("user", "How do I sort a list in Python?"),
            Message("assistant", "Use sorted()."),
        )
    return Conversation(
        conversation_id="c1",
        source=source,
        created_at=created_at,
        messages=tuple(messages),
        **defaults,
    )


def facts(**subjects):
    """facts(user=[(tag, value), ...], org=[...]) → ConversationFacts."""
    return ConversationFacts(**{k: fold_facts(v, AS_OF) for k, v in subjects.items()})


def setting(at, enabled):
    return (SETTING, (at, enabled))


NO_FACTS = ConversationFacts()


def reason(c, f=NO_FACTS):
    outcome = decide(c, f, CONTEXT)
    return outcome.reason if isinstance(outcome, Exclusion) else None


# --- D1 -------------------------------------------------------------------


def test_d1_account_deletion_excludes_all_records_of_the_user_whatever_their_date():
    f = facts(user=[(DELETED, CREATED + DAY)])  # deleted after the conversation
    assert reason(conv(), f) == reasons.ACCOUNT_DELETED
    assert reason(conv(created_at=CREATED - 400 * DAY), f) == reasons.ACCOUNT_DELETED


def test_d1_deletion_exactly_at_as_of_counts_and_after_as_of_is_ignored():
    assert reason(conv(), facts(user=[(DELETED, AS_OF)])) == reasons.ACCOUNT_DELETED
    assert reason(conv(), facts(user=[(DELETED, AS_OF + 1)])) is None


def test_d1_applies_to_every_source_carrying_the_user_id():
    f = facts(user=[(DELETED, CREATED)], org=[setting(CREATED - DAY, True)])
    assert reason(conv("api", user_id="u1"), f) == reasons.ACCOUNT_DELETED


def test_d1_malformed_deletion_request_with_readable_user_fails_closed():
    assert reason(conv(), facts(user=[(DELETION_POISONED, None)])) == reasons.ACCOUNT_DELETED


# --- D2 -------------------------------------------------------------------


def test_d2_own_deleted_at_at_or_before_as_of():
    assert reason(conv(deleted_at=AS_OF)) == reasons.CONVERSATION_DELETED
    assert reason(conv(deleted_at=AS_OF + SECOND)) is None


def test_d2_conversation_deletion_request():
    assert reason(conv(), facts(conversation=[(DELETED, CREATED)])) == reasons.CONVERSATION_DELETED
    assert reason(conv(), facts(conversation=[(DELETED, AS_OF + SECOND)])) is None


# --- T1, U1, F1, X1 ---------------------------------------------------------


def test_t1_temporary_chat():
    assert reason(conv(is_temporary=True)) == reasons.TEMPORARY_CHAT


@pytest.mark.parametrize("source", ["Chatgpt_Free", "chatgpt_pro", "", "CHATGPT_PLUS"])
def test_u1_unknown_sources_match_exactly_case_included(source):
    assert reason(conv(source)) == reasons.UNKNOWN_SOURCE


def test_f1_fine_tune_uploads_are_never_trained_on():
    assert reason(conv("api_fine_tune_upload", org_id="o1")) == reasons.FINE_TUNE_UPLOAD


def test_x1_created_after_as_of_boundary():
    assert reason(conv(created_at=AS_OF)) is None
    assert reason(conv(created_at=AS_OF + 1)) == reasons.CREATED_AFTER_AS_OF


# --- A1, A2 and the retention signal ----------------------------------------


def test_a1_api_excluded_without_opt_in_and_admitted_with_one_in_force():
    assert reason(conv("api")) == reasons.API_NOT_OPTED_IN
    assert reason(conv("api"), facts(org=[setting(CREATED, True)])) is None
    assert reason(conv("api"), facts(org=[setting(CREATED + 1, True)])) == reasons.API_NOT_OPTED_IN


def test_a1_api_record_without_org_id_whatever_its_date():
    assert reason(conv("api", org_id=None)) == reasons.API_NOT_OPTED_IN
    assert reason(conv("api", org_id=None, created_at=A2_DATE - DAY)) == reasons.API_NOT_OPTED_IN


def test_a2_old_api_data_defaults_to_on_and_is_excluded_only_when_off_at_creation():
    old = A2_DATE - DAY
    assert reason(conv("api", created_at=old)) is None
    assert (
        reason(conv("api", created_at=old), facts(org=[setting(old - DAY, False)]))
        == reasons.API_OPTED_OUT
    )
    assert (
        reason(
            conv("api", created_at=old), facts(org=[setting(old - DAY, False), setting(old, True)])
        )
        is None
    )


def test_a2_effective_date_boundary_belongs_to_the_new_rule():
    assert reason(conv("api", created_at=A2_DATE - 1)) is None
    assert reason(conv("api", created_at=A2_DATE)) == reasons.API_NOT_OPTED_IN


def test_retention_signal_counts_api_exclusions_older_than_30_days():
    old = decide(conv("api", created_at=AS_OF - 31 * DAY), ConversationFacts(), CONTEXT)
    recent = decide(conv("api", created_at=AS_OF - 29 * DAY), ConversationFacts(), CONTEXT)
    assert old.api_past_retention and not recent.api_past_retention
    team = decide(conv("chatgpt_team", created_at=AS_OF - 90 * DAY), ConversationFacts(), CONTEXT)
    assert team.reason == reasons.TEAM_NOT_OPTED_IN and not team.api_past_retention


# --- B1 -------------------------------------------------------------------


@pytest.mark.parametrize(
    "source,code",
    [
        ("chatgpt_team", reasons.TEAM_NOT_OPTED_IN),
        ("chatgpt_enterprise", reasons.ENTERPRISE_NOT_OPTED_IN),
    ],
)
def test_b1_business_data_needs_the_workspace_opt_in(source, code):
    assert reason(conv(source)) == code
    assert reason(conv(source, workspace_id=None), facts(workspace=[setting(0, True)])) == code
    assert reason(conv(source), facts(workspace=[setting(CREATED - DAY, True)])) is None
    opted_out_again = facts(
        workspace=[setting(CREATED - 2 * DAY, True), setting(CREATED - DAY, False)]
    )
    assert reason(conv(source), opted_out_again) == code


def test_b1_malformed_sharing_event_means_not_sharing():
    f = facts(workspace=[setting(CREATED - DAY, True), (SETTING_POISONED, None)])
    assert reason(conv("chatgpt_team"), f) == reasons.TEAM_NOT_OPTED_IN


# --- C1 -------------------------------------------------------------------


def test_c1_consent_flipped_exactly_at_created_at_is_in_force():
    assert reason(conv(), facts(user=[setting(CREATED, False)])) == reasons.USER_OPTED_OUT
    assert reason(conv(), facts(user=[setting(CREATED + 1, False)])) is None  # going forward only


def test_c1_several_off_on_intervals_each_count():
    user = [
        setting(CREATED - 10 * DAY, False),
        setting(CREATED - 5 * DAY, True),
        setting(CREATED - DAY, False),
        setting(CREATED + DAY, True),
    ]
    assert reason(conv(), facts(user=user)) == reasons.USER_OPTED_OUT
    assert reason(conv(created_at=CREATED - 3 * DAY), facts(user=user)) is None
    assert reason(conv(created_at=CREATED - 7 * DAY), facts(user=user)) == reasons.USER_OPTED_OUT
    assert reason(conv(created_at=CREATED + 2 * DAY), facts(user=user)) is None


def test_c1_two_events_at_the_same_instant_off_wins():
    assert (
        reason(conv(), facts(user=[setting(CREATED, True), setting(CREATED, False)]))
        == reasons.USER_OPTED_OUT
    )


def test_c1_events_after_as_of_are_ignored():
    late = conv(created_at=AS_OF)
    assert reason(late, facts(user=[setting(AS_OF + 1, False)])) is None


def test_c1_malformed_consent_event_with_readable_user_means_opted_out():
    assert reason(conv(), facts(user=[(SETTING_POISONED, None)])) == reasons.USER_OPTED_OUT


# --- C2 -------------------------------------------------------------------


def test_c2_mid_conversation_opt_out_trims_messages_created_while_off():
    messages = [
        Message("user", "first", CREATED),
        Message("assistant", "reply", None),
        Message("user", "during opt-out", CREATED + 2 * DAY),
        Message("user", "back on", CREATED + 4 * DAY),
    ]
    f = facts(user=[setting(CREATED + DAY, False), setting(CREATED + 3 * DAY, True)])
    outcome = decide(conv(messages=messages), f, CONTEXT)
    assert isinstance(outcome, Eligible)
    assert [m.content for m in outcome.conversation.messages] == ["first", "reply", "back on"]
    assert outcome.messages_trimmed_after_opt_out == 1


def test_c2_messages_after_as_of_are_trimmed_for_every_source():
    messages = [Message("user", "in time", CREATED), Message("user", "late", AS_OF + 1)]
    outcome = decide(
        conv("chatgpt_team", messages=messages),
        facts(workspace=[setting(CREATED - DAY, True)]),
        CONTEXT,
    )
    assert [m.content for m in outcome.conversation.messages] == ["in time"]
    assert outcome.messages_trimmed_after_as_of == 1


def test_c2_business_conversations_are_not_trimmed_by_the_users_setting():
    messages = [Message("user", "a", CREATED), Message("user", "b", CREATED + DAY)]
    outcome = decide(
        conv("chatgpt_team", messages=messages),
        facts(workspace=[setting(CREATED - DAY, True)], user=[setting(CREATED + 1, False)]),
        CONTEXT,
    )
    assert len(outcome.conversation.messages) == 2


def test_c2_empty_after_trim_when_no_user_text_remains():
    trimmed_away = [Message("user", "gone", CREATED + 2 * DAY), Message("assistant", "left")]
    assert (
        reason(conv(messages=trimmed_away), facts(user=[setting(CREATED + DAY, False)]))
        == reasons.EMPTY_AFTER_TRIM
    )
    assert (
        reason(conv(messages=[Message("user", "   \n"), Message("assistant", "hi")]))
        == reasons.EMPTY_AFTER_TRIM
    )
    assert reason(conv(messages=[])) == reasons.EMPTY_AFTER_TRIM


# --- precedence ---------------------------------------------------------------


def test_first_matching_rule_in_precedence_order_is_recorded():
    f = facts(user=[(DELETED, CREATED), setting(0, False)])
    assert reason(conv(is_temporary=True, deleted_at=CREATED), f) == reasons.ACCOUNT_DELETED
    assert reason(conv(is_temporary=True, deleted_at=CREATED)) == reasons.CONVERSATION_DELETED
    assert reason(conv("nope", is_temporary=True)) == reasons.TEMPORARY_CHAT
    assert reason(conv("nope", created_at=AS_OF + DAY)) == reasons.UNKNOWN_SOURCE
    assert reason(conv("api_fine_tune_upload", created_at=AS_OF + DAY)) == reasons.FINE_TUNE_UPLOAD
    assert reason(conv("api", created_at=AS_OF + DAY)) == reasons.CREATED_AFTER_AS_OF
