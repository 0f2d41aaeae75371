"""Two days of real runs and a deletion file with known effect, for the
end-to-end tests of ``pipelines.apply_deletions`` (tests/e2e and tests/engines).

Day 1 and day 2 are generated exports (tools/generate_sample.py) run through the
real eligibility pipeline (single process, 8 shards per output so that most
shards hold no deleted record). One user of day 1 also has a conversation in
day 2 (a copy of a day-1 conversation under a new id, appended to day 2's
export), so an account deletion reaches both days. A third folder is a copy of
day 1 without ``_SUCCESS``: an incomplete run that must be refused.

The deletion file holds, for an application as of ``APPLY_AS_OF``:

- account deletions: the user of both days, a day-2 user, a user nowhere;
- conversation deletions: one of day 1, one of day 2, one nowhere, one of day 1
  requested 37 days before as-of (overdue: an earlier application was missed),
  one of day 1 requested after as-of (not applied);
- malformed lines whose subject is readable (fail closed): a conversation of
  day 1 with a duplicate key, an account of day 2 with ``NaN`` as its time;
- a line with no readable subject at all.

``expected_removals`` computes what must go from each folder from the lineage as
it was written and the subjects above: by set membership, independently of the
command's join.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tests.e2e.conftest import GUARD, REPO, TEST_KEY
from tools.generate_sample import generate

DAY1, DAY2, INCOMPLETE = "2026-11-24", "2026-11-25", "2026-11-23"
APPLY_AS_OF = "2026-11-26T00:00:00Z"
CONVERSATIONS_PER_DAY = 120
SHARDS = 8
RECORD_OUTPUTS = ("dataset", "lineage", "redactions")
CONSUMER = ("chatgpt_free", "chatgpt_plus")


@dataclass
class Scenario:
    root: Path  # runs/ (the three folders) and inputs
    runs: Path
    deletions: Path
    deleted_users: set[str]
    deleted_conversations: set[str]
    overdue_conversation: str
    after_as_of_conversation: str

    def folder(self, day: str) -> Path:
        return self.runs / day

    def copy_to(self, destination: Path) -> "Scenario":
        """The same scenario with its run folders copied under ``destination``."""
        shutil.copytree(self.runs, destination / "runs", symlinks=True)
        return Scenario(**{**self.__dict__, "runs": destination / "runs"})


def run_module(
    module: str, args: list[str], guard_log: Path, extra_env: dict | None = None
) -> subprocess.CompletedProcess:
    """``python -m MODULE ARGS`` in a fresh process, under the network guard."""
    guard_log.touch()
    env = {
        **os.environ,
        "ELIGIBILITY_RECORD_ID_KEY": TEST_KEY,
        "NETWORK_GUARD_LOG": str(guard_log),
        "PYTHONPATH": os.pathsep.join([str(GUARD), str(REPO)]),
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def run_day(sample: Path, output: Path, as_of: str) -> None:
    args = [
        f"--{flag.replace('_', '-')}={sample / (flag + '.jsonl')}"
        for flag in ("conversations", "consent_events", "sharing_events", "deletions")
    ]
    args += [
        f"--output={output}",
        f"--as-of={as_of}T00:00:00Z",
        f"--num-shards={SHARDS}",
        "--runner=FnApiRunner",
    ]
    guard = output.parent.parent / f"{output.name}.network.log"
    completed = run_module("pipelines.eligibility", args, guard)
    assert guard.read_text() == "", guard.read_text()
    assert completed.returncode == 0, completed.stderr[-5000:]


def lineage(folder: Path) -> list[dict]:
    return pq.read_table(folder / "lineage").to_pylist()


def _copy_to_day2(day1_sample: Path, day2_sample: Path, conversation_id: str) -> None:
    """Append a day-1 conversation (a written, so valid, one), under a new id, to
    day 2's export."""
    text = (day1_sample / "conversations.jsonl").read_text(encoding="utf-8-sig")
    record = next(  # the first copy: a duplicated conversation's copies are identical
        json.loads(line)
        for line in text.splitlines()
        if f'"conversation_id": "{conversation_id}"' in line
    )
    record["conversation_id"] = f"{conversation_id}-day2"
    with open(day2_sample / "conversations.jsonl", "a", encoding="utf-8") as handle:
        handle.write("\n" + json.dumps(record) + "\n")


def build(root: Path) -> Scenario:
    runs = root / "runs"
    samples = {day: root / f"sample-{day}" for day in (DAY1, DAY2)}
    generate(samples[DAY1], CONVERSATIONS_PER_DAY, seed=241, as_of=f"{DAY1}T00:00:00Z")
    generate(samples[DAY2], CONVERSATIONS_PER_DAY, seed=252, as_of=f"{DAY2}T00:00:00Z")
    run_day(samples[DAY1], runs / DAY1, DAY1)
    day1 = lineage(runs / DAY1)
    both = next(r for r in day1 if r["source"] in CONSUMER and r["user_id"])
    _copy_to_day2(samples[DAY1], samples[DAY2], both["conversation_id"])
    run_day(samples[DAY2], runs / DAY2, DAY2)
    day2 = lineage(runs / DAY2)
    assert both["user_id"] in {r["user_id"] for r in day2}, "the shared user reached day 2"
    shutil.copytree(runs / DAY1, runs / INCOMPLETE)
    (runs / INCOMPLETE / "_SUCCESS").unlink()
    return _with_deletions(root, runs, day1, day2, both["user_id"])


