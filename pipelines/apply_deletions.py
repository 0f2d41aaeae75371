"""Propagate deletion requests into the outputs of earlier runs.

Every day's run of ``pipelines.eligibility`` writes a run folder (``dataset/``,
``lineage/``, ``redactions/``, ``dead_letter/``, ``audit.json``, ``_SUCCESS``).
A user who deletes a conversation (D2) or the account (D1) later has records
in folders already written. This command reads the deletion requests (the
``--deletions`` format and validation of the eligibility pipeline, malformed
lines failing closed for the subject they still name), keeps those with
``requested_at`` <= as-of, finds through each folder's ``lineage/`` every record
of a deleted account or conversation, and rewrites the shards of ``dataset/``,
``lineage/`` and ``redactions/`` that hold them, without them:

    deletions ─ ReadControlEvents ─┐
                                   ├─ MatchDeletions (join by subject) ─ RewriteShards
    run folders' lineage shards ───┘       per folder: records to remove   into staging

then, in the driver, swaps each folder's staged shards in with its updated
``deletions_applied.json`` (fully or not at all: ``transforms/write/applied.py``).
Shards with nothing to remove are never rewritten. A folder without
``_SUCCESS`` is refused and never modified. Applying the same deletions again
changes nothing (a folder with nothing to remove is left byte-identical, its
``deletions_applied.json`` too).

Exit status: 0 every folder updated or unchanged; 1 a folder was refused or
could not be updated, or the run failed; 2 usage error; 3 (with
``--fail-on-overdue``) a request older than 30 days at as-of still removed
records.

    python -m pipelines.apply_deletions --runs 'out/*' \\
        --deletions 'exports/*/deletions-*.jsonl' --as-of 2026-11-24T00:00:00Z \\
        --dead-letter dead_letters/deletions/2026-11-24 \\
        --runner FnApiRunner --direct_running_mode multi_processing --direct_num_workers 2
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from typing import Optional

import apache_beam as beam
from apache_beam.options.pipeline_options import (
    DirectOptions,
    GoogleCloudOptions,
    PipelineOptions,
)
from apache_beam.runners.runner import PipelineState

from pipelines import console, pipeline_version
from pipelines.flags import Parser, check_pattern, parse
from pipelines.flags import as_of as parse_as_of
from pipelines.summary import DeletionsReport, summarise_report
from schemas import reasons
from schemas.timestamps import format_instant
from transforms.deletions.join import (
    COGROUP,
    JOINS,
    SIDE_INPUT,
    CountDeletionInputs,
    MatchDeletions,
)
from transforms.read.events import ReadControlEvents
from transforms.read.inputs import matched_inputs
from transforms.write import finalize
from transforms.write.applied import clear_staging, publish_application, publish_dead_letters
from transforms.write.finalize import STAGING_DIR, OutputRefused
from transforms.write.outputs import SUCCESS_FILE, WriteDeadLetters
from transforms.write.paths import FILE, MISSING, entries, join, kind, read_bytes, remove
from transforms.write.rewrite import RewriteShards, plan_path, write_json
from transforms.write.run_folders import (
    FolderRefused,
    RunFolder,
    match_run_folders,
    open_run_folder,
)

logger = logging.getLogger(__name__)
COUNTS_FILE = "deletion_input_counts.json"
EXIT_OK, EXIT_NOT_UPDATED, EXIT_USAGE, EXIT_OVERDUE = 0, 1, 2, 3


@dataclass(frozen=True)
class Config:
    args: argparse.Namespace
    beam_options: PipelineOptions
    start: int
    as_of: int
    run_folders: tuple[str, ...]
    deletion_files: tuple[str, ...]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m pipelines.apply_deletions",
        description="Remove from earlier run folders (dataset/, lineage/, redactions/) every "
        "record of a deleted account (D1) or conversation (D2), found through lineage/.",
        epilog="Standard Beam pipeline options are accepted as well (--runner, "
        "--direct_running_mode, --direct_num_workers, --temp_location, ...); any other "
        "unknown flag is an error. Exit status: 0 every folder updated or unchanged, "
        "1 a folder refused or not updated (or the run failed), 2 usage error, "
        "3 overdue requests with --fail-on-overdue.",
    )
    parser.add_argument(
        "--runs",
        required=True,
        metavar="PATTERN",
        help="run folders written by pipelines.eligibility (a glob over folders, e.g. "
        "'out/*'); a folder without _SUCCESS is refused, reported and never modified",
    )
    parser.add_argument(
        "--deletions",
        required=True,
        metavar="PATTERN",
        help="deletion requests (the --deletions format of pipelines.eligibility)",
    )
    parser.add_argument(
        "--as-of",
        metavar="TIMESTAMP",
        help="apply requests with requested_at at or before this instant (RFC 3339 or "
        "epoch seconds); default: the command's start time (recorded)",
    )
    parser.add_argument(
        "--dead-letter",
        metavar="DIR",
        help="write malformed deletion lines, with their reason, to DIR (a literal path; "
        "Parquet shards and _SUCCESS, replaced on each application)",
    )
    parser.add_argument(
        "--fail-on-overdue",
        action="store_true",
        help="exit 3 when a request older than 30 days at as-of still removed records "
        "(an earlier application was missed); without it, only a warning",
    )
    parser.add_argument(
        "--join",
        choices=JOINS,
        default=SIDE_INPUT,
        help="how deletions meet lineage: the deleted subjects as a side input of the "
        "lineage reader (memory per worker grows with the deletion set), or CoGroupByKey "
        "(bounded memory, lineage shuffled; refused with the multi-process local runner, "
        "where it was measured to miss matches: README, Scheduled runs)",
    )
    return parser


def resolve(argv: Optional[list[str]], start: int) -> Config:
    """Parse and check every flag (exit 2 on a usage error) before any work."""
    args, beam_args, fail = parse(build_parser(), argv)
    beam_options = PipelineOptions(beam_args)
    if args.join == COGROUP and _multi_process(beam_options):
        fail("--join cogroup is refused with --direct_running_mode multi_processing")
    as_of = parse_as_of(fail, args.as_of, start)
    check_pattern(fail, "--deletions", args.deletions)
    folders = tuple(match_run_folders(args.runs))
    if not folders:
        fail(f"--runs: pattern {args.runs!r} matches no folder")
    if args.dead_letter:
        _check_dead_letter_dir(fail, args.dead_letter, folders)
    return Config(
        args=args,
        beam_options=beam_options,
        start=start,
        as_of=as_of,
        run_folders=folders,
        deletion_files=tuple(m.path for m in matched_inputs(args.deletions)),
    )


def _multi_process(options: PipelineOptions) -> bool:
    return options.view_as(DirectOptions).direct_running_mode == "multi_processing"


def _check_dead_letter_dir(fail, directory: str, run_folders: tuple[str, ...]) -> None:
    """A usable literal path that holds nothing but an earlier application's
    dead letters, and not one of the run folders."""
    try:
        finalize.check_output_path(directory, home=os.path.expanduser("~"))
    except OutputRefused as exc:
        fail(f"--dead-letter: {exc}".replace("--output ", ""))
    if os.path.abspath(directory).rstrip("/") in {os.path.abspath(f) for f in run_folders}:
        fail("--dead-letter: the folder is one of the --runs folders")
    if kind(directory) == MISSING:
        return
    foreign = [
        name
        for name in sorted(entries(directory))
        if name not in (SUCCESS_FILE, STAGING_DIR) and not finalize.SHARD_NAME.fullmatch(name)
    ]
    if foreign:
        fail(f"--dead-letter: {join(directory, foreign[0])} was not written by this command")


def build_pipeline(config: Config, folders: list[RunFolder], work: str) -> beam.Pipeline:
    """The graph: read deletions, join them to lineage, rewrite affected shards
    into each folder's staging area; plans and input counts into ``work``."""
    pipeline = beam.Pipeline(options=config.beam_options)
    events, dead_letters, lines_read = pipeline | "ReadDeletions" >> ReadControlEvents(
        {reasons.DELETIONS: config.args.deletions}
    )
    lineage = pipeline | "LineageShards" >> beam.Create(
        [(i, path) for i, folder in enumerate(folders) for path in folder.shard_paths("lineage")]
    )
    removals = (events, lineage) | "MatchDeletions" >> MatchDeletions(
        config.as_of, config.args.join
    )
    _ = removals | "RewriteShards" >> RewriteShards(folders, work)
    _ = (
        (events, dead_letters, lines_read)
        | "CountDeletionInputs" >> CountDeletionInputs(config.as_of)
        | "WriteCounts" >> beam.Map(write_json, join(work, COUNTS_FILE))
    )
    if config.args.dead_letter:
        staging = join(config.args.dead_letter, STAGING_DIR)
        _ = dead_letters | "WriteDeadLetters" >> WriteDeadLetters(staging)
    return pipeline


