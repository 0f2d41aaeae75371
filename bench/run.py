"""``make bench``: throughput and memory of the pipeline against the PII baselines.

For each workload size (multiples of a base number of generated conversations)
and each repetition, side by side on the same messages:

    (a) naive   Presidio ``analyze`` + ``anonymize`` called per message
    (b) ner     raw spaCy ``nlp.pipe`` NER with the same model (the ceiling)
    (c) pipe-1  the whole pipeline (read, policy, PII, write, audit) on the
                local runner with one worker process
    (d) pipe-2  the same with two worker processes

Each runs in its own process; its wall time is measured (engine loading is
excluded for (a) and (b), included for (c) and (d), which are whole runs) and
the peak resident memory of its whole process tree is sampled. Messages/s for
(a) and (b) count the messages of the eligible conversations; for (c) and (d)
the messages the pipeline wrote (``messages_written`` in its audit). Results:
medians over the repetitions, as JSON and a Markdown table.

    python -m bench.run --base 1500 --sizes 1,4,16 --reps 3 --out docs/bench
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from schemas.records import Conversation
from tools.generate_sample import generate
from transforms.policy.config import load_policy
from transforms.read.validation import InvalidRecord, decode_json_line, to_conversation

AS_OF = "2026-11-24T00:00:00Z"
BENCH_KEY = "benchmark-record-id-key-not-secret-0000"
REPO = Path(__file__).resolve().parents[1]
PIPELINE_RUNNERS = {
    "pipe-1": ["--runner=FnApiRunner"],
    "pipe-2": [
        "--runner=FnApiRunner",
        "--direct_running_mode=multi_processing",
        "--direct_num_workers=2",
    ],
}


class PeakMemory:
    """Samples the resident memory of a process and all its descendants; with
    ``limit_bytes``, kills them all once their sum exceeds it (``exceeded``)."""

    def __init__(self, pid: int, interval: float = 0.1, limit_bytes: int | None = None):
        self._root = psutil.Process(pid)
        self._interval = interval
        self._limit = limit_bytes
        self.peak_bytes = 0
        self.exceeded = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._stop.is_set():
            try:
                processes = [self._root, *self._root.children(recursive=True)]
                total = 0
                for process in processes:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak_bytes = max(self.peak_bytes, total)
                if self._limit is not None and total > self._limit:
                    self._kill(processes)
                    return
            except psutil.Error:
                return
            time.sleep(self._interval)

    def _kill(self, processes) -> None:
        self.exceeded = True
        for process in reversed(processes):
            try:
                process.kill()
            except psutil.Error:
                pass

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_bytes


def measured(command: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Run a command; (wall seconds, peak tree RSS bytes, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    memory = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    peak = memory.stop()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{stderr[-3000:]}")
    return wall, peak, stdout


def eligible_texts(sample: Path, truth: dict) -> list[str]:
    """Message texts of the conversations a correct run writes."""
    eligible = set(truth["eligible_conversation_ids"])
    required = load_policy().sources_requiring_user_id()
    texts = []
    with open(sample / "conversations.jsonl", "rb") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                conversation: Conversation = to_conversation(decode_json_line(line), "", required)
            except InvalidRecord:
                continue
            if conversation.conversation_id in eligible:
                texts.extend(m.content for m in conversation.messages)
                eligible.discard(conversation.conversation_id)  # duplicates: once
    return texts


def make_texts_unique(conversations_file: Path) -> None:
    """Append a running number to every non-blank message text, so that no two
    messages are equal (the generator reuses templates and system prompts, which
    the pipeline's per-batch deduplication would otherwise profit from)."""
    lines = conversations_file.read_bytes().split(b"\n")
    counter = 0
    with open(conversations_file, "wb") as handle:
        for line in lines:
            try:
                record = json.loads(line)
                for message in record["messages"]:
                    if isinstance(message["content"], str) and message["content"].strip():
                        counter += 1
                        message["content"] += f" (#{counter})"
                line = json.dumps(record).encode()
            except (ValueError, KeyError, TypeError):
                pass  # invalid lines stay as they are
            handle.write(line + b"\n")


def prepare(work: Path, conversations: int, seed: int, unique: bool) -> tuple[Path, Path]:
    sample = work / f"sample-{conversations}{'-unique' if unique else ''}"
    if not (sample / "truth.json").exists():
        generate(sample, n_conversations=conversations, seed=seed, as_of=AS_OF)
        if unique:
            make_texts_unique(sample / "conversations.jsonl")
    truth = json.loads((sample / "truth.json").read_text())
    texts = sample / "texts.jsonl"
    with open(texts, "w", encoding="utf-8") as handle:
        for text in eligible_texts(sample, truth):
            handle.write(json.dumps(text) + "\n")
    return sample, texts


def distinct_share(texts: Path) -> float:
    with open(texts, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    return len(set(lines)) / max(1, len(lines))


def run_baseline(method: str, texts: Path) -> dict:
    wall, peak, stdout = measured([sys.executable, "-m", "bench.methods", method, str(texts)])
    result = json.loads(stdout.strip().splitlines()[-1])
    return {
        "messages": result["messages"],
        "seconds": result["seconds"],
        "wall": wall,
        "peak_rss_mb": peak / 2**20,
    }


def run_pipeline(runner: str, sample: Path, output: Path) -> dict:
    command = [
        sys.executable,
        "-m",
        "pipelines.eligibility",
        "--conversations",
        str(sample / "conversations.jsonl"),
        "--consent-events",
        str(sample / "consent_events.jsonl"),
        "--sharing-events",
        str(sample / "sharing_events.jsonl"),
        "--deletions",
        str(sample / "deletions.jsonl"),
        "--as-of",
        AS_OF,
        "--output",
        str(output),
        "--overwrite",
        *PIPELINE_RUNNERS[runner],
    ]
    wall, peak, _ = measured(command, env={"ELIGIBILITY_RECORD_ID_KEY": BENCH_KEY})
    audit = json.loads((output / "audit.json").read_text())
    return {
        "messages": audit["counts"]["messages_written"],
        "seconds": wall,
        "wall": wall,
        "records_read": audit["counts"]["records_read"],
        "peak_rss_mb": peak / 2**20,
    }


def summarise(runs: list[dict]) -> dict:
    rates = [r["messages"] / r["seconds"] for r in runs]
    return {
        "messages": runs[0]["messages"],
        "messages_per_s": statistics.median(rates),
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "repetitions": len(runs),
        "all_messages_per_s": rates,
    }


def benchmark(
    base: int, sizes: list[int], reps: int, work: Path, seed: int, unique: bool = False
) -> dict:
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "base_conversations": base,
        "repetitions": reps,
        "unique_texts": unique,
        "distinct_message_share": {},
        "sizes": {},
    }
    for size in sizes:
        sample, texts = prepare(work, base * size, seed, unique)
        results["distinct_message_share"][str(size)] = distinct_share(texts)
        runs = {name: [] for name in ("naive", "ner", "pipe-1", "pipe-2")}
        for rep in range(reps):
            for method in ("naive", "ner"):
                runs[method].append(run_baseline(method, texts))
            for runner in PIPELINE_RUNNERS:
                runs[runner].append(run_pipeline(runner, sample, work / f"out-{size}-{runner}"))
            print(
                f"size {size}x rep {rep + 1}/{reps}: "
                + ", ".join(
                    f"{k} {v[-1]['messages'] / v[-1]['seconds']:.0f} msg/s" for k, v in runs.items()
                ),
                flush=True,
            )
        results["sizes"][str(size)] = {name: summarise(r) for name, r in runs.items()}
    results["ratios"] = ratios(results)
    return results


def ratios(results: dict) -> dict:
    sizes = results["sizes"]
    out = {}
    for size, methods in sizes.items():
        rate = {name: m["messages_per_s"] for name, m in methods.items()}
        out[size] = {
            "c_over_b": rate["pipe-1"] / rate["ner"],
            "c_over_a": rate["pipe-1"] / rate["naive"],
            "d_over_c": rate["pipe-2"] / rate["pipe-1"],
        }
    keys = sorted(sizes, key=int)
    if len(keys) > 1:
        first, last = keys[0], keys[-1]
        for runner in PIPELINE_RUNNERS:
            out[f"{runner}_peak_rss_{last}x_over_{first}x"] = (
                sizes[last][runner]["peak_rss_mb"] / sizes[first][runner]["peak_rss_mb"]
            )
            out[f"{runner}_seconds_per_size_unit"] = {
                k: sizes[k][runner]["seconds"] / int(k) for k in keys
            }
    return out


def table(results: dict) -> str:
    shares = ", ".join(
        f"{k}x {v:.1%}" for k, v in results.get("distinct_message_share", {}).items()
    )
    lines = [
        f"Base {results['base_conversations']} conversations, {results['repetitions']} "
        f"repetitions, {results['machine']['cpus']} CPUs; distinct message texts: {shares}.",
        "",
        "| size | method | messages | messages/s (median) | wall s (median) | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for size, methods in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        for name, m in methods.items():
            lines.append(
                f"| {size}x | {name} | {m['messages']} | {m['messages_per_s']:.0f} | "
                f"{m['seconds']:.1f} | {m['peak_rss_mb']:.0f} |"
            )
    lines += ["", "| size | (c)/(b) | (c)/(a) | (d)/(c) |", "|---|---|---|---|"]
    for size, r in sorted(
        ((k, v) for k, v in results["ratios"].items() if k.isdigit()), key=lambda kv: int(kv[0])
    ):
        lines.append(
            f"| {size}x | {r['c_over_b']:.2f} | {r['c_over_a']:.2f} | {r['d_over_c']:.2f} |"
        )
    for key, value in results["ratios"].items():
        if not key.isdigit():
            shown = (
                {k: round(v, 2) for k, v in value.items()}
                if isinstance(value, dict)
                else round(value, 2)
            )
            lines.append(f"\n`{key}`: {shown}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--base", type=int, default=1500, help="conversations at size 1x")
    parser.add_argument("--sizes", default="1,4,16", help="multiples of --base")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (medians are reported)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", default="build/bench", help="scratch folder for inputs/outputs")
    parser.add_argument("--out", default="docs/bench", help="where results go")
    parser.add_argument(
        "--unique-texts",
        action="store_true",
        help="make every message text distinct (no deduplication gain)",
    )
    args = parser.parse_args(argv)
    results = benchmark(
        args.base,
        [int(s) for s in args.sizes.split(",")],
        args.reps,
        Path(args.work),
        args.seed,
        args.unique_texts,
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = "results-unique-texts" if args.unique_texts else "results"
    (out / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / f"{name}.md").write_text(table(results))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
