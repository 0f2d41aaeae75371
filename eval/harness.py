"""Runs the project's real PII stage over labelled cases and scores it.

The engine is ``transforms.pii.engine.PiiEngine`` built from the pipeline's
own ``config/pii.yaml`` (or another file given to ``python -m eval``): the same
recognizers, thresholds, code handling, allow-list, name propagation and P1
review that the pipeline runs. Each case becomes one conversation; its
messages alternate user and assistant.
"""

from __future__ import annotations

from typing import Sequence

from schemas.records import Conversation, Eligible, Message, RedactedConversation
from transforms.pii.engine import PiiEngine

BATCH = 64


def as_eligible(index: int, case: dict) -> Eligible:
    roles = case.get("roles") or ["user", "assistant"] * len(case["messages"])
    messages = tuple(
        Message(role, text) for role, text in zip(roles, case["messages"], strict=False)
    )
    return Eligible(Conversation(f"eval-{index}", "chatgpt_free", 0, messages, user_id="eval"))


def run_cases(engine: PiiEngine, cases: Sequence[dict]) -> list[dict]:
    """Per case: the final detections per message and the P1 review outcome
    (``written``, or the rejection code)."""
    outcomes = []
    for first in range(0, len(cases), BATCH):
        chunk = [as_eligible(first + i, c) for i, c in enumerate(cases[first : first + BATCH])]
        texts = [m.content for e in chunk for m in e.conversation.messages]
        detections = engine.analyze_texts(texts)
        position = 0
        for eligible in chunk:
            own = [m.content for m in eligible.conversation.messages]
            found = detections[position : position + len(own)]
            position += len(own)
            final = engine.detect(own, found)
            review = engine.review(engine.redact(eligible, found))
            outcomes.append(
                {
                    "predicted": [
                        [
                            {
                                "start": r.start,
                                "end": r.end,
                                "entity_type": r.entity_type,
                                "score": r.score,
                            }
                            for r in message
                        ]
                        for message in final
                    ],
                    "review": "written"
                    if isinstance(review, RedactedConversation)
                    else review.code,
                }
            )
    return outcomes
