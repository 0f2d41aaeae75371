"""ChatGPT "Export data" → canonical conversation records (format ``chatgpt_export``).

Accepted inputs (``src``):

* a ZIP export (path, or a seekable binary file object starting with ``PK``);
* an unpacked export folder;
* a bare ``conversations.json`` or split ``conversations-NNN.json`` (path or binary
  file object). A sibling ``user.json`` next to a bare file path is used too.

In a ZIP or folder the conversation files are ``conversations.json`` then
``conversations-NNN.json`` in numeric order, in the one folder (top level or nested)
that holds them; two folders holding conversation files is a configuration error.
Each file is a JSON array of conversations or a single conversation object. It is
read twice: once whole, keeping nothing, to refuse a file that cannot be read safely
(corrupt, truncated, over the decompression or nesting caps), then one conversation
at a time (:func:`transforms.read.strict_json.split_document`), each parsed strictly
on its own: a conversation with a duplicate key (a duplicate node id, say) or over
``max_record_bytes`` is dead-lettered alone.

Decisions (see also base.py):

* **Account and source.** ``user_id`` = the ``user_id`` option (an explicit
  override), else ``user.json``'s ``id``, else None (then V1 rejects consumer and
  business records). The source comes from ``source_map[account]`` (account =
  ``user.json``'s ``id``, else the ``user_id`` option) or ``source``, never from the
  export; if neither applies, :class:`AdapterConfigError` is raised when the adapter
  is called, before any conversation is read.
  Nothing else from ``user.json`` (e-mail, phone, plan) is read into records.
* **Ids.** ``conversation_id``, else ``id``; if both are absent the id is derived from
  the content: ``chatgpt:sha256(create_time, sorted node ids)[:32]`` (stable across
  file names and re-exports of the same tree) and ``_adapter.conversation_id_derived``
  is set.
* **Times.** ``created_at`` = ``create_time``, else ``default_created_at``, else an
  AdapterError; ``updated_at`` = ``update_time``; message ``created_at`` =
  ``create_time`` or None (V1 then uses the conversation's). Never invented.
* **Thread.** ``branch_policy=current``: walk ``parent`` links from ``current_node``
  to the root and reverse. Without ``current_node`` (old or third-party files), start
  at the single root and follow the *last* child at each step (the newest
  regeneration/edit, which is what the ChatGPT UI shows by default); zero or several
  roots is an AdapterError. ``longest``: the deepest node's path (ties: the latest
  message ``create_time``, then the later node in the file). A cycle, a parent or
  child id not in ``mapping``, a ``current_node`` not in ``mapping``, or a node of
  the wrong type is an AdapterError for that conversation only.
* **Roles.** ``author.role`` case-insensitively: user/human → user;
  assistant/ai/gpt/chatgpt/model/bot → assistant; system; tool/function → tool
  (``author.name`` is not carried: it can be a person's name). Anything else is an
  AdapterError (we cannot tell whether it is user-authored text).
* **Content types.** ``text``: string parts kept. ``multimodal_text``: string parts
  and ``audio_transcription`` parts (the words the user spoke) kept; image, audio,
  video and file pointers dropped and counted in ``_adapter.dropped_parts``.
  ``code`` → a ``{"type": "code"}`` part. ``execution_output`` → the tool's text
  output (kept: it belongs to the thread the user saw). ``tether_browsing_display``
  and ``tether_quote`` dropped (``browsing``: verbatim third-party web pages, not the
  participants' words). ``system_error`` dropped. ``user_editable_context`` (custom
  instructions: ``user_profile``, ``user_instructions``) → a ``user`` message with
  those texts when ``custom_instructions=keep`` (personal text; redacted
  downstream), dropped when ``drop``; it is kept regardless of its hidden flag,
  which it always carries. ``thoughts`` (reasoning summaries) and
  ``reasoning_recap`` ("Thought for 29s") dropped (``reasoning``). Any other content
  type is dropped and counted as ``content_type:<type>``: fail closed on content
  nobody has reviewed (e.g. ``model_editable_context``, the model's memory).
* **Tool calls.** An assistant message addressed to a tool (``recipient`` other
  than ``all``: ``search("...")``, ``mclick([...])``, code for the python tool) is
  dropped and counted as ``tool_call`` unless ``tool_calls=keep``; the tool's
  answer (``execution_output``) stays as tool text.
* **Hidden.** Messages with ``metadata.is_visually_hidden_from_conversation`` true are
  dropped (``hidden``) unless ``include_hidden``.
* **Empty.** Messages with no non-blank text left (empty tool-call stubs, image-only
  tool results) are dropped and counted as ``empty``.
* **Temporary Chat.** Honoured when the conversation carries ``is_temporary``,
  ``temporary`` or ``is_temporary_chat``: any true → ``is_temporary: true``; a value
  that is neither boolean nor null is an AdapterError (fail closed).
  ``is_do_not_remember`` (memory) is not treated as temporary.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Container, Optional, Union, cast

from transforms.read.safe_io import (
    UnsafeInput,
    check_member,
    open_member,
    open_zip,
    read_small_file,
    refuse_symlink,
)

from .base import (
    AdapterConfigError,
    AdapterError,
    AdapterOptions,
    AdapterOutput,
    Malformed,
    RecordDraft,
    Source,
    Stats,
    can_reopen,
    check_json_document,
    check_text,
    convert_entry,
    id_string,
    is_path,
    iter_json_entries,
    kept_message,
    kind,
    mapped_role,
    open_input,
    open_raw,
    optional_time,
    require_list,
    require_object,
    require_options,
    require_string,
    source_name,
    type_label,
)

FORMAT = "chatgpt_export"

_CONV_FILE = re.compile(r"^conversations(?:-(\d+))?\.json$")
_USER_JSON_MAX_BYTES = 1 << 20

_ROLE_ALIASES = {
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "gpt": "assistant",
    "chatgpt": "assistant",
    "model": "assistant",
    "bot": "assistant",
    "system": "system",
    "tool": "tool",
    "function": "tool",
}
_TEMPORARY_FLAGS = ("is_temporary", "temporary", "is_temporary_chat")
_TEXT_LIKE_PARTS = ("audio_transcription",)
_DROPPED_TYPES = {
    "tether_browsing_display": "browsing",
    "tether_quote": "browsing",
    "system_error": "system_error",
    "thoughts": "reasoning",
    "reasoning_recap": "reasoning",
}


def _conv_file_order(name: str) -> tuple:
    m = _CONV_FILE.match(name)
    assert m
    return (-1, "") if m.group(1) is None else (int(m.group(1)), m.group(1))


def _user_id_from_json(data: bytes, where: str) -> Optional[str]:
    """``id`` from user.json; nothing else is read. Bad user.json → config error."""
    if len(data) > _USER_JSON_MAX_BYTES:
        raise UnsafeInput(f"user.json is larger than {_USER_JSON_MAX_BYTES} bytes", location=where)
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise AdapterConfigError(f"{where}: user.json is not valid JSON") from None
    if not isinstance(value, dict):
        raise AdapterConfigError(f"{where}: user.json is not a JSON object")
    uid = value.get("id")
    if uid is None or uid == "":
        return None
    if not isinstance(uid, str):
        raise AdapterConfigError(f"{where}: user.json id is {kind(uid)}, expected a string")
    return uid


def has_account_id(src: Source, limits) -> bool:
    """Whether the export carries its account id (a ``user.json`` with an ``id``
    in the ZIP, the folder or beside the file). An input that cannot be read
    here counts as carrying one: the run reports it, file by file."""
    try:
        return _plan(src, source_name(src, None), limits)[2] is not None
    except (UnsafeInput, AdapterConfigError, OSError):
        return True


def read_chatgpt_export(
    src: Source, options: AdapterOptions, *, name: Optional[str] = None
) -> AdapterOutput:
    """Stream canonical records (and AdapterErrors) from a ChatGPT export.

    Raises AdapterConfigError at call time, before any conversation is read, when the
    source cannot be resolved, the input is missing, or the archive layout is
    ambiguous; UnsafeInput when the input cannot be read safely (a symbolic link,
    an archive over its caps, an oversized user.json). The returned iterator
    checks every conversation file whole (integrity, caps, nesting, truncation)
    before it yields the first conversation, and raises UnsafeInput instead.
    """
    require_options(options)
    where = source_name(src, name)
    container, files, account = _plan(src, where, options.limits)
    # source_map is keyed by the export's own account id (user.json), else user_id;
    # the user_id option, when given, is what records carry
    source = options.resolve_source(account or options.user_id)
    user_id = options.user_id or account
    return _generate(src, container, files, options, source, user_id)


def _generate(
    src: Source,
    container: str,
    files: list,
    options: AdapterOptions,
    source: str,
    user_id: Optional[str],
) -> AdapterOutput:
    limits = options.limits
    if container == "stream":  # read once: checked while it is read
        for location, f in files:
            with open_input(f, limits) as stream:
                yield from _read_file(stream, location, options, source, user_id)
        return
    with _opener(src, container, limits) as open_file:
        for location, file in files:
            with open_file(file, location) as stream:
                check_json_document(stream, location, limits)
        for location, file in files:
            with open_file(file, location) as stream:
                yield from _read_file(stream, location, options, source, user_id)


@contextmanager
def _opener(src: Source, container: str, limits):
    """``open_file(member or path, location)`` for the files of a ZIP or folder."""
    if container != "zip":
        yield lambda path, location: open_input(path, limits)
        return
    with _open_archive(src, source_name(src, None)) as zf:
        yield lambda info, location: open_member(zf, info, limits, location)


@contextmanager
def _open_archive(src: Source, where: str):
    if can_reopen(src):
        with open_raw(src) as f, open_zip(f, where) as zf:
            yield zf
    else:
        with open_zip(src, where) as zf:
            yield zf


def _plan(src: Source, where: str, limits) -> tuple[str, list, Optional[str]]:
    """(container kind, [(location, member or path or stream)], account from user.json)."""
    if is_path(src):
        path = Path(src)
        refuse_symlink(path)
        if path.is_dir():
            return ("folder",) + _folder_files(path, where)
        if not path.is_file():
            raise AdapterConfigError(f"{where}: no such file or folder")
        if zipfile.is_zipfile(path):
            with _open_archive(path, where) as zf:
                return ("zip",) + _zip_files(zf, where, limits)
        account = None
        user_json = path.parent / "user.json"
        if _CONV_FILE.match(path.name) and (user_json.is_file() or user_json.is_symlink()):
            account = _user_id_from_json(
                read_small_file(user_json, _USER_JSON_MAX_BYTES, "user.json"), str(user_json)
            )
        return "file", [(where, path)], account
    if callable(src):  # an opener (a remote file): a ZIP, or one JSON document
        with src() as f:
            is_zip = _peek_zip_magic(f)
        if is_zip:
            with _open_archive(src, where) as zf:
                return ("zip",) + _zip_files(zf, where, limits)
        return "file", [(where, src)], None
    if not hasattr(src, "read"):
        raise AdapterConfigError("src must be a path or a readable binary file object")
    src = cast(BinaryIO, src)
    if _peek_zip_magic(src):
        with open_zip(src, where) as zf:
            return ("zip",) + _zip_files(zf, where, limits)
    return "stream", [(where, src)], None


def _peek_zip_magic(f: BinaryIO) -> bool:
    try:
        if not f.seekable():
            return False
        pos = f.tell()
        magic = f.read(4)
        f.seek(pos)
    except (OSError, AttributeError, ValueError):
        return False
    return magic == b"PK\x03\x04"


def _group_conv_files(names: list[str]) -> tuple[str, list[str]]:
    """The folder holding conversation files and their names in order."""
    by_dir: dict[str, list[str]] = {}
    for n in names:
        parts = n.replace("\\", "/").rsplit("/", 1)
        d, base = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        if d.startswith("__MACOSX") or not _CONV_FILE.match(base):
            continue
        by_dir.setdefault(d, []).append(base)
    if not by_dir:
        raise AdapterConfigError("no conversations.json or conversations-NNN.json found")
    if len(by_dir) > 1:
        raise AdapterConfigError(
            "conversation files found in several folders "
            f"({len(by_dir)}); pass one export at a time"
        )
    d, bases = next(iter(by_dir.items()))
    return d, sorted(bases, key=_conv_file_order)


def _zip_files(zf: zipfile.ZipFile, where: str, limits):
    names = [i.filename for i in zf.infolist()]
    if len(set(names)) != len(names):  # readers disagree on which copy is the file
        raise UnsafeInput("the archive holds two members of the same name", location=where)
    infos = {i.filename: i for i in zf.infolist() if not i.is_dir()}
    d, bases = _group_conv_files(list(infos))
    prefix = f"{d}/" if d else ""
    members = [(f"{where}!{prefix}{b}", infos[f"{prefix}{b}"]) for b in bases]
    for location, info in members:
        check_member(info, limits, location)
    account = None
    if f"{prefix}user.json" in infos:
        location = f"{where}!{prefix}user.json"
        info = infos[f"{prefix}user.json"]
        if info.file_size > _USER_JSON_MAX_BYTES:
            raise UnsafeInput(
                f"user.json is larger than {_USER_JSON_MAX_BYTES} bytes", location=location
            )
        with open_member(zf, info, limits, location) as f:
            account = _user_id_from_json(f.read(_USER_JSON_MAX_BYTES + 1), location)
    return members, account


def _folder_files(path: Path, where: str):
    names = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(x for x in dirnames if not x.startswith("__MACOSX"))
        rel = os.path.relpath(dirpath, path)
        for entry in (*dirnames, *filenames):
            refuse_symlink(os.path.join(dirpath, entry), "an entry of the export folder")
        for fn in filenames:
            if _CONV_FILE.match(fn):
                names.append(fn if rel == "." else f"{rel}/{fn}")
    d, bases = _group_conv_files(names)
    folder = path / d if d else path
    account = None
    if (folder / "user.json").is_file():
        account = _user_id_from_json(
            read_small_file(folder / "user.json", _USER_JSON_MAX_BYTES, "user.json"),
            str(folder / "user.json"),
        )
    return [
        (os.path.join(where, d, b) if d else os.path.join(where, b), folder / b) for b in bases
    ], account


def _read_file(
    f: BinaryIO, where: str, options: AdapterOptions, source: str, user_id: Optional[str]
) -> AdapterOutput:
    for index, value, error in iter_json_entries(f, where, options.limits):
        if error is not None:
            yield error
            continue
        yield convert_conversation(
            value, options, source=source, user_id=user_id, location=f"{where}[{index}]"
        )


# --- one conversation ---------------------------------------------------------


def convert_conversation(
    conv: Any, options: AdapterOptions, *, source: str, user_id: Optional[str], location: str
) -> Union[dict, AdapterError]:
    """One export conversation object → a canonical record or an AdapterError."""
    return convert_entry(
        _read_conversation,
        conv,
        RecordDraft(FORMAT, location),
        options,
        noun="conversation",
        source=source,
        user_id=user_id,
    )


def _read_conversation(conv: dict, options: AdapterOptions, draft: RecordDraft) -> None:
    """The conversation's fields into the draft, in the order they are checked
    (the first problem is the one reported)."""
    draft.conversation_id = id_string(conv.get("conversation_id"), "conversation_id") or id_string(
        conv.get("id"), "id"
    )
    mapping = conv.get("mapping")
    if mapping is None:
        raise Malformed("conversation has no mapping")
    require_object(mapping, "mapping")
    if draft.conversation_id is None:
        draft.derive_id(_derived_conversation_id(conv.get("create_time"), mapping))
    draft.resolve_created_at(conv.get("create_time"), options, "create_time")
    draft.updated_at = optional_time(conv.get("update_time"), "update_time")
    draft.is_temporary = _temporary_flag(conv)
    path, thread = _thread(mapping, conv.get("current_node"), options.branch_policy)
    draft.flags["thread"] = thread
    for nid in path:
        message = _convert_node(mapping[nid], nid, options, draft.stats)
        if message is not None:
            draft.messages.append(message)


def _derived_conversation_id(create_time: Any, mapping: dict) -> str:
    key = json.dumps(
        [
            create_time if not isinstance(create_time, bool) else None,
            sorted(str(k) for k in mapping),
        ],
        ensure_ascii=True,
    )
    return "chatgpt:" + hashlib.sha256(key.encode("ascii")).hexdigest()[:32]


def _temporary_flag(conv: dict) -> bool:
    temporary = False
    for flag in _TEMPORARY_FLAGS:
        value = conv.get(flag)
        if value is None:
            continue
        if not isinstance(value, bool):
            raise Malformed(f"{flag} must be a boolean or null, got {kind(value)}")
        temporary = temporary or value
    return temporary


# --- the thread ------------------------------------------------------------------


def _node(mapping: dict, nid: str) -> dict:
    node = mapping[nid]
    if not isinstance(node, dict):
        raise Malformed(f"mapping node {_safe_id(nid)} is {kind(node)}, expected an object")
    return node


def _parent(node: dict, nid: str) -> Optional[str]:
    parent = node.get("parent")
    if parent is None:
        return None
    if not isinstance(parent, str):
        raise Malformed(
            f"mapping node {_safe_id(nid)} parent is {kind(parent)}, expected a string or null"
        )
    return parent


def _children(node: dict, nid: str) -> list:
    children = node.get("children")
    if children is None:
        return []
    if not isinstance(children, list) or not all(isinstance(c, str) for c in children):
        raise Malformed(f"mapping node {_safe_id(nid)} children must be a list of strings")
    return children


def _safe_id(nid: Any) -> str:
    """Node ids are machine ids; still, show only a bounded, plain form."""
    s = str(nid)
    return repr(s) if re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", s) else "(id not shown)"


def _path_to_root(mapping: dict, leaf: str) -> list[str]:
    path, _ = _ancestry(mapping, leaf)
    path.reverse()
    return path


def _ancestry(mapping: dict, start: str, known: Container = ()) -> tuple[list[str], Optional[str]]:
    """The node ids from ``start`` up its parents, until the root or a node in
    ``known``; and that known node (None at the root). A cycle or a parent that is
    not in ``mapping`` is Malformed."""
    chain: list[str] = []
    seen: set = set()
    nid: Optional[str] = start
    while nid is not None and nid not in known:
        if nid in seen:
            raise Malformed("cycle in mapping: a node is its own ancestor")
        if nid not in mapping:
            raise Malformed(
                f"dangling parent: node {_safe_id(chain[-1])} has a parent that is not in mapping"
            )
        seen.add(nid)
        chain.append(nid)
        nid = _parent(_node(mapping, nid), nid)
    return chain, nid


def _thread(mapping: dict, current: Any, policy: str) -> tuple[list[str], str]:
    """The node ids of the chosen thread, root first, and how it was chosen."""
    if current is not None:  # checked under every policy: a bad one means a broken tree
        if not isinstance(current, str):
            raise Malformed(f"current_node is {kind(current)}, expected a string")
        if current not in mapping:
            raise Malformed("current_node is not in mapping")
    if not mapping:
        return [], "empty"
    if policy == "longest":
        return _longest_path(mapping), "longest"
    if current is not None:
        return _path_to_root(mapping, current), "current_node"
    return _last_child_path(mapping), "last_child"


def _last_child_path(mapping: dict) -> list[str]:
    roots = [nid for nid in mapping if _parent(_node(mapping, nid), nid) is None]
    if len(roots) != 1:
        raise Malformed(f"no current_node and {len(roots)} root nodes; cannot choose a thread")
    path, seen = [], set()
    nid: Optional[str] = roots[0]
    while nid is not None:
        if nid in seen:
            raise Malformed("cycle in mapping: a node is its own descendant")
        seen.add(nid)
        path.append(nid)
        children = _children(_node(mapping, nid), nid)
        if not children:
            break
        nid = children[-1]
        if nid not in mapping:
            raise Malformed(
                f"dangling child: node {_safe_id(path[-1])} has a child that is not in mapping"
            )
    return path


def _longest_path(mapping: dict) -> list[str]:
    depth: dict = {}
    for start in mapping:
        chain, known = _ancestry(mapping, start, depth)
        base = -1 if known is None else depth[known]
        for offset, node_id in enumerate(reversed(chain), 1):
            depth[node_id] = base + offset
    best, best_key = None, None
    for order, (nid, d) in enumerate(depth.items()):
        message = mapping[nid].get("message")
        t = message.get("create_time") if isinstance(message, dict) else None
        t = t if isinstance(t, (int, float)) and not isinstance(t, bool) else float("-inf")
        key = (d, t, order)
        if best_key is None or key > best_key:
            best, best_key = nid, key
    if best is None:  # a mapping with nodes always has a deepest one
        raise Malformed("mapping has no node to end a thread at")
    return _path_to_root(mapping, best)


# --- one message ---------------------------------------------------------------------


def _convert_node(node: dict, nid: str, options: AdapterOptions, stats: Stats) -> Optional[dict]:
    """A node's message → a canonical message, or None when the thread drops it
    (counted in ``stats``). Its fields are checked in a fixed order, so that the
    first problem is the one reported."""
    message = node.get("message")
    if message is None:
        return None
    where = f"node {_safe_id(nid)} message"
    require_object(message, where)
    author = require_object(message.get("author"), f"{where} author")
    role = mapped_role(author.get("role"), _ROLE_ALIASES, f"{where} author.role", ignore_case=True)
    content = require_object(message.get("content"), f"{where} content")
    ctype = content.get("content_type")
    if not isinstance(ctype, str):
        raise Malformed(f"{where} content.content_type is {kind(ctype)}, expected a string")
    hidden = _hidden_flag(message, where)
    created_at = optional_time(message.get("create_time"), f"{where} create_time")
    message_id = id_string(message.get("id"), f"{where} id") or check_text(str(nid), "node id")
    pieces = _kept_pieces(content, ctype, hidden, where, options, stats)
    if pieces is None:
        return None
    if role == "assistant" and _to_a_tool(message, where) and not stats.tool_call_pieces([ctype]):
        return None
    if ctype == "user_editable_context":
        role = "user"  # custom instructions are the user's own words
    return kept_message(pieces, role, stats, message_id=message_id, created_at=created_at)


def _to_a_tool(message: dict, where: str) -> bool:
    """The message is addressed to a tool (``recipient`` other than ``all``):
    a tool call such as ``search("...")``, ``mclick([...])`` or code for python."""
    recipient = message.get("recipient")
    if recipient is not None and not isinstance(recipient, str):
        raise Malformed(f"{where} recipient is {kind(recipient)}, expected a string")
    return recipient not in (None, "all")


def _hidden_flag(message: dict, where: str) -> Optional[bool]:
    """``metadata.is_visually_hidden_from_conversation``: a boolean or None."""
    metadata = message.get("metadata")
    if metadata is None:
        metadata = {}
    require_object(metadata, f"{where} metadata")
    hidden = metadata.get("is_visually_hidden_from_conversation")
    if hidden is not None and not isinstance(hidden, bool):
        raise Malformed(
            f"{where} metadata.is_visually_hidden_from_conversation is "
            f"{kind(hidden)}, expected a boolean"
        )
    return hidden


def _kept_pieces(
    content: dict,
    ctype: str,
    hidden: Optional[bool],
    where: str,
    options: AdapterOptions,
    stats: Stats,
) -> Optional[list]:
    """The text and code pieces of a message the thread keeps, or None when the
    message is dropped (counted by reason)."""
    if ctype == "user_editable_context":  # kept or dropped whatever its hidden flag
        return _custom_instructions(content, where, options, stats)
    if hidden and not options.include_hidden:
        stats.messages["hidden"] += 1
        return None
    if ctype in _DROPPED_TYPES:
        stats.messages[_DROPPED_TYPES[ctype]] += 1
        return None
    read_pieces = _CONTENT_READERS.get(ctype)
    if read_pieces is None:  # nobody has reviewed this content type: fail closed
        stats.messages[f"content_type:{type_label(ctype)}"] += 1
        return None
    return read_pieces(content, where, stats)


def _custom_instructions(
    content: dict, where: str, options: AdapterOptions, stats: Stats
) -> Optional[list]:
    if options.custom_instructions == "drop":
        stats.messages["custom_instructions"] += 1
        return None
    # an absent field reads as "", which make_content skips
    return [
        ("text", _string_field(content, key, where))
        for key in ("user_profile", "user_instructions")
    ]


def _code(content: dict, where: str, stats: Stats) -> list:
    return [("code", _string_field(content, "text", where))]


def _execution_output(content: dict, where: str, stats: Stats) -> list:
    return [("text", _string_field(content, "text", where))]


def _string_field(content: dict, key: str, where: str) -> str:
    """``content[key]``: a string, or "" when absent."""
    value = content.get(key)
    if value is None:
        return ""
    return require_string(value, f"{where} content.{key}")


def _parts(content: dict, where: str, stats: Stats) -> list:
    parts = content.get("parts")
    if parts is None:
        return []
    require_list(parts, f"{where} content.parts")
    pieces = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            pieces.append(("text", check_text(part, f"{where} content.parts[{i}]")))
        elif isinstance(part, dict):
            ptype = part.get("content_type")
            if ptype in _TEXT_LIKE_PARTS:
                text = require_string(part.get("text"), f"{where} content.parts[{i}].text")
                pieces.append(("text", text))
            else:
                stats.parts[type_label(ptype) if isinstance(ptype, str) else "object"] += 1
        elif part is None:
            continue
        else:
            raise Malformed(
                f"{where} content.parts[{i}] is {kind(part)}, expected a string or an object"
            )
    return pieces


# How each reviewed content type is read into pieces (``user_editable_context``
# and the dropped types are decided before these).
_CONTENT_READERS = {
    "text": _parts,
    "multimodal_text": _parts,
    "code": _code,
    "execution_output": _execution_output,
}
