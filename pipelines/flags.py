"""Checks shared by the command lines of the pipelines (``pipelines/options.py``
for ``pipelines.eligibility``, ``pipelines/apply_deletions.py``): the parser
(one-line usage errors, no prefix matching), unknown flags, the Beam runner,
timestamps, input patterns. Each check takes the parser's ``error`` (one line,
exit status 2) so a usage error stops the command before any work."""

from __future__ import annotations

import argparse
import importlib
import logging
import re
from typing import Callable, NoReturn, Optional

from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from schemas.timestamps import TimestampError, parse_instant
from transforms.read.inputs import matched_inputs

Fail = Callable[[str], NoReturn]  # the parser's error(): one line, exits with status 2
EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """``argparse`` as the commands use it: a usage error is one line that points
    to ``--help`` (not argparse's usage dump), long options must be spelt out
    (``--consent`` is not taken for ``--consent-events``), and ``--help`` shows a
    default only where there is one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see --help)\n")


class HelpFormatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Descriptions and epilogs as written; "(default: X)" only for a real default
    (not for flags without one, nor for on/off switches)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default in (None, False) or "default" in (action.help or ""):
            return action.help or ""
        return super()._get_help_string(action) or ""


def one_line(message: str) -> str:
    """A message on one line (a YAML error, say, spans several)."""
    return " ".join(str(message).split())


def non_negative_int(value: str) -> int:
    """An ``int`` flag that may not be negative (argparse ``type``)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {number}")
    return number


def rate(value: str) -> float:
    """A share between 0 and 1 (argparse ``type``)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}") from None
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"must be from 0 to 1, got {value}")
    return number


def parse(
    parser: argparse.ArgumentParser, argv: Optional[list[str]]
) -> tuple[argparse.Namespace, list[str], Fail]:
    """The command's own flags, the rest (standard Beam options, checked: any
    other flag is a usage error) and the parser's ``error``."""
    args, beam_args = parser.parse_known_args(argv)
    check_beam_flags(parser.error, beam_args)
    check_runner(parser.error, PipelineOptions(beam_args))
    return args, beam_args, parser.error


def check_runner(fail: Fail, options: PipelineOptions) -> None:
    """``--runner`` names a runner Beam knows (by Beam's own list of known
    runners, as ``create_runner`` looks them up) or the dotted path of a runner
    class, and it can be imported here; else a usage error, not a traceback
    after the pipeline was built."""
    name = options.view_as(StandardOptions).runner
    if name is None or not isinstance(name, str):
        return
    known = {path.rsplit(".", 1)[-1].lower(): path for path in StandardOptions.ALL_KNOWN_RUNNERS}
    path = known.get(name.lower(), known.get(name.lower() + "runner", name))
    if "." not in path:
        fail(
            f"--runner {name!r} is not a Beam runner; use one of "
            f"{', '.join(StandardOptions.KNOWN_RUNNER_NAMES)} or the dotted path of a runner class"
        )
    module, cls = path.rsplit(".", 1)
    try:
        found = getattr(importlib.import_module(module), cls, None)
    except ImportError as exc:
        fail(f"--runner {name!r} cannot be used here: {exc}")
    if found is None:
        fail(f"--runner {name!r}: {module} has no {cls}")


def check_beam_flags(fail: Fail, beam_args: list[str]) -> None:
    """Unknown flags are an error, except standard Beam pipeline options (the
    options Beam parses, found through its public ``get_all_options``)."""
    options = PipelineOptions(beam_args)
    beam_logger = logging.getLogger("apache_beam.options.pipeline_options")
    level = beam_logger.level
    beam_logger.setLevel(logging.ERROR)  # its "Discarding unparseable args": ours is below
    try:
        unknown_names = set(options.get_all_options(retain_unknown_options=True)) - set(
            options.get_all_options()
        )
    finally:
        beam_logger.setLevel(level)
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
