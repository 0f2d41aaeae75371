"""The command line of ``python -m pipelines.eligibility``: every flag, and
every check that can be made before the pipeline is built (a usage error exits
with status 2 and a one-line message; nothing has been read or written yet)."""

from __future__ import annotations

import argparse
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

import yaml
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.flags import (
    Fail,
    Parser,
    check_pattern,
    non_negative_int,
    number_or_text,
    parse,
    rate,
)
from pipelines.flags import as_of as parse_as_of
from transforms.keys import (
    DEFAULT_KEY_REF,
    MIN_KEY_BYTES,
    MIN_KEY_DISTINCT_BYTES,
    KeyRef,
    KeyUnavailable,
    key_fingerprint,
    weakness,
)
from transforms.pii.config import DEFAULT_PII_CONFIG_PATH, PiiConfig, load_pii_config
from transforms.pii.registry import ModelNotAvailable, resolve_model
from transforms.policy.config import DEFAULT_POLICY_PATH, Policy, PolicyError, load_policy
from transforms.read.formats import (
    FORMATS,
    TOOL_CALLS,
    AdapterConfigError,
    AdapterOptions,
    FormatDetectionError,
)
from transforms.read.formats.chatgpt import has_account_id
from transforms.read.inputs import CANONICAL, detect_input_format, matched_inputs
from transforms.read.safe_io import (
    DEFAULT_MAX_COMPRESSION_RATIO,
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    DEFAULT_MAX_RECORD_BYTES,
    ReadLimits,
)
from transforms.read.strict_json import DEFAULT_MAX_DEPTH
from transforms.read.validation import CITATION_MARKERS
from transforms.write import finalize

# The share of dead-lettered records past which the summary ends with a warning
# (pipelines.check_run's default threshold for schedulers is the same).
DEFAULT_WARN_RATE = 0.02


@dataclass(frozen=True)
class RunConfig:
    """Everything a run needs, checked. Holds the key's reference, never the key."""

    args: argparse.Namespace
    beam_options: PipelineOptions
    start: int  # microseconds since the epoch
    as_of: int
    policy: Policy
    pii_config: PiiConfig
    limits: ReadLimits
    input_format: str
    adapter_options: Optional[AdapterOptions]
    key_ref: KeyRef
    key_fingerprint: str
    config_sha256: dict  # {"policy": ..., "pii_config": ...}: SHA-256 of each file


