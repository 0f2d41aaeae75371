"""Where a record was in its input: the ``location`` of every record, dead letter
and lineage row, written the same way by every reader.

- a JSON Lines line: ``path:LINE`` (1-based, every line counted, blank ones too;
  the number an editor shows);
- an entry of a JSON array: ``path[INDEX]`` (0-based), and of an archive member
  ``archive.zip!member[INDEX]``;
- a Parquet row: ``path[row group G, row R]`` (both 0-based; R within G);
- a whole file (one that cannot be read safely): its path, or ``archive!member``.
"""

from __future__ import annotations

import re

_POSITION = re.compile(r"(?::(\d+)|\[(\d+)\]|\[row group (\d+), row (\d+)\])$")


def line_location(path: str, line: int) -> str:
    return f"{path}:{line}"


def row_location(path: str, row_group: int, row: int) -> str:
    return f"{path}[row group {row_group}, row {row}]"


def location_order(location: str) -> tuple:
    """A sort key that puts the positions of one input in their numeric order
    (line 9 before line 10) and inputs in the order of their names."""
    positions: list[tuple[int, ...]] = []
    rest = location
    while (found := _POSITION.search(rest)) is not None and found.start() > 0:
        positions.insert(0, tuple(int(g) for g in found.groups() if g is not None))
        rest = rest[: found.start()]
    return rest, tuple(positions)
