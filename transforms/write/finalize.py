"""Staging, then swap: a run's outputs appear under ``--output`` only when the run
completed and its audit reconciled, and ``_SUCCESS`` marks that moment.

The pipeline writes all its outputs into ``DIR/.eligibility-staging/``. When it
has finished, ``publish`` checks the staged outputs (the audit reconciles, every
shard the audit counts is there) and swaps them in:

1. ``swap-in-progress.json`` is written into the staging folder: from now on the
   pipeline's names in DIR are debris of this swap until ``_SUCCESS`` exists;
2. the old ``_SUCCESS`` is removed;
3. each of the pipeline's own outputs (``REPLACED_NAMES``) is replaced in turn:
   the old one set aside (locally: renamed into the staging folder; remotely:
   deleted), the staged one moved in. A reserved name this run did not write
   (an older ``report.html``) is removed, not kept beside the new run;
4. the set-aside outputs are deleted and ``_SUCCESS`` is written atomically;
5. the staging folder is removed.

Where a kill can land, and what a rerun of the same command then finds:

- before step 2 (during the Beam run, or before the swap): the previous outputs
  and their ``_SUCCESS`` are untouched; the rerun clears the staging folder;
- during steps 2-4: DIR has no ``_SUCCESS`` and the staging folder holds the
  marker: the outputs there are debris, which the rerun replaces even without
  ``--overwrite`` (the marker is kept until a later swap completes);
- after step 4: the run is complete; the leftover staging folder is cleared by
  the next run.

A local swap that fails with an exception is undone (its renames reversed, the
old ``_SUCCESS`` back in place) before the error is raised. Nothing else in DIR
is read, moved or deleted.

``apply_deletions`` uses the same swap for single files
(``replace_entries``): the rewritten shards of a run folder and its
``deletions_applied.json`` replace their old versions between the removal and
the rewriting of ``_SUCCESS``. That swap is *resumable*: its marker records the
``_SUCCESS`` to write, every staged file stays in the staging folder until it
is moved in, and ``complete_interrupted_swap`` finishes it after a kill at any
step (locally or on an object store, where nothing can be put back).

Test hook: when the environment variable ``ELIGIBILITY_TEST_KILL_AT`` names one
of the steps in ``KILL_POINTS``, the process kills itself (SIGKILL) there, to
test recovery from a kill at that exact point. Unset, it does nothing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from schemas.timestamps import format_instant
from transforms.write.outputs import (
    AUDIT_FILE,
    DATASET_DIR,
    DEAD_LETTER_DIR,
    DELETIONS_APPLIED_FILE,
    LINEAGE_DIR,
    REDACTIONS_DIR,
    REPORT_FILE,
    SUCCESS_FILE,
)
from transforms.write.paths import (
    FILE,
    FOLDER,
    GLOB_CHARACTERS,
    MISSING,
    entries,
    is_local,
    join,
    kind,
    make_folder,
    move,
    read_bytes,
    remove,
    write_atomically,
)

logger = logging.getLogger(__name__)
STAGING_DIR = ".eligibility-staging"
SWAP_MARKER = "swap-in-progress.json"
SET_ASIDE_DIR = "replaced"
OUTPUT_FOLDERS = (DATASET_DIR, LINEAGE_DIR, REDACTIONS_DIR, DEAD_LETTER_DIR)
OUTPUT_FILES = (AUDIT_FILE, REPORT_FILE, DELETIONS_APPLIED_FILE)
REPLACED_NAMES = OUTPUT_FOLDERS + OUTPUT_FILES
SHARD_NAME = re.compile(r"part-\d{5,}-of-\d{5,}\.parquet")

KILL_AT_ENV = "ELIGIBILITY_TEST_KILL_AT"
KILL_POINTS = (
    "staged",
    "swap-started",
    "success-removed",
    *(f"replaced-{name}" for name in REPLACED_NAMES),
    "success-written",
)


class OutputRefused(ValueError):
    """``--output`` cannot be used as it is: a usage error."""


class NotPublished(RuntimeError):
    """The staged outputs are incomplete or do not reconcile; nothing was swapped."""


@dataclass(frozen=True)
class OutputState:
    existing: tuple[str, ...]  # the pipeline's own names present in DIR
    complete: bool  # _SUCCESS exists
    interrupted: bool  # no _SUCCESS, and a swap into DIR was interrupted


def check_output_path(output: str, home: Optional[str]) -> None:
    """Refuse an empty path, an existing file, a filesystem or bucket root, the
    home folder ``home`` and its parents, a path inside a staging folder, and
    glob characters in a remote path."""
    if not output.strip():
        raise OutputRefused("--output is empty")
    if STAGING_DIR in output.replace("\\", "/").split("/"):
        raise OutputRefused(f"--output {output!r} is inside a run's staging folder")
    if is_local(output):
        _check_local_path(output, home)
    else:
        _check_remote_path(output)


def _check_local_path(output: str, home: Optional[str]) -> None:
    if os.path.lexists(output) and not os.path.isdir(output):
        raise OutputRefused(f"--output {output!r} exists and is not a folder")
    real = Path(os.path.realpath(output))
    if real == Path(real.anchor):
        raise OutputRefused(f"--output {output!r} is the filesystem root")
    if home and home != "~":
        real_home = Path(os.path.realpath(home))
        if real == real_home or real in real_home.parents:
            raise OutputRefused(f"--output {output!r} is the home folder or one of its parents")
    existing_parent = next(p for p in real.parents if os.path.exists(p))
    if not os.path.isdir(existing_parent):
        raise OutputRefused(f"--output {output!r}: {existing_parent} is not a folder")


def _check_remote_path(output: str) -> None:
    if any(c in output for c in GLOB_CHARACTERS):
        raise OutputRefused(
            f"--output {output!r}: a remote output path may not contain "
            f"glob characters ({GLOB_CHARACTERS})"
        )
    segments = [s for s in output.split("://", 1)[1].split("/") if s]
    if len(segments) < 2:
        raise OutputRefused(f"--output {output!r} is the root of a bucket or filesystem")
    if kind(output) == FILE:
        raise OutputRefused(f"--output {output!r} exists and is not a folder")


def inspect_output(output: str) -> OutputState:
    """What DIR holds of the pipeline's own outputs. Refuses a name of ours that
    holds something the pipeline does not write (a folder as ``audit.json``, a
    user's file inside ``dataset/``): ``--overwrite`` would delete it."""
    for name in OUTPUT_FOLDERS:
        _check_output_folder(join(output, name))
    for name in (*OUTPUT_FILES, SUCCESS_FILE):
        if kind(join(output, name)) not in (MISSING, FILE):
            raise OutputRefused(
                f"{join(output, name)} is not a file this pipeline writes; move it away"
            )
    staging = join(output, STAGING_DIR)
    if kind(staging) not in (MISSING, FOLDER):
        raise OutputRefused(f"{staging} is not the pipeline's staging folder; move it away")
    existing = tuple(n for n in (*REPLACED_NAMES, SUCCESS_FILE) if kind(join(output, n)) != MISSING)
    complete = SUCCESS_FILE in existing
    interrupted = not complete and kind(join(staging, SWAP_MARKER)) == FILE
    return OutputState(existing, complete, interrupted)


def _check_output_folder(folder: str) -> None:
    what = kind(folder)
    if what == MISSING:
        return
    if what != FOLDER:
        raise OutputRefused(f"{folder} is not a folder this pipeline writes; move it away")
    for name, entry_kind in sorted(entries(folder).items()):
        if entry_kind != FILE or not SHARD_NAME.fullmatch(name):
            raise OutputRefused(
                f"{join(folder, name)} was not written by this pipeline; move it away "
                f"(the run replaces {folder} as a whole)"
            )


def check_reuse(output: str, state: OutputState, overwrite: bool) -> None:
    """Without --overwrite, refuse a DIR that holds a run's outputs, unless they
    are the debris of an interrupted swap."""
    if overwrite or not state.existing or state.interrupted:
        return
    raise OutputRefused(
        f"--output {output} already holds outputs of a run "
        f"({', '.join(state.existing)}); pass --overwrite to replace them"
    )


def prepare_staging(output: str) -> str:
    """Clear what an earlier run left in the staging folder and return its path.
    The swap marker stays while DIR has no _SUCCESS: DIR then still holds debris
    that only a completed swap may clear."""
    staging = join(output, STAGING_DIR)
    keep = {SWAP_MARKER} if kind(join(output, SUCCESS_FILE)) == MISSING else set()
    if kind(staging) == FOLDER:
        for name in entries(staging):
            if name not in keep:
                remove(join(staging, name))
    make_folder(staging)
    return staging


def publish(output: str, overwrite: bool) -> dict:
    """Check the staged outputs and swap them into ``output``; returns what
    ``_SUCCESS`` records. Raises NotPublished (nothing swapped) if the staged
    outputs are incomplete or do not reconcile."""
    staging = join(output, STAGING_DIR)
    success = verify_staged(staging)
    _checkpoint("staged")
    # DIR may have changed while the pipeline ran.
    check_reuse(output, inspect_output(output), overwrite)
    swap(output, staging, success)
    logger.info("outputs published in %s (_SUCCESS written)", output)
    return success


def verify_staged(staging: str) -> dict:
    """The staged audit reconciles and every shard it counts is staged; drops
    leftover temporary files. Returns the _SUCCESS record (without end_time)."""
    if kind(join(staging, AUDIT_FILE)) != FILE:
        raise NotPublished("the run wrote no audit.json; nothing was published")
    audit = json.loads(read_bytes(join(staging, AUDIT_FILE)))
    if not audit["reconciliation"]["reconciles"]:
        raise NotPublished("the audit does not reconcile; nothing was published")
    files = {name: len(_staged_shards(join(staging, name))) for name in OUTPUT_FOLDERS}
    expected = audit["outputs"]["files_written"]
    if min(files.values()) == 0 or sum(files.values()) != expected:
        raise NotPublished(
            f"staged shard files {files} do not match the {expected} the "
            f"audit counts; nothing was published"
        )
    return success_record(audit, files)


def _staged_shards(folder: str) -> list[str]:
    if kind(folder) != FOLDER:
        return []
    shards = []
    for name in entries(folder):
        if SHARD_NAME.fullmatch(name):
            shards.append(name)
        else:  # a temporary file of an abandoned attempt: ours, never published
            remove(join(folder, name))
    return shards


def success_record(audit: dict, files: dict[str, int]) -> dict:
    counts, run = audit["counts"], audit["run"]
    return {
        "pipeline_version": run["pipeline_version"],
        "as_of": run["as_of"],
        "start_time": run["start_time"],
        "records": {
            "read": counts["records_read"],
            "written": counts["records_written"],
            "dead_lettered": counts["dead_lettered"],
            "excluded": sum(counts["excluded"].values()),
        },
        "files": {**files, AUDIT_FILE: 1},
    }


def swap(output: str, staging: str, success: dict) -> None:
    """Replace the pipeline's outputs in ``output`` with the staged ones, then
    write ``_SUCCESS`` (module docstring, steps 1-5)."""
    stamped = {**success, "end_time": format_instant(time.time_ns() // 1000)}
    replace_entries(output, staging, REPLACED_NAMES, stamped)


def replace_entries(
    output: str, staging: str, names: Sequence[str], success: dict, resumable: bool = False
) -> None:
    """The swap both pipelines use: each of ``names`` (paths relative to
    ``output``: a whole output folder, or one shard file such as
    ``dataset/part-00003-of-00008.parquet``) is replaced by its staged copy in
    ``staging``, or removed when nothing is staged under that name. ``_SUCCESS``
    is removed first and written last (``success``), so a consumer never reads
    a half-replaced folder. ``resumable``: the marker also records ``success``,
    and a later :func:`complete_interrupted_swap` can finish the swap from
    whatever point a kill left it at (every staged entry stays in the staging
    folder until it is moved in)."""
    marker = join(staging, SWAP_MARKER)
    marker_was_there = kind(marker) == FILE
    record: dict = {"replacing": [SUCCESS_FILE, *names]}
    if resumable:
        record["success"] = success
    write_atomically(marker, _json(record))
    _checkpoint("swap-started")
    moves: list[tuple[str, str]] = []
    try:
        _set_aside(output, SUCCESS_FILE, staging, moves)
        _checkpoint("success-removed")
        for name in names:
            _set_aside(output, name, staging, moves)
            if kind(join(staging, name)) != MISSING:
                _move(join(staging, name), join(output, name), moves)
            _checkpoint(f"replaced-{name}")
    except Exception:
        if is_local(output):
            _undo(moves)
            if not marker_was_there:
                remove(marker)
        raise
    remove(join(staging, SET_ASIDE_DIR))
    _write_success(output, staging, success)


def complete_interrupted_swap(output: str) -> bool:
    """Finish a resumable swap (``replace_entries(..., resumable=True)``) that a
    kill interrupted: ``output`` has no ``_SUCCESS`` and its staging folder holds
    the marker. Every entry still staged is moved in (replacing what is there),
    then ``_SUCCESS`` is written as the marker records it. Returns False, and
    changes nothing, when there is no such swap to finish (an interrupted run of
    the eligibility pipeline is finished by rerunning it, not here)."""
    staging = join(output, STAGING_DIR)
    marker = join(staging, SWAP_MARKER)
    if kind(join(output, SUCCESS_FILE)) != MISSING or kind(marker) != FILE:
        return False
    record = json.loads(read_bytes(marker))
    if "success" not in record:
        return False
    for name in record["replacing"][1:]:
        if kind(join(staging, name)) != MISSING:
            remove(join(output, name))
            move(join(staging, name), join(output, name))
    _write_success(output, staging, record["success"])
    logger.info("an interrupted swap in %s was completed", output)
    return True


def _write_success(output: str, staging: str, success: dict) -> None:
    write_atomically(
        join(output, SUCCESS_FILE), _json(success), temporary=join(staging, f".{SUCCESS_FILE}.tmp")
    )
    _checkpoint("success-written")
    remove(staging)


def _set_aside(output: str, name: str, staging: str, moves: list) -> None:
    """Take an old entry out of ``output``: locally renamed into the staging
    folder (so a failed swap can put it back), remotely deleted."""
    path = join(output, name)
    if kind(path) == MISSING:
        return
    if not is_local(path):
        remove(path)
        return
    aside = join(staging, SET_ASIDE_DIR, name)
    make_folder(os.path.dirname(aside))
    _move(path, aside, moves)


def _move(source: str, destination: str, moves: list) -> None:
    move(source, destination)
    moves.append((source, destination))


def _undo(moves: list[tuple[str, str]]) -> None:
    for source, destination in reversed(moves):
        move(destination, source)


def _json(value: dict) -> bytes:
    return json.dumps(value, indent=2, sort_keys=True).encode("utf-8") + b"\n"


def _checkpoint(step: str) -> None:
    """The test hook (module docstring): SIGKILL this process at ``step``."""
    if os.environ.get(KILL_AT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)
