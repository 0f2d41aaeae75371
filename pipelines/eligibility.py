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
    report.html   the audit as one self-contained page (transforms/audit/report.py)
    _SUCCESS      written last, only when the run completed and reconciled

It ends with a summary on stderr (counts, reconciliation, outputs, time and
throughput; pipelines/summary.py), prints progress lines on long local runs
(pipelines/progress.py), and shows only the log lines a user must act on
(pipelines/console.py).

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

import json
import logging
import shutil
import tempfile
import time
from contextlib import ExitStack
from typing import Optional

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, StandardOptions
from apache_beam.runners.runner import PipelineResult, PipelineState

from pipelines import console, pipeline_version
from pipelines.flags import one_line
from pipelines.options import RunConfig, build_parser, resolve  # noqa: F401 - build_parser: --help
from pipelines.progress import ProgressReporter, Tick, is_local_runner
from pipelines.summary import dead_letter_share, rate_warning, run_summary
from schemas import reasons
from schemas.timestamps import format_instant
from transforms.audit.document import BuildAudit, CountOutcomes
from transforms.audit.report import render_report
from transforms.pii.redaction import RedactPii
from transforms.policy.apply import ApplyPolicy
from transforms.policy.rules import RunContext
from transforms.read.events import ReadControlEvents
from transforms.read.inputs import ReadAndValidate
from transforms.read.validation import to_conversation
from transforms.write import finalize
from transforms.write.audit import WriteAudit
from transforms.write.outputs import AUDIT_FILE, REPORT_FILE, SUCCESS_FILE, WriteOutputs
from transforms.write.paths import (
    FOLDER,
    MISSING,
    entries,
    join,
    kind,
    read_bytes,
    write_atomically,
)

logger = logging.getLogger(__name__)
EXIT_OK, EXIT_FAILED, EXIT_DEAD_LETTER_RATE = 0, 1, 3
# The key-value metadata of every Parquet file the run writes: the settings
# the data came from (deterministic: no time, no run id).
METADATA_PREFIX = "training_eligibility."


def build_pipeline(
    config: RunConfig, staging: str, progress_dir: Optional[str] = None
) -> beam.Pipeline:
    """The pipeline's graph, writing into ``staging``; nothing runs yet. With
    ``progress_dir``, each stage's records are also counted there (progress.py)."""
    args = config.args
    pipeline = beam.Pipeline(options=config.beam_options)
    conversations, invalid, records_read = pipeline | "ReadConversations" >> ReadAndValidate(
        args.conversations,
        reasons.STAGE_VALIDATE,
        _ConversationValidator(config.policy.sources_requiring_user_id(), args.citation_markers),
        config.limits,
        input_format=config.input_format,
        adapter_options=config.adapter_options,
    )
    control_events, control_dead, control_read = (
        pipeline
        | "ReadControlEvents"
        >> ReadControlEvents(
            {
                reasons.CONSENT_EVENTS: args.consent_events,
                reasons.SHARING_EVENTS: args.sharing_events,
                reasons.DELETIONS: args.deletions,
            },
            config.limits,
        )
    )
    decided = (conversations, control_events) | "ApplyPolicy" >> ApplyPolicy(
        RunContext(as_of=config.as_of, policy=config.policy)
    )
    redacted = decided.eligible | "RedactPii" >> RedactPii(config.pii_config)

    dead_lettered = (
        invalid,
        decided.dead_letter,
        redacted.dead_letter,
    ) | "ConversationDeadLetters" >> beam.Flatten()
    written = (
        redacted.redacted,
        (dead_lettered, control_dead) | "AllDeadLetters" >> beam.Flatten(),
    ) | "WriteOutputs" >> WriteOutputs(
        staging, config.key_ref, args.num_shards, parquet_metadata(config)
    )
    excluded = (decided.excluded, redacted.excluded) | "AllExcluded" >> beam.Flatten()
    counts = {
        "records_read": records_read,
        "control_read": control_read,
        "control_dead_letters": control_dead,
        "dead_lettered": dead_lettered,
        "excluded": excluded,
        "written": redacted.redacted,
    } | "CountOutcomes" >> CountOutcomes(frozenset(config.policy.sources))
    _ = (
        (counts, written)
        | "BuildAudit" >> BuildAudit(run_metadata(config))
        | "WriteAudit" >> WriteAudit(join(staging, AUDIT_FILE))
    )
    if progress_dir:
        _count_progress(
            progress_dir,
            read=(conversations, invalid),
            decided=(decided.eligible, decided.excluded, decided.dead_letter),
            redacted=(redacted.redacted, redacted.excluded, redacted.dead_letter),
            files=(written,),
        )
    return pipeline


