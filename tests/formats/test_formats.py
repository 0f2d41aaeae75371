"""Tests of the input adapters (transforms/read/formats): every shared fixture, thread by
thread and message by message, plus malformed inputs built in tmp_path."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from transforms.read.formats import (  # noqa: E402
    FORMATS,
    AdapterConfigError,
    AdapterError,
    AdapterOptions,
    FormatDetectionError,
    detect_format,
)
from transforms.read.formats.base import derived_id  # noqa: E402
from transforms.read.safe_io import ReadLimits, UnsafeInput  # noqa: E402


def shared_dir() -> Path:
    """The shared folder: $SHARED_DIR, else the ``shared`` folder beside the repo."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared"


EXPORTS = shared_dir() / "fixtures" / "chat_exports"
SECRET = "SECRET-PERSONAL-TEXT"  # planted in malformed inputs: must never reach a reason

CHATGPT = FORMATS["chatgpt_export"]
FINETUNE = FORMATS["openai_finetune"]
SHAREGPT = FORMATS["sharegpt"]
APILOG = FORMATS["openai_api_log"]
OPTS = AdapterOptions(source="chatgpt_plus", user_id="user-1")
KEEP_TOOL_CALLS = AdapterOptions(source="chatgpt_plus", user_id="user-1", tool_calls="keep")


def split(items):
    records = [i for i in items if isinstance(i, dict)]
    errors = [i for i in items if isinstance(i, AdapterError)]
    assert len(records) + len(errors) == len(items)
    return records, errors


def thread(record):
    return [(m["role"], m["content"]) for m in record["messages"]]


def no_secret(error: AdapterError):
    assert SECRET not in error.reason
    assert SECRET not in error.location


# --- every fixture ------------------------------------------------------------------

FIXTURE_FORMATS = {
    "chatgpt_modern_librechat/chatgpt-modern-export.json": "chatgpt_export",
    "chatgpt_odd_langchain/fake_conversations.json": "chatgpt_export",
    "chatgpt_reasoning_pionxzh/image-generation.json": "chatgpt_export",
    "chatgpt_reasoning_pionxzh/thinking-summaries.json": "chatgpt_export",
    "openai_finetune_jsonl/toy_chat_fine_tuning.jsonl": "openai_finetune",
    "sharegpt_fastchat/dummy_conversation.json": "sharegpt",
}


def fixture_files():
    return sorted(
        str(p.relative_to(EXPORTS))
        for p in EXPORTS.rglob("*")
        if p.is_file() and p.name not in ("SOURCE.txt", "LICENSE")
    )


def test_every_fixture_has_expectations():
    assert EXPORTS.is_dir(), f"shared fixtures not found at {EXPORTS}; set SHARED_DIR"
    assert fixture_files() == sorted(FIXTURE_FORMATS)


@pytest.mark.parametrize("rel", sorted(FIXTURE_FORMATS))
def test_fixture_detected_and_valid(rel):
    path = EXPORTS / rel
    fmt = FIXTURE_FORMATS[rel]
    assert detect_format(path) == fmt
    assert detect_format(path.read_bytes()[:4096]) == fmt
    opts = AdapterOptions(source="chatgpt_plus", user_id="u", default_created_at=1_700_000_000)
    records, _ = split(list(FORMATS[fmt](path, opts)))
    assert records
    validation = pytest.importorskip("transforms.read.validation")
    for r in records:  # the pipeline's own V1 accepts what the adapters emit
        conv = validation.to_conversation(json.loads(json.dumps(r)))
        assert conv.conversation_id == r["conversation_id"]
        assert set(r) - {"_adapter"} == {
            "conversation_id",
            "user_id",
            "workspace_id",
            "org_id",
            "source",
            "is_temporary",
            "created_at",
            "updated_at",
            "deleted_at",
            "messages",
        }
        for m in r["messages"]:
            assert set(m) == {"message_id", "role", "created_at", "content"}


def test_chatgpt_modern_librechat():
    items = list(CHATGPT(EXPORTS / "chatgpt_modern_librechat/chatgpt-modern-export.json", OPTS))
    assert [type(i).__name__ for i in items] == ["dict", "AdapterError", "dict"]
    first, broken, third = items
    assert first["conversation_id"] == "6b0f0d9c-0000-4000-8000-000000000001"
    assert first["user_id"] == "user-1" and first["source"] == "chatgpt_plus"
    assert first["created_at"] == 1756000000.123456
    assert first["updated_at"] == 1756000400.654321
    assert first["is_temporary"] is False and first["deleted_at"] is None
    assert first["workspace_id"] is None and first["org_id"] is None
    assert [
        (m["message_id"], m["role"], m["created_at"], m["content"]) for m in first["messages"]
    ] == [
        ("ctx-node", "user", None, "The user is an SRE.\nAnswer concisely."),
        ("user-1", "user", 1756000001.0, "How do I roll back the deploy?"),
        ("assistant-1", "assistant", 1756000002.0, "Run `helm rollback staging`."),
        ("user-2", "user", 1756000003.0, "And if that fails?"),
        ("assistant-2", "assistant", 1756000004.0, "Restore from the last known-good chart."),
    ]
    assert first["_adapter"]["thread"] == "current_node"
    assert broken.conversation_id == "6b0f0d9c-0000-4000-8000-000000000002"
    assert broken.reason == "conversation has no mapping"
    assert broken.location.endswith("chatgpt-modern-export.json[1]")
    assert json.loads(broken.raw)["title"] == "Corrupted entry"  # raw kept for the dead letter
    assert third["conversation_id"] == "6b0f0d9c-0000-4000-8000-000000000003"
    assert thread(third) == [("user", "Something with anchovies?"), ("assistant", "Puttanesca.")]


def test_chatgpt_custom_instructions_drop():
    opts = AdapterOptions(source="chatgpt_plus", user_id="u", custom_instructions="drop")
    first = next(
        iter(CHATGPT(EXPORTS / "chatgpt_modern_librechat/chatgpt-modern-export.json", opts))
    )
    assert [m["message_id"] for m in first["messages"]] == [
        "user-1",
        "assistant-1",
        "user-2",
        "assistant-2",
    ]
    assert first["_adapter"]["dropped_messages"] == {"custom_instructions": 1}


