"""What a command prints on stderr while it runs: only what its user must act on.

Beam and its worker processes log a lot that needs no action: INFO lines of the
SDK harness, a warning that an optional Google Cloud client (apitools) is
missing, that no "semi_persistent_directory" was set, that the ``resource``
module is unavailable, and the runner re-logs each worker warning once more.
The local runner's workers are separate processes that write straight to the
inherited stderr, so Python logging settings of this process cannot reach
them. While the pipeline runs, ``BeamChatter`` therefore points file descriptor
2 at a pipe and a thread passes on every line except that chatter (and INFO or
DEBUG records, with their continuation lines); tracebacks and every other
warning or error go through. ``--verbose`` shows everything; ``--quiet`` only
leaves out the summary and the progress lines (pipelines/eligibility.py).

``write`` prints a line of our own (the summary, progress) to the real stderr,
past the filter. ``exit_now`` ends a finished run without the interpreter's
teardown.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import sys
import threading
from typing import NoReturn, Optional

LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
# Known lines that need no action (matched anywhere in the line).
CHATTER = re.compile(
    r"apitools not found"
    r"|Resource module is not available"
    r"|semi_persistent_directory"
    r"|Discarding unparseable args"
    r"|local_job_service:Worker: severity:"  # the runner re-logging a worker's line
)
# The start of a log record: ``INFO:name:...`` (Beam's workers), ``INFO name: ...``
# (ours), or the runner's ``WARNING:apache_beam...``.
RECORD_START = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)[: ]")
QUIET_LEVELS = ("DEBUG", "INFO")

_real_stderr: Optional[int] = None  # the descriptor of the terminal while filtered


def configure_logging(verbose: bool) -> None:
    """This process's logging: INFO with ``--verbose``, else WARNING."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format=LOG_FORMAT, force=True
    )


def write(line: str) -> None:
    """One line of our own on the real stderr (past the chatter filter)."""
    data = (line.rstrip("\n") + "\n").encode("utf-8", "backslashreplace")
    if _real_stderr is None:
        sys.stderr.flush()
        os.write(sys.stderr.fileno(), data)
    else:
        os.write(_real_stderr, data)


def exit_now(code: int) -> NoReturn:
    """End the process with ``code`` once a command is done: exit handlers
    run (logging's flush, temporary folders' clean-up), the standard streams
    are flushed, and the process leaves without the interpreter's teardown,
    which would free the model, the lexicons and the runner object by object:
    about a second after every run, measured, for nothing. Every output is
    written, closed and published before a command returns."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def stderr_is_terminal() -> bool:
    try:
        return os.isatty(_real_stderr if _real_stderr is not None else sys.stderr.fileno())
    except (OSError, ValueError):
        return False


class ChatterFilter:
    """Decides line by line what passes; a continuation line follows its record."""

    def __init__(self) -> None:
        self._passing = True

    def passes(self, line: str) -> bool:
        start = RECORD_START.match(line)
        if start:
            self._passing = start.group(1) not in QUIET_LEVELS and not CHATTER.search(line)
        elif line.startswith("Traceback"):
            self._passing = True
        elif CHATTER.search(line):
            return False
        return self._passing


class BeamChatter:
    """Context manager: stderr (the descriptor, so child processes too) filtered
    through :class:`ChatterFilter`; does nothing when ``enabled`` is false."""

    def __init__(self, enabled: bool = True):
        self._enabled = enabled
        self._thread: Optional[threading.Thread] = None

    def __enter__(self) -> BeamChatter:
        global _real_stderr
        if not self._enabled or _real_stderr is not None:
            self._enabled = False
            return self
        sys.stderr.flush()
        self._saved = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
        _real_stderr = self._saved
        self._thread = threading.Thread(
            target=self._pass_on, args=(read_end,), name="stderr-filter", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        global _real_stderr
        if not self._enabled:
            return
        sys.stderr.flush()
        os.dup2(self._saved, 2)  # closes our end of the pipe: the reader sees its end
        _real_stderr = None
        if self._thread is not None:
            # a worker process that outlives the run may still hold the pipe open
            self._thread.join(timeout=5)

    def _pass_on(self, read_end: int) -> None:
        keep = ChatterFilter()
        with os.fdopen(read_end, "rb") as pipe:
            for raw in pipe:
                text = raw.decode("utf-8", "replace")
                if keep.passes(text):
                    try:
                        os.write(self._saved, raw)
                    except OSError:
                        pass
