"""Hostile export archives and folders (DATA.md, "Completion and safety of
outputs"): each one that cannot be read safely is dead-lettered as a whole with
its location and reason, counted as one record, while every other input is
processed, the audit reconciles, the run exits 0 and memory stays bounded. One
real pipeline run reads every archive below together."""

from __future__ import annotations

import json
import os
import random
import stat
import string
import zipfile

import pytest

from tests.hostile.runs import MAX_RSS_BYTES, record_id, run_pipeline

pytestmark = pytest.mark.hostile

SECRET = "SECRET-OUTSIDE-THE-EXPORT-d41d8cd98f"
T0 = 1_780_000_000.0  # 2026-05-28


def node(nid, parent, children, role, text="Explain recursion in one paragraph."):
    message = (
        None
        if role is None
        else {
            "id": nid,
            "author": {"role": role},
            "create_time": T0,
            "content": {"content_type": "text", "parts": [text]},
            "metadata": {},
        }
    )
    return {"id": nid, "message": message, "parent": parent, "children": children}


def chat(cid: str, answer: str = "Recursion is a function calling itself.") -> dict:
    return {
        "conversation_id": cid,
        "title": "t",
        "create_time": T0,
        "update_time": T0,
        "current_node": "b",
        "mapping": {
            "root": node("root", None, ["a"], None),
            "a": node("a", "root", ["b"], "user"),
            "b": node("b", "a", [], "assistant", answer),
        },
    }