def test_chatgpt_odd_langchain():
    path = EXPORTS / "chatgpt_odd_langchain/fake_conversations.json"
    records, errors = split(list(CHATGPT(path, OPTS)))
    assert not errors and len(records) == 2
    a, b = records
    assert thread(a) == [
        ("assistant", "Greetings, humans. I am Hal 9000. You can trust me completely."),
        ("user", "Nice to meet you, Hal. I hope you won't develop a mind of your own."),
    ]
    assert [m["message_id"] for m in a["messages"]] == ["msg1", "msg2"]
    assert [m["created_at"] for m in a["messages"]] == [3000000050.0, 3000000080.0]
    assert thread(b) == [
        ("assistant", "Hello, everyone. I am Ava. I hope you find me pleasing."),
        ("user", "You're definitely pleasing, Ava. But I'm still wary of your true intentions."),
    ]
    assert a["created_at"] == 3000000000.0 and b["updated_at"] == 3000000300.0
    # no ids in the file: derived from content, deterministic, distinct, flagged
    again = [r["conversation_id"] for r in CHATGPT(path, OPTS, name="elsewhere.json")]
    assert again == [a["conversation_id"], b["conversation_id"]]
    assert (
        a["conversation_id"].startswith("chatgpt:") and a["conversation_id"] != b["conversation_id"]
    )
    assert a["_adapter"]["conversation_id_derived"] is True
    assert a["_adapter"]["thread"] == "last_child"  # no current_node


IMAGE_GEN_THREAD = [
    ("user", "question 1"),
    ("user", "question 2"),
    ("user", "question 3"),
    ("assistant", [{"type": "code", "text": "code 1"}]),
    ("assistant", [{"type": "code", "text": "code 2"}]),
    ("user", "question 4"),
]


def test_chatgpt_image_generation():
    path = EXPORTS / "chatgpt_reasoning_pionxzh/image-generation.json"
    (dropped,) = list(CHATGPT(path, OPTS))  # tool calls (to the image tool) left out
    assert thread(dropped) == [m for m in IMAGE_GEN_THREAD if m[0] != "assistant"]
    assert dropped["_adapter"]["dropped_messages"]["tool_call"] == 2
    (record,) = list(CHATGPT(path, KEEP_TOOL_CALLS))  # a single-object file
    assert record["conversation_id"] == "fixture"
    assert record["created_at"] == 1 and record["updated_at"] == 2
    assert thread(record) == IMAGE_GEN_THREAD
    assert [m["message_id"] for m in record["messages"]] == [
        "m-n1",
        "m-n7",
        "m-n13",
        "m-n14",
        "m-n15",
        "m-n19",
    ]
    assert all(m["created_at"] is None for m in record["messages"])
    info = record["_adapter"]
    # images dropped from the kept user message and from the image-only tool results
    assert info["dropped_parts"] == {"image_asset_pointer": 5}
    assert info["dropped_messages"] == {"empty": 5, "hidden": 7, "reasoning": 4}
    # the other branches (n6, n12) are not on the current thread
    longest = next(
        iter(CHATGPT(path, AdapterOptions(source="x", branch_policy="longest", tool_calls="keep")))
    )
    assert thread(longest) == IMAGE_GEN_THREAD


def test_chatgpt_image_generation_include_hidden():
    path = EXPORTS / "chatgpt_reasoning_pionxzh/image-generation.json"
    (record,) = list(
        CHATGPT(path, AdapterOptions(source="x", include_hidden=True, tool_calls="keep"))
    )
    assert thread(record) == [
        ("user", "question 1"),
        ("tool", "tool text 1"),
        ("tool", "tool text 2"),
        ("user", "question 2"),
        ("tool", "tool text 3"),
        ("tool", "tool text 4"),
        ("user", "question 3"),
        ("assistant", [{"type": "code", "text": "code 1"}]),
        ("assistant", [{"type": "code", "text": "code 2"}]),
        ("user", "question 4"),
        ("tool", "tool text 5"),
        ("tool", "tool text 6"),
    ]
    assert record["_adapter"]["dropped_messages"] == {"empty": 6, "reasoning": 4}


def test_chatgpt_thinking_summaries():
    path = EXPORTS / "chatgpt_reasoning_pionxzh/thinking-summaries.json"
    (record,) = list(CHATGPT(path, OPTS))
    assert thread(record) == [
        ("user", "question 1"),
        ("assistant", "answer 1"),
        ("user", "question 2"),
        ("assistant", "answer 2"),
    ]
    assert [m["message_id"] for m in record["messages"]] == ["m-n1", "m-n10", "m-n11", "m-n14"]
    # thoughts (n4, n7, n8, n12) and reasoning recaps (n9, n13) dropped; empty tool stubs
    # too, the two addressed to a tool as tool calls
    assert record["_adapter"]["dropped_messages"] == {"empty": 2, "reasoning": 6, "tool_call": 2}
    text = json.dumps(record)
    assert "thought 1" not in text and "summary 1" not in text and "Thought for" not in text


