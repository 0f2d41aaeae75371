"""The eligibility rules of POLICY.md, one pure function each, in precedence order.

A rule looks at a validated conversation, the facts about its subjects and the
run's context, and returns the reason code that excludes the conversation, or
``None`` when it has no objection. ``decide`` applies them in ``PRECEDENCE``
order, so the first matching rule is the one recorded, then trims messages
(C2) in a conversation every rule admits. V1 (validation) and duplicate
detection run before these, in the read and deduplicate steps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Optional, Union

from schemas import reasons
from schemas.records import Conversation, Eligible, Exclusion
from schemas.timestamps import DAY
from transforms.policy.config import Policy
from transforms.policy.timeline import ConversationFacts


@dataclass(frozen=True)
class RunContext:
    as_of: int
    policy: Policy


Rule = Callable[[Conversation, ConversationFacts, RunContext], Optional[str]]


def account_deleted(conv: Conversation, facts: ConversationFacts, ctx: RunContext) -> Optional[str]:
    """D1: the user asked for account deletion at or before as-of: all their records go."""
    if conv.user_id is not None and facts.user.deleted:
        return reasons.ACCOUNT_DELETED
    return None


def conversation_deleted(
    conv: Conversation, facts: ConversationFacts, ctx: RunContext
) -> Optional[str]:
    """D2: the conversation was cleared (its own deleted_at, or a request) at or before as-of."""
    own = conv.deleted_at is not None and conv.deleted_at <= ctx.as_of
    if own or facts.conversation.deleted:
        return reasons.CONVERSATION_DELETED
    return None


def temporary_chat(conv: Conversation, facts: ConversationFacts, ctx: RunContext) -> Optional[str]:
    """T1: Temporary Chats are never trained on."""
    return reasons.TEMPORARY_CHAT if conv.is_temporary else None


def unknown_source(conv: Conversation, facts: ConversationFacts, ctx: RunContext) -> Optional[str]:
    """U1: a source the policy file does not list (exact match, case included)."""
    return reasons.UNKNOWN_SOURCE if ctx.policy.category(conv.source) is None else None


def never_trained(conv: Conversation, facts: ConversationFacts, ctx: RunContext) -> Optional[str]:
    """F1: categories the policy never trains on (fine-tune uploads)."""
    return ctx.policy.known_category(conv.source).never_reason


def created_after_as_of(
    conv: Conversation, facts: ConversationFacts, ctx: RunContext
) -> Optional[str]:
    """X1: created after as-of, when the consent in force is not yet known."""
    return reasons.CREATED_AFTER_AS_OF if conv.created_at > ctx.as_of else None


def gate_closed(conv: Conversation, facts: ConversationFacts, ctx: RunContext) -> Optional[str]:
    """A1, A2, B1, C1: the category's setting was off when the conversation was created.

    The gate's subject is the user (consent, default on), the workspace or the
    organisation (data sharing, default off). A dated rule (A2) replaces the
    default and the reason for data created before its date. A record without
    the subject's id cannot have an opt-in in force.
    """
    gate = ctx.policy.known_category(conv.source).gate
    if gate is None:  # a category without a gate is never trained on (F1 ran)
        return None
    subject_id = getattr(conv, f"{gate.subject}_id")
    if subject_id is None:
        return gate.missing_reason
    _, default, reason = gate.regime_at(conv.created_at)
    enabled = facts.of(gate.subject).setting.enabled_at(conv.created_at, default)
    return None if enabled else reason


PRECEDENCE: tuple[Rule, ...] = (
    account_deleted,
    conversation_deleted,
    temporary_chat,
    unknown_source,
    never_trained,
    created_after_as_of,
    gate_closed,
)


def past_retention(conv: Conversation, ctx: RunContext) -> bool:
    """The retention signal: older than the category's retention at as-of."""
    days = ctx.policy.known_category(conv.source).retention_days
    return days is not None and conv.created_at < ctx.as_of - days * DAY


def trim_messages(conv: Conversation, facts: ConversationFacts, ctx: RunContext) -> Eligible:
    """C2: remove messages created after as-of (every source) and, for categories
    that trim, messages created while the user's setting was off. A message
    without a timestamp takes the conversation's."""
    category = ctx.policy.known_category(conv.source)
    default = category.gate.default if category.gate is not None else False
    consent = facts.user.setting
    kept, after_as_of, after_opt_out = [], 0, 0
    for message in conv.messages:
        at = conv.created_at if message.created_at is None else message.created_at
        if at > ctx.as_of:
            after_as_of += 1
        elif category.trim_messages and not consent.enabled_at(at, default):
            after_opt_out += 1
        else:
            kept.append(message)
    if after_as_of or after_opt_out:
        conv = replace(conv, messages=tuple(kept))
    return Eligible(
        conv, messages_trimmed_after_opt_out=after_opt_out, messages_trimmed_after_as_of=after_as_of
    )


def has_user_text(conv: Conversation) -> bool:
    return any(m.role == "user" and m.content.strip() for m in conv.messages)


def decide(
    conv: Conversation, facts: ConversationFacts, ctx: RunContext
) -> Union[Exclusion, Eligible]:
    """Apply every rule in precedence order; the first objection is the reason."""
    for rule in PRECEDENCE:
        reason = rule(conv, facts, ctx)
        if reason is not None:
            return Exclusion(
                reason=reason,
                source=conv.source,
                conversation_id=conv.conversation_id,
                api_past_retention=rule is gate_closed and past_retention(conv, ctx),
            )
    eligible = trim_messages(conv, facts, ctx)
    if not has_user_text(eligible.conversation):
        return Exclusion(reasons.EMPTY_AFTER_TRIM, conv.source, conv.conversation_id)
    return eligible
