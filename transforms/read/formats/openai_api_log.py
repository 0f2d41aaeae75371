"""OpenAI API request/response logs (JSON Lines) → canonical records (``openai_api_log``).

One exchange per line. Accepted line shapes (anything else is an AdapterError):

1. ``{"request": R, "response": S | null, "conversation_id"?: str, "created_at"?: ts}``
2. a Batch API input line ``{"custom_id", "method", "url", "body": R}`` (request only);
3. a bare request ``R`` (an object with ``messages`` or ``input`` and no ``request``).

``R`` is a Chat Completions body (``messages``: list) or a Responses API body
(``input``: string or list of items, optional ``instructions``); both or neither is an
error. ``S`` is a ``chat.completion`` (``choices``), a Responses API ``response``
(``output``), either wrapped as a Batch API result ``{"status_code", "body": S}``, or
an error body ``{"error": ...}`` (then only the request is kept and
``dropped_messages.response_error`` counts it). Streamed chunk lists are not supported.

Decisions:

* **Messages.** Request messages, then the response's. Chat Completions: see
  ``chat_completions.convert_chat_message`` (roles, text/refusal parts kept,
  images/audio/files dropped and counted, tool calls dropped or kept as ``code``
  parts). Only ``choices[0]`` (the one with ``index`` 0, else the first) is kept;
  others are counted as ``other_choices``.
  Responses API items: messages (``input_text``/``output_text``/``refusal`` kept,
  ``input_image``/``input_file``/``input_audio`` dropped), ``function_call`` /
  ``custom_tool_call`` → assistant ``code`` part (``tool_calls=keep``; dropped and
  counted as ``tool_call`` by default), ``function_call_output`` /
  ``custom_tool_call_output`` → ``tool`` text, ``reasoning`` dropped (``reasoning``),
  every other item type (web/file search, computer use, image generation, MCP,
  ``item_reference``...) dropped and counted as ``item:<type>``. ``instructions`` →
  a leading system message. A request with ``previous_response_id`` has context
  elsewhere: ``_adapter.previous_response_id`` is set to true.
* **Ids.** ``conversation_id`` on the line, else the response ``id``, else
  ``api:<sha256(name)[:16]>:L<line>``. The API ``user`` / ``safety_identifier`` fields
  are the customer's end-user ids, not account ids, and are not used.
* **Times.** ``created_at`` = the response's ``created`` (Chat Completions) or
  ``created_at`` (Responses), else the line's ``created_at``, else
  ``default_created_at``, else an AdapterError. Response messages carry that time;
  request messages None.
* ``org_id``/``workspace_id``/``user_id``/``source`` come from the options only.
"""

from __future__ import annotations

from typing import Any, Optional

from .base import (
    AdapterOptions,
    AdapterOutput,
    Malformed,
    RecordDraft,
    Source,
    Stats,
    check_text,
    id_string,
    is_timestamp,
    kept_message,
    kind,
    make_content,
    mapped_role,
    new_message,
    read_jsonl_entries,
    require_list,
    require_object,
    type_label,
)
from .chat_completions import (
    chat_messages,
    content_pieces,
    convert_chat_message,
    function_call_text,
)

FORMAT = "openai_api_log"

_RESPONSES_ROLES = {
    "user": "user",
    "assistant": "assistant",
    "system": "system",
    "developer": "system",
}


def read_openai_api_log(
    src: Source, options: AdapterOptions, *, name: Optional[str] = None
) -> AdapterOutput:
    """Stream canonical records (and AdapterErrors) from an API log JSONL file."""
    return read_jsonl_entries(src, options, name, FORMAT, "api", read_exchange)


def read_exchange(line: dict, options: AdapterOptions, draft: RecordDraft) -> None:
    """One logged exchange (a line's object) into the draft of its record."""
    request, response, line_time = _split(line)
    draft.take_id(_own_id(line, response))
    response_time = _response_time(response)
    draft.resolve_created_at(
        response_time if response_time is not None else line_time, options, "created_at"
    )
    draft.messages = _request_messages(request, draft.stats, draft.flags)
    draft.messages.extend(_response_messages(response, draft.stats, response_time))


def _own_id(line: dict, response: Optional[dict]) -> Optional[str]:
    """The line's ``conversation_id``, else the response's ``id``; None if neither."""
    cid = id_string(line.get("conversation_id"), "conversation_id")
    if cid is None and response is not None:
        cid = id_string(response.get("id"), "response.id")
    return cid


def _response_time(response: Optional[dict]) -> Any:
    """The response's ``created`` (Chat Completions) or ``created_at`` (Responses)."""
    if response is None:
        return None
    key = "created" if "choices" in response else "created_at"
    value = response.get(key)
    if value is not None and not is_timestamp(value):
        raise Malformed(f"response.{key} is {kind(value)}, expected epoch seconds")
    return value


def _request_messages(request: dict, stats: Stats, flags: dict) -> list:
    if "messages" in request:
        return _chat_request(request, stats)
    return _responses_request(request, stats, flags)


def _response_messages(response: Optional[dict], stats: Stats, created_at: Any) -> list:
    """The response's messages; an error body (neither choices nor output) is counted."""
    if response is None:
        return []
    if "choices" in response:
        return _chat_response(response, stats, created_at)
    if "output" in response:
        return _responses_output(response, stats, created_at)
    stats.messages["response_error"] += 1
    return []


def _split(line: dict) -> tuple[dict, Optional[dict], Any]:
    """(request body, response body or None, the line's own created_at)."""
    request, response, line_time = _line_shape(line)
    _check_request(request)
    if response is not None:
        response = _response_body(response)
    if line_time is not None and not is_timestamp(line_time):
        raise Malformed(f"created_at is {kind(line_time)}, expected a timestamp")
    return request, response, line_time