def test_finetune_fixture():
    path = EXPORTS / "openai_finetune_jsonl/toy_chat_fine_tuning.jsonl"
    opts = AdapterOptions(
        source="api_fine_tune_upload", org_id="org-1", default_created_at="2024-01-01T00:00:00Z"
    )
    records, errors = split(list(FINETUNE(path, opts, name="toy.jsonl")))
    assert not errors and len(records) == 5
    assert [r["conversation_id"] for r in records] == [
        derived_id("ft", "toy.jsonl", n) for n in range(1, 6)
    ]
    assert all(
        r["created_at"] == "2024-01-01T00:00:00Z"
        and r["org_id"] == "org-1"
        and r["_adapter"]["created_at_defaulted"]
        for r in records
    )
    system = "You are a happy assistant that puts a positive spin on everything."
    assert thread(records[0]) == [
        ("system", system),
        ("user", "I fell off my bike today."),
        ("assistant", "It's great that you're getting exercise outdoors!"),
    ]
    assert thread(records[1]) == [
        ("system", system),
        ("user", "I lost my tennis match today."),
        ("assistant", "It's ok, it happens to everyone."),
        ("user", "But I trained so hard!"),
        ("assistant", "It will pay off next time."),
        ("user", "I'm going to switch to golf."),
        ("assistant", "Golf is fun too!"),
        ("user", "I don't even know how to play golf."),
        ("assistant", "It's easy to learn!"),
    ]
    assert thread(records[2]) == [  # no system message
        ("user", "I lost my book today."),
        ("assistant", "You can read everything on ebooks these days!"),
    ]
    assert thread(records[3]) == [("system", system), ("assistant", "You're great!")]  # no user
    last = thread(records[4])
    assert last[:2] == [("system", system), ("user", "I'm hungry.")]
    assert last[2][0] == "assistant" and last[2][1] == "Eat a banana!" * 2000  # overlong kept


def test_finetune_without_default_time_is_an_error_per_line():
    path = EXPORTS / "openai_finetune_jsonl/toy_chat_fine_tuning.jsonl"
    records, errors = split(list(FINETUNE(path, AdapterOptions(source="x"), name="t.jsonl")))
    assert not records and len(errors) == 5
    assert "default_created_at" in errors[0].reason
    assert errors[0].location == "t.jsonl:1"
    assert errors[0].conversation_id == derived_id("ft", "t.jsonl", 1)
    assert errors[0].raw.startswith(b'{"messages"')


def test_sharegpt_fixture():
    path = EXPORTS / "sharegpt_fastchat/dummy_conversation.json"
    opts = AdapterOptions(source="chatgpt_free", user_id="u", default_created_at=1_700_000_000)
    records, errors = split(list(SHAREGPT(path, opts)))
    assert not errors and len(records) == 500
    assert sum(len(r["messages"]) for r in records) == 2000
    assert [r["conversation_id"] for r in records[:3]] == ["identity_0", "identity_1", "identity_2"]
    assert thread(records[0]) == [
        ("user", "Who are you?"),
        (
            "assistant",
            "I am Vicuna, a language model trained by researchers from Large Model "
            "Systems Organization (LMSYS).",
        ),
        ("user", "Have a nice day!"),
        ("assistant", "You too!"),
    ]
    assert records[-1]["conversation_id"] == "identity_499"
    assert thread(records[-1]) == [
        ("user", "Are you created by Meta?"),
        (
            "assistant",
            "No, I'm a language model trained by researchers from Large Model "
            "Systems Organization (LMSYS).",
        ),
    ]
    assert len({r["conversation_id"] for r in records}) == 500
    assert all(r["created_at"] == 1_700_000_000 for r in records)


# --- ChatGPT: malformed and structural cases built in tmp_path ---------------------------


def node(nid, parent, children, role="user", text=None, **message_extra):
    message = None
    if role is not None:
        message = {
            "id": f"m-{nid}",
            "author": {"role": role},
            "create_time": None,
            "content": {
                "content_type": "text",
                "parts": [text if text is not None else f"text {nid}"],
            },
            **message_extra,
        }
    return {"id": nid, "message": message, "parent": parent, "children": children}


def conv(cid="c1", current="b", mapping=None, **extra):
    if mapping is None:
        mapping = {
            "root": node("root", None, ["a"], role=None),
            "a": node("a", "root", ["b"], role="user"),
            "b": node("b", "a", [], role="assistant"),
        }
    c = {
        "conversation_id": cid,
        "create_time": 1_700_000_000.5,
        "update_time": None,
        "mapping": mapping,
        **extra,
    }
    if current is not None:
        c["current_node"] = current
    return c


def write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value))
    return path


def test_branches_current_longest_and_fallback(tmp_path):
    mapping = {
        "root": node("root", None, ["q"], role=None),
        "q": node("q", "root", ["a1", "a2"], role="user"),
        "a1": node("a1", "q", ["q2"], role="assistant"),  # first answer, continued
        "q2": node("q2", "a1", ["a3"], role="user"),
        "a3": node("a3", "q2", [], role="assistant"),
        "a2": node("a2", "q", [], role="assistant"),  # regenerated answer, last child
    }
    path = write_json(
        tmp_path / "conversations.json",
        [
            conv("cur", current="a2", mapping=mapping),
            conv("none", current=None, mapping=mapping),
        ],
    )
    cur, fallback = list(CHATGPT(path, OPTS))
    assert [m["message_id"] for m in cur["messages"]] == ["m-q", "m-a2"]
    assert [m["message_id"] for m in fallback["messages"]] == ["m-q", "m-a2"]  # last children
    assert fallback["_adapter"]["thread"] == "last_child"
    longest = list(CHATGPT(path, AdapterOptions(source="x", branch_policy="longest")))
    assert [m["message_id"] for m in longest[0]["messages"]] == ["m-q", "m-a1", "m-q2", "m-a3"]
    assert thread(longest[0])[0] == ("user", "text q")


@pytest.mark.parametrize("policy", ["current", "longest"])
def test_cycle_dangling_and_bad_nodes_are_per_conversation(tmp_path, policy):
    cycle = {"a": node("a", "b", ["b"]), "b": node("b", "a", ["a"], role="assistant")}
    dangling = {"a": node("a", "gone", ["b"], text=SECRET), "b": node("b", "a", [])}
    bad_parent = {"a": node("a", 7, [])}
    entries = [
        conv("ok-1"),
        conv("cycle", current="b", mapping=cycle),
        conv("dangling", current="b", mapping=dangling),
        conv("no-current", current="zzz"),
        conv("bad-parent", current="a", mapping=bad_parent),
        conv("mapping-list", mapping=[1, 2]),
        conv("node-not-object", current="a", mapping={"a": [SECRET]}),
        conv("ok-2"),
    ]
    path = write_json(tmp_path / "conversations.json", entries)
    items = list(CHATGPT(path, AdapterOptions(source="x", branch_policy=policy)))
    assert [i["conversation_id"] if isinstance(i, dict) else i.conversation_id for i in items] == [
        e["conversation_id"] for e in entries
    ]
    assert [isinstance(i, dict) for i in items] == [True] + [False] * 6 + [True]
    reasons = {i.conversation_id: i.reason for i in items if isinstance(i, AdapterError)}
    assert "cycle" in reasons["cycle"]
    assert "dangling parent" in reasons["dangling"]
    assert "mapping is list" in reasons["mapping-list"]
    assert "expected an object" in reasons["node-not-object"]
    assert "parent is number" in reasons["bad-parent"]
    if policy == "current":
        assert reasons["no-current"] == "current_node is not in mapping"
    for i in items:
        if isinstance(i, AdapterError):
            no_secret(i)
            assert i.location.startswith(str(path)) and i.raw


