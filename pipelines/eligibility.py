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

import logging
import sys
import time
from typing import Optional

import apache_beam as beam
from apache_beam.runners.runner import PipelineResult, PipelineState

from pipelines import pipeline_version
from pipelines.options import RunConfig, build_parser, resolve  # noqa: F401 - build_parser: --help
from schemas import reasons
from schemas.timestamps import format_instant
from transforms.audit.document import BuildAudit, CountOutcomes
from transforms.pii.redaction import RedactPii
from transforms.policy.apply import ApplyPolicy
from transforms.policy.rules import RunContext
from transforms.read.events import ReadControlEvents
from transforms.read.inputs import ReadAndValidate
from transforms.read.validation import to_conversation
from transforms.write import finalize
from transforms.write.audit import WriteAudit
from transforms.write.outputs import AUDIT_FILE, WriteOutputs
from transforms.write.paths import join

logger = logging.getLogger(__name__)


def build_pipeline(config: RunConfig, staging: str) -> beam.Pipeline:
    """The pipeline's graph, writing into ``staging``; nothing runs yet."""
    args = config.args
    pipeline = beam.Pipeline(options=config.beam_options)
    conversations, invalid, records_read = pipeline | "ReadConversations" >> ReadAndValidate(
        args.conversations,
        reasons.STAGE_VALIDATE,
        _ConversationValidator(config.policy.sources_requiring_user_id()),
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
    ) | "WriteOutputs" >> WriteOutputs(staging, config.key_ref, args.num_shards)
    counts = {
        "records_read": records_read,
        "control_read": control_read,
        "control_dead_letters": control_dead,
        "dead_lettered": dead_lettered,
        "excluded": (decided.excluded, redacted.excluded) | "AllExcluded" >> beam.Flatten(),
        "written": redacted.redacted,
    } | "CountOutcomes" >> CountOutcomes(frozenset(config.policy.sources))
    _ = (
        (counts, written)
        | "BuildAudit" >> BuildAudit(run_metadata(config))
        | "WriteAudit" >> WriteAudit(join(staging, AUDIT_FILE))
    )
    return pipeline


def run_metadata(config: RunConfig) -> dict:
    """What the audit records about the run (never the key: its fingerprint)."""
    args, pii = config.args, config.pii_config
    return {
        "pipeline_version": pipeline_version(),
        "as_of": format_instant(config.as_of),
        "start_time": format_instant(config.start),
        "policy": {
            "id": config.policy.policy_id,
            "version": config.policy.version,
            "file": args.policy,
        },
        "inputs": {
            "conversations": args.conversations,
            "input_format": config.input_format,
            "consent_events": args.consent_events,
            "sharing_events": args.sharing_events,
            "deletions": args.deletions,
        },
        "pii": {
            "model": pii.model,
            "entities": list(pii.entities),
            "score_threshold": pii.score_threshold,
        },
        "record_id_key_fingerprint": config.key_fingerprint,
    }


def run(argv: Optional[list[str]] = None) -> PipelineResult:
    """Check the flags, run the pipeline into the staging folder, then swap its
    outputs into --output; returns the result."""
    config = resolve(argv, start=time.time_ns() // 1000)
    logger.info(
        "reading %s input %s as of %s",
        config.input_format,
        config.args.conversations,
        format_instant(config.as_of),
    )
    staging = finalize.prepare_staging(config.args.output)
    result = build_pipeline(config, staging).run()
    result.wait_until_finish()
    if result.state != PipelineState.DONE:
        raise RuntimeError(f"the pipeline ended in state {result.state}; --output is unchanged")
    finalize.publish(config.args.output, config.args.overwrite)
    return result


class _ConversationValidator:
    """V1 for conversations, with the policy's user-id requirement (picklable)."""

    def __init__(self, user_id_required_for: frozenset):
        self._required = user_id_required_for

    def __call__(self, record: dict, location: str):
        return to_conversation(record, location, self._required)


def main(argv: Optional[list[str]] = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    run(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
