"""Progress lines of a long local run, printed by the main process.

The pipeline's steps run in worker processes (or threads) of the local runner,
which the main process cannot see into until the run ends. So, when progress is
on, the pipeline module adds a counting step after each stage (``Tick``: it
passes nothing on); each counting step writes its running total into a small
file of a local folder every second or so, and at the end of each bundle. A
thread of the main process (``ProgressReporter``) sums those files every few
seconds and prints one line: elapsed time, records read, how far the later
stages have got, the stage reached and its rate. Counts only, never content.

Only for local runners (the folder is on this machine); the run's outputs do
not depend on it.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Callable, Optional

import apache_beam as beam

# The stages counted, in pipeline order: (key, what the count is, the stage's name).
STAGES = (
    ("read", "read", "reading and validating"),
    ("decided", "through the policy", "policy"),
    ("redacted", "redacted", "PII redaction"),
    ("files", "output files written", "writing outputs"),
)
LOCAL_RUNNERS = frozenset(
    {
        "fnapirunner",
        "directrunner",
        "bundlebaseddirectrunner",
        "switchingdirectrunner",
        "prismrunner",
    }
)
_WRITE_EVERY_SECONDS = 1.0


def is_local_runner(runner: Optional[str]) -> bool:
    """The runners whose workers share this machine's disk (Beam's default is local)."""
    if runner is None:
        return True
    name = str(runner).rsplit(".", 1)[-1].lower()
    return name in LOCAL_RUNNERS or name + "runner" in LOCAL_RUNNERS


class Tick(beam.DoFn):
    """Counts the elements of one stage into ``directory`` (one file per
    instance: its running total); outputs nothing."""

    def __init__(self, directory: str, stage: str):
        self._directory = directory
        self._stage = stage
        self._count = 0
        self._written = 0.0

    def setup(self):
        self._count, self._written = 0, 0.0
        self._name = f"{self._stage}.{os.getpid()}.{id(self)}"

    def process(self, element):
        self._count += 1
        if time.monotonic() - self._written > _WRITE_EVERY_SECONDS:
            self._write()
        return ()

    def finish_bundle(self):
        self._write()

    def _write(self):
        self._written = time.monotonic()
        path = os.path.join(self._directory, self._name)
        try:
            with open(path + ".tmp", "w", encoding="ascii") as handle:
                handle.write(str(self._count))
            os.replace(path + ".tmp", path)
        except OSError:
            pass  # progress is best effort: never fail the run for it


def totals(directory: str) -> dict[str, int]:
    """The counts of every stage so far (sums over the counting files)."""
    counts = {stage: 0 for stage, _, _ in STAGES}
    try:
        names = os.listdir(directory)
    except OSError:
        return counts
    for name in names:
        stage = name.split(".", 1)[0]
        if stage not in counts or name.endswith(".tmp"):
            continue
        try:
            with open(os.path.join(directory, name), encoding="ascii") as handle:
                counts[stage] += int(handle.read() or 0)
        except (OSError, ValueError):
            continue
    return counts


def progress_line(
    counts: dict[str, int], before: dict[str, int], elapsed: float, every: float
) -> str:
    """``progress 1:05  read 12,345 · 8,000 through the policy  [stage: policy, 310/s]``:
    the counts so far, the furthest stage reached and its rate over the last
    ``every`` seconds (``before``: the counts then)."""
    minutes, seconds = divmod(int(elapsed), 60)
    parts = [f"read {counts['read']:,}"]
    parts += [f"{counts[stage]:,} {noun}" for stage, noun, _ in STAGES[1:] if counts[stage]]
    reached = next(((stage, name) for stage, _, name in reversed(STAGES) if counts[stage]), None)
    if reached is None:
        where = "starting"
    else:
        rate = (counts[reached[0]] - before.get(reached[0], 0)) / every
        where = f"{reached[1]}, {rate:,.0f}/s"
    return f"progress {minutes}:{seconds:02d}  " + " · ".join(parts) + f"  [stage: {where}]"


class ProgressReporter:
    """A thread that prints ``progress_line`` every ``every`` seconds with
    ``write`` until stopped (a context manager)."""

    def __init__(self, directory: str, every: float, write: Callable[[str], None]):
        self._directory = directory
        self._every = max(every, 0.1)
        self._write = write
        self._stop = threading.Event()
        self._start = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="progress", daemon=True)

    def __enter__(self) -> ProgressReporter:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        before: dict[str, int] = {}
        while not self._stop.wait(self._every):
            now = totals(self._directory)
            elapsed = time.monotonic() - self._start
            self._write(progress_line(now, before, elapsed, self._every))
            before = now