EPILOG = """\
input formats (--input-format; auto detects them from the first matched file):
  canonical        the data contract: JSON Lines (.jsonl, gzip/bzip2/xz/zstd) or Parquet
  chatgpt_export   ChatGPT "Export data": a ZIP, an unpacked folder or conversations.json
  openai_finetune  OpenAI fine-tuning chat JSONL
  sharegpt         ShareGPT JSON arrays or JSON Lines
  openai_api_log   Chat Completions / Responses API request-response logs

Standard Beam pipeline options are accepted as well, e.g. --runner (FnApiRunner,
DataflowRunner, FlinkRunner, SparkRunner, PrismRunner), --direct_running_mode,
--direct_num_workers, --project, --region, --temp_location, --setup_file,
--flink_master. Any other unknown flag is an error, and long flags must be spelt
out in full.

Exit status: 0 success; 1 the run failed (--output unchanged); 2 usage error (one
line, before any work); 3 the run completed but dead-lettered more than
--fail-on-dead-letter-rate.

The data contract (every input and output field, the audit, completion and safety
of outputs) is DATA.md; README.md, "Running it", explains every flag.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m pipelines.eligibility",
        description="Decide which conversations may be used for training, redact personal\n"
        "data, and write the dataset, lineage, dead letters, a reconciling audit and a\n"
        "one-page report (report.html); a summary of the run ends on stderr.",
        epilog=EPILOG,
    )
    inputs = parser.add_argument_group("inputs (file patterns: local paths or gs://, s3://, ...)")
    inputs.add_argument(
        "--conversations",
        required=True,
        metavar="PATTERN",
        help="conversation records: JSON Lines (.jsonl, .jsonl.gz) or .parquet in the "
        "canonical format, or an export format (below)",
    )
    inputs.add_argument(
        "--consent-events",
        metavar="PATTERN",
        help="user training-setting changes; absent: every user's default (on)",
    )
    inputs.add_argument(
        "--sharing-events",
        metavar="PATTERN",
        help="org/workspace data-sharing changes; absent: every default (off)",
    )
    inputs.add_argument(
        "--deletions", metavar="PATTERN", help="account and conversation deletion requests"
    )
    outputs = parser.add_argument_group("outputs")
    outputs.add_argument(
        "--output",
        required=True,
        metavar="DIR",
        help="output directory, a literal path (never a glob): receives "
        "dataset/, lineage/, dead_letter/, redactions/, audit.json, "
        "report.html and, last, _SUCCESS; staged in DIR/.eligibility-staging/ until the "
        "run succeeded. Refused: an empty path, a file, the filesystem "
        "root, the home folder or a parent of it",
    )
    outputs.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the outputs of an earlier run in --output (only the "
        "pipeline's own names; other files in DIR are left alone; a "
        "foreign file inside dataset/ etc. is refused). Without it a "
        "directory holding a run's outputs is refused, except the "
        "debris of an interrupted run, which is replaced",
    )
    outputs.add_argument(
        "--num-shards",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="Parquet files per output; 0 picks one per ~20,000 records",
    )
    outputs.add_argument(
        "--record-id-key",
        metavar="REF",
        default=DEFAULT_KEY_REF,
        help="where the secret key of the record_id HMAC (and of keyed "
        "pseudonyms) is: env:NAME, file:PATH (local or gs://...), or "
        "gcp-secret:projects/P/secrets/S/versions/V. Workers read it "
        "themselves: the key is never in the job graph, never logged; "
        "the audit records only its fingerprint. A key needs at least "
        f"{MIN_KEY_BYTES} bytes, at least {MIN_KEY_DISTINCT_BYTES} "
        "distinct byte values and something other than whitespace "
        "(e.g. `openssl rand -hex 32`)",
    )
    outputs.add_argument(
        "--record-id-key-file", metavar="FILE", help="the same as --record-id-key file:FILE"
    )
    decision = parser.add_argument_group("decision")
    decision.add_argument(
        "--as-of",
        metavar="TIMESTAMP",
        help="evaluate consent, sharing and deletions as of this instant "
        "(RFC 3339 or epoch seconds); default: the run's start time",
    )
    decision.add_argument(
        "--policy",
        metavar="FILE",
        default=str(DEFAULT_POLICY_PATH),
        help="versioned policy file (an unknown key is an error)",
    )
    limits = parser.add_argument_group(
        "input limits (every input format; a file over a cap is dead-lettered as a whole)"
    )
    limits.add_argument(
        "--max-record-bytes",
        type=int,
        default=DEFAULT_MAX_RECORD_BYTES,
        metavar="N",
        help="a record (line, row, export conversation) longer than this is invalid (V1)",
    )
    limits.add_argument(
        "--max-json-depth",
        type=int,
        default=DEFAULT_MAX_DEPTH,
        metavar="N",
        help="JSON nested deeper than this: the record is invalid, an export file unreadable",
    )
    limits.add_argument(
        "--max-decompressed-bytes",
        type=int,
        default=DEFAULT_MAX_DECOMPRESSED_BYTES,
        metavar="N",
        help="the most one compressed file or archive member may inflate to",
    )
    limits.add_argument(
        "--max-compression-ratio",
        type=int,
        default=DEFAULT_MAX_COMPRESSION_RATIO,
        metavar="R",
        help="the most one compressed file or archive member may inflate to, "
        "as a multiple of its compressed size (checked past 16 MiB)",
    )
    formats = parser.add_argument_group(
        "export formats (for --conversations that are not in the canonical contract)"
    )
    formats.add_argument(
        "--input-format",
        default="auto",
        choices=("auto", CANONICAL, *sorted(FORMATS)),
        help="format of --conversations; auto detects it from the first "
        "matched file where that is unambiguous",
    )
    formats.add_argument(
        "--source",
        help="policy source value (e.g. chatgpt_plus, api) of "
        "every converted record; never guessed",
    )
    formats.add_argument(
        "--source-map",
        metavar="FILE",
        help="JSON or YAML {account id: source}, for exports of several "
        "accounts; --source is the default for unlisted accounts",
    )
    formats.add_argument(
        "--user-id",
        help="user id of every converted record (a ChatGPT export's user.json id otherwise)",
    )
    formats.add_argument("--org-id", help="API organisation id of every converted record")
    formats.add_argument(
        "--workspace-id", help="Team/Enterprise workspace id of every converted record"
    )
    formats.add_argument(
        "--default-created-at",
        metavar="TIMESTAMP",
        help="created_at for formats that carry no time (fine-tuning "
        "JSONL, ShareGPT, API logs without `created`)",
    )
    formats.add_argument(
        "--branch-policy",
        choices=("current", "longest"),
        default="current",
        help="ChatGPT trees: the thread to current_node (what the user last "
        "saw) or the deepest branch",
    )
    formats.add_argument(
        "--custom-instructions",
        choices=("keep", "drop"),
        default="keep",
        help="ChatGPT custom instructions: keep as a user message (redacted "
        "like any personal text) or drop",
    )
    formats.add_argument(
        "--include-hidden",
        action="store_true",
        help="keep ChatGPT messages hidden from the conversation view",
    )
    formats.add_argument(
        "--tool-calls",
        choices=TOOL_CALLS,
        default="drop",
        help="the assistant's tool calls (ChatGPT browsing and code calls such as "
        'search("..."), API tool_calls and function calls): left out of the training '
        "text and counted in the audit, or kept as code",
    )
    text = parser.add_argument_group("training text (every input format)")
    text.add_argument(
        "--citation-markers",
        choices=CITATION_MARKERS,
        default="drop",
        help="private-use citation markers (U+E200-U+E2FF, as in ChatGPT answers): "
        "removed from the text and counted in the audit, or kept",
    )
    pii = parser.add_argument_group("PII redaction")
    pii.add_argument(
        "--pii-config",
        metavar="FILE",
        default=str(DEFAULT_PII_CONFIG_PATH),
        help="PII detection and redaction settings (versioned; an unknown key or "
        "entity type is an error)",
    )
    pii.add_argument(
        "--spacy-model",
        metavar="NAME_OR_PATH",
        help="spaCy NER model (package name or directory); overrides the PII config's `model`",
    )
    _console_flags(parser)
    return parser


def _console_flags(parser: argparse.ArgumentParser) -> None:
    console = parser.add_argument_group("what the run says (on stderr)")
    loudness = console.add_mutually_exclusive_group()
    loudness.add_argument(
        "--quiet",
        action="store_true",
        help="no summary and no progress: only warnings that need action, and errors",
    )
    loudness.add_argument(
        "--verbose",
        action="store_true",
        help="everything Beam and its workers log (INFO), and tracebacks of failures",
    )
    console.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress line every --progress-every seconds on local runners "
        "(records read, stage reached, rate); default: on when stderr is a terminal",
    )
    console.add_argument(
        "--progress-every",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds between progress lines",
    )
    console.add_argument(
        "--warn-dead-letter-rate",
        type=rate,
        default=DEFAULT_WARN_RATE,
        metavar="R",
        help="end the summary with a warning when more than this share of the "
        "records read was dead-lettered (invalid records included)",
    )
    console.add_argument(
        "--fail-on-dead-letter-rate",
        type=rate,
        metavar="R",
        help="exit 3 when more than this share of the records read was dead-lettered "
        "(the outputs are still published: the run is complete); for schedulers",
    )


def resolve(argv: Optional[list[str]], start: int) -> RunConfig:
    """Parse and check every flag (exit 2 on a usage error), cheapest checks first."""
    args, beam_args, fail = parse(build_parser(), argv)
    _check_output(fail, args.output, args.overwrite)
    key_ref, fingerprint = _check_key(fail, args)
    as_of = parse_as_of(fail, args.as_of, start)
    policy, pii_config = _configs(fail, args)
    # keyed pseudonyms (an operator other than placeholder) use the same key,
    # by reference: each worker resolves it (the config is part of the graph)
    pii_config = replace(pii_config, pseudonym_key_ref=key_ref)
    for flag, pattern in (
        ("--conversations", args.conversations),
        ("--consent-events", args.consent_events),
        ("--sharing-events", args.sharing_events),
        ("--deletions", args.deletions),
    ):
        check_pattern(fail, flag, pattern, folders=flag == "--conversations")
    limits = _read_limits(fail, args)
    input_format = _input_format(fail, args, limits)
    if input_format == CANONICAL:
        check_pattern(fail, "--conversations", args.conversations)
        adapter_options = None
    else:
        adapter_options = _adapter_options(fail, args, limits)
        _check_user_id(fail, args, input_format, policy, limits)
    return RunConfig(
        args=args,
        beam_options=PipelineOptions(beam_args),
        start=start,
        as_of=as_of,
        policy=policy,
        pii_config=pii_config,
        limits=limits,
        input_format=input_format,
        adapter_options=adapter_options,
        key_ref=key_ref,
        key_fingerprint=fingerprint,
        config_sha256={
            "policy": file_sha256(args.policy),
            "pii_config": file_sha256(args.pii_config),
        },
    )


def file_sha256(path: str) -> str:
    """The SHA-256 of a configuration file's bytes (it was read moments ago)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _check_user_id(
    fail: Fail, args: argparse.Namespace, input_format: str, policy: Policy, limits: ReadLimits
) -> None:
    """An export whose records would all be dead-lettered for want of a user id
    is a usage error: no --user-id, a --source that needs one, and no account id
    in the input (only a ChatGPT export's user.json carries one)."""
    if args.user_id or args.source not in policy.sources_requiring_user_id():
        return
    if input_format == "chatgpt_export" and any(
        has_account_id(m.path, limits) for m in matched_inputs(args.conversations, folders=True)
    ):
        return
    where = "has no user.json" if input_format == "chatgpt_export" else "carries no user id"
    fail(
        f"--user-id is required: the {input_format} input {where}, and source "
        f"{args.source!r} needs a user id, so every record would be dead-lettered"
    )


