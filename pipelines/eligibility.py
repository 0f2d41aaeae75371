"""Training-data eligibility pipeline.

Reads a day of conversation exports together with the consent, sharing and
deletion events, keeps only the conversations that POLICY.md allows to be
trained on, redacts personal data in what remains, and writes under --output:

    dataset/      training-eligible, redacted conversations (Parquet, no identifiers)
    redactions/   per dataset record: what was redacted where (never the values)
    lineage/      record_id -> source identifiers, for deletion propagation (restricted)
    dead_letter/  records that could not be processed, with stage and error (restricted)
    audit.json    run metadata and exact counts that reconcile:
                  records_read == records_written + dead_lettered + sum(excluded)
    _SUCCESS      written last, only when the run completed and reconciled

The outputs are staged in DIR/.eligibility-staging/ and swapped in only after
the run succeeded (transforms/write/finalize.py); the previous outputs stay in
place until then.

Input: JSON Lines (.jsonl, .jsonl.gz) or Parquet, as described in DATA.md.

Run locally (two worker processes, offline):

    ELIGIBILITY_RECORD_ID_KEY=... python -m pipelines.eligibility \\
        --conversations 'exports/conversations-*.jsonl.gz' \\
        --consent-events 'exports/consent-*.jsonl' --sharing-events 'exports/sharing-*.jsonl' \\
        --deletions 'exports/deletions-*.jsonl' --as-of 2026-11-24T00:00:00Z \\
        --output out/2026-11-24 \\
        --runner FnApiRunner --direct_running_mode multi_processing --direct_num_workers 2

Run on Dataflow: add --runner DataflowRunner --project P --region R
--temp_location gs://B/tmp --setup_file ./setup.py with gs:// patterns (README,
"Deployment").
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Optional

import apache_beam as beam
import yaml
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, _BeamArgumentParser
from apache_beam.runners.runner import PipelineState

from schemas import reasons
from schemas.timestamps import TimestampError, format_instant, parse_instant
from transforms.audit.counts import (
    control_dead_letter_counts,
    control_read_counts,
    dead_letter_counts,
    exclusion_counts,
    written_counts,
)
from transforms.audit.document import BuildAudit
from transforms.pii.config import DEFAULT_PII_CONFIG_PATH, load_pii_config
from transforms.pii.engine import ModelNotAvailable, resolve_model
from transforms.pii.redaction import RedactPii
from transforms.policy.apply import ApplyPolicy
from transforms.policy.config import DEFAULT_POLICY_PATH, PolicyError, load_policy
from transforms.policy.rules import RunContext
from transforms.read.events import ReadControlEvents
from transforms.read.formats import FORMATS, AdapterConfigError, AdapterOptions, FormatDetectionError
from transforms.read.inputs import (
    CANONICAL,
    ReadAndValidate,
    detect_input_format,
    matched_inputs,
)
from transforms.read.safe_io import (
    DEFAULT_MAX_COMPRESSION_RATIO,
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    DEFAULT_MAX_RECORD_BYTES,
    ReadLimits,
)
from transforms.read.strict_json import DEFAULT_MAX_DEPTH
from transforms.read.validation import to_conversation
from transforms.write import finalize
from transforms.write.audit import WriteAudit
from transforms.write.outputs import AUDIT_FILE, WriteOutputs, key_fingerprint

KEY_ENV = "ELIGIBILITY_RECORD_ID_KEY"
MIN_KEY_BYTES = 16
MIN_KEY_DISTINCT_BYTES = 8
PIPELINE_VERSION = "0.1.0"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.eligibility",
        description="Decide which conversations may be used for training, redact "
                    "personal data, and write the dataset, lineage, dead letters and "
                    "a reconciling audit.",
        epilog="Standard Beam pipeline options are accepted as well, e.g. --runner "
               "(FnApiRunner, DataflowRunner, FlinkRunner, SparkRunner, PrismRunner), "
               "--direct_running_mode, --direct_num_workers, --project, --region, "
               "--temp_location, --setup_file, --flink_master. Any other unknown flag "
               "is an error. Exit status: 0 success, 2 usage error, 1 run failure.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    inputs = parser.add_argument_group("inputs (file patterns: local paths or gs://, s3://, ...)")
    inputs.add_argument("--conversations", required=True, metavar="PATTERN",
                        help="conversation records, JSON Lines (.jsonl, .jsonl.gz) or .parquet")
    inputs.add_argument("--consent-events", metavar="PATTERN",
                        help="user training-setting changes; absent: every user on (default)")
    inputs.add_argument("--sharing-events", metavar="PATTERN",
                        help="org/workspace data-sharing changes; absent: all off (default)")
    inputs.add_argument("--deletions", metavar="PATTERN",
                        help="account and conversation deletion requests")
    outputs = parser.add_argument_group("outputs")
    outputs.add_argument("--output", required=True, metavar="DIR",
                         help="output directory, a literal path (never a glob): receives "
                              "dataset/, lineage/, dead_letter/, redactions/, audit.json and, "
                              "last, _SUCCESS; staged in DIR/.eligibility-staging/ until the "
                              "run succeeded. Refused: an empty path, a file, the filesystem "
                              "root, the home folder or a parent of it")
    outputs.add_argument("--overwrite", action="store_true",
                         help="replace the outputs of an earlier run in --output (only the "
                              "pipeline's own names; other files in DIR are left alone; a "
                              "foreign file inside dataset/ etc. is refused). Without it a "
                              "directory holding a run's outputs is refused, except the "
                              "debris of an interrupted run, which is replaced")
    outputs.add_argument("--num-shards", type=int, default=0, metavar="N",
                         help="Parquet files per output; 0 picks one per ~20,000 records")
    outputs.add_argument("--record-id-key-file", metavar="FILE",
                         help=f"file holding the secret key of the record_id HMAC; "
                              f"default: the {KEY_ENV} environment variable. The key is "
                              f"never logged; the audit records only its fingerprint. A key "
                              f"needs at least {MIN_KEY_BYTES} bytes, at least "
                              f"{MIN_KEY_DISTINCT_BYTES} distinct byte values and something "
                              f"other than whitespace (e.g. `openssl rand -hex 32`)")
    decision = parser.add_argument_group("decision")
    decision.add_argument("--as-of", metavar="TIMESTAMP",
                          help="evaluate consent, sharing and deletions as of this instant "
                               "(RFC 3339 or epoch seconds); default: the run's start time")
    decision.add_argument("--policy", metavar="FILE", default=str(DEFAULT_POLICY_PATH),
                          help="versioned policy file")
    limits = parser.add_argument_group(
        "input limits (every input format; a file over a cap is dead-lettered as a whole)")
    limits.add_argument("--max-record-bytes", type=int, default=DEFAULT_MAX_RECORD_BYTES,
                        metavar="N", help="a record (line, row, export conversation) longer "
                                          "than this is invalid (V1)")
    limits.add_argument("--max-json-depth", type=int, default=DEFAULT_MAX_DEPTH, metavar="N",
                        help="JSON nested deeper than this: the record is invalid, an export "
                             "file unreadable")
    limits.add_argument("--max-decompressed-bytes", type=int,
                        default=DEFAULT_MAX_DECOMPRESSED_BYTES, metavar="N",
                        help="the most one compressed file or archive member may inflate to")
    limits.add_argument("--max-compression-ratio", type=int,
                        default=DEFAULT_MAX_COMPRESSION_RATIO, metavar="R",
                        help="the most one compressed file or archive member may inflate to, "
                             "as a multiple of its compressed size (checked past 16 MiB)")
    formats = parser.add_argument_group(
        "export formats (for --conversations that are not in the canonical contract)")
    formats.add_argument("--input-format", default="auto",
                         choices=("auto", CANONICAL, *sorted(FORMATS)),
                         help="format of --conversations; auto detects it from the first "
                              "matched file where that is unambiguous")
    formats.add_argument("--source", help="policy source value (e.g. chatgpt_plus, api) of "
                                          "every converted record; never guessed")
    formats.add_argument("--source-map", metavar="FILE",
                         help="JSON or YAML {account id: source}, for exports of several "
                              "accounts; --source is the default for unlisted accounts")
    formats.add_argument("--user-id", help="user id of every converted record (a ChatGPT "
                                           "export's user.json id otherwise)")
    formats.add_argument("--org-id", help="API organisation id of every converted record")
    formats.add_argument("--workspace-id", help="Team/Enterprise workspace id of every "
                                                "converted record")
    formats.add_argument("--default-created-at", metavar="TIMESTAMP",
                         help="created_at for formats that carry no time (fine-tuning "
                              "JSONL, ShareGPT, API logs without `created`)")
    formats.add_argument("--branch-policy", choices=("current", "longest"), default="current",
                         help="ChatGPT trees: the thread to current_node (what the user last "
                              "saw) or the deepest branch")
    formats.add_argument("--custom-instructions", choices=("keep", "drop"), default="keep",
                         help="ChatGPT custom instructions: keep as a user message (redacted "
                              "like any personal text) or drop")
    formats.add_argument("--include-hidden", action="store_true",
                         help="keep ChatGPT messages hidden from the conversation view")
    pii = parser.add_argument_group("PII redaction")
    pii.add_argument("--pii-config", metavar="FILE", default=str(DEFAULT_PII_CONFIG_PATH),
                     help="PII detection and redaction settings")
    pii.add_argument("--spacy-model", metavar="NAME_OR_PATH",
                     help="spaCy NER model (package name or directory); overrides the "
                          "PII config's `model`")
    return parser


def _check_beam_flags(parser: argparse.ArgumentParser, beam_args: list[str]) -> None:
    """Unknown flags are an error, except standard Beam pipeline options."""
    beam_parser = _BeamArgumentParser(allow_abbrev=False)
    for cls in {str(c): c for c in PipelineOptions.__subclasses__()}.values():
        cls._add_argparse_args(beam_parser)  # pylint: disable=protected-access
    _, unknown = beam_parser.parse_known_args(beam_args)
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")


def _check_pattern(parser: argparse.ArgumentParser, flag: str, pattern: Optional[str],
                   folders: bool = False) -> None:
    """A pattern that matches nothing is a usage error (``folders``: an unpacked
    export folder counts)."""
    if pattern is not None and not matched_inputs(pattern, folders):
        parser.error(f"{flag}: pattern {pattern!r} matches no "
                     f"{'file or folder' if folders else 'file'}")


def _read_key(parser: argparse.ArgumentParser, key_file: Optional[str]) -> bytes:
    if key_file:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            parser.error(f"--record-id-key-file: cannot read the key file ({exc.strerror})")
    else:
        key = os.environ.get(KEY_ENV, "").encode("utf-8")
    if not key:
        parser.error(f"a record-id key of at least {MIN_KEY_BYTES} bytes is required: set "
                     f"{KEY_ENV} or pass --record-id-key-file")
    if not strong_enough(key):
        parser.error(f"the record-id key is too weak: it needs at least {MIN_KEY_BYTES} bytes, "
                     f"at least {MIN_KEY_DISTINCT_BYTES} distinct byte values and something "
                     f"other than whitespace (generate one, e.g. `openssl rand -hex 32`)")
    return key


def strong_enough(key: bytes) -> bool:
    """The documented minimum for the record-id key: long enough, not one
    character repeated or a short alphabet, not only whitespace. (A count of
    distinct bytes, not an entropy estimate: a random hex key has at most 16.)"""
    return (len(key) >= MIN_KEY_BYTES and len(set(key)) >= MIN_KEY_DISTINCT_BYTES
            and not key.decode("utf-8", "replace").isspace())


def _prepare_output(parser: argparse.ArgumentParser, output: str, overwrite: bool) -> None:
    """Refuse an unusable --output before any work: an empty path, a file, the
    filesystem root, the home folder or a parent of it, a foreign entry where the
    run would replace its outputs, or an earlier run's outputs without
    --overwrite (the debris of an interrupted run is fine: the run replaces it)."""
    try:
        finalize.check_output_path(output, home=os.path.expanduser("~"))
        finalize.check_reuse(output, finalize.inspect_output(output), overwrite)
    except finalize.OutputRefused as exc:
        parser.error(str(exc))


def _publish(result: beam.runners.runner.PipelineResult, output: str, overwrite: bool) -> None:
    """Swap the staged outputs into --output once the pipeline is done and its
    audit reconciles; until then the previous outputs stay in place."""
    if result.state != PipelineState.DONE:
        raise RuntimeError(f"the pipeline ended in state {result.state}; --output is unchanged")
    finalize.publish(output, overwrite)


def _input_format(parser: argparse.ArgumentParser, args, limits: ReadLimits) -> str:
    """The --conversations format: as given, or detected from the first matched file."""
    if args.input_format != "auto":
        return args.input_format
    try:
        return detect_input_format(args.conversations, limits)
    except FormatDetectionError as exc:
        parser.error(f"--input-format auto: {exc}; pass --input-format explicitly")


def _read_limits(parser: argparse.ArgumentParser, args) -> ReadLimits:
    try:
        return ReadLimits(max_record_bytes=args.max_record_bytes,
                          max_json_depth=args.max_json_depth,
                          max_decompressed_bytes=args.max_decompressed_bytes,
                          max_compression_ratio=args.max_compression_ratio)
    except ValueError as exc:
        parser.error(f"--{str(exc).replace('_', '-')}")


def _adapter_options(parser: argparse.ArgumentParser, args, limits: ReadLimits) -> AdapterOptions:
    source_map = None
    if args.source_map:
        try:
            source_map = yaml.safe_load(Path(args.source_map).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            parser.error(f"--source-map: cannot read {args.source_map}: {exc}")
    if not args.source and not source_map:
        parser.error("--source or --source-map is required for this input format: the "
                     "source decides the policy and is never guessed")
    default_created_at = None
    if args.default_created_at:
        default_created_at = _number_or_text(args.default_created_at)
    try:
        return AdapterOptions(
            source=args.source, source_map=source_map, user_id=args.user_id,
            org_id=args.org_id, workspace_id=args.workspace_id,
            default_created_at=default_created_at, branch_policy=args.branch_policy,
            custom_instructions=args.custom_instructions, include_hidden=args.include_hidden,
            limits=limits)
    except AdapterConfigError as exc:
        parser.error(str(exc))


def run(argv: Optional[list[str]] = None) -> beam.runners.runner.PipelineResult:
    """Parse flags, build the pipeline, run it to completion into the staging
    folder, then publish its outputs under --output; returns the result."""
    parser = build_parser()
    args, beam_args = parser.parse_known_args(argv)
    _check_beam_flags(parser, beam_args)
    _prepare_output(parser, args.output, args.overwrite)
    key = _read_key(parser, args.record_id_key_file)
    start = time.time_ns() // 1000
    try:
        as_of = parse_instant(_number_or_text(args.as_of)) if args.as_of else start
    except TimestampError as exc:
        parser.error(f"--as-of: {exc}")
    try:
        policy = load_policy(args.policy)
        pii_config = load_pii_config(args.pii_config, model=args.spacy_model)
        resolve_model(pii_config.model)
    except (PolicyError, ValueError, ModelNotAvailable) as exc:
        parser.error(str(exc))
    for flag, pattern in (("--conversations", args.conversations),
                          ("--consent-events", args.consent_events),
                          ("--sharing-events", args.sharing_events),
                          ("--deletions", args.deletions)):
        _check_pattern(parser, flag, pattern, folders=flag == "--conversations")
    limits = _read_limits(parser, args)
    input_format = _input_format(parser, args, limits)
    if input_format == CANONICAL:
        _check_pattern(parser, "--conversations", args.conversations)
    adapter_options = None if input_format == CANONICAL else _adapter_options(parser, args, limits)
    pii_config = replace(pii_config, pseudonym_key=key)  # for keyed pseudonyms; never logged
    staging = finalize.prepare_staging(args.output)

    context = RunContext(as_of=as_of, policy=policy)
    run_metadata = {
        "pipeline_version": PIPELINE_VERSION,
        "as_of": format_instant(as_of),
        "start_time": format_instant(start),
        "policy": {"id": policy.policy_id, "version": policy.version, "file": args.policy},
        "inputs": {"conversations": args.conversations, "input_format": input_format,
                   "consent_events": args.consent_events,
                   "sharing_events": args.sharing_events, "deletions": args.deletions},
        "pii": {"model": pii_config.model, "entities": list(pii_config.entities),
                "score_threshold": pii_config.score_threshold},
        "record_id_key_fingerprint": key_fingerprint(key),
    }
    options = PipelineOptions(beam_args)
    pipeline = beam.Pipeline(options=options)

    conversations, invalid, read_count = pipeline | "ReadConversations" >> ReadAndValidate(
        args.conversations, reasons.STAGE_VALIDATE,
        _ConversationValidator(policy.sources_requiring_user_id()), limits,
        input_format=input_format, adapter_options=adapter_options)
    control_events, control_dead, control_read = pipeline | "ReadControlEvents" >> ReadControlEvents({
        reasons.CONSENT_EVENTS: args.consent_events,
        reasons.SHARING_EVENTS: args.sharing_events,
        reasons.DELETIONS: args.deletions,
    }, limits)
    decided = (conversations, control_events) | "ApplyPolicy" >> ApplyPolicy(context)
    redacted = decided.eligible | "RedactPii" >> RedactPii(pii_config)

    conversation_dead = (invalid, decided.dead_letter, redacted.dead_letter) | (
        "ConversationDeadLetters" >> beam.Flatten())
    written = (
        (redacted.redacted, (conversation_dead, control_dead) | "AllDeadLetters" >> beam.Flatten())
        | "WriteOutputs" >> WriteOutputs(staging, key, args.num_shards))
    known_sources = frozenset(policy.sources)
    counts = (
        read_count | "CountRecordsRead" >> beam.Map(lambda n: (("records_read",), n)),
        control_read | "CountControlRead" >> beam.FlatMap(control_read_counts),
        control_dead | "CountControlDeadLetters" >> beam.FlatMap(control_dead_letter_counts),
        (decided.excluded, redacted.excluded) | "AllExcluded" >> beam.Flatten()
        | "CountExcluded" >> beam.FlatMap(exclusion_counts, known_sources),
        conversation_dead | "CountDeadLettered" >> beam.FlatMap(dead_letter_counts),
        redacted.redacted | "CountWritten" >> beam.FlatMap(written_counts, known_sources),
    ) | "AllCounts" >> beam.Flatten()
    _ = ((counts, written)
         | "BuildAudit" >> BuildAudit(run_metadata)
         | "WriteAudit" >> WriteAudit(FileSystems.join(staging, AUDIT_FILE)))

    result = pipeline.run()
    result.wait_until_finish()
    _publish(result, args.output, args.overwrite)
    return result


class _ConversationValidator:
    """V1 for conversations, with the policy's user-id requirement (picklable)."""

    def __init__(self, user_id_required_for: frozenset):
        self._required = user_id_required_for

    def __call__(self, record: dict, location: str):
        return to_conversation(record, location, self._required)


def _number_or_text(value: str):
    """--as-of as epoch seconds when it is a number, else an RFC 3339 string."""
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d*", value):
        return float(value)
    return value


def main(argv: Optional[list[str]] = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    run(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
