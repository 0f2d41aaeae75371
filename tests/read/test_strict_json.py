"""The strict JSON loader and the streaming document splitter."""

import io
import json
import random

import pytest

from transforms.read.strict_json import (
    DocumentProblem,
    Entry,
    EntryTooLarge,
    JsonRejected,
    check_document,
    loads_strict,
    nesting_depth,
    split_document,
)


def split(data: bytes, max_entry_bytes=1 << 20, max_depth=64, chunk_bytes=7):
    return list(
        split_document(io.BytesIO(data), max_entry_bytes, max_depth, chunk_bytes=chunk_bytes)
    )


def _random_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(7 if depth < 4 else 4)
    if kind == 0:
        return rng.choice([None, True, False, 0, -1.5, 10**12])
    if kind in (1, 2, 3):
        alphabet = ["a", '"', "\\", ",", "[", "]", "{", "}", " ", "\n", "é", '\\"', "\\\\"]
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
    if kind in (4, 5):
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {f"k{i}": _random_value(rng, depth + 1) for i in range(rng.randrange(4))}


@pytest.mark.parametrize("seed", range(40))
def test_every_element_of_an_array_is_cut_exactly_whatever_the_chunking(seed):
    rng = random.Random(seed)
    elements = [_random_value(rng) for _ in range(rng.randrange(1, 8))]
    data = json.dumps(elements, indent=rng.choice([None, 1])).encode()
    for chunk in (1, 2, 3, 5, 64, 1 << 20):
        items = split(data, chunk_bytes=chunk)
        assert all(isinstance(i, Entry) for i in items), items
        assert [json.loads(i.data) for i in items] == elements
        assert [i.index for i in items] == list(range(len(elements)))


def test_a_single_object_is_one_entry_and_empty_array_none():
    assert [json.loads(i.data) for i in split(b'\xef\xbb\xbf {"a": [1, {"b": "}"}]}\n')] == [
        {"a": [1, {"b": "}"}]}
    ]
    assert split(b" [ ] ") == []


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"nope", "not a JSON array or object"),
        (b'[{"a": 1}, {"b": ', "truncated"),
        (b'[{"a": "never closed', "truncated: it stops inside a string"),
        (b'[{"a": 1}] {"b": 2}', "data after the end"),
        (b'{"a": 1}\n{"a": 2}\n', "data after the end"),
        (b"[1, , 2]", "empty element"),
        (b"[1, 2, ]", "empty element"),
    ],
)
def test_document_problems_are_reported_once_with_their_reason(data, reason):
    for chunk in (1, 4, 1 << 20):
        items = split(data, chunk_bytes=chunk)
        problems = [i for i in items if isinstance(i, DocumentProblem)]
        assert len(problems) == 1 and items[-1] is problems[0], items
        assert reason in problems[0].reason
        assert check_document(io.BytesIO(data), 1 << 20).reason == problems[0].reason


def test_deep_nesting_is_refused_by_the_scan_without_recursion():
    deep = b"[" * 100_000 + b"]" * 100_000
    problem = check_document(io.BytesIO(deep), 1 << 30, max_depth=64)
    assert isinstance(problem, DocumentProblem) and "more than 64 levels" in problem.reason
    assert nesting_depth(deep) == 100_000
    with pytest.raises(JsonRejected, match="nested 100000 levels"):
        loads_strict(deep, max_depth=64)
    # brackets inside strings do not count
    assert nesting_depth(json.dumps({"a": "[[[[{{{{" * 100}).encode()) == 1


def test_an_oversized_entry_is_skipped_unkept_and_the_next_one_is_read():
    big = {"text": "x" * 5000}
    data = json.dumps([{"a": 1}, big, {"b": 2}]).encode()
    items = split(data, max_entry_bytes=1000, chunk_bytes=256)
    assert isinstance(items[0], Entry) and json.loads(items[0].data) == {"a": 1}
    assert isinstance(items[1], EntryTooLarge) and items[1].index == 1 and items[1].size > 5000
    assert isinstance(items[2], Entry) and json.loads(items[2].data) == {"b": 2}


def test_escaped_quotes_and_backslashes_across_chunk_boundaries():
    value = ["a\\", '\\"]', "\\\\", 'x\\\\\\"{', "}"]
    data = json.dumps(value).encode()
    for chunk in range(1, len(data) + 1):
        items = split(data, chunk_bytes=chunk)
        assert [json.loads(i.data) for i in items] == value


@pytest.mark.parametrize(
    "data, message",
    [
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b'{"a": NaN}', "NaN is not allowed"),
        (b'{"a": -Infinity}', "-Infinity is not allowed"),
        (b'{"a": "\\ud800"}', "lone surrogate"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b'{"a": ', "not valid JSON"),
    ],
)
def test_loads_strict_rejects_what_the_contract_forbids(data, message):
    with pytest.raises(JsonRejected, match=message):
        loads_strict(data)