def _check_output(fail: Fail, output: str, overwrite: bool) -> None:
    """Refuse an unusable --output before any work: an empty path, a file, the
    filesystem root, the home folder or a parent of it, a foreign entry where the
    run would replace its outputs, or an earlier run's outputs without
    --overwrite (the debris of an interrupted run is fine: the run replaces it)."""
    try:
        finalize.check_output_path(output, home=os.path.expanduser("~"))
        finalize.check_reuse(output, finalize.inspect_output(output), overwrite)
    except finalize.OutputRefused as exc:
        fail(str(exc))


def _check_key(fail: Fail, args: argparse.Namespace) -> tuple[KeyRef, str]:
    """The key's reference (made absolute for a local file, so that workers find
    it) and its fingerprint; the key itself stays here."""
    try:
        key_ref = (
            KeyRef("file", args.record_id_key_file)
            if args.record_id_key_file
            else KeyRef.parse(args.record_id_key)
        )
        if key_ref.scheme == "file" and "://" not in key_ref.name:
            key_ref = replace(key_ref, name=os.path.abspath(key_ref.name))
        key = key_ref.resolve()
    except KeyUnavailable as exc:
        fail(
            f"a record-id key is required: {exc} (set ELIGIBILITY_RECORD_ID_KEY or pass "
            "--record-id-key / --record-id-key-file)"
        )
    problem = weakness(key)
    if problem:
        fail(
            f"the record-id key is too weak: {problem} (generate one, e.g. `openssl rand -hex 32`)"
        )
    return key_ref, key_fingerprint(key)


