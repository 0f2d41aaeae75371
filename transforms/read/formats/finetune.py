"""OpenAI fine-tuning chat JSONL → canonical records (format ``openai_finetune``).

One example per line: ``{"messages": [...], "tools"?: [...], "parallel_tool_calls"?: bool}``
(``functions`` accepted too). Plain or gzip-compressed JSON Lines; blank lines skipped;
a BOM and CRLF accepted; each line parsed strictly (UTF-8, no duplicate keys, no
NaN/Infinity), a bad line is an AdapterError and reading goes on.

Decisions:

* **Ids.** A string ``conversation_id`` or ``id`` on the line is used; otherwise
  ``ft:<sha256(name)[:16]>:L<line number>`` (physical, 1-based line number; ``name``
  is the ``name`` argument or the path), so re-reading the same file gives the same ids.
* **Times.** The format has none: ``created_at`` = ``default_created_at``; without it
  every line is an AdapterError saying so. Message times are None.
* **Messages** (shared with the API-log adapter, :mod:`.chat_completions`): roles
  system/developer → system, user, assistant, tool/function → tool; other roles are an
  AdapterError. ``content`` a string or parts: ``text`` parts and ``refusal`` parts
  kept as text; ``image_url``, ``input_audio``, ``file`` ... dropped and counted.
  Assistant ``tool_calls`` / ``function_call`` become ``code`` parts holding
  ``{"name": ..., "arguments": ...}`` as JSON. ``name`` and ``weight`` are not carried
  (``name`` can be a person's name; ``weight`` is a training knob, not eligibility).
  Messages with no non-blank text are dropped and counted as ``empty``.
* ``user_id``/``org_id``/``workspace_id``/``source`` come from the options only.
"""

from __future__ import annotations

from typing import Optional

from .base import (
    AdapterOptions,
    AdapterOutput,
    RecordDraft,
    Source,
    id_string,
    read_jsonl_entries,
    require_list,
)
from .chat_completions import chat_messages

FORMAT = "openai_finetune"


def read_openai_finetune(
    src: Source, options: AdapterOptions, *, name: Optional[str] = None
) -> AdapterOutput:
    """Stream canonical records (and AdapterErrors) from a fine-tuning JSONL file."""
    return read_jsonl_entries(src, options, name, FORMAT, "ft", read_example)


def read_example(example: dict, options: AdapterOptions, draft: RecordDraft) -> None:
    """One fine-tuning example (a line's object) into the draft of its record."""
    draft.take_id(
        id_string(example.get("conversation_id"), "conversation_id")
        or id_string(example.get("id"), "id")
    )
    turns = require_list(example.get("messages"), "messages")
    draft.resolve_created_at(None, options, "created_at")
    draft.messages = chat_messages(turns, "messages", draft.stats)
