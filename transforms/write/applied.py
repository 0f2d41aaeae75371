"""Publish one application of deletions in a run folder, fully or not at all.

The Beam run has staged the rewritten shards in ``DIR/.eligibility-staging/``
(``rewrite.py``) and described them in a plan. Here, in the driver:

1. the plan is checked (no problem, every rewritten shard staged);
2. the folder's ``deletions_applied.json`` (every earlier application, and
   this one appended) is staged beside them, with the hash of the result: the
   SHA-256 of the list of every shard of ``dataset/``, ``lineage/`` and
   ``redactions/`` with its own SHA-256, as they are after this application;
3. the staged files are swapped in by ``finalize.replace_entries``, the swap the
   eligibility pipeline uses: ``_SUCCESS`` removed first, each staged file moved
   over its old version, ``_SUCCESS`` written last (the run's own record, plus a
   ``deletions_applied`` summary). The swap is resumable: a kill leaves the
   folder without ``_SUCCESS`` and the next application finishes it
   (``finalize.complete_interrupted_swap``) before doing anything else.

``audit.json`` and every shard without a removed record are never touched.
"""

from __future__ import annotations

import hashlib
import json

from transforms.write import finalize
from transforms.write.finalize import (
    SHARD_NAME,
    STAGING_DIR,
    SWAP_MARKER,
    NotPublished,
    replace_entries,
)
from transforms.write.outputs import DELETIONS_APPLIED_FILE
from transforms.write.paths import (
    FILE,
    MISSING,
    entries,
    join,
    kind,
    read_bytes,
    remove,
    write_atomically,
)
from transforms.write.run_folders import RECORD_OUTPUTS, RunFolder, shard_name


def rewritten_names(plan: dict) -> list[str]:
    """The plan's rewritten shards as paths relative to the folder."""
    return [
        f"{output}/{name}"
        for output in RECORD_OUTPUTS
        for name in plan["shards_rewritten"].get(output, [])
    ]


def result_sha256(folder: RunFolder, staged: set[str]) -> str:
    """SHA-256 over ``<output>/<shard> <sha256 of the file>`` lines of every
    shard of the record outputs, each read from staging when it is in ``staged``."""
    staging = join(folder.path, STAGING_DIR)
    manifest = hashlib.sha256()
    for output in RECORD_OUTPUTS:
        shards = folder.shard_count(output)
        for shard in range(shards):
            name = f"{output}/{shard_name(shard, shards)}"
            path = join(staging if name in staged else folder.path, name)
            digest = hashlib.sha256(read_bytes(path)).hexdigest()
            manifest.update(f"{name} {digest}\n".encode("utf-8"))
    return manifest.hexdigest()


def earlier_applications(folder: RunFolder) -> list[dict]:
    path = join(folder.path, DELETIONS_APPLIED_FILE)
    if kind(path) == MISSING:
        return []
    return list(json.loads(read_bytes(path))["applications"])


def publish_application(folder: RunFolder, plan: dict, application: dict) -> dict:
    """Swap one folder's staged shards and its updated ``deletions_applied.json``
    in; returns the entry appended. ``application`` holds what every folder's
    entry shares (as-of, deletion files, counts of the deletion input).
    Raises NotPublished, with the folder unchanged, when the plan has a problem
    or a staged shard is missing."""
    if plan["problems"]:
        raise NotPublished("; ".join(plan["problems"]))
    staging = join(folder.path, STAGING_DIR)
    names = rewritten_names(plan)
    missing = [name for name in names if kind(join(staging, name)) != FILE]
    if missing:
        raise NotPublished(f"staged shards missing: {', '.join(missing)}")
    entry = {
        **application,
        "records_removed": plan["records_removed"],
        "overdue": plan["overdue"],
        "shards_rewritten": plan["shards_rewritten"],
        "result_sha256": result_sha256(folder, set(names)),
    }
    applications = [*earlier_applications(folder), entry]
    write_atomically(
        join(staging, DELETIONS_APPLIED_FILE),
        json.dumps({"applications": applications}, indent=2, sort_keys=True).encode("utf-8")
        + b"\n",
    )
    success = {**folder.success, "deletions_applied": _success_summary(applications)}
    finalize._checkpoint("staged")
    replace_entries(folder.path, staging, [*names, DELETIONS_APPLIED_FILE], success, True)
    return entry


def _success_summary(applications: list[dict]) -> dict:
    last = applications[-1]
    return {
        "applications": len(applications),
        "last_as_of": last["as_of"],
        "records_removed": sum(sum(a["records_removed"].values()) for a in applications),
        "result_sha256": last["result_sha256"],
    }


def clear_staging(path: str) -> None:
    """Remove a folder's staging area, unless it holds the marker of a swap that
    must be finished (a kill during a remote swap) first."""
    staging = join(path, STAGING_DIR)
    if kind(join(staging, SWAP_MARKER)) != FILE:
        remove(staging)


def publish_dead_letters(directory: str, success: dict) -> None:
    """Swap the dead-letter shards staged in ``DIR/.eligibility-staging/`` into
    ``DIR`` (earlier shards that this application did not write are removed),
    then write ``_SUCCESS``."""
    staging = join(directory, STAGING_DIR)
    names = {
        name
        for folder in (staging, directory)
        if kind(folder) != MISSING
        for name in entries(folder)
        if SHARD_NAME.fullmatch(name)
    }
    replace_entries(directory, staging, sorted(names), success)