def _configs(fail: Fail, args: argparse.Namespace) -> tuple[Policy, PiiConfig]:
    try:
        policy = load_policy(args.policy)
        pii_config = load_pii_config(args.pii_config, model=args.spacy_model)
        resolve_model(pii_config.model)
    except (PolicyError, ValueError, ModelNotAvailable) as exc:
        fail(str(exc))
    return policy, pii_config


def _read_limits(fail: Fail, args: argparse.Namespace) -> ReadLimits:
    try:
        return ReadLimits(
            max_record_bytes=args.max_record_bytes,
            max_json_depth=args.max_json_depth,
            max_decompressed_bytes=args.max_decompressed_bytes,
            max_compression_ratio=args.max_compression_ratio,
        )
    except ValueError as exc:
        fail(f"--{str(exc).replace('_', '-')}")


def _input_format(fail: Fail, args: argparse.Namespace, limits: ReadLimits) -> str:
    """The --conversations format: as given, or detected from the first matched file."""
    if args.input_format != "auto":
        return args.input_format
    try:
        return detect_input_format(args.conversations, limits)
    except FormatDetectionError as exc:
        fail(f"--input-format auto: {exc}; pass --input-format explicitly")


def _adapter_options(fail: Fail, args: argparse.Namespace, limits: ReadLimits) -> AdapterOptions:
    source_map = None
    if args.source_map:
        try:
            source_map = yaml.safe_load(Path(args.source_map).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            fail(f"--source-map: cannot read {args.source_map}: {exc}")
    if not args.source and not source_map:
        fail(
            "--source or --source-map is required for this input format: the "
            "source decides the policy and is never guessed"
        )
    default_created_at = None
    if args.default_created_at:
        default_created_at = number_or_text(args.default_created_at)
    try:
        return AdapterOptions(
            source=args.source,
            source_map=source_map,
            user_id=args.user_id,
            org_id=args.org_id,
            workspace_id=args.workspace_id,
            default_created_at=default_created_at,
            branch_policy=args.branch_policy,
            custom_instructions=args.custom_instructions,
            include_hidden=args.include_hidden,
            tool_calls=args.tool_calls,
            limits=limits,
        )
    except AdapterConfigError as exc:
        fail(str(exc))