def test_wrong_types_in_messages(tmp_path):
    def with_message(cid, **changes):
        m = {"root": node("root", None, ["a"], role=None), "a": node("a", "root", [], text=SECRET)}
        m["a"]["message"].update(changes)
        return conv(cid, current="a", mapping=m)

    entries = [
        with_message("parts-not-list", content={"content_type": "text", "parts": SECRET}),
        with_message("part-number", content={"content_type": "text", "parts": [SECRET, 3]}),
        with_message("no-author", author=None),
        with_message("unknown-role", author={"role": SECRET}),
        with_message("bad-time", create_time=SECRET),
        with_message("no-content-type", content={"parts": [SECRET]}),
        with_message("hidden-not-bool", metadata={"is_visually_hidden_from_conversation": "yes"}),
        with_message("code-not-string", content={"content_type": "code", "text": [SECRET]}),
        dict(conv("conv-time-string"), create_time="2024-01-01"),
        dict(conv("temporary-string"), is_temporary="yes"),
        dict(conv(None), conversation_id=5),
        SECRET,
    ]
    items = list(CHATGPT(write_json(tmp_path / "c.json", entries), OPTS))
    assert all(isinstance(i, AdapterError) for i in items), items
    assert len(items) == len(entries)
    for i in items:
        no_secret(i)
    reasons = [i.reason for i in items]
    assert "content.parts is string" in reasons[0]
    assert "content.parts[1] is number" in reasons[1]
    assert "author is null" in reasons[2]
    assert "author.role is not a known role" in reasons[3]
    assert "create_time must be a timestamp" in reasons[4]
    assert "content_type is null" in reasons[5]
    assert "is_visually_hidden_from_conversation is string" in reasons[6]
    assert "content.text is list" in reasons[7]
    assert "create_time must be a timestamp" in reasons[8]
    assert "is_temporary must be a boolean" in reasons[9]
    assert "conversation_id must be a string" in reasons[10]
    assert "conversation is string" in reasons[11]


def test_content_types_mapped_deliberately(tmp_path):
    def msg(nid, parent, children, role, content, **extra):
        n = node(nid, parent, children, role=role)
        n["message"]["content"] = content
        n["message"].update(extra)
        return n

    chain = [
        (
            "user",
            {
                "content_type": "multimodal_text",
                "parts": [
                    {"content_type": "image_asset_pointer", "asset_pointer": "file-service://x"},
                    "look at this",
                    {"content_type": "audio_transcription", "text": "spoken words"},
                    {"content_type": "audio_asset_pointer", "asset_pointer": "sediment://a"},
                ],
            },
        ),
        ("assistant", {"content_type": "code", "language": "python", "text": "print(1)"}),
        ("tool", {"content_type": "execution_output", "text": "1"}),
        ("tool", {"content_type": "tether_browsing_display", "result": "web page", "summary": ""}),
        ("tool", {"content_type": "tether_quote", "url": "u", "text": "quoted page"}),
        ("assistant", {"content_type": "system_error", "name": "err", "text": "boom"}),
        ("assistant", {"content_type": "thoughts", "thoughts": [{"summary": "s", "content": "c"}]}),
        ("assistant", {"content_type": "reasoning_recap", "content": "Thought for 2s"}),
        ("assistant", {"content_type": "model_editable_context", "model_set_context": "memory"}),
        ("assistant", {"content_type": "text", "parts": ["", "  "]}),
        ("assistant", {"content_type": "text", "parts": ["done", "twice"]}),
    ]
    ids = [f"n{i}" for i in range(len(chain))]
    mapping = {"root": node("root", None, [ids[0]], role=None)}
    for i, (role, content) in enumerate(chain):
        mapping[ids[i]] = msg(
            ids[i],
            "root" if i == 0 else ids[i - 1],
            [ids[i + 1]] if i + 1 < len(chain) else [],
            role,
            content,
        )
    path = write_json(tmp_path / "c.json", [conv("types", current=ids[-1], mapping=mapping)])
    (record,) = list(CHATGPT(path, OPTS))
    assert thread(record) == [
        ("user", "look at this\nspoken words"),
        ("assistant", [{"type": "code", "text": "print(1)"}]),
        ("tool", "1"),
        ("assistant", "done\ntwice"),
    ]
    assert record["_adapter"]["dropped_parts"] == {
        "audio_asset_pointer": 1,
        "image_asset_pointer": 1,
    }
    assert record["_adapter"]["dropped_messages"] == {
        "browsing": 2,
        "content_type:model_editable_context": 1,
        "empty": 1,
        "reasoning": 2,
        "system_error": 1,
    }


def test_temporary_flag_and_times(tmp_path):
    entries = [
        conv("t1", is_temporary=True),
        conv("t2", temporary=False),
        conv("t3", is_temporary=None),
        dict(conv("t4"), create_time=None),
    ]
    path = write_json(tmp_path / "c.json", entries)
    items = list(CHATGPT(path, OPTS))
    assert [i["is_temporary"] for i in items[:3]] == [True, False, False]
    assert isinstance(items[3], AdapterError) and "default_created_at" in items[3].reason
    items = list(CHATGPT(path, AdapterOptions(source="x", default_created_at=1_600_000_000)))
    assert items[3]["created_at"] == 1_600_000_000
    assert items[3]["_adapter"]["created_at_defaulted"] is True
    assert items[0]["created_at"] == 1_700_000_000.5


