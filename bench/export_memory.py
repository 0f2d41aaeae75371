"""Peak memory of converting ChatGPT exports of growing size inside Beam.

For each size, a synthetic ``conversations.json`` array is generated (streaming,
``bench.make_big_export``), then a Beam pipeline on the local runner reads it
through the project's read stage (the streaming ChatGPT adapter and V1
validation, exactly as the eligibility pipeline does) and counts the valid
records and dead letters. The peak resident memory of the whole process tree is
sampled; flat memory as the file grows shows that no step loads the file whole.

    python -m bench.export_memory --sizes-mb 100,1024 --out docs/bench
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from bench.make_big_export import write_export
from bench.run import measured
from schemas import reasons
from transforms.read.formats import AdapterOptions
from transforms.read.inputs import ReadAndValidate
from transforms.read.validation import to_conversation


def convert(path: str, result_file: str) -> None:
    """The read stage alone over one export: valid and dead-lettered counts to a file."""
    options = AdapterOptions(source="chatgpt_plus", user_id="user-bench")
    with beam.Pipeline(options=PipelineOptions(["--runner=FnApiRunner"])) as pipeline:
        valid, dead, read = pipeline | "Read" >> ReadAndValidate(
            path,
            reasons.STAGE_VALIDATE,
            lambda record, location: to_conversation(record, location),
            input_format="chatgpt_export",
            adapter_options=options,
        )
        counts = (
            (
                valid
                | "V" >> beam.combiners.Count.Globally()
                | "KV" >> beam.Map(lambda n: ("valid", n)),
                dead
                | "D" >> beam.combiners.Count.Globally()
                | "KD" >> beam.Map(lambda n: ("dead", n)),
                read | "KR" >> beam.Map(lambda n: ("read", n)),
            )
            | beam.Flatten()
            | beam.combiners.ToDict()
        )
        _ = counts | beam.Map(lambda d: Path(result_file).write_text(json.dumps(d)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.export_memory", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes-mb", default="100,1024")
    parser.add_argument("--work", default="build/bench/exports")
    parser.add_argument("--out", default="docs/bench")
    parser.add_argument("--convert", nargs=2, metavar=("EXPORT", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.convert:
        convert(*args.convert)
        return 0
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (float(s) for s in args.sizes_mb.split(",")):
        export = work / f"conversations-{size:g}MB.json"
        if not export.exists():
            with open(export, "w", encoding="utf-8") as handle:
                write_export(handle, size, seed=1)
        result = work / f"counts-{size:g}.json"
        wall, peak, _ = measured(
            [sys.executable, "-m", "bench.export_memory", "--convert", str(export), str(result)]
        )
        counts = json.loads(result.read_text())
        rows.append(
            {
                "size_mb": round(export.stat().st_size / 2**20, 1),
                "seconds": wall,
                "peak_rss_mb": peak / 2**20,
                **counts,
            }
        )
        print(rows[-1], flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "rows": rows,
        "peak_rss_largest_over_smallest": rows[-1]["peak_rss_mb"] / rows[0]["peak_rss_mb"],
    }
    (out / "export_memory.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "| export size MB | conversations | dead letters | wall s | peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['size_mb']} | {r['valid']} | {r['dead']} | {r['seconds']:.0f} | "
        f"{r['peak_rss_mb']:.0f} |"
        for r in rows
    ]
    lines.append(f"\npeak RSS, largest / smallest: {report['peak_rss_largest_over_smallest']:.2f}")
    (out / "export_memory.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