def _with_deletions(root: Path, runs: Path, day1: list, day2: list, shared_user: str) -> Scenario:
    # in conversation-id order, which is unrelated to the shards
    others1 = sorted((r for r in day1 if r["user_id"] != shared_user), key=_by_conversation)
    users2 = sorted({r["user_id"] for r in day2 if r["user_id"] and r["user_id"] != shared_user})
    day2_user, fail_closed_user = users2[0], users2[1]
    others2 = sorted(
        (r for r in day2 if r["user_id"] not in (shared_user, day2_user, fail_closed_user)),
        key=_by_conversation,
    )
    conv1, dup_key_conv1, overdue_conv1, after_conv1 = (r["conversation_id"] for r in others1[:4])
    conv2 = others2[0]["conversation_id"]
    requests = [
        ("account", shared_user, "2026-11-25T12:00:00Z"),
        ("account", day2_user, "2026-11-25T13:00:00Z"),
        ("account", "no-such-user", "2026-11-25T13:00:00Z"),
        ("conversation", conv1, "2026-11-25T10:00:00Z"),
        ("conversation", conv2, "2026-11-25T11:00:00Z"),
        ("conversation", "no-such-conversation", "2026-11-25T11:00:00Z"),
        ("conversation", overdue_conv1, "2026-10-20T00:00:00Z"),
        ("conversation", after_conv1, "2026-12-01T00:00:00Z"),
    ]
    lines = [
        json.dumps(
            {
                "kind": kind,
                ("user_id" if kind == "account" else "conversation_id"): i,
                "requested_at": t,
            }
        )
        for kind, i, t in requests
    ]
    lines += [
        '{"kind": "conversation", "conversation_id": "%s", "conversation_id": "%s", '
        '"requested_at": "2026-11-25T09:00:00Z"}' % (dup_key_conv1, dup_key_conv1),
        '{"kind": "account", "user_id": "%s", "requested_at": NaN}' % fail_closed_user,
        "this line names nobody",
    ]
    deletions = root / "deletions" / "deletions-2026-11-25.jsonl"
    deletions.parent.mkdir(parents=True)
    deletions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Scenario(
        root=root,
        runs=runs,
        deletions=deletions,
        deleted_users={shared_user, day2_user, fail_closed_user},
        deleted_conversations={conv1, conv2, dup_key_conv1, overdue_conv1},
        overdue_conversation=overdue_conv1,
        after_as_of_conversation=after_conv1,
    )


def _by_conversation(row: dict) -> str:
    return row["conversation_id"]


def expected_removals(scenario: Scenario, rows: list[dict]) -> dict[str, str]:
    """record_id -> rule of every lineage row a correct application removes."""
    removed = {}
    for row in rows:
        if row["user_id"] in scenario.deleted_users:
            removed[row["record_id"]] = "D1"
        elif row["conversation_id"] in scenario.deleted_conversations:
            removed[row["record_id"]] = "D2"
    return removed


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def shard_rows(folder: Path, output: str) -> dict[str, list[dict]]:
    return {p.name: pq.read_table(p).to_pylist() for p in sorted((folder / output).iterdir())}


def result_sha256(folder: Path) -> str:
    """The documented hash of the result: SHA-256 over ``<output>/<shard> <sha256>``
    lines of every shard of dataset/, lineage/ and redactions/, in order."""
    manifest = "".join(
        f"{output}/{p.name} {hashlib.sha256(p.read_bytes()).hexdigest()}\n"
        for output in RECORD_OUTPUTS
        for p in sorted((folder / output).iterdir())
    )
    return hashlib.sha256(manifest.encode()).hexdigest()


def apply(
    scenario: Scenario,
    extra: list[str],
    name: str,
    runs: str = "*",
    extra_env: dict | None = None,
) -> subprocess.CompletedProcess:
    """``python -m pipelines.apply_deletions`` over ``runs`` (a pattern under
    the scenario's runs/) with the scenario's deletions as of APPLY_AS_OF."""
    args = [
        f"--runs={scenario.runs}/{runs}",
        f"--deletions={scenario.deletions.parent}/deletions-*.jsonl",
        f"--as-of={APPLY_AS_OF}",
        *extra,
    ]
    guard = scenario.root / f"{name}.network.log"
    completed = run_module("pipelines.apply_deletions", args, guard, extra_env)
    assert guard.read_text() == "", guard.read_text()
    return completed


# --- the checks: the same on every runner ------------------------------------


def read_rows(data: bytes) -> list[dict]:
    return pq.read_table(pa.BufferReader(data)).to_pylist()


