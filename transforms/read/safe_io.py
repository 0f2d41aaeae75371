"""Opening inputs safely: bounded decompression, archive checks, no symlinks (Beam-free).

Every reader opens its files through this module, so one set of limits holds for
every input format (:class:`ReadLimits`). A file that cannot be read safely
raises :class:`UnsafeInput` with a reason that names limits and positions,
never content; the pipeline dead-letters the file as a whole and carries on.

* Compressed files (gzip, bzip2, xz, zstd; recognised by their magic bytes, not
  their names) are inflated as a stream, never whole, and refused when the
  output passes ``max_decompressed_bytes`` or ``max_compression_ratio`` times
  the compressed size (past a floor of :data:`RATIO_FLOOR_BYTES`, so small
  files are never refused for compressing well), or when the stream is corrupt
  or truncated (bad CRC, early end).
* ZIP archives are checked from their directory before anything is inflated:
  too many entries, symbolic-link or encrypted members, members over the size
  or ratio caps. A member's declared size bounds what is inflated; its CRC is
  checked when it has been read.
* Symbolic links are not followed: a path that is a link (or a FIFO, a device)
  is refused.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, fields
from typing import Any, BinaryIO, Optional

from transforms.read.strict_json import DEFAULT_MAX_DEPTH

DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024**3
DEFAULT_MAX_COMPRESSION_RATIO = 200
RATIO_FLOOR_BYTES = 16 * 1024 * 1024
MAX_ZIP_ENTRIES = 100_000
MAX_ZIP_DIRECTORY_BYTES = 64 * 1024 * 1024
READ_BYTES = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """The bounds every reader applies (command line: ``--max-record-bytes``,
    ``--max-json-depth``, ``--max-decompressed-bytes``, ``--max-compression-ratio``).

    max_record_bytes: one record (a JSON Lines line, a Parquet row, an export's
        conversation as it appears in its file) longer than this is invalid (V1).
    max_json_depth: arrays and objects nested deeper than this: a JSON Lines
        record is invalid; a JSON document (an export file) is unreadable.
    max_decompressed_bytes: the most one compressed file or archive member may
        inflate to.
    max_compression_ratio: the most one compressed file or archive member may
        inflate to, as a multiple of its compressed size (past 16 MiB).
    """

    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    max_json_depth: int = DEFAULT_MAX_DEPTH
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES
    max_compression_ratio: int = DEFAULT_MAX_COMPRESSION_RATIO

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{field.name} must be a positive integer")

    def inflation_limit(self, compressed_size: Optional[int]) -> int:
        """The most a stream of ``compressed_size`` bytes may inflate to."""
        if compressed_size is None:
            return self.max_decompressed_bytes
        by_ratio = max(RATIO_FLOOR_BYTES, self.max_compression_ratio * compressed_size)
        return min(self.max_decompressed_bytes, by_ratio)


# The limits of a reader given none (a module-level default: a default argument
# is evaluated once anyway, and ReadLimits is immutable).
DEFAULT_READ_LIMITS = ReadLimits()


class UnsafeInput(Exception):
    """A file or archive that cannot be read safely; the reason quotes no content.
    ``location`` names the file or archive member when it is not the input itself."""

    def __init__(self, reason: str, location: Optional[str] = None):
        super().__init__(reason)
        self.reason = reason
        self.location = location


# --- streams ------------------------------------------------------------------------


class _Replay(io.RawIOBase):
    """A raw stream that replays bytes already taken from ``f`` before the rest."""

    def __init__(self, prefix: bytes, f: Any):
        super().__init__()
        self._prefix, self._f = prefix, f

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n], self._prefix = self._prefix[:n], self._prefix[n:]
            return n
        data = self._f.read(len(buffer))
        if isinstance(data, str):
            raise TypeError("the input must be opened in binary mode")
        buffer[: len(data)] = data
        return len(data)


def replay(prefix: bytes, f: Any) -> io.BufferedReader:
    """``f`` with ``prefix`` (bytes already read from it) put back in front."""
    return io.BufferedReader(_Replay(prefix, f), buffer_size=READ_BYTES)


_CORRUPT = (
    EOFError,
    OSError,
    zlib.error,
    lzma.LZMAError,
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
)


class _Bounded(io.RawIOBase):
    """A decompressing stream that stops at ``limit`` bytes of output and turns
    the decompressors' errors into UnsafeInput."""

    def __init__(self, stream: Any, limit: int, what: str):
        super().__init__()
        self._stream, self._limit, self._what = stream, limit, what
        # one decompression step per call: what was inflated before a corrupt or
        # truncated part is handed out before the error is raised
        self._read = getattr(stream, "read1", stream.read)
        self.inflated = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._read(min(len(buffer), self._limit + 1 - self.inflated))
        except UnsafeInput:
            raise
        except _CORRUPT as exc:
            raise UnsafeInput(
                f"{self._what} is corrupt or truncated "
                f"({type(exc).__name__} after {self.inflated} bytes)"
            ) from None
        except Exception as exc:  # e.g. zstd errors, whose class depends on the library
            raise UnsafeInput(
                f"{self._what} cannot be decompressed ({type(exc).__name__})"
            ) from None
        self.inflated += len(data)
        if self.inflated > self._limit:
            raise UnsafeInput(
                f"{self._what} inflates to more than {self._limit} bytes "
                "(the decompressed-size or compression-ratio cap)"
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            super().close()


def _zstd_reader(f: Any) -> Any:
    import zstandard  # a dependency of apache-beam

    return zstandard.ZstdDecompressor().stream_reader(f, read_across_frames=True)


_COMPRESSIONS = (
    (b"\x1f\x8b", "gzip", lambda f: gzip.GzipFile(fileobj=f, mode="rb")),
    (b"BZh", "bzip2", lambda f: bz2.BZ2File(f, mode="rb")),
    (b"\xfd7zXZ\x00", "xz", lambda f: lzma.LZMAFile(f, mode="rb")),
    (b"\x28\xb5\x2f\xfd", "zstd", _zstd_reader),
)


def compression_of(head: bytes) -> Optional[str]:
    """The compression named by a file's first bytes, or None for plain bytes."""
    for magic, name, _ in _COMPRESSIONS:
        if head.startswith(magic):
            return name
    return None


def open_bounded(
    raw: Any, compressed_size: Optional[int], limits: ReadLimits, what: str = "the file"
) -> io.BufferedReader:
    """A readable binary stream of ``raw``'s content, inflated under ``limits``
    when it is compressed. ``raw`` is consumed from its current position."""
    head = raw.read(6)
    if isinstance(head, str):
        raise TypeError("the input must be opened in binary mode")
    stream = replay(head, raw)
    for magic, name, opener in _COMPRESSIONS:
        if head.startswith(magic):
            inflating = _Bounded(
                opener(stream), limits.inflation_limit(compressed_size), f"{what} ({name})"
            )
            return io.BufferedReader(inflating, buffer_size=READ_BYTES)
    return stream


def read_line(f: BinaryIO, max_bytes: int) -> tuple[bytes, int]:
    """The next line of ``f`` (with its newline) and its whole length. A line
    longer than ``max_bytes`` is returned cut to ``max_bytes + 1`` bytes, the
    rest skipped in bounded pieces: it is never held whole."""
    line = f.readline(max_bytes + 1)
    if len(line) <= max_bytes or line.endswith(b"\n"):
        return line, len(line)
    size = len(line)
    while True:
        piece = f.readline(READ_BYTES)
        size += len(piece)
        if not piece or piece.endswith(b"\n"):
            return line, size


def drain(f: BinaryIO) -> int:
    """Read ``f`` to its end (checking its integrity and caps); returns the size."""
    total = 0
    while True:
        data = f.read(READ_BYTES)
        if not data:
            return total
        total += len(data)


# --- local paths ---------------------------------------------------------------------


def refuse_symlink(path: "str | os.PathLike[str]", what: str = "the input") -> None:
    """Symbolic links are never followed (a link could name any file on the machine),
    and only regular files and folders are opened (a FIFO or a device would block
    or never end)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return  # the caller reports a missing file in its own words
    if stat.S_ISLNK(mode):
        raise UnsafeInput(f"{what} is a symbolic link; links are not followed")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise UnsafeInput(f"{what} is not a regular file")


def local_size(path: "str | os.PathLike[str]") -> int:
    return os.stat(path, follow_symlinks=False).st_size


def read_small_file(path: "str | os.PathLike[str]", max_bytes: int, what: str) -> bytes:
    """A small local file's bytes, refused when it is a link or larger than expected."""
    refuse_symlink(path, what)
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafeInput(f"{what} is larger than {max_bytes} bytes")
    return data


# --- ZIP archives --------------------------------------------------------------------


def open_zip(f: Any, what: str) -> zipfile.ZipFile:
    """A ZipFile whose directory has been checked for size before it is parsed."""
    _check_zip_directory(f, what)
    try:
        return zipfile.ZipFile(f)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise UnsafeInput(f"{what} is not a readable ZIP archive ({type(exc).__name__})") from None


def _check_zip_directory(f: Any, what: str) -> None:
    """Refuse an archive whose directory lists too many entries (each would be
    held in memory) before :mod:`zipfile` parses it."""
    try:
        size = f.seek(0, os.SEEK_END)
        tail_size = min(size, 65_557)  # end record (22 bytes) + the longest comment
        f.seek(size - tail_size)
        tail = f.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            raise UnsafeInput(f"{what} is not a readable ZIP archive (no end record)")
        entries, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
        if (
            (entries == 0xFFFF or directory_bytes == 0xFFFFFFFF)
            and at >= 20
            and tail[at - 20 : at - 16] == b"PK\x06\x07"
        ):
            (record_at,) = struct.unpack_from("<Q", tail, at - 12)
            f.seek(record_at)
            record = f.read(56)
            if len(record) == 56 and record.startswith(b"PK\x06\x06"):
                entries, directory_bytes = struct.unpack_from("<QQ", record, 32)
        f.seek(0)
    except (OSError, ValueError, struct.error):
        raise UnsafeInput(f"{what} is not a readable ZIP archive") from None
    if entries > MAX_ZIP_ENTRIES or directory_bytes > MAX_ZIP_DIRECTORY_BYTES:
        raise UnsafeInput(
            f"{what} lists {entries} entries in a {directory_bytes}-byte "
            f"directory, over the limit of {MAX_ZIP_ENTRIES} entries"
        )


def check_member(info: zipfile.ZipInfo, limits: ReadLimits, what: str) -> None:
    """Refuse a member that is a link, encrypted, or over the size or ratio caps."""
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UnsafeInput(f"{what} is a symbolic link; links are not followed")
    if info.flag_bits & 0x1:
        raise UnsafeInput(f"{what} is encrypted")
    if info.file_size > limits.inflation_limit(info.compress_size):
        raise UnsafeInput(
            f"{what} declares {info.file_size} bytes from {info.compress_size} "
            "compressed, over the decompressed-size or compression-ratio cap"
        )


def open_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ReadLimits, what: str
) -> BinaryIO:
    """A checked member as a bounded stream (its CRC is verified at its end)."""
    check_member(info, limits, what)
    try:
        member = zf.open(info)
    except _CORRUPT as exc:
        raise UnsafeInput(f"{what} cannot be opened ({type(exc).__name__})") from None
    return io.BufferedReader(_Bounded(member, info.file_size, what), buffer_size=READ_BYTES)
