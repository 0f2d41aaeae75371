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
  ``finetune.convert_chat_message`` (roles, text/refusal parts kept, images/audio/files
  dropped and counted, tool calls as ``code`` parts). Only ``choices[0]`` (the one with
  ``index`` 0, else the first) is kept; others are counted as ``other_choices``.
  Responses API items: messages (``input_text``/``output_text``/``refusal`` kept,
  ``input_image``/``input_file``/``input_audio`` dropped), ``function_call`` /
  ``custom_tool_call`` → assistant ``code`` part, ``function_call_output`` /
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

import re
from typing import Any, Iterator, Optional, Union

from .base import (
    AdapterError,
    AdapterOptions,
    Malformed,
    Source,
    Stats,
    check_text,
    conversation_record,
    derived_id,
    id_string,
    is_timestamp,
    read_jsonl_entries,
    kind,
    make_content,
    resolve_created_at,
)
from .finetune import content_pieces, convert_chat_message, function_call_text

FORMAT = "openai_api_log"

_RESPONSES_ROLES = {"user": "user", "assistant": "assistant", "system": "system",
                    "developer": "system"}


def read_openai_api_log(src: Source, options: AdapterOptions, *,
                        name: Optional[str] = None) -> Iterator[Union[dict, AdapterError]]:
    """Stream canonical records (and AdapterErrors) from an API log JSONL file."""
    return read_jsonl_entries(src, options, name, convert_log_line)


def convert_log_line(line: Any, options: AdapterOptions, *, source: str, name: str,
                     lineno: int, raw: Optional[bytes] = None) -> Union[dict, AdapterError]:
    location = f"{name}:{lineno}"
    cid = None
    try:
        if not isinstance(line, dict):
            raise Malformed(f"line is {kind(line)}, expected an object")
        request, response, line_time = _split(line)
        stats = Stats()
        info_extra: dict = {}
        cid = id_string(line.get("conversation_id"), "conversation_id")
        if cid is None and response is not None:
            cid = id_string(response.get("id"), "response.id")
        derived = cid is None
        if derived:
            cid = derived_id("api", name, lineno)
        response_time = None
        if response is not None:
            key = "created" if "choices" in response else "created_at"
            response_time = response.get(key)
            if response_time is not None and not is_timestamp(response_time):
                raise Malformed(f"response.{key} is {kind(response_time)}, expected epoch seconds")
        created_at, defaulted = resolve_created_at(
            response_time if response_time is not None else line_time, options, "created_at")
        if "messages" in request:
            messages = _chat_request(request, stats)
        else:
            messages = _responses_request(request, stats, info_extra)
        if response is not None:
            if "choices" in response:
                messages.extend(_chat_response(response, stats, response_time))
            elif "output" in response:
                messages.extend(_responses_output(response, stats, response_time))
            else:
                stats.messages["response_error"] += 1
    except Malformed as exc:
        return AdapterError(location, str(exc), conversation_id=cid, raw=raw)
    info = {"format": FORMAT, "location": location, **stats.as_dict(),
            "conversation_id_derived": derived, "created_at_defaulted": defaulted,
            **info_extra}
    return conversation_record(
        conversation_id=cid, options=options, source=source, user_id=options.user_id,
        created_at=created_at, updated_at=None, messages=messages, adapter_info=info)


def _split(line: dict) -> tuple[dict, Optional[dict], Any]:
    """(request body, response body or None, the line's own created_at)."""
    line_time = line.get("created_at")
    if "request" in line:
        request, response = line.get("request"), line.get("response")
    elif "body" in line and "url" in line:
        request, response = line.get("body"), None
    elif "messages" in line or "input" in line:
        request, response, line_time = line, None, None
    else:
        raise Malformed("line has no request, body, messages or input")
    if not isinstance(request, dict):
        raise Malformed(f"request is {kind(request)}, expected an object")
    if ("messages" in request) == ("input" in request):
        raise Malformed("request must have exactly one of messages (Chat Completions) "
                        "or input (Responses API)")
    if response is not None:
        if isinstance(response, list):
            raise Malformed("response is a list (streamed chunks are not supported)")
        if not isinstance(response, dict):
            raise Malformed(f"response is {kind(response)}, expected an object or null")
        if "body" in response and "status_code" in response:  # Batch API result
            response = response.get("body")
            if not isinstance(response, dict):
                raise Malformed(f"response.body is {kind(response)}, expected an object")
        if "choices" in response and "output" in response:
            raise Malformed("response has both choices and output")
        if "choices" not in response and "output" not in response and "error" not in response:
            raise Malformed("response has neither choices, output nor error")
    if line_time is not None and not is_timestamp(line_time):
        raise Malformed(f"created_at is {kind(line_time)}, expected a timestamp")
    return request, response, line_time


