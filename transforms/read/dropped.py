"""What the read stage leaves out of the training text, counted by kind (pure).

Export adapters count what they drop in their ``_adapter`` side field, under
their own names (``tether_browsing_display`` became ``browsing``, an image part
is counted by its content type, an unknown content type as ``content_type:<t>``).
Here those names become a fixed set of kinds, the only ones that reach the audit
(``counts.content_dropped``): a name read from the input never does.

Message kinds: ``browsing_result``, ``tool_call``, ``hidden_message``,
``system_error``, ``reasoning``, ``custom_instructions``, ``empty_message``,
``other_choice``, ``response_error``, ``unreviewed_content`` (a content or item
type nobody has reviewed), ``other_message``. Part kinds: ``image``, ``audio``,
``video``, ``file``, ``other_part``. And ``citation_marker`` (V1, every format).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any, Iterable, Mapping

MESSAGE_KINDS = {
    "browsing": "browsing_result",
    "tool_call": "tool_call",
    "hidden": "hidden_message",
    "system_error": "system_error",
    "reasoning": "reasoning",
    "custom_instructions": "custom_instructions",
    "empty": "empty_message",
    "other_choices": "other_choice",
    "response_error": "response_error",
}
PART_KINDS = ("image", "audio", "video", "file")
CITATION_MARKER = "citation_marker"


def message_kind(reason: str) -> str:
    if reason in MESSAGE_KINDS:
        return MESSAGE_KINDS[reason]
    if reason.startswith(("content_type:", "item:")):
        return "unreviewed_content"
    return "other_message"


def part_kind(part_type: str) -> str:
    """``image_asset_pointer``, ``input_image``, ``image_url`` → ``image``, ..."""
    lowered = part_type.lower()
    return next((kind for kind in PART_KINDS if kind in lowered), "other_part")


def is_part_kind(kind: str) -> bool:
    return kind in PART_KINDS or kind == "other_part"


def adapter_drops(info: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    """The ``_adapter`` field's ``dropped_messages`` and ``dropped_parts`` by kind."""
    counts: Counter = Counter()
    for field, to_kind in (("dropped_messages", message_kind), ("dropped_parts", part_kind)):
        section = info.get(field)
        for name, n in section.items() if isinstance(section, Mapping) else ():
            if isinstance(name, str) and isinstance(n, int) and not isinstance(n, bool) and n > 0:
                counts[to_kind(name)] += n
    return tuple(sorted(counts.items()))


def merged(*counts: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    total: Counter = Counter()
    for pairs in counts:
        for kind, n in pairs:
            total[kind] += n
    return tuple(sorted((k, n) for k, n in total.items() if n))


def with_dropped(record: Any, dropped: tuple[tuple[str, int], ...]) -> Any:
    """A validated conversation with what its adapter dropped added to its own
    counts (non-text parts also to ``non_text_parts_dropped``)."""
    parts = sum(n for kind, n in dropped if is_part_kind(kind))
    return replace(
        record,
        content_dropped=merged(record.content_dropped, dropped),
        non_text_parts_dropped=record.non_text_parts_dropped + parts,
    )