def check_first_application(scenario: Scenario, before: dict, completed) -> None:
    """Exactly the right records are gone (against ``expected_removals``), every
    other row and every untouched shard is byte-identical, ``deletions_applied.json``
    says what happened, the incomplete folder is untouched and reported."""
    assert completed.returncode == 1, completed.stderr[-5000:]  # the incomplete folder
    assert f"REFUSED    {scenario.folder(INCOMPLETE)}: no _SUCCESS" in completed.stdout
    assert snapshot(scenario.folder(INCOMPLETE)) == before[INCOMPLETE]
    for day in (DAY1, DAY2):
        _check_folder(scenario, day, before[day])
    _check_no_ids_in(scenario, completed.stdout + completed.stderr)


def _check_folder(scenario: Scenario, day: str, before: dict[str, bytes]) -> None:
    folder = scenario.folder(day)
    after = snapshot(folder)
    removed = expected_removals(scenario, read_rows_of(before, "lineage"))
    assert removed, f"{day}: the scenario removes something"
    rewritten = _check_shards(before, after, set(removed))
    assert rewritten and any(
        name not in rewritten for name in before if name.startswith("dataset/")
    ), f"{day}: some shards rewritten, some untouched"
    entry = json.loads(after.pop("deletions_applied.json"))["applications"][-1]
    assert entry["records_removed"] == {
        rule: sum(1 for r in removed.values() if r == rule) for rule in ("D1", "D2")
    }
    assert entry["shards_rewritten"] == {
        output: sorted(n.split("/")[1] for n in rewritten if n.startswith(output + "/"))
        for output in RECORD_OUTPUTS
    }
    assert entry["result_sha256"] == result_sha256(folder)
    assert entry["overdue"]["records"] == (1 if day == DAY1 else 0)
    assert entry["deletion_input"] == {
        "lines_read": 11,
        "lines_dead_lettered": 3,
        "fail_closed_subjects": 2,
        "requests_in_force": 7,
        "requests_after_as_of": 1,
    }
    success = json.loads(after.pop("_SUCCESS"))
    assert success.pop("deletions_applied")["result_sha256"] == entry["result_sha256"]
    assert success == json.loads(before["_SUCCESS"])
    untouched = {k: v for k, v in before.items() if k != "_SUCCESS" and k not in rewritten}
    assert {k: v for k, v in after.items() if k in untouched} == untouched
    assert set(after) == set(before) - {"_SUCCESS"}


def read_rows_of(files: dict[str, bytes], output: str) -> list[dict]:
    return [
        row
        for name in sorted(files)
        if name.startswith(output + "/")
        for row in read_rows(files[name])
    ]


def _check_shards(before: dict, after: dict, removed: set[str]) -> set[str]:
    """Each record output's shards: the removed records gone, every other row as it
    was, in its order; a shard without a removed record byte-identical. Returns the
    rewritten shards."""
    rewritten = set()
    for name in (n for n in before if n.split("/")[0] in RECORD_OUTPUTS):
        rows = read_rows(before[name])
        kept = [r for r in rows if r["record_id"] not in removed]
        assert read_rows(after[name]) == kept, name
        if len(kept) == len(rows):
            assert after[name] == before[name], name
        else:
            rewritten.add(name)
    return rewritten


def _check_no_ids_in(scenario: Scenario, text: str) -> None:
    for subject in scenario.deleted_users | scenario.deleted_conversations:
        assert subject not in text


def check_dead_letters(directory: Path) -> None:
    rows = pq.read_table(directory).to_pylist()
    assert len(rows) == 3 and {r["stage"] for r in rows} == {"deletions"}
    assert all(r["error"] for r in rows)
    assert (directory / "_SUCCESS").exists()
    assert sorted(p.name for p in directory.iterdir()) == [
        "_SUCCESS",
        "part-00000-of-00001.parquet",
    ]


def check_second_application(scenario: Scenario, after_first: dict, completed) -> None:
    """Applying the same deletions again changes nothing at all."""
    assert completed.returncode == 1, completed.stderr[-5000:]
    for day in (DAY1, DAY2):
        assert f"unchanged  {scenario.folder(day)}: nothing to remove" in completed.stdout
    assert {day: snapshot(scenario.folder(day)) for day in after_first} == after_first


def snapshots(scenario: Scenario) -> dict[str, dict[str, bytes]]:
    return {day: snapshot(scenario.folder(day)) for day in (DAY1, DAY2, INCOMPLETE)}


def comparable(files: dict[str, bytes]) -> dict:
    """A folder's files, with the one thing that differs between two applications
    of the same deletions (the time each was applied) left out."""
    files = dict(files)
    if "deletions_applied.json" in files:
        document = json.loads(files.pop("deletions_applied.json"))
        files["deletions_applied.json"] = [
            {k: v for k, v in entry.items() if k != "applied_at"}
            for entry in document["applications"]
        ]
    return files


def check_same_folders(scenario: Scenario, reference: Scenario) -> None:
    """Day 1 and day 2 hold what ``reference``'s hold (but for when they were applied)."""
    for day in (DAY1, DAY2):
        ours, theirs = snapshot(scenario.folder(day)), snapshot(reference.folder(day))
        assert comparable(ours) == comparable(theirs), day