def _line_shape(line: dict) -> tuple[Any, Any, Any]:
    """(request, response, created_at) as the line's shape places them, unchecked."""
    if "request" in line:
        return line.get("request"), line.get("response"), line.get("created_at")
    if "body" in line and "url" in line:  # a Batch API input line
        return line.get("body"), None, line.get("created_at")
    if "messages" in line or "input" in line:  # a bare request
        return line, None, None
    raise Malformed("line has no request, body, messages or input")


def _check_request(request: Any) -> None:
    require_object(request, "request")
    if ("messages" in request) == ("input" in request):
        raise Malformed(
            "request must have exactly one of messages (Chat Completions) or input (Responses API)"
        )


def _response_body(response: Any) -> dict:
    """The response body, unwrapped from a Batch API result."""
    if isinstance(response, list):
        raise Malformed("response is a list (streamed chunks are not supported)")
    if not isinstance(response, dict):
        raise Malformed(f"response is {kind(response)}, expected an object or null")
    if "body" in response and "status_code" in response:  # Batch API result
        response = require_object(response.get("body"), "response.body")
    if "choices" in response and "output" in response:
        raise Malformed("response has both choices and output")
    if "choices" not in response and "output" not in response and "error" not in response:
        raise Malformed("response has neither choices, output nor error")
    return response


# --- Chat Completions --------------------------------------------------------------------


def _chat_request(request: dict, stats: Stats) -> list:
    messages = require_list(request.get("messages"), "request.messages")
    return chat_messages(messages, "request.messages", stats)


def _chat_response(response: dict, stats: Stats, created_at: Any) -> list:
    choices = require_list(response.get("choices"), "response.choices")
    if not choices:
        return []
    chosen = next((c for c in choices if isinstance(c, dict) and c.get("index") == 0), choices[0])
    require_object(chosen, "response.choices[0]")
    if len(choices) > 1:
        stats.messages["other_choices"] += len(choices) - 1
    message = chosen.get("message")
    converted = convert_chat_message(
        message, "response.choices[0].message", stats, message_id=None, created_at=created_at
    )
    return [] if converted is None else [converted]


# --- Responses API -------------------------------------------------------------------------


def _responses_request(request: dict, stats: Stats, flags: dict) -> list:
    if request.get("previous_response_id") is not None:
        flags["previous_response_id"] = True
    out = _instructions(request.get("instructions"), stats)
    value = request.get("input")
    if isinstance(value, str):
        message = kept_message([("text", check_text(value, "request.input"))], "user", stats)
        if message is not None:
            out.append(message)
    elif isinstance(value, list):
        out.extend(_responses_items(value, "request.input", stats, None))
    else:
        raise Malformed(f"request.input is {kind(value)}, expected a string or a list")
    return out


def _instructions(instructions: Any, stats: Stats) -> list:
    """``instructions`` → leading system messages (empty ones are left out uncounted)."""
    if instructions is None:
        return []
    if isinstance(instructions, str):
        content = make_content([("text", check_text(instructions, "request.instructions"))])
        return [] if content is None else [new_message("system", content)]
    if isinstance(instructions, list):
        return _responses_items(instructions, "request.instructions", stats, None)
    raise Malformed(
        f"request.instructions is {kind(instructions)}, expected a string, a list or null"
    )


def _responses_output(response: dict, stats: Stats, created_at: Any) -> list:
    items = require_list(response.get("output"), "response.output")
    return _responses_items(items, "response.output", stats, created_at)


def _responses_items(items: list, where: str, stats: Stats, created_at: Any) -> list:
    out = []
    for i, item in enumerate(items):
        message = _responses_item(item, f"{where}[{i}]", stats, created_at)
        if message is not None:
            out.append(message)
    return out


def _responses_item(item: Any, where: str, stats: Stats, created_at: Any) -> Optional[dict]:
    """One Responses API item → a canonical message, or None when it is dropped
    (counted: ``reasoning``, ``item:<type>``, ``empty``)."""
    require_object(item, where)
    itype = item.get("type", "message" if "role" in item else None)
    if not isinstance(itype, str):
        raise Malformed(f"{where}.type is {kind(itype)}, expected a string")
    message_id = id_string(item.get("id"), f"{where}.id")
    if itype == "reasoning":
        stats.messages["reasoning"] += 1
        return None
    if itype in _TOOL_CALL_ITEMS and not stats.tool_call_pieces([itype]):
        return None
    read_item = _ITEM_READERS.get(itype)
    if read_item is None:
        stats.messages[f"item:{type_label(itype)}"] += 1
        return None
    role, pieces = read_item(item, where, stats)
    return kept_message(pieces, role, stats, message_id=message_id, created_at=created_at)


def _message_item(item: dict, where: str, stats: Stats) -> tuple[str, list]:
    role = mapped_role(item.get("role"), _RESPONSES_ROLES, f"{where}.role")
    return role, content_pieces(item.get("content"), f"{where}.content", stats)


def _tool_call_item(item: dict, where: str, stats: Stats) -> tuple[str, list]:
    return "assistant", [("code", function_call_text(item, where))]


def _tool_output_item(item: dict, where: str, stats: Stats) -> tuple[str, list]:
    return "tool", content_pieces(item.get("output"), f"{where}.output", stats)


_TOOL_CALL_ITEMS = ("function_call", "custom_tool_call")
# How each kept item type is read: (role, pieces).
_ITEM_READERS = {
    "message": _message_item,
    "function_call": _tool_call_item,
    "custom_tool_call": _tool_call_item,
    "function_call_output": _tool_output_item,
    "custom_tool_call_output": _tool_output_item,
}
