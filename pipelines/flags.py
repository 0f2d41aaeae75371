"""Checks shared by the command lines of the pipelines (``pipelines/options.py``
for ``pipelines.eligibility``, ``pipelines/apply_deletions.py``): unknown flags,
timestamps, input patterns. Each takes the parser's ``error`` (prints usage,
exits with status 2) so a usage error stops the command before any work."""

from __future__ import annotations

import argparse
import re
from typing import Callable, NoReturn, Optional

from apache_beam.options.pipeline_options import PipelineOptions

from schemas.timestamps import TimestampError, parse_instant
from transforms.read.inputs import matched_inputs

Fail = Callable[[str], NoReturn]  # the parser's error(): prints usage, exits with status 2


def parse(
    parser: argparse.ArgumentParser, argv: Optional[list[str]]
) -> tuple[argparse.Namespace, list[str], Fail]:
    """The command's own flags, the rest (standard Beam options, checked: any
    other flag is a usage error) and the parser's ``error``."""
    args, beam_args = parser.parse_known_args(argv)
    check_beam_flags(parser.error, beam_args)
    return args, beam_args, parser.error


def check_beam_flags(fail: Fail, beam_args: list[str]) -> None:
    """Unknown flags are an error, except standard Beam pipeline options (the
    options Beam parses, found through its public ``get_all_options``)."""
    options = PipelineOptions(beam_args)
    unknown_names = set(options.get_all_options(retain_unknown_options=True)) - set(
        options.get_all_options()
    )
    unknown = [
        arg
        for arg in beam_args
        if arg.startswith("-")
        and arg.lstrip("-").split("=", 1)[0].replace("-", "_") in unknown_names
    ]
    stray = [
        arg
        for i, arg in enumerate(beam_args)
        if not arg.startswith("-")
        and (i == 0 or not beam_args[i - 1].startswith("--") or "=" in beam_args[i - 1])
    ]
    if unknown or stray:
        fail(f"unrecognized arguments: {' '.join(unknown + stray)}")


def as_of(fail: Fail, value: Optional[str], start: int) -> int:
    """``--as-of`` (RFC 3339 or epoch seconds) in microseconds; ``start`` when absent."""
    try:
        return parse_instant(number_or_text(value)) if value else start
    except TimestampError as exc:
        fail(f"--as-of: {exc}")


def check_pattern(fail: Fail, flag: str, pattern: Optional[str], folders: bool = False) -> None:
    """A pattern that matches nothing is a usage error (``folders``: an unpacked
    export folder counts)."""
    if pattern is not None and not matched_inputs(pattern, folders):
        fail(f"{flag}: pattern {pattern!r} matches no {'file or folder' if folders else 'file'}")


def number_or_text(value: str):
    """A timestamp flag as epoch seconds when it is a number, else an RFC 3339 string."""
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d*", value):
        return float(value)
    return value
