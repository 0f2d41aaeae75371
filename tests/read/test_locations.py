"""Where each record was: JSON Lines line numbers survive parallel byte ranges
(every range boundary, blank, CRLF and oversized lines, gzip), locations sort
in the order of their positions, citation markers leave the text."""

from __future__ import annotations

import gzip

import pytest
from apache_beam.io.filesystem import FileMetadata

from schemas.locations import location_order
from transforms.read import inputs
from transforms.read.inputs import OversizedRecord, plan_text, read_text
from transforms.read.safe_io import ReadLimits
from transforms.read.validation import to_conversation, without_citation_markers

LIMITS = ReadLimits(max_record_bytes=40)


def numbered_lines(path, split_bytes, monkeypatch) -> list[tuple[str, object]]:
    monkeypatch.setattr(inputs, "SPLIT_BYTES", split_bytes)
    metadata = FileMetadata(str(path), path.stat().st_size)
    return [pair for unit in plan_text(metadata, LIMITS) for pair in read_text(unit, LIMITS)]


@pytest.mark.parametrize("split_bytes", [1, 2, 3, 5, 7, 16, 64, 1 << 20])
def test_line_numbers_are_right_whatever_the_ranges(tmp_path, monkeypatch, split_bytes):
    lines = [b'{"a": 1}', b"", b'{"b": 22}\r', b"   ", b"x" * 100, b'{"c": 333}', b"", b'{"d": 4}']
    path = tmp_path / "input.jsonl"
    path.write_bytes(b"\n".join(lines))  # no newline at the end
    got = numbered_lines(path, split_bytes, monkeypatch)
    expected = [
        (f"{path}:{number}", line)
        for number, line in enumerate(lines, 1)
        if line.strip() and len(line) <= 40
    ]
    assert [(where, line) for where, line in got if isinstance(line, bytes)] == [
        (where, line.rstrip(b"\n")) for where, line in expected
    ]
    (oversized,) = [(where, r) for where, r in got if isinstance(r, OversizedRecord)]
    assert oversized[0] == f"{path}:5" and oversized[1].size == 101


def test_a_compressed_file_is_numbered_as_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "input.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"a": 1}\n\n{"b": 2}\n'))
    got = numbered_lines(path, 4, monkeypatch)
    assert got == [(f"{path}:1", b'{"a": 1}'), (f"{path}:3", b'{"b": 2}')]


def test_locations_sort_by_position_and_by_input_name():
    assert sorted(
        [
            "f.jsonl:10",
            "f.jsonl:9",
            "e.jsonl:100",
            "z.zip!conversations.json[10]",
            "z.zip!conversations.json[2]",
            "p.parquet[row group 1, row 0]",
            "p.parquet[row group 0, row 12]",
        ],
        key=location_order,
    ) == [
        "e.jsonl:100",
        "f.jsonl:9",
        "f.jsonl:10",
        "p.parquet[row group 0, row 12]",
        "p.parquet[row group 1, row 0]",
        "z.zip!conversations.json[2]",
        "z.zip!conversations.json[10]",
    ]


def test_citation_markers_leave_the_text_and_are_counted():
    text = (
        "Lisbon \ue200cite\ue202turn0search3\ue202turn0news1\ue201. \ue203Quoted\ue204\ue206 words"
    )
    assert without_citation_markers(text) == ("Lisbon. Quoted words", 4)
    assert without_citation_markers("plain text") == ("plain text", 0)
    record = {
        "conversation_id": "c",
        "source": "api",
        "created_at": 0,
        "messages": [
            {"role": "assistant", "content": text},
            {"role": "user", "content": [{"type": "image_url"}, {"type": "text", "text": "hi"}]},
        ],
    }
    dropped = to_conversation(record, citation_markers="drop")
    assert dropped.messages[0].content == "Lisbon. Quoted words"
    assert dropped.content_dropped == (("citation_marker", 4), ("image", 1))
    assert dropped.non_text_parts_dropped == 1
    kept = to_conversation(record, citation_markers="keep")
    assert kept.messages[0].content == text and kept.content_dropped == (("image", 1),)