def _count_progress(directory: str, **stages) -> None:
    """A counting step after each stage (progress lines; passes nothing on)."""
    for stage, collections in stages.items():
        for index, collection in enumerate(collections):
            _ = collection | f"Progress_{stage}_{index}" >> beam.ParDo(Tick(directory, stage))


def run_metadata(config: RunConfig) -> dict:
    """What the audit records about the run (never the key: its fingerprint)."""
    args, pii = config.args, config.pii_config
    return {
        "pipeline_version": pipeline_version(),
        "as_of": format_instant(config.as_of),
        "start_time": format_instant(config.start),
        "runner": runner_description(config),
        "policy": {
            "id": config.policy.policy_id,
            "version": config.policy.version,
            "file": args.policy,
            "sha256": config.config_sha256["policy"],
        },
        "inputs": {
            "conversations": args.conversations,
            "input_format": config.input_format,
            "consent_events": args.consent_events,
            "sharing_events": args.sharing_events,
            "deletions": args.deletions,
        },
        "pii": {
            "version": pii.version,
            "file": args.pii_config,
            "sha256": config.config_sha256["pii_config"],
            "model": pii.model,
            "entities": list(pii.entities),
            "score_threshold": pii.score_threshold,
        },
        "text": {"tool_calls": args.tool_calls, "citation_markers": args.citation_markers},
        "record_id_key_fingerprint": config.key_fingerprint,
    }


def parquet_metadata(config: RunConfig) -> dict[str, str]:
    """The settings every output file carries, so that a dataset can be traced
    to them: the same for the same settings (no time, no run id)."""
    settings = {
        "pipeline_version": pipeline_version(),
        "policy_id": config.policy.policy_id,
        "policy_version": config.policy.version,
        "policy_sha256": config.config_sha256["policy"],
        "pii_config_version": config.pii_config.version,
        "pii_config_sha256": config.config_sha256["pii_config"],
        "pii_model": config.pii_config.model,
        "record_id_key_fingerprint": config.key_fingerprint,
        "tool_calls": config.args.tool_calls,
        "citation_markers": config.args.citation_markers,
    }
    return {METADATA_PREFIX + key: value for key, value in settings.items()}


def runner_description(config: RunConfig) -> str:
    """``FnApiRunner (multi_processing, 2 workers)``: for the audit and the summary."""
    runner = config.beam_options.view_as(StandardOptions).runner or "DirectRunner (default)"
    name = runner if isinstance(runner, str) else type(runner).__name__
    direct = config.beam_options.view_as(DirectOptions)
    if name.lower().rsplit(".", 1)[-1] not in ("fnapirunner", "directrunner"):
        return name
    workers = direct.direct_num_workers or 1
    return f"{name} ({direct.direct_running_mode}, {workers} worker{'s' if workers > 1 else ''})"


