"""The command-line contract of DATA.md: flags, usage errors (exit 2), outputs."""

import re
from pathlib import Path

import pytest

from bench.run import BENCH_KEY
from pipelines.eligibility import build_parser, run
from tests.e2e.conftest import TEST_KEY
from transforms.keys import weakness

KEY_ENV = {"ELIGIBILITY_RECORD_ID_KEY": "cli-test-key-0123456789abcdef"}
OTHER_KEY = "cli-other-test-key-0123456789"


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    for name, value in KEY_ENV.items():
        monkeypatch.setenv(name, value)
    conversations = tmp_path / "conversations.jsonl"
    conversations.write_text(
        '{"conversation_id": "c1", "user_id": "u1", "source": "chatgpt_free",'
        ' "created_at": 0, "messages": [{"role": "user", "content": "hi"}]}\n'
    )
    return tmp_path, [
        "--conversations",
        str(conversations),
        "--runner=FnApiRunner",
        "--as-of",
        "2026-11-24T00:00:00Z",
    ]


def usage_error(argv, capsys) -> str:
    with pytest.raises(SystemExit) as info:
        run(argv)
    assert info.value.code == 2
    return capsys.readouterr().err


def test_help_documents_every_flag_of_the_contract(capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for flag in (
        "--conversations",
        "--output",
        "--consent-events",
        "--sharing-events",
        "--deletions",
        "--as-of",
        "--policy",
        "--overwrite",
        "--input-format",
        "--record-id-key-file",
        "--spacy-model",
        "--max-record-bytes",
        "--runner",
    ):
        assert flag in text


def test_unknown_flags_are_errors_but_beam_options_are_accepted(inputs, capsys):
    tmp, argv = inputs
    err = usage_error(argv + ["--output", str(tmp / "o"), "--no-such-flag"], capsys)
    assert "--no-such-flag" in err
    err = usage_error(
        argv + ["--output", str(tmp / "o"), "--direct_num_workers=2", "--as-of", "2026-11-24"],
        capsys,
    )  # Beam flag fine, bad as-of not
    assert "--as-of" in err


def test_a_pattern_that_matches_no_file_is_a_usage_error(inputs, capsys):
    tmp, argv = inputs
    err = usage_error(
        argv + ["--output", str(tmp / "o"), "--deletions", str(tmp / "none-*.jsonl")], capsys
    )
    assert "matches no file" in err


def test_a_key_is_required(inputs, capsys, monkeypatch):
    tmp, argv = inputs
    monkeypatch.delenv("ELIGIBILITY_RECORD_ID_KEY")
    assert "record-id key" in usage_error(argv + ["--output", str(tmp / "o")], capsys)


@pytest.mark.parametrize(
    "weak", ["k" * 32, " " * 16, "\t \n" * 8, "ab" * 16, "0123456", "\u2003" * 16, "abcdefg" * 4]
)
def test_weak_keys_are_refused_and_never_echoed(inputs, capsys, monkeypatch, weak):
    tmp, argv = inputs
    monkeypatch.setenv("ELIGIBILITY_RECORD_ID_KEY", weak)
    err = usage_error(argv + ["--output", str(tmp / "o")], capsys)
    assert "record-id key" in err and (weak.strip() == "" or weak not in err)
    assert not (tmp / "o").exists()


def test_a_weak_key_file_is_refused(inputs, capsys):
    tmp, argv = inputs
    (tmp / "key").write_text("x" * 40 + "\n")
    err = usage_error(
        argv + ["--output", str(tmp / "o"), "--record-id-key-file", str(tmp / "key")], capsys
    )
    assert "too weak" in err and "xxxx" not in err


def test_the_development_test_and_random_keys_are_strong_enough():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    dev_key = re.search(r"^DEV_KEY := (\S+)$", makefile, re.MULTILINE).group(1)
    for key in (
        dev_key,
        TEST_KEY,
        BENCH_KEY,
        KEY_ENV["ELIGIBILITY_RECORD_ID_KEY"],
        OTHER_KEY,
        "parquet-test-key-0123456789",
        "gzip-test-key-0123456789",
        "formats-e2e-key-0123456789",
        "hostile-outputs-test-key-0123456789",
        "9f86d081884c7d659a2feaa0c55ad015",
        "n4bQgYhMfWPLQRNMuF2+2g==",
    ):
        assert weakness(key.encode()) is None, key


def test_output_with_an_earlier_run_is_refused_without_overwrite(inputs, capsys):
    tmp, argv = inputs
    out = tmp / "out"
    run(argv + ["--output", str(out)])
    stale = out / "dataset" / "part-00007-of-00009.parquet"
    stale.write_bytes(b"stale shard of an earlier run")
    assert "--overwrite" in usage_error(argv + ["--output", str(out)], capsys)
    run(argv + ["--output", str(out), "--overwrite"])
    assert not stale.exists()
    assert (out / "audit.json").exists()


def test_exports_need_a_source_that_is_never_guessed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ELIGIBILITY_RECORD_ID_KEY", OTHER_KEY)
    export = tmp_path / "finetune.jsonl"
    export.write_text('{"messages": [{"role": "user", "content": "hi"}]}\n')
    err = usage_error(
        [
            "--conversations",
            str(export),
            "--output",
            str(tmp_path / "o"),
            "--input-format",
            "openai_finetune",
            "--runner=FnApiRunner",
        ],
        capsys,
    )
    assert "--source" in err


def test_auto_format_keeps_canonical_jsonl_canonical_even_with_extra_fields_or_a_bad_first_line(
    tmp_path,
):
    from transforms.read.inputs import detect_input_format

    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        '{"conversation_id": "c", "source": "api", "model": "gpt-4o", '
        '"created_at": 0, "messages": []}\n'
    )
    broken_first = tmp_path / "broken.jsonl"
    broken_first.write_text('not json at all\n{"conversation_id": "c"}\n')
    deep_first = tmp_path / "deep.jsonl"  # 100,000 levels: refused by the scan, not parsed
    deep_first.write_text("[" * 100_000 + "]" * 100_000 + '\n{"conversation_id": "c"}\n')
    finetune = tmp_path / "ft.jsonl"
    finetune.write_text('{"messages": [{"role": "user", "content": "hi"}]}\n')
    for path, expected in (
        (extra, "canonical"),
        (broken_first, "canonical"),
        (deep_first, "canonical"),
        (finetune, "openai_finetune"),
    ):
        assert detect_input_format(str(path)) == expected
