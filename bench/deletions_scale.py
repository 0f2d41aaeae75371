"""Scale of ``python -m pipelines.apply_deletions``: wall time and peak memory over
many run folders, for both joins.

Run folders are written directly (not by running the eligibility pipeline a
hundred times), with the project's schemas and its shard encoding
(``write_table_shard``, records placed by ``stable_shard`` of their id, sorted):
``--folders`` folders of ``--records`` records each, ``--shards`` shards per
output, four messages of about 40 words per record, users drawn from a pool so
that one user has records in many folders. The deletion file deletes
``--accounts`` accounts and ``--conversations`` conversations that exist, plus
``--absent`` subjects that exist nowhere (a large deletion set that removes
little), and holds 10 malformed lines.

Each measured command runs on a fresh copy of the folders (or, for a second
application, on the folders the first one left) with the local runner of
``make run`` (two worker processes); wall time and the peak resident memory of
its whole process tree (``bench.run.PeakMemory``) are recorded.

    python -m bench.deletions_scale --out docs/bench            # the README's figures
    python -m bench.deletions_scale --folders 10 --records 2000 --out /tmp/scale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from bench.run import measured
from schemas import parquet
from transforms.write.parquet import stable_shard, write_shard, write_table_shard

AS_OF = "2026-11-24T00:00:00Z"
MULTI_PROCESS = [
    "--runner=FnApiRunner",
    "--direct_running_mode=multi_processing",
    "--direct_num_workers=2",
]
WORDS = 40
MESSAGES = 4


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(size)]


def messages_column(rng: random.Random, records: int) -> pa.Array:
    words = vocabulary(rng)
    rows = [
        [
            {
                "role": "user" if m % 2 == 0 else "assistant",
                "content": " ".join(rng.choices(words, k=WORDS)),
            }
            for m in range(MESSAGES)
        ]
        for _ in range(records)
    ]
    return pa.array(rows, type=pa.list_(parquet.MESSAGE))


def folder_tables(day: int, records: int, users: int, messages: pa.Array, seed: int) -> dict:
    rng = np.random.default_rng(seed + day)
    ids = [hashlib.sha256(f"{seed}:{day}:{i}".encode()).hexdigest() for i in range(records)]
    user_ids = [f"user-{u:07d}" for u in rng.integers(0, users, records)]
    conversations = [f"conv-{day:04d}-{i:07d}" for i in range(records)]
    created = pa.array([1_790_000_000_000_000 + day * 86_400_000_000] * records, pa.int64())
    lineage = pa.table(
        {
            "record_id": ids,
            "conversation_id": conversations,
            "user_id": user_ids,
            "org_id": pa.nulls(records, pa.string()),
            "workspace_id": pa.nulls(records, pa.string()),
            "source": ["chatgpt_plus"] * records,
            "created_at": created.cast(pa.timestamp("us", tz="UTC")),
            "input_location": [f"conversations.jsonl:{i + 1}" for i in range(records)],
        },
        schema=parquet.LINEAGE,
    )
    dataset = pa.table(
        {
            "record_id": ids,
            "source": ["chatgpt_plus"] * records,
            "created_date": [date(2026, 9, 1)] * records,
            "messages": messages,
        },
        schema=parquet.DATASET,
    )
    redactions = pa.table(
        {"record_id": ids, "redactions": pa.array([[]] * records, pa.list_(parquet.REDACTION))},
        schema=parquet.REDACTIONS,
    )
    return {"lineage": lineage, "dataset": dataset, "redactions": redactions}


def write_folder(folder: Path, tables: dict, shards: int) -> None:
    ids = tables["lineage"].column("record_id").to_pylist()
    placement = pa.array([stable_shard(i, shards) for i in ids])
    for output, table in tables.items():
        for shard in range(shards):
            part = table.filter(pa.compute.equal(placement, shard)).sort_by("record_id")
            write_table_shard(str(folder / output), table.schema, shard, shards, part)
    write_shard(str(folder / "dead_letter"), parquet.DEAD_LETTER, 0, 1, [])
    records = len(ids)
    (folder / "audit.json").write_text(json.dumps({"counts": {"records_written": records}}))
    success = {"as_of": AS_OF, "records": {"written": records}, "files": {"dataset": shards}}
    (folder / "_SUCCESS").write_text(json.dumps(success))


def generate(root: Path, args) -> Path:
    rng = random.Random(args.seed)
    messages = messages_column(rng, args.records)
    runs = root / "runs"
    for day in range(args.folders):
        tables = folder_tables(day, args.records, args.users, messages, args.seed)
        write_folder(runs / f"day-{day:04d}", tables, args.shards)
    write_deletions(root / "deletions.jsonl", args)
    return runs


def write_deletions(path: Path, args) -> None:
    rng = random.Random(args.seed + 1)
    lines = []
    for _ in range(args.accounts):
        user = f"user-{rng.randrange(args.users):07d}"
        lines.append({"kind": "account", "user_id": user, "requested_at": "2026-11-20T00:00:00Z"})
    for _ in range(args.conversations):
        conversation = f"conv-{rng.randrange(args.folders):04d}-{rng.randrange(args.records):07d}"
        lines.append(
            {
                "kind": "conversation",
                "conversation_id": conversation,
                "requested_at": "2026-11-21T00:00:00Z",
            }
        )
    for i in range(args.absent):
        lines.append(
            {"kind": "account", "user_id": f"absent-{i}", "requested_at": "2026-11-21T00:00:00Z"}
        )
    text = "".join(json.dumps(line) + "\n" for line in lines)
    text += "".join(
        '{"kind": "account", "user_id": "bad-%d", "user_id": "x"}\n' % i for i in range(10)
    )
    path.write_text(text)


def apply(runs: Path, deletions: Path, join: str) -> dict:
    command = [
        sys.executable,
        "-m",
        "pipelines.apply_deletions",
        f"--runs={runs}/*",
        f"--deletions={deletions}",
        f"--as-of={AS_OF}",
        f"--join={join}",
        *MULTI_PROCESS,
    ]
    wall, peak, stdout = measured(command)
    summary = [
        line for line in stdout.splitlines() if line.startswith(("folders:", "records removed"))
    ]
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(peak / 2**20), "summary": summary}


def measure(work: Path, args) -> list[dict]:
    source = generate(work / "source", args)
    deletions = work / "source" / "deletions.jsonl"
    results = []
    for join in args.joins.split(","):
        runs = work / join
        shutil.rmtree(runs, ignore_errors=True)
        shutil.copytree(source, runs)
        for attempt in ("first", "second"):
            result = {"join": join, "application": attempt, **apply(runs, deletions, join)}
            print(json.dumps(result), flush=True)
            results.append(result)
        shutil.rmtree(runs)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.deletions_scale", description=__doc__)
    parser.add_argument("--folders", type=int, default=100)
    parser.add_argument("--records", type=int, default=20_000, help="records per folder")
    parser.add_argument("--shards", type=int, default=4, help="shards per output")
    parser.add_argument("--users", type=int, default=200_000, help="size of the user pool")
    parser.add_argument("--accounts", type=int, default=200, help="account deletions")
    parser.add_argument("--conversations", type=int, default=2_000)
    parser.add_argument("--absent", type=int, default=0, help="deletions of absent subjects")
    parser.add_argument("--joins", default="side-input,cogroup")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", help="scratch folder (default: a temporary one)")
    parser.add_argument("--out", help="append the results to OUT/deletions-scale.json")
    args = parser.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="deletions-scale-"))
    try:
        results = measure(work, args)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.out:
        record = {
            "machine": f"{platform.machine()}, {platform.python_version()}",
            "parameters": {k: v for k, v in vars(args).items() if k not in ("work", "out")},
            "results": results,
        }
        out = Path(args.out) / "deletions-scale.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        existing = json.loads(out.read_text()) if out.exists() else []
        out.write_text(json.dumps([*existing, record], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