def write_zip(path, members: dict, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            if isinstance(data, zipfile.ZipInfo):
                zf.writestr(data, b"/etc/passwd")
            else:
                zf.writestr(name, data if isinstance(data, bytes) else json.dumps(data))
    return path


def link_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def build_exports(root) -> dict[str, str]:
    """Every hostile export under ``root``; returns {name: what must happen}."""
    exports = root / "exports"
    exports.mkdir()
    expected = {}

    write_zip(
        exports / "good.zip",
        {"user.json": {"id": "u-good"}, "conversations.json": [chat("good-1"), chat("good-2")]},
    )
    expected["good.zip"] = "written"

    with zipfile.ZipFile(exports / "bzip2-bomb.zip", "w", zipfile.ZIP_BZIP2) as zf:
        with zf.open("conversations.json", "w") as member:  # 256 MiB of blanks, ~200 bytes
            member.write(b"[")
            for _ in range(256):
                member.write(b" " * (1 << 20))
            member.write(b"]")
    expected["bzip2-bomb.zip"] = "compression-ratio cap"

    giant = b'[{"conversation_id": "giant", "title": "' + b"a" * (96 << 20) + b'"}]'
    write_zip(exports / "giant-string.zip", {"conversations.json": giant})
    expected["giant-string.zip"] = "compression-ratio cap"

    deep = b"[" * 100_000 + b"]" * 100_000  # 600 KB of nesting
    write_zip(exports / "deep.zip", {"conversations.json": deep})
    expected["deep.zip"] = "levels deep"

    stored = json.dumps([chat("crc-1")]).encode()
    write_zip(exports / "bad-crc.zip", {"conversations.json": stored}, zipfile.ZIP_STORED)
    data = bytearray((exports / "bad-crc.zip").read_bytes())
    at = data.find(b"Recursion")
    data[at] ^= 0x20
    (exports / "bad-crc.zip").write_bytes(bytes(data))
    expected["bad-crc.zip"] = "corrupt"

    write_zip(
        exports / "link-member.zip", {"conversations.json": link_member("conversations.json")}
    )
    expected["link-member.zip"] = "symbolic link"

    write_zip(
        exports / "link-user-json.zip",
        {"user.json": link_member("user.json"), "conversations.json": [chat("link-user-1")]},
    )
    expected["link-user-json.zip"] = "symbolic link"

    write_zip(exports / "duplicate-members.zip", {"conversations.json": [chat("dup-a")]})
    with zipfile.ZipFile(exports / "duplicate-members.zip", "a") as zf:
        with pytest.warns(UserWarning):
            zf.writestr("conversations.json", json.dumps([chat("dup-b")]))
    expected["duplicate-members.zip"] = "two members of the same name"

    whole = (exports / "good.zip").read_bytes()
    (exports / "truncated.zip").write_bytes(whole[: len(whole) // 2])
    expected["truncated.zip"] = "unreadable"

    # an unpacked export whose conversations.json is a link to a file outside it
    (root / "outside.json").write_text(json.dumps([chat("outside", SECRET)]))
    (exports / "linked-folder").mkdir()
    os.symlink(root / "outside.json", exports / "linked-folder" / "conversations.json")
    expected["linked-folder"] = "symbolic link"

    # an unpacked export with a 3 GB user.json (sparse: nothing is written to disk)
    (exports / "huge-user-json").mkdir()
    (exports / "huge-user-json" / "conversations.json").write_text(json.dumps([chat("huge-1")]))
    with open(exports / "huge-user-json" / "user.json", "wb") as f:
        f.truncate(3 << 30)
    expected["huge-user-json"] = "user.json is larger than"

    # a FIFO where conversations.json should be: opening it would block forever
    (exports / "fifo-folder").mkdir()
    os.mkfifo(exports / "fifo-folder" / "conversations.json")
    expected["fifo-folder"] = "not a regular file"

    # an export with one oversized conversation and one with duplicate node ids:
    # only those two are dead-lettered, their neighbours are written
    rng = random.Random(7)
    big_text = "".join(rng.choices(string.ascii_letters + " ", k=17 << 20))
    duplicate_nodes = (
        json.dumps(chat("dup-nodes"))[:-2]
        + ', "a": '
        + json.dumps(node("a", "root", ["b"], "user", "hidden twin"))
        + "}}"
    )
    (exports / "mixed").mkdir()
    (exports / "mixed" / "conversations.json").write_text(
        "["
        + ",".join(
            [
                json.dumps(chat("mixed-before")),
                json.dumps(chat("mixed-big", big_text)),
                duplicate_nodes,
                json.dumps(chat("mixed-after")),
            ]
        )
        + "]"
    )
    expected["mixed"] = "partly written"
    return expected


@pytest.fixture(scope="module")
def archive_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("archives")
    expected = build_exports(root)
    run = run_pipeline(
        [
            "--conversations",
            str(root / "exports" / "*"),
            "--input-format",
            "chatgpt_export",
            "--source",
            "chatgpt_plus",
            "--user-id",
            "u-export",
        ],
        root / "out",
    )
    return run, expected


def test_the_run_completes_and_reconciles(archive_run):
    run, _ = archive_run
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.audit()["reconciliation"]["reconciles"] is True
    assert run.peak_rss_bytes < MAX_RSS_BYTES, run.peak_rss_bytes


def test_each_unsafe_archive_is_one_dead_letter_with_its_location_and_reason(archive_run):
    run, expected = archive_run
    whole = [d for d in run.dead_letters() if d["error"].startswith("unreadable_input")]
    by_input = {os.path.basename(d["input_location"].split("!")[0]): d for d in whole}
    refused = {
        name: reason
        for name, reason in expected.items()
        if reason not in ("written", "partly written")
    }
    assert set(by_input) == set(refused)
    for name, reason in refused.items():
        dead = by_input[name]
        assert dead["stage"] == "read" and dead["raw"] is None
        assert reason in dead["error"] or reason == "unreadable", (name, dead["error"])
    counts = run.audit()["counts"]
    assert counts["dead_lettered_by_stage"]["read"]["unreadable_input"] == len(refused)


def test_nothing_outside_the_export_reaches_the_outputs(archive_run):
    run, _ = archive_run
    for path in run.output.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_good_archives_and_innocent_neighbours_are_written(archive_run):
    run, _ = archive_run
    assert run.dataset_ids() == {
        record_id(c) for c in ("good-1", "good-2", "mixed-before", "mixed-after")
    }
    entry_errors = {
        d["conversation_id"] or d["input_location"]: d["error"]
        for d in run.dead_letters()
        if d["input_location"].startswith(str(run.output.parent / "exports" / "mixed"))
    }
    assert len(entry_errors) == 2, entry_errors
    errors = " | ".join(entry_errors.values())
    assert "over max_record_bytes" in errors and "duplicate key" in errors