def test_a_broken_entry_mid_array_is_dead_lettered_alone(tmp_path):
    good = [json.dumps(conv(f"c{i}")) for i in range(3)]
    text = "[" + ",".join(good) + ', {"conversation_id": "c3", "title": "' + SECRET + '",, ]'
    text += "," + json.dumps(conv("c4")) + "]"
    path = tmp_path / "conversations.json"
    path.write_text(text)
    items = list(CHATGPT(path, OPTS))
    assert [i["conversation_id"] for i in items if isinstance(i, dict)] == ["c0", "c1", "c2", "c4"]
    (err,) = [i for i in items if isinstance(i, AdapterError)]
    no_secret(err)
    assert "not valid JSON" in err.reason and err.location == f"{path}[3]"


def test_a_truncated_or_empty_file_is_refused_whole_before_any_conversation(tmp_path):
    path = tmp_path / "conversations.json"
    path.write_text("[" + json.dumps(conv("c0")) + "," + json.dumps(conv("c1"))[:-20])
    items = CHATGPT(path, OPTS)
    with pytest.raises(UnsafeInput, match="truncated"):
        next(items)  # c0 is complete, but nothing of a truncated file is used
    for content in ("", "   ", '"just a string"'):
        path.write_text(content)
        with pytest.raises(UnsafeInput):
            list(CHATGPT(path, OPTS))


def test_duplicate_keys_dead_letter_only_their_own_conversation(tmp_path):
    path = tmp_path / "conversations.json"
    dup = json.dumps(conv("c2"))[:-1] + ', "conversation_id": "c2"}'
    path.write_text("[" + json.dumps(conv("c1")) + "," + dup + "," + json.dumps(conv("c3")) + "]")
    items = list(CHATGPT(path, OPTS))
    assert items[0]["conversation_id"] == "c1"
    assert (
        isinstance(items[1], AdapterError) and items[1].reason == "duplicate key in a JSON object"
    )
    assert items[1].location == f"{path}[1]"
    assert items[2]["conversation_id"] == "c3"


def test_bom_and_single_object_and_file_objects(tmp_path):
    data = b"\xef\xbb\xbf\n " + json.dumps(conv("single")).encode()
    path = tmp_path / "one.json"
    path.write_bytes(data)
    assert [r["conversation_id"] for r in CHATGPT(path, OPTS)] == ["single"]
    stream = io.BytesIO(data)
    records = list(CHATGPT(stream, OPTS, name="stream-1"))
    assert records[0]["_adapter"]["location"] == "stream-1[0]"
    gz = tmp_path / "conversations.json.gz"
    gz.write_bytes(gzip.compress(json.dumps([conv("g1"), conv("g2")]).encode()))
    assert [r["conversation_id"] for r in CHATGPT(gz, OPTS)] == ["g1", "g2"]


def make_zip(path: Path, files: dict) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, value in files.items():
            zf.writestr(name, value if isinstance(value, (bytes, str)) else json.dumps(value))
    return path


def test_zip_with_user_json_and_split_files(tmp_path):
    user = {"id": "user-abc", "email": SECRET, "chatgpt_plus_user": True, "phone_number": None}
    path = make_zip(
        tmp_path / "export.zip",
        {
            "user.json": user,
            "conversations-010.json": [conv("s10")],
            "conversations-002.json": [conv("s2a"), conv("s2b")],
            "conversations.json": [conv("main")],
            "conversations-000.json": conv("s0"),  # a single-object split file
            "chat.html": "<html></html>",
            "message_feedback.json": [],
        },
    )
    assert detect_format(path) == "chatgpt_export"
    opts = AdapterOptions(source_map={"user-abc": "chatgpt_plus", "other": "chatgpt_free"})
    records = list(CHATGPT(path, opts))
    assert [r["conversation_id"] for r in records] == ["main", "s0", "s2a", "s2b", "s10"]
    assert {r["user_id"] for r in records} == {"user-abc"}
    assert {r["source"] for r in records} == {"chatgpt_plus"}
    assert SECRET not in json.dumps(records)  # nothing but the id is read from user.json
    assert records[0]["_adapter"]["location"] == f"{path}!conversations.json[0]"
    # the user_id option overrides user.json
    records = list(CHATGPT(path, AdapterOptions(source="chatgpt_free", user_id="override")))
    assert {r["user_id"] for r in records} == {"override"}
    # a seekable file object holding a ZIP works too
    with open(path, "rb") as f:
        assert len(list(CHATGPT(f, opts))) == 5


def test_zip_nested_folder_and_folder_input(tmp_path):
    path = make_zip(
        tmp_path / "nested.zip",
        {
            "export-2025/user.json": {"id": "u-nested"},
            "export-2025/conversations.json": [conv("n1")],
            "__MACOSX/export-2025/conversations.json": "garbage",
        },
    )
    (record,) = list(CHATGPT(path, AdapterOptions(source="chatgpt_plus")))
    assert record["user_id"] == "u-nested"
    folder = tmp_path / "unpacked"
    folder.mkdir()
    write_json(folder / "user.json", {"id": "u-folder"})
    write_json(folder / "conversations-001.json", [conv("f1")])
    write_json(folder / "conversations-000.json", [conv("f0")])
    (folder / "file-abc.png").write_bytes(b"\x89PNG")
    assert detect_format(folder) == "chatgpt_export"
    records = list(CHATGPT(folder, AdapterOptions(source="chatgpt_plus")))
    assert [(r["conversation_id"], r["user_id"]) for r in records] == [
        ("f0", "u-folder"),
        ("f1", "u-folder"),
    ]
    # a bare conversations.json picks up its sibling user.json
    records = list(CHATGPT(folder / "conversations-001.json", AdapterOptions(source="s")))
    assert records[0]["user_id"] == "u-folder"
    # two exports in one ZIP: refuse rather than mix accounts
    twice = make_zip(
        tmp_path / "twice.zip", {"a/conversations.json": [], "b/conversations.json": []}
    )
    with pytest.raises(AdapterConfigError, match="several folders"):
        CHATGPT(twice, OPTS)