def usable_folders(config: Config, report: DeletionsReport) -> list[RunFolder]:
    """Finish swaps of earlier applications that a kill interrupted, refuse
    what cannot be updated, clear staging leftovers of the others."""
    folders = []
    for path in config.run_folders:
        if finalize.complete_interrupted_swap(path):
            report.resumed.append(path)
        try:
            folder = open_run_folder(path)
        except FolderRefused as exc:
            logger.warning("run folder %s refused: %s", path, exc)
            report.refused.append((path, str(exc)))
            continue
        clear_staging(path)
        folders.append(folder)
    return folders


def work_folder(config: Config) -> str:
    """Where the workers leave plans and counts for the driver: under
    --temp_location when given (remote runners), else a local temporary folder."""
    temp = config.beam_options.view_as(GoogleCloudOptions).temp_location
    if temp:
        return join(temp, f"apply-deletions-{config.start}")
    return tempfile.mkdtemp(prefix="apply-deletions-")


def application(config: Config, counts: dict) -> dict:
    """What every folder's entry of this application shares."""
    return {
        "as_of": format_instant(config.as_of),
        "applied_at": format_instant(config.start),
        "pipeline_version": pipeline_version(),
        "deletion_files": list(config.deletion_files),
        "deletion_input": {
            name: counts.get(name, 0)
            for name in (
                "lines_read",
                "lines_dead_lettered",
                "fail_closed_subjects",
                "requests_in_force",
                "requests_after_as_of",
            )
        },
    }


