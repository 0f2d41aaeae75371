"""The pipelines' entry points (``python -m pipelines.eligibility``,
``python -m pipelines.apply_deletions``): flags and wiring only."""

from importlib import metadata


def pipeline_version() -> str:
    """The installed package's version (pyproject.toml is its one source)."""
    try:
        return metadata.version("training-eligibility")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