def test_missing_source_is_a_configuration_error_before_reading(tmp_path):
    path = write_json(tmp_path / "conversations.json", [conv("c")])
    with pytest.raises(AdapterConfigError, match="source is required"):
        CHATGPT(path, AdapterOptions())  # raised at call time, nothing read
    with pytest.raises(AdapterConfigError, match="no account id"):
        CHATGPT(path, AdapterOptions(source_map={"u": "chatgpt_plus"}))
    zpath = make_zip(
        tmp_path / "e.zip", {"user.json": {"id": "unmapped"}, "conversations.json": [conv("c")]}
    )
    with pytest.raises(AdapterConfigError, match="not in source_map"):
        CHATGPT(zpath, AdapterOptions(source_map={"u": "chatgpt_plus"}))
    records = list(
        CHATGPT(zpath, AdapterOptions(source="chatgpt_free", source_map={"u": "chatgpt_plus"}))
    )
    assert records[0]["source"] == "chatgpt_free"  # source is the default for unmapped accounts
    for fmt in ("openai_finetune", "sharegpt", "openai_api_log"):
        with pytest.raises(AdapterConfigError):
            FORMATS[fmt](path, AdapterOptions())
    with pytest.raises(AdapterConfigError):
        CHATGPT(tmp_path / "missing.zip", OPTS)
    bad_user = make_zip(
        tmp_path / "bad-user.zip", {"user.json": "{not json", "conversations.json": []}
    )
    with pytest.raises(AdapterConfigError, match="user.json"):
        CHATGPT(bad_user, OPTS)


def test_options_are_validated():
    for kwargs in (
        {"source": ""},
        {"branch_policy": "all"},
        {"custom_instructions": "x"},
        {"default_created_at": "2024-01-01"},
        {"default_created_at": True},
        {"source_map": {"u": ""}},
        {"include_hidden": 1},
        {"limits": 1000},
    ):
        with pytest.raises(AdapterConfigError):
            AdapterOptions(**kwargs)
    assert AdapterOptions(default_created_at="2024-01-01T00:00:00+02:00").default_created_at


def test_records_are_picklable():
    import pickle

    opts = AdapterOptions(source="s", source_map={"a": "b"}, user_id="u")
    assert pickle.loads(pickle.dumps(opts)) == opts
    err = AdapterError("loc", "reason", "cid", b"raw")
    assert pickle.loads(pickle.dumps(err)) == err


# --- fine-tuning, ShareGPT and API logs: malformed cases ------------------------------------


def write_lines(path: Path, lines) -> Path:
    path.write_bytes(
        b"".join(
            (line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\r\n"
            for line in lines
        )
    )
    return path


def test_finetune_malformed_lines_and_parts(tmp_path):
    path = write_lines(
        tmp_path / "ft.jsonl",
        [
            {
                "id": "given",
                "messages": [
                    {"role": "developer", "content": "be brief"},
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "hi"},
                            {"type": "image_url", "image_url": {"url": "x"}},
                        ],
                    },
                    {
                        "role": "assistant",
                        "content": None,
                        "weight": 0,
                        "tool_calls": [
                            {
                                "id": "call_1",
                                "type": "function",
                                "function": {"name": "lookup", "arguments": '{"q": 1}'},
                            }
                        ],
                    },
                    {"role": "tool", "tool_call_id": "call_1", "content": "42"},
                    {"role": "assistant", "content": "", "name": "Bob"},
                ],
            },
            b"",
            b'{"messages": [{"role": "user", "content": "'
            + SECRET.encode()
            + b'"}], "messages": []}',
            b'{"messages": [' + SECRET.encode(),
            b"\xff\xfe",
            {"messages": [{"role": "narrator", "content": SECRET}]},
            {"messages": [{"role": "user", "content": 5}]},
            {"messages": SECRET},
            b'{"messages": [{"role": "user", "content": NaN}]}',
            [SECRET],
            {"messages": [{"role": "user", "content": "ok"}]},
        ],
    )
    opts = AdapterOptions(source="api_fine_tune_upload", default_created_at=1, tool_calls="keep")
    items = list(FINETUNE(path, opts, name="ft.jsonl"))
    assert len(items) == 10
    first = items[0]
    assert first["conversation_id"] == "given"
    assert thread(first) == [
        ("system", "be brief"),
        ("user", "hi"),
        (
            "assistant",
            [{"type": "code", "text": '{"name": "lookup", "arguments": "{\\"q\\": 1}"}'}],
        ),
        ("tool", "42"),
    ]
    assert first["_adapter"]["dropped_parts"] == {"image_url": 1}
    assert first["_adapter"]["dropped_messages"] == {"empty": 1}
    errors = items[1:9]
    assert all(isinstance(e, AdapterError) for e in errors)
    assert [e.location for e in errors] == [f"ft.jsonl:{n}" for n in (3, 4, 5, 6, 7, 8, 9, 10)]
    for e in errors:
        no_secret(e)
    assert errors[0].reason == "duplicate key in a JSON object"
    assert "not valid JSON" in errors[1].reason
    assert "not UTF-8" in errors[2].reason
    assert "role is not a known role" in errors[3].reason
    assert "content is number" in errors[4].reason
    assert "messages is string" in errors[5].reason
    assert "NaN" in errors[6].reason
    assert "line is list" in errors[7].reason
    assert items[9]["conversation_id"] == derived_id("ft", "ft.jsonl", 11)


def test_oversized_line_is_skipped(tmp_path):
    path = write_lines(
        tmp_path / "big.jsonl",
        [
            {"messages": [{"role": "user", "content": "x" * 5000}]},
            {"messages": [{"role": "user", "content": "small"}]},
        ],
    )
    opts = AdapterOptions(
        source="s", default_created_at=1, limits=ReadLimits(max_record_bytes=1000)
    )
    err, ok = list(FINETUNE(path, opts, name="big"))
    assert isinstance(err, AdapterError) and "max_record_bytes" in err.reason and err.raw is None
    assert thread(ok) == [("user", "small")] and ok["_adapter"]["location"] == "big:2"