# --- Chat Completions --------------------------------------------------------------------


def _chat_request(request: dict, stats: Stats) -> list:
    value = request.get("messages")
    if not isinstance(value, list):
        raise Malformed(f"request.messages is {kind(value)}, expected a list")
    out = []
    for i, m in enumerate(value):
        converted = convert_chat_message(m, f"request.messages[{i}]", stats, message_id=None)
        if converted is not None:
            out.append(converted)
    return out


def _chat_response(response: dict, stats: Stats, created_at: Any) -> list:
    choices = response.get("choices")
    if not isinstance(choices, list):
        raise Malformed(f"response.choices is {kind(choices)}, expected a list")
    if not choices:
        return []
    chosen = next((c for c in choices if isinstance(c, dict) and c.get("index") == 0), choices[0])
    if not isinstance(chosen, dict):
        raise Malformed(f"response.choices[0] is {kind(chosen)}, expected an object")
    if len(choices) > 1:
        stats.messages["other_choices"] += len(choices) - 1
    message = chosen.get("message")
    converted = convert_chat_message(message, "response.choices[0].message", stats,
                                     message_id=None, created_at=created_at)
    return [] if converted is None else [converted]


# --- Responses API -------------------------------------------------------------------------


def _item_type_label(value: str) -> str:
    return value if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", value) else "other"


def _responses_request(request: dict, stats: Stats, info: dict) -> list:
    out = []
    if request.get("previous_response_id") is not None:
        info["previous_response_id"] = True
    instructions = request.get("instructions")
    if instructions is not None:
        if isinstance(instructions, str):
            content = make_content([("text", check_text(instructions, "request.instructions"))])
            if content is not None:
                out.append({"message_id": None, "role": "system", "created_at": None,
                            "content": content})
        elif isinstance(instructions, list):
            out.extend(_responses_items(instructions, "request.instructions", stats, None))
        else:
            raise Malformed(f"request.instructions is {kind(instructions)}, "
                            "expected a string, a list or null")
    value = request.get("input")
    if isinstance(value, str):
        content = make_content([("text", check_text(value, "request.input"))])
        if content is None:
            stats.messages["empty"] += 1
        else:
            out.append({"message_id": None, "role": "user", "created_at": None,
                        "content": content})
    elif isinstance(value, list):
        out.extend(_responses_items(value, "request.input", stats, None))
    else:
        raise Malformed(f"request.input is {kind(value)}, expected a string or a list")
    return out


def _responses_output(response: dict, stats: Stats, created_at: Any) -> list:
    value = response.get("output")
    if not isinstance(value, list):
        raise Malformed(f"response.output is {kind(value)}, expected a list")
    return _responses_items(value, "response.output", stats, created_at)


def _responses_items(items: list, where: str, stats: Stats, created_at: Any) -> list:
    out = []
    for i, item in enumerate(items):
        iw = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise Malformed(f"{iw} is {kind(item)}, expected an object")
        itype = item.get("type", "message" if "role" in item else None)
        if not isinstance(itype, str):
            raise Malformed(f"{iw}.type is {kind(itype)}, expected a string")
        message_id = id_string(item.get("id"), f"{iw}.id")
        if itype == "message":
            raw_role = item.get("role")
            if not isinstance(raw_role, str):
                raise Malformed(f"{iw}.role is {kind(raw_role)}, expected a string")
            role = _RESPONSES_ROLES.get(raw_role)
            if role is None:
                raise Malformed(f"{iw}.role is not a known role")
            pieces = content_pieces(item.get("content"), f"{iw}.content", stats)
        elif itype in ("function_call", "custom_tool_call"):
            role = "assistant"
            pieces = [("code", function_call_text(item, iw))]
        elif itype in ("function_call_output", "custom_tool_call_output"):
            role = "tool"
            output = item.get("output")
            pieces = content_pieces(output, f"{iw}.output", stats)
        elif itype == "reasoning":
            stats.messages["reasoning"] += 1
            continue
        else:
            stats.messages[f"item:{_item_type_label(itype)}"] += 1
            continue
        content = make_content(pieces)
        if content is None:
            stats.messages["empty"] += 1
            continue
        out.append({"message_id": message_id, "role": role, "created_at": created_at,
                    "content": content})
    return out
