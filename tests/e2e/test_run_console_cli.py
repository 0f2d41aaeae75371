"""What a run of the real command line (a separate process) tells its user and
records: the end-of-run summary on stderr, the dead-letter warning and
--fail-on-dead-letter-rate, --quiet / --verbose, Beam's chatter kept out,
progress lines, precise dead-letter locations (JSON Lines line, Parquet row
group and row, archive member and index), conversation and control-event dead
letters apart, what export adapters drop counted by kind, tool calls and
citation markers left out of the text, config versions and hashes in the audit
and in the Parquet key-value metadata."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.e2e.cli import CHATTER, eligibility, lines
from tests.e2e.conftest import MULTI_PROCESS, SINGLE_PROCESS
from transforms.pii.config import DEFAULT_PII_CONFIG_PATH
from transforms.policy.config import DEFAULT_POLICY_PATH

pytestmark = pytest.mark.e2e

CITED = "Lisbon is the capital. \ue200cite\ue202turn0search0\ue201"
VALID = {
    "conversation_id": "conv-valid-1",
    "user_id": "user-4711",
    "source": "chatgpt_free",
    "created_at": "2026-06-01T00:00:00Z",
    "messages": [
        {"role": "user", "content": "What is the capital of Portugal?"},
        {"role": "assistant", "content": CITED},
    ],
}
API = {**VALID, "conversation_id": "conv-api-2", "source": "api", "user_id": None}
NO_SOURCE = {k: v for k, v in VALID.items() if k != "source"} | {"conversation_id": "conv-bad-3"}
PERSONAL = ("user-4711", "conv-valid-1", "conv-bad-3", "capital of Portugal", "Lisbon")


@pytest.fixture(scope="module")
def canonical(tmp_path_factory) -> Path:
    """Four conversation records (line 2 blank): two valid, line 3 without a
    source, line 5 not JSON; one malformed consent event on line 2."""
    folder = tmp_path_factory.mktemp("console")
    (folder / "conversations.jsonl").write_text(
        "\n".join(
            [json.dumps(VALID), "", json.dumps(NO_SOURCE), json.dumps(API), '{"conversation_id": ']
        )
        + "\n"
    )
    (folder / "consent.jsonl").write_text(
        json.dumps({"user_id": "user-1", "training_enabled": True, "changed_at": 0})
        + "\n"
        + json.dumps({"user_id": "user-2", "training_enabled": "yes", "changed_at": 0})
        + "\n"
    )
    return folder


def inputs(folder: Path) -> list[str]:
    return [
        "--conversations",
        str(folder / "conversations.jsonl"),
        "--consent-events",
        str(folder / "consent.jsonl"),
    ]


@pytest.fixture(scope="module")
def default_run(canonical, tmp_path_factory):
    """Two worker processes (so their own log lines would reach stderr),
    stderr not a terminal, over the dead-letter threshold to fail on."""
    output = tmp_path_factory.mktemp("default") / "out"
    completed = eligibility(
        inputs(canonical), output, *MULTI_PROCESS, "--fail-on-dead-letter-rate", "0.25"
    )
    return output, completed


def test_the_run_ends_with_a_summary_a_warning_and_exit_3(default_run):
    output, completed = default_run
    assert completed.returncode == 3, completed.stderr
    err = completed.stderr
    assert "Run complete in " in err and " records/s (FnApiRunner (multi_processing" in err
    assert re.search(r"\nrecords read +4\n  written +1\n  excluded +1\n", err)
    assert re.search(r"\n  dead-lettered +2\n    validate: invalid_record +2\n", err)
    assert "reconciles: yes (4 read = 1 written + 1 excluded + 2 dead-lettered" in err
    assert "dead_letter/ rows: 3 = 2 conversation records (above) + 1 control-event lines" in err
    assert f"outputs in {output}: dataset/ (1 file)" in err and "report.html, _SUCCESS" in err
    assert "WARNING: 2 of 4 records (50.0%) were dead-lettered, over 2.0%" in err
    assert "over --fail-on-dead-letter-rate 25.0% (exit 3; the outputs are published)" in err
    assert (output / "_SUCCESS").exists() and (output / "report.html").exists()


def test_only_what_needs_action_is_shown_and_no_personal_data(default_run):
    err = default_run[1].stderr
    assert [line for line in lines(err) if any(word in line for word in CHATTER)] == []
    assert "progress" not in err  # stderr is not a terminal and --progress was not given
    assert not [value for value in PERSONAL if value in err]


def test_dead_letters_name_the_line_and_the_audit_separates_them(default_run, canonical):
    output = default_run[0]
    rows = pq.read_table(output / "dead_letter").to_pylist()
    assert sorted((r["stage"], r["input_location"]) for r in rows) == [
        ("consent_events", f"{canonical}/consent.jsonl:2"),
        ("validate", f"{canonical}/conversations.jsonl:3"),
        ("validate", f"{canonical}/conversations.jsonl:5"),
    ]
    audit = json.loads((output / "audit.json").read_text())
    assert audit["dead_letter_output"] == {
        "rows": 3,
        "conversation_records": 2,
        "control_events": 1,
        "control_events_by_input": {"consent_events": 1, "deletions": 0, "sharing_events": 0},
        "note": audit["dead_letter_output"]["note"],
    }
    assert audit["counts"]["dead_lettered"] == 2


def test_citation_markers_are_dropped_counted_and_the_settings_recorded(default_run):
    output = default_run[0]
    (record,) = pq.read_table(output / "dataset").to_pylist()
    assert record["messages"][1]["content"] == "Lisbon is the capital."  # marker and its blank
    audit = json.loads((output / "audit.json").read_text())
    assert audit["counts"]["content_dropped"] == {"citation_marker": 1}
    run = audit["run"]
    assert run["policy"]["sha256"] == hashlib.sha256(DEFAULT_POLICY_PATH.read_bytes()).hexdigest()
    assert run["pii"]["sha256"] == hashlib.sha256(DEFAULT_PII_CONFIG_PATH.read_bytes()).hexdigest()
    assert run["pii"]["version"] and run["pii"]["version"] in DEFAULT_PII_CONFIG_PATH.read_text()
    assert run["text"] == {"tool_calls": "drop", "citation_markers": "drop"}
    expected = {
        "training_eligibility.policy_id": run["policy"]["id"],
        "training_eligibility.policy_version": run["policy"]["version"],
        "training_eligibility.policy_sha256": run["policy"]["sha256"],
        "training_eligibility.pii_config_version": run["pii"]["version"],
        "training_eligibility.pii_config_sha256": run["pii"]["sha256"],
    }
    for name in ("dataset", "lineage", "redactions", "dead_letter"):
        for shard in (output / name).iterdir():
            metadata = {
                k.decode(): v.decode() for k, v in (pq.read_schema(shard).metadata or {}).items()
            }
            assert expected.items() <= metadata.items(), shard
            # no time of the run: the same inputs and settings give the same bytes
            assert not {run["start_time"][:10], run["end_time"][:10]} & {
                v[:10] for v in metadata.values()
            }


def test_quiet_leaves_only_the_warning(canonical, tmp_path):
    completed = eligibility(inputs(canonical), tmp_path / "out", *SINGLE_PROCESS, "--quiet")
    assert completed.returncode == 0
    assert lines(completed.stderr) == [
        "WARNING: 2 of 4 records (50.0%) were dead-lettered, over 2.0% "
        "(--warn-dead-letter-rate); see dead_letter/ and report.html"
    ]


def test_verbose_shows_beam_and_progress_lines_come_when_asked(canonical, tmp_path):
    completed = eligibility(
        inputs(canonical),
        tmp_path / "out",
        *SINGLE_PROCESS,
        "--verbose",
        "--progress",
        "--progress-every",
        "0.2",
        "--warn-dead-letter-rate",
        "0.6",
    )
    assert completed.returncode == 0
    err = lines(completed.stderr)
    assert any(line.startswith("INFO ") for line in err)  # Beam's own lines, shown
    progress = [line for line in err if line.startswith("progress ")]
    assert progress and "[stage: " in progress[-1] and "read 4" in progress[-1]
    assert not [line for line in err if line.startswith("WARNING: ")]  # under 60%


def test_parquet_dead_letters_name_the_row_group_and_the_row(tmp_path):
    schema = pa.schema([("conversation_id", pa.string()), ("source", pa.string())]).append(
        pa.field("created_at", pa.string())
    )
    path = tmp_path / "conversations.parquet"
    rows = [
        {"conversation_id": "a", "source": "api", "created_at": "2026-06-01T00:00:00Z"},
        {"conversation_id": "b", "source": "api", "created_at": "2026-06-01T00:00:00Z"},
        {"conversation_id": "c", "source": None, "created_at": "2026-06-01T00:00:00Z"},
    ]
    with pq.ParquetWriter(path, schema) as writer:
        writer.write_table(pa.Table.from_pylist(rows[:1], schema=schema))
        writer.write_table(pa.Table.from_pylist(rows[1:], schema=schema))
    completed = eligibility(["--conversations", str(path)], tmp_path / "out", *SINGLE_PROCESS)
    assert completed.returncode == 0, completed.stderr
    locations = sorted(
        r["input_location"] for r in pq.read_table(tmp_path / "out" / "dead_letter").to_pylist()
    )
    assert locations == [
        f"{path}[row group 0, row 0]",  # no messages: invalid
        f"{path}[row group 1, row 0]",
        f"{path}[row group 1, row 1]",
    ]


def chatgpt_node(nid, parent, children, role, content, **message):
    return {
        "id": nid,
        "parent": parent,
        "children": children,
        "message": {"id": f"m-{nid}", "author": {"role": role}, "content": content, **message},
    }


def chatgpt_export(path: Path) -> Path:
    """One conversation with a browsing tool call, its result, an image, a
    citation marker and a hidden system message; one without a mapping."""
    image = {"content_type": "image_asset_pointer"}
    hidden = {"metadata": {"is_visually_hidden_from_conversation": True}}
    chain = [
        ("user", {"content_type": "multimodal_text", "parts": [image, "Where is it?"]}, {}),
        (
            "assistant",
            {"content_type": "code", "text": 'search("capital")'},
            {"recipient": "browser"},
        ),
        ("tool", {"content_type": "tether_browsing_display", "result": "page"}, {}),
        ("assistant", {"content_type": "text", "parts": [CITED]}, {}),
        ("system", {"content_type": "text", "parts": ["hidden"]}, hidden),
    ]
    ids = [f"n{i}" for i in range(len(chain))]
    mapping = {
        nid: chatgpt_node(
            nid,
            ids[i - 1] if i else None,
            ids[i + 1 : i + 2],
            role,
            content,
            **extra,
        )
        for i, (nid, (role, content, extra)) in enumerate(zip(ids, chain, strict=True))
    }
    conversations = [
        {"id": "chat-1", "create_time": 1780000000, "mapping": mapping, "current_node": ids[-1]},
        {"id": "chat-2", "create_time": 1780000000},
    ]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("conversations.json", json.dumps(conversations))
        archive.writestr("user.json", json.dumps({"id": "user-4711"}))
    return path


def test_export_drops_are_counted_by_kind_and_entries_located(tmp_path):
    export = chatgpt_export(tmp_path / "export.zip")
    completed = eligibility(
        ["--conversations", str(export), "--source", "chatgpt_plus"],
        tmp_path / "out",
        *SINGLE_PROCESS,
    )
    assert completed.returncode == 0, completed.stderr
    audit = json.loads((tmp_path / "out" / "audit.json").read_text())
    assert audit["counts"]["content_dropped"] == {
        "browsing_result": 1,
        "citation_marker": 1,
        "hidden_message": 1,
        "image": 1,
        "tool_call": 1,
    }
    assert audit["counts"]["non_text_parts_dropped"] == 1
    assert "tool_call 1" in completed.stderr  # the summary says what was left out
    (record,) = pq.read_table(tmp_path / "out" / "dataset").to_pylist()
    text = json.dumps(record["messages"])
    assert "search(" not in text and "\\ue200" not in text and "turn0search0" not in text
    (dead,) = pq.read_table(tmp_path / "out" / "dead_letter").to_pylist()
    assert dead["input_location"] == f"{export}!conversations.json[1]"
    (lineage,) = pq.read_table(tmp_path / "out" / "lineage").to_pylist()
    assert lineage["input_location"] == f"{export}!conversations.json[0]"