def test_sharegpt_variants_and_errors(tmp_path):
    entries = [
        {
            "id": 7,
            "system": "sys prompt",
            "conversations": [
                {"from": "human", "value": "q"},
                {"from": "function_call", "value": '{"name": "f"}'},
                {"from": "observation", "value": "obs"},
                {"from": "gpt", "value": "a"},
                {"from": "gpt", "value": ""},
            ],
        },
        {"conversations": [{"from": "human", "value": "no id"}]},
        {"id": "bad-speaker", "conversations": [{"from": SECRET, "value": SECRET}]},
        {"id": "bad-value", "conversations": [{"from": "human", "value": [SECRET]}]},
        {"id": "no-turns"},
    ]
    path = write_json(tmp_path / "sg.json", entries)
    opts = AdapterOptions(source="s", user_id="u", default_created_at=1, tool_calls="keep")
    items = list(SHAREGPT(path, opts, name="sg.json"))
    assert items[0]["conversation_id"] == "7"
    assert thread(items[0]) == [
        ("system", "sys prompt"),
        ("user", "q"),
        ("assistant", [{"type": "code", "text": '{"name": "f"}'}]),
        ("tool", "obs"),
        ("assistant", "a"),
    ]
    assert items[0]["_adapter"]["dropped_messages"] == {"empty": 1}
    assert items[1]["conversation_id"] == derived_id("sharegpt", "sg.json", 1, "I")
    assert [type(i) for i in items[2:]] == [AdapterError] * 3
    for e in items[2:]:
        no_secret(e)
    # the same entries as JSON Lines, and a break mid-array
    jl = write_lines(tmp_path / "sg.jsonl", entries)
    assert thread(list(SHAREGPT(jl, opts))[0]) == thread(items[0])
    broken = tmp_path / "broken.json"
    broken.write_text("[" + json.dumps(entries[0]) + ", {]")
    with pytest.raises(UnsafeInput, match="truncated"):
        list(SHAREGPT(broken, opts))


def test_api_log_shapes(tmp_path):
    chat = {
        "request": {
            "model": "gpt-4o",
            "user": "end-user-9",
            "messages": [
                {"role": "system", "content": "sys"},
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "hello"},
                        {"type": "input_audio", "input_audio": {}},
                    ],
                },
            ],
        },
        "response": {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1700000100,
            "choices": [
                {"index": 1, "message": {"role": "assistant", "content": "alt"}},
                {"index": 0, "message": {"role": "assistant", "content": "hi there"}},
            ],
        },
    }
    bare = {"model": "gpt-4o", "messages": [{"role": "user", "content": "bare"}]}
    batch = {
        "custom_id": "r1",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {"model": "m", "messages": [{"role": "user", "content": "batched"}]},
    }
    responses = {
        "request": {
            "model": "gpt-5",
            "instructions": "be nice",
            "previous_response_id": "resp_0",
            "input": [
                {
                    "role": "user",
                    "content": [
                        {"type": "input_text", "text": "find it"},
                        {"type": "input_image", "image_url": "x"},
                    ],
                },
                {"type": "function_call_output", "call_id": "c", "output": "found"},
            ],
        },
        "response": {
            "status_code": 200,
            "body": {
                "id": "resp_1",
                "object": "response",
                "created_at": 1700000200,
                "output": [
                    {"type": "reasoning", "id": "rs_1", "summary": []},
                    {"type": "web_search_call", "id": "ws_1"},
                    {"type": "function_call", "id": "fc_1", "name": "search", "arguments": "{}"},
                    {
                        "type": "message",
                        "id": "msg_1",
                        "role": "assistant",
                        "content": [{"type": "output_text", "text": "answer", "annotations": []}],
                    },
                ],
            },
        },
    }
    simple_responses = {"model": "gpt-5", "input": "just text"}
    error = {"request": bare, "response": {"error": {"message": SECRET}}, "created_at": 1700000300}
    bad = [
        {"request": {"messages": [], "input": "x"}},
        {"request": bare, "response": [{"choices": []}]},
        {"nothing": SECRET},
        {
            "request": bare,
            "response": {"choices": [{"message": {"role": "wizard", "content": SECRET}}]},
        },
        {"request": {"input": 5}},
    ]
    path = write_lines(
        tmp_path / "api.jsonl", [chat, bare, batch, responses, simple_responses, error] + bad
    )
    opts = AdapterOptions(
        source="api", org_id="org-9", default_created_at=1600000000, tool_calls="keep"
    )
    items = list(APILOG(path, opts, name="api.jsonl"))
    c, b, bt, r, sr, e = items[:6]
    assert c["conversation_id"] == "chatcmpl-1" and c["created_at"] == 1700000100
    assert c["org_id"] == "org-9" and c["user_id"] is None
    assert thread(c) == [("system", "sys"), ("user", "hello"), ("assistant", "hi there")]
    assert [m["created_at"] for m in c["messages"]] == [None, None, 1700000100]
    assert c["_adapter"]["dropped_messages"] == {"other_choices": 1}
    assert c["_adapter"]["dropped_parts"] == {"input_audio": 1}
    assert b["conversation_id"] == derived_id("api", "api.jsonl", 2)
    assert b["created_at"] == 1600000000 and b["_adapter"]["created_at_defaulted"]
    assert thread(b) == [("user", "bare")] and thread(bt) == [("user", "batched")]
    assert r["conversation_id"] == "resp_1" and r["created_at"] == 1700000200
    assert thread(r) == [
        ("system", "be nice"),
        ("user", "find it"),
        ("tool", "found"),
        ("assistant", [{"type": "code", "text": '{"name": "search", "arguments": "{}"}'}]),
        ("assistant", "answer"),
    ]
    assert r["messages"][-1]["message_id"] == "msg_1"
    assert r["_adapter"]["previous_response_id"] is True
    assert r["_adapter"]["dropped_messages"] == {"item:web_search_call": 1, "reasoning": 1}
    assert thread(sr) == [("user", "just text")]
    assert e["created_at"] == 1700000300 and thread(e) == [("user", "bare")]
    assert e["_adapter"]["dropped_messages"] == {"response_error": 1}
    errors = items[6:]
    assert len(errors) == len(bad) and all(isinstance(x, AdapterError) for x in errors)
    for x in errors:
        no_secret(x)
    assert "exactly one of messages" in errors[0].reason
    assert "streamed chunks" in errors[1].reason
    # no default time and no response time: an error, never an invented time
    (only,) = list(APILOG(write_lines(tmp_path / "b.jsonl", [bare]), AdapterOptions(source="api")))
    assert isinstance(only, AdapterError) and "default_created_at" in only.reason


