"""The pipelines' entry points (``python -m pipelines.eligibility``,
``python -m pipelines.apply_deletions``): flags and wiring only."""

import logging
from importlib import metadata


class _OptionalClientNotice(logging.Filter):
    """Beam logs "apitools not found ..." through the root logger the moment it
    is imported (an optional Google Cloud client, unused here), before a command
    can configure anything; it needs no action, so it is not shown
    (pipelines/console.py filters the same line from the worker processes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "apitools not found" not in str(record.msg)


logging.getLogger().addFilter(_OptionalClientNotice())


def pipeline_version() -> str:
    """The installed package's version (pyproject.toml is its one source)."""
    try:
        return metadata.version("training-eligibility")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
