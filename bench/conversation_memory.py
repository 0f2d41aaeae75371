"""Peak memory and wall time of the whole pipeline on one very large conversation.

Issue 11 asks that memory per conversation be bounded: a conversation of 50,000
messages, or a single record of 15 MiB, must be written (or dead-lettered by a
documented rule) with a peak resident memory under 2 GB on the local runner.

For each size, one canonical JSON Lines record is generated (deterministic for
a seed): either a ``chatgpt_free`` conversation of N short user/assistant
messages that mention people from a pool of names, e-mail addresses and a few
inline code spans, or a record of about M MiB made of a few very long messages
(prose with names and addresses, pasted code). The real pipeline
(``python -m pipelines.eligibility --runner=FnApiRunner``, one process) runs on
it; the resident memory of its whole process tree is sampled every 0.2 s (a run
above ``--limit-gb`` is killed and reported as such), and the outcome is read
from ``audit.json``.

    python -m bench.conversation_memory --messages 50000 --record-mib 15 --out docs/bench
    python -m bench.conversation_memory --messages 10000,20000 --record-mib ""
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import AS_OF, REPO, PeakMemory

KEY = "bench-conversation-memory-key-00"  # 32 characters, a test key
MIB = 2**20
FIRST = [
    "Maria",
    "Daniel",
    "Aisha",
    "Tomasz",
    "Priya",
    "Kenji",
    "Fatima",
    "Lucas",
    "Ingrid",
    "Omar",
    "Chloe",
    "Rafael",
    "Mei",
    "Sven",
    "Amara",
    "Diego",
    "Hannah",
    "Yusuf",
    "Elena",
    "Kwame",
    "Sofia",
    "Arjun",
    "Nadia",
    "Pierre",
    "Leila",
    "Mateo",
    "Greta",
    "Tariq",
    "Ines",
    "Viktor",
]
LAST = [
    "Gonzalez",
    "Kim",
    "Okafor",
    "Kowalski",
    "Sharma",
    "Tanaka",
    "Haddad",
    "Moreau",
    "Lindqvist",
    "Farouk",
    "Dubois",
    "Almeida",
    "Chen",
    "Johansson",
    "Mensah",
    "Herrera",
    "Schneider",
    "Demir",
    "Popescu",
    "Asante",
    "Rossi",
    "Nair",
    "Petrova",
    "Laurent",
    "Rahimi",
    "Vargas",
    "Novak",
    "Aziz",
    "Costa",
    "Ivanov",
]
TOPICS = [
    "quarterly report",
    "birthday party",
    "database migration",
    "moving boxes",
    "grant proposal",
    "vacation plan",
    "unit tests",
    "budget spreadsheet",
]
USER_LINES = [
    "Can you help me write a note to {name} about the {topic}? (step {i})",
    "{first} says the {topic} is late again, what should I answer? #{i}",
    "Please send the {topic} draft to {email} before Friday, item {i}.",
    "How do I rename `{code}` in the {topic} script? Question {i}.",
    "Remind me what we decided about the {topic} in point {i}.",
]
ASSISTANT_LINES = [
    "Sure. Here is a short draft for {name}: the {topic} is on track (reply {i}).",
    "You could tell {first} that the {topic} needs one more day. Reply {i}.",
    "Rename it with `{code} = new_name` and rerun the tests, reply {i}.",
    "We agreed to finish the {topic} first, then review it together ({i}).",
]
PROSE = [
    "In chapter {i} {name} walks to the harbour and thinks about the {topic}.",
    "The letter was addressed to {name} and copied to {email} for the record.",
    "Nobody in the village remembered the {topic} the way {first} did.",
    "It rained for the whole week, and the {topic} was postponed once more.",
    "Later that evening the committee met again to discuss the {topic} in detail.",
]
CODE = (
    "```python\ndef step_{i}(rows):\n    # ask {first} before changing this\n"
    "    return [r * 2 for r in rows]\n```"
)


def _fill(rng: random.Random, template: str, i: int) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return template.format(
        i=i,
        first=first,
        name=f"{first} {last}",
        topic=rng.choice(TOPICS),
        email=f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@mailbox.org",
        code=f"{rng.choice(TOPICS).split()[0]}_{i % 97}",
    )


def record(conversation_id: str, contents: list[str]) -> dict:
    """A canonical conversation record (DATA.md) holding ``contents`` in turn."""
    return {
        "conversation_id": conversation_id,
        "user_id": "user-bench",
        "source": "chatgpt_free",
        "created_at": "2026-11-01T10:00:00Z",
        "messages": [
            {"role": ("user", "assistant")[i % 2], "content": text}
            for i, text in enumerate(contents)
        ],
    }


def many_messages(n: int, seed: int) -> dict:
    """One conversation of ``n`` short, distinct messages."""
    rng = random.Random(seed)
    lines = (USER_LINES, ASSISTANT_LINES)
    return record(f"many-{n}", [_fill(rng, rng.choice(lines[i % 2]), i) for i in range(n)])


def long_message(rng: random.Random, chars: int) -> str:
    """Prose paragraphs with names, addresses and pasted code, about ``chars`` long."""
    parts, size, i = [], 0, 0
    while size < chars:
        i += 1
        template = CODE if i % 50 == 0 else rng.choice(PROSE)
        parts.append(_fill(rng, template, i) + ("\n\n" if i % 8 == 0 else " "))
        size += len(parts[-1])
    return "".join(parts)


def large_record(mib: float, seed: int, messages: int = 3) -> dict:
    """One record of about ``mib`` MiB in ``messages`` very long messages."""
    rng = random.Random(seed)
    chars = int(mib * MIB / messages)
    return record(f"large-{mib:g}", [long_message(rng, chars) for _ in range(messages)])


def measure(command: list[str], log: Path, limit_bytes: int) -> tuple[float, int, bool, int]:
    """Run ``command``; (wall seconds, peak tree RSS, killed for memory, exit code)."""
    start = time.perf_counter()
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "ELIGIBILITY_RECORD_ID_KEY": KEY},
        )
        memory = PeakMemory(process.pid, interval=0.2, limit_bytes=limit_bytes)
        returncode = process.wait()
    wall = time.perf_counter() - start
    return wall, memory.stop(), memory.exceeded, returncode


def run_case(name: str, data: dict, work: Path, limit_bytes: int) -> dict:
    """The pipeline on one record: size, wall time, peak RSS and outcome."""
    source = work / f"{name}.jsonl"
    line = json.dumps(data, ensure_ascii=False) + "\n"
    source.write_text(line, encoding="utf-8")
    size = len(line.encode("utf-8"))
    output = work / f"out-{name}"
    command = [
        sys.executable,
        "-m",
        "pipelines.eligibility",
        "--conversations",
        str(source),
        "--output",
        str(output),
        "--overwrite",
        "--as-of",
        AS_OF,
        "--max-record-bytes",
        str(max(32 * MIB, 2 * size)),
        "--runner=FnApiRunner",
    ]
    wall, peak, killed, returncode = measure(command, work / f"{name}.log", limit_bytes)
    row = {
        "case": name,
        "messages": len(data["messages"]),
        "record_mib": round(size / MIB, 2),
        "seconds": round(wall, 1),
        "peak_rss_mb": round(peak / MIB),
        "outcome": "",
        "exit": returncode,
    }
    if killed:
        row["outcome"] = f"killed above {limit_bytes / 2**30:g} GiB"
    elif returncode != 0 or not (output / "audit.json").exists():
        row["outcome"] = f"failed (exit {returncode}, see {work / (name + '.log')})"
    else:
        counts = json.loads((output / "audit.json").read_text())["counts"]
        row["outcome"] = outcome(counts)
    return row


def outcome(counts: dict) -> str:
    if counts["records_written"]:
        return f"written ({counts['records_written']})"
    reasons = [
        f"{stage}/{code}"
        for stage, codes in counts["dead_lettered_by_stage"].items()
        for code in codes
    ]
    if counts["dead_lettered"]:
        return f"dead-lettered ({', '.join(reasons)})"
    return f"excluded {dict(counts['excluded'])}"


def table(rows: list[dict], arguments: str) -> str:
    lines = [
        f"`python -m bench.conversation_memory {arguments}` on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}: one record per run, `--runner=FnApiRunner`, "
        "peak RSS of the whole process tree.",
        "",
        "| case | messages | record MiB | wall s | peak RSS MB | outcome |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['case']} | {r['messages']} | {r['record_mib']} | {r['seconds']} | "
        f"{r['peak_rss_mb']} | {r['outcome']} |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def sizes(value: str) -> list[float]:
    return [float(s) for s in value.split(",") if s.strip()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.conversation_memory", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--messages",
        default="50000",
        help="comma-separated message counts of the many-messages case ('' skips)",
    )
    parser.add_argument(
        "--record-mib",
        default="15",
        help="comma-separated sizes (MiB) of the large-record case ('' skips)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--limit-gb",
        type=float,
        default=12.0,
        help="kill a run whose process tree exceeds this many GiB",
    )
    parser.add_argument("--work", help="keep inputs, outputs and logs here (default: a temp dir)")
    parser.add_argument("--out", help="also write conversation-memory.{md,json} into this folder")
    args = parser.parse_args(argv)
    cases = [
        (f"messages-{n:g}", lambda n=n: many_messages(int(n), args.seed))
        for n in sizes(args.messages)
    ]
    cases += [
        (f"record-{m:g}MiB", lambda m=m: large_record(m, args.seed)) for m in sizes(args.record_mib)
    ]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(args.work or scratch)
        work.mkdir(parents=True, exist_ok=True)
        rows = []
        for name, make in cases:
            rows.append(run_case(name, make(), work, int(args.limit_gb * 2**30)))
            print(rows[-1], flush=True)
    shown = f"--messages '{args.messages}' --record-mib '{args.record_mib}' --seed {args.seed}"
    print(table(rows, shown))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "conversation-memory.json").write_text(json.dumps(rows, indent=2) + "\n")
        (out / "conversation-memory.md").write_text(table(rows, shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