# --- detection -------------------------------------------------------------------------------


def test_detect_format_rules(tmp_path):
    assert detect_format(b'[{"mapping": {}, "title": "x"}]') == "chatgpt_export"
    assert detect_format(b'{"mapping": {}}') == "chatgpt_export"
    assert (
        detect_format(b'[{"id": "a", "conversations": [{"from": "human", "value": "x"}]}]')
        == "sharegpt"
    )
    assert detect_format(b'{"messages": [], "tools": []}\n{"messages": []}') == "openai_finetune"
    assert detect_format(b'{"request": {"messages": []}, "response": null}') == "openai_api_log"
    assert (
        detect_format(b'{"custom_id": "1", "url": "/v1/responses", "body": {}}') == "openai_api_log"
    )
    assert detect_format(b'{"model": "m", "messages": []}') == "openai_api_log"
    assert detect_format(b'{"conversation_id": "c", "source": "s", "messages": []}') == "canonical"
    assert detect_format(gzip.compress(b'{"messages": []}\n')) == "openai_finetune"
    refused = [
        b"[]",
        b'{"messages": [], "id": "x"}',
        b'[{"messages": []}]',
        b"42",
        b"",
        b'{"mapping": {}, "conversations": [{"from": "a", "value": "b"}]}',
        b'{"messages": [{"role": "user", "content": "cut',
    ]
    for data in refused:
        with pytest.raises(FormatDetectionError):
            detect_format(data)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FormatDetectionError):
        detect_format(empty)
    with pytest.raises(FormatDetectionError):
        detect_format(make_zip(tmp_path / "other.zip", {"data.json": []}))


# --- the large-export generator --------------------------------------------------------------


def test_make_big_export_is_readable_and_deterministic(tmp_path):
    from bench import make_big_export

    out = tmp_path / "conversations.json"
    assert make_big_export.main(["0.5", str(out), "--seed", "3"]) == 0
    assert out.stat().st_size >= 512 * 1024
    again = tmp_path / "again.json"
    make_big_export.main(["0.5", str(again), "--seed", "3"])
    assert out.read_bytes() == again.read_bytes()
    records, errors = split(list(CHATGPT(out, OPTS)))
    assert not errors and len(records) == len(json.loads(out.read_text()))
    for r in records:
        roles = [m["role"] for m in r["messages"]]
        assert roles[0] == "user" and "assistant" in roles and "tool" in roles
        assert r["_adapter"]["dropped_messages"]["reasoning"] >= 0
    zpath = tmp_path / "export.zip"
    make_big_export.main(["0.2", str(zpath), "--zip"])
    zrecords = list(CHATGPT(zpath, AdapterOptions(source="chatgpt_plus")))
    assert zrecords and {r["user_id"] for r in zrecords} == {"user-synthetic"}


def test_source_map_is_keyed_by_the_exports_account_even_with_a_user_id_override(tmp_path):
    path = make_zip(
        tmp_path / "e.zip", {"user.json": {"id": "acct-1"}, "conversations.json": [conv("c")]}
    )
    opts = AdapterOptions(
        user_id="internal-7", source_map={"acct-1": "chatgpt_team"}, workspace_id="ws-1"
    )
    (record,) = list(CHATGPT(path, opts))
    assert (record["user_id"], record["source"], record["workspace_id"]) == (
        "internal-7",
        "chatgpt_team",
        "ws-1",
    )


def test_tool_calls_are_dropped_and_counted_by_default_in_every_format(tmp_path):
    call = {"id": "c1", "type": "function", "function": {"name": "search", "arguments": "{}"}}
    finetune = tmp_path / "ft.jsonl"
    finetune.write_text(
        json.dumps(
            {
                "messages": [
                    {"role": "user", "content": "find it"},
                    {"role": "assistant", "content": None, "tool_calls": [call, call]},
                    {"role": "tool", "content": "found"},
                    {"role": "assistant", "content": "here", "tool_calls": [call]},
                ]
            }
        )
        + "\n"
    )
    opts = AdapterOptions(source="api", default_created_at=1)
    (record,) = FINETUNE(finetune, opts)
    assert thread(record) == [("user", "find it"), ("tool", "found"), ("assistant", "here")]
    assert record["_adapter"]["dropped_messages"] == {"tool_call": 3}  # not also "empty"
    sharegpt = write_json(
        tmp_path / "sg.json",
        [
            {
                "conversations": [
                    {"from": "human", "value": "q"},
                    {"from": "function_call", "value": "f"},
                ]
            }
        ],
    )
    (record,) = SHAREGPT(sharegpt, opts)
    assert thread(record) == [("user", "q")]
    assert record["_adapter"]["dropped_messages"] == {"tool_call": 1}
    api_log = tmp_path / "api.jsonl"
    api_log.write_text(
        json.dumps(
            {
                "input": [
                    {"role": "user", "content": "q"},
                    {"type": "function_call", "name": "search", "arguments": "{}"},
                    {"type": "function_call_output", "call_id": "c", "output": "found"},
                ]
            }
        )
        + "\n"
    )
    (record,) = APILOG(api_log, opts)
    assert thread(record) == [("user", "q"), ("tool", "found")]
    assert record["_adapter"]["dropped_messages"] == {"tool_call": 1}
