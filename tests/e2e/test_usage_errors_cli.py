"""Usage and configuration errors of the real command line (a separate process):
one line that points to --help, exit status 2, before any work (no output folder
is created), never a traceback; and --help itself."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import yaml

from pipelines.options import build_parser
from tests.e2e.cli import cli, lines
from transforms.pii.config import DEFAULT_PII_CONFIG_PATH
from transforms.policy.config import DEFAULT_POLICY_PATH

pytestmark = pytest.mark.e2e

CONVERSATION = {
    "conversation_id": "c1",
    "user_id": "u1",
    "source": "chatgpt_free",
    "created_at": 0,
    "messages": [{"role": "user", "content": "hi"}],
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("usage")
    (folder / "conversations.jsonl").write_text(json.dumps(CONVERSATION) + "\n")
    (folder / "consent.jsonl").write_text("")
    (folder / "a-file").write_text("not a folder")
    policy = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    policy["categories"]["consumer"]["trim_mesages"] = True
    (folder / "policy-typo.yaml").write_text(yaml.safe_dump(policy))
    pii = DEFAULT_PII_CONFIG_PATH.read_text()
    (folder / "pii-nested-typo.yaml").write_text(
        pii.replace("residual_check:\n", "residual_check:\n  enabeld: true\n")
    )
    (folder / "pii-entity-typo.yaml").write_text(pii.replace("  - PERSON\n", "  - PERSN\n"))
    (folder / "pii-no-version.yaml").write_text(
        "\n".join(line for line in pii.splitlines() if not line.startswith("version:"))
    )
    (folder / "pii-wrong-type.yaml").write_text(
        pii.replace("score_thresholds: {}", "score_thresholds: [0.5]")
    )
    (folder / "pii-threshold-typo.yaml").write_text(
        pii.replace("score_thresholds: {}", "score_thresholds: {EMAIL_ADRESS: 0.5}")
    )
    with zipfile.ZipFile(folder / "export.zip", "w") as archive:  # no user.json
        archive.writestr("conversations.json", json.dumps([{"id": "x", "mapping": {}}]))
    (folder / "sharegpt.json").write_text(
        json.dumps([{"id": "1", "conversations": [{"from": "human", "value": "hi"}]}])
    )
    return folder


# (case, flags after --conversations/--output, what the one line must say)
CASES = [
    (
        "prefix of a long flag",
        ["--consent", "{d}/consent.jsonl"],
        "unrecognized arguments: --consent",
    ),
    ("negative --num-shards", ["--num-shards", "-1"], "--num-shards: must be 0 or more"),
    ("unknown --runner", ["--runner", "FnApiRunnr"], "--runner 'FnApiRunnr' is not a Beam runner"),
    ("a file as --output", ["--output", "{d}/a-file"], "exists and is not a folder"),
    ("an empty --output", ["--output", ""], "--output is empty"),
    (
        "unknown key in policy.yaml",
        ["--policy", "{d}/policy-typo.yaml"],
        "policy-typo.yaml: unknown key categories.consumer.trim_mesages",
    ),
    (
        "unknown nested key in pii.yaml",
        ["--pii-config", "{d}/pii-nested-typo.yaml"],
        "unknown key residual_check.enabeld",
    ),
    (
        "misspelt entity in pii.yaml",
        ["--pii-config", "{d}/pii-entity-typo.yaml"],
        "entities ['PERSN']: no enabled recognizer finds them",
    ),
    (
        "pii.yaml without a version",
        ["--pii-config", "{d}/pii-no-version.yaml"],
        "version must be a non-empty string",
    ),
    (
        "a list where pii.yaml wants a mapping",
        ["--pii-config", "{d}/pii-wrong-type.yaml"],
        "pii-wrong-type.yaml: a setting has the wrong type",
    ),
    (
        "a per-type setting for an unknown entity",
        ["--pii-config", "{d}/pii-threshold-typo.yaml"],
        "score_thresholds: EMAIL_ADRESS is not in entities",
    ),
    (
        "a ChatGPT export without user.json nor --user-id",
        ["--conversations", "{d}/export.zip", "--source", "chatgpt_plus"],
        "--user-id is required: the chatgpt_export input has no user.json",
    ),
    (
        "a ShareGPT file for a consumer source without --user-id",
        ["--conversations", "{d}/sharegpt.json", "--source", "chatgpt_plus"],
        "--user-id is required: the sharegpt input carries no user id",
    ),
]


@pytest.mark.parametrize("case, flags, says", CASES, ids=[case for case, _, _ in CASES])
def test_each_error_is_one_line_exit_2_before_any_work(files, tmp_path, case, flags, says):
    output = tmp_path / "out"
    argv = ["--conversations", f"{files}/conversations.jsonl", "--output", str(output)]
    argv += [flag.format(d=files) for flag in flags]
    argv += [] if "--runner" in flags else ["--runner=FnApiRunner"]
    argv += ["--as-of", "2026-11-24T00:00:00Z"]
    completed = cli(argv)
    assert completed.returncode == 2, completed.stderr
    (line,) = lines(completed.stderr)  # exactly one line: no usage dump, no warning
    assert line.startswith("python -m pipelines.eligibility: error: ") and says in line
    assert line.endswith("(see --help)") and "Traceback" not in completed.stderr
    assert not output.exists()  # nothing was written: checked before any work


def test_a_missing_required_flag_is_one_line_too(tmp_path):
    completed = cli(["--output", str(tmp_path / "out")])
    assert completed.returncode == 2
    assert lines(completed.stderr) == [
        "python -m pipelines.eligibility: error: the following arguments are required: "
        "--conversations (see --help)"
    ]


def test_help_documents_every_flag_defaults_only_where_they_exist_formats_and_contract():
    completed = cli(["--help"])
    assert completed.returncode == 0
    text = completed.stdout
    assert "(default: None)" not in text and "(default: False)" not in text
    flags = {
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--")
    }
    assert {f for f in flags if f not in text} == set()
    for name in ("canonical", "chatgpt_export", "openai_finetune", "sharegpt", "openai_api_log"):
        assert f"  {name}" in text  # the input formats, each explained
    assert "DATA.md" in text and "Exit status" in text
    assert "(default: 0.02)" in text and "(default: drop)" in text  # real defaults stay


def test_the_other_commands_give_one_line_errors_too(tmp_path):
    for command, argv in (
        ("apply_deletions", ["--runs", str(tmp_path)]),
        ("check_run", ["--max-dead", "0.1", str(tmp_path)]),  # no prefix matching
        ("report", [str(tmp_path)]),  # no audit.json there
    ):
        completed = cli(argv, command=command)
        assert completed.returncode == 2, command
        (line,) = lines(completed.stderr)
        assert line.startswith(f"python -m pipelines.{command}: error: ")
        assert line.endswith("(see --help)")