def run(argv: Optional[list[str]] = None) -> PipelineResult:
    """Check the flags, run the pipeline into the staging folder, then swap its
    outputs into --output; returns the result."""
    return execute(resolve(argv, start=time.time_ns() // 1000))


def execute(config: RunConfig, progress_dir: Optional[str] = None) -> PipelineResult:
    """Run the checked configuration: the pipeline into the staging folder, the
    report beside its audit, then the swap into --output (``_SUCCESS`` last)."""
    logger.info(
        "reading %s input %s as of %s",
        config.input_format,
        config.args.conversations,
        format_instant(config.as_of),
    )
    staging = finalize.prepare_staging(config.args.output)
    result = build_pipeline(config, staging, progress_dir).run()
    result.wait_until_finish()
    if result.state != PipelineState.DONE:
        raise RuntimeError(f"the pipeline ended in state {result.state}; --output is unchanged")
    if kind(join(staging, AUDIT_FILE)) != MISSING:
        audit = json_document(join(staging, AUDIT_FILE))
        write_atomically(join(staging, REPORT_FILE), render_report(audit).encode("utf-8"))
    finalize.publish(config.args.output, config.args.overwrite)
    return result


def json_document(path: str) -> dict:
    return json.loads(read_bytes(path))


class _ConversationValidator:
    """V1 for conversations, with the policy's user-id requirement (picklable)."""

    def __init__(self, user_id_required_for: frozenset, citation_markers: str = "drop"):
        self._required = user_id_required_for
        self._citation_markers = citation_markers

    def __call__(self, record: dict, location: str):
        return to_conversation(record, location, self._required, self._citation_markers)


def main(argv: Optional[list[str]] = None) -> int:
    start = time.monotonic()
    console.configure_logging(verbose=False)
    config = resolve(argv, start=time.time_ns() // 1000)  # a usage error exits 2 here
    args = config.args
    console.configure_logging(verbose=args.verbose)
    with ExitStack() as stack:
        stack.enter_context(console.BeamChatter(enabled=not args.verbose))
        progress_dir = _progress(config, stack)
        try:
            execute(config, progress_dir)
        except Exception as exc:  # noqa: BLE001 - one clear line; --verbose has the traceback
            return _failed(exc, args.verbose)
    return _finish(config, time.monotonic() - start)


def _progress(config: RunConfig, stack: ExitStack) -> Optional[str]:
    """A folder for the progress counts and the thread that prints them, when on."""
    args = config.args
    wanted = args.progress if args.progress is not None else console.stderr_is_terminal()
    if not wanted or args.quiet:
        return None
    if not is_local_runner(config.beam_options.view_as(StandardOptions).runner):
        console.write("note: progress lines need a local runner; see the runner's own UI")
        return None
    directory = tempfile.mkdtemp(prefix="eligibility-progress-")
    stack.callback(shutil.rmtree, directory, ignore_errors=True)
    stack.enter_context(ProgressReporter(directory, args.progress_every, console.write))
    return directory


def _failed(exc: Exception, verbose: bool) -> int:
    if verbose:
        logger.exception("the run failed")
    first = _first_line(str(exc))
    console.write(
        f"error: the run failed ({type(exc).__name__}: {first}); the outputs in --output "
        "are unchanged" + ("" if verbose else "; rerun with --verbose for the details")
    )
    return EXIT_FAILED


def _first_line(message: str) -> str:
    """The first line of an error (with the next one when it ends in a colon):
    enough to recognise it; the rest, a traceback of a worker, is for --verbose."""
    lines = [line.strip() for line in message.splitlines() if line.strip()] or [""]
    text = lines[0]
    for line in lines[1:3]:
        if not text.endswith(":"):
            break
        text += " " + line
    return one_line(text)[:300]


def _finish(config: RunConfig, elapsed: float) -> int:
    """The summary (unless --quiet), the dead-letter warning, the exit status."""
    args = config.args
    audit = json_document(join(args.output, AUDIT_FILE))
    counts = audit["counts"]
    if not args.quiet:
        console.write(run_summary(audit, args.output, elapsed, _output_names(args.output)))
    warning = rate_warning(counts, args.warn_dead_letter_rate, "--warn-dead-letter-rate")
    if warning:
        console.write(warning)
    fail_at = args.fail_on_dead_letter_rate
    if fail_at is not None and dead_letter_share(counts) > fail_at:
        console.write(
            f"error: {dead_letter_share(counts):.1%} of the records were dead-lettered, over "
            f"--fail-on-dead-letter-rate {fail_at:.1%} (exit {EXIT_DEAD_LETTER_RATE}; the "
            "outputs are published)"
        )
        return EXIT_DEAD_LETTER_RATE
    return EXIT_OK


def _output_names(output: str) -> list[str]:
    """``dataset/ (1 file)``, ..., ``audit.json``, ``report.html``, ``_SUCCESS``."""
    names = []
    for name in (*finalize.OUTPUT_FOLDERS, *finalize.OUTPUT_FILES, SUCCESS_FILE):
        what = kind(join(output, name))
        if what == FOLDER:
            n = len(entries(join(output, name)))
            names.append(f"{name}/ ({n} file{'s' if n != 1 else ''})")
        elif what != MISSING:
            names.append(name)
    return names


if __name__ == "__main__":
    console.exit_now(main())