def publish(config: Config, folders: list[RunFolder], work: str, report: DeletionsReport) -> None:
    """Swap each folder's staged application in (or report why not), then the
    dead letters."""
    shared = application(config, json.loads(read_bytes(join(work, COUNTS_FILE))))
    report.deletion_input = shared["deletion_input"]
    for index, folder in enumerate(folders):
        path = plan_path(work, index)
        if kind(path) != FILE:
            report.unchanged.append(folder.path)
            continue
        try:
            entry = publish_application(folder, json.loads(read_bytes(path)), shared)
        except (finalize.NotPublished, OSError) as exc:
            logger.error("run folder %s not updated: %s", folder.path, exc)
            report.failed.append((folder.path, str(exc)))
            continue
        report.updated.append((folder.path, entry))
    if config.args.dead_letter:
        publish_dead_letters(
            config.args.dead_letter,
            {**shared, "dead_lettered": shared["deletion_input"]["lines_dead_lettered"]},
        )


def run(argv: Optional[list[str]] = None) -> DeletionsReport:
    """Check the flags, run the pipeline, publish each folder; returns the report."""
    config = resolve(argv, start=time.time_ns() // 1000)
    report = DeletionsReport(
        as_of=format_instant(config.as_of), fail_on_overdue=config.args.fail_on_overdue
    )
    folders = usable_folders(config, report)
    work = work_folder(config)
    try:
        result = build_pipeline(config, folders, work).run()
        result.wait_until_finish()
        if result.state != PipelineState.DONE:
            raise RuntimeError(f"the pipeline ended in state {result.state}; nothing changed")
        publish(config, folders, work, report)
    finally:
        for folder in folders:
            clear_staging(folder.path)
        remove(work)
    return report


def exit_status(report: DeletionsReport) -> int:
    if report.refused or report.failed:
        return EXIT_NOT_UPDATED
    if report.fail_on_overdue and report.overdue_records():
        return EXIT_OVERDUE
    return EXIT_OK


def main(argv: Optional[list[str]] = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    report = run(argv)  # an exception (the run failed, nothing changed) exits 1
    if report.overdue_records():
        logger.warning(
            "%d record(s) were removed by deletion requests older than 30 days at as-of: "
            "an earlier application was missed",
            report.overdue_records(),
        )
    print(summarise_report(report))
    return exit_status(report)


if __name__ == "__main__":
    console.exit_now(main())
