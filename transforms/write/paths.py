"""Literal file operations under a run's output folder, local or remote.

``--output`` is a literal path, never a glob. Beam's ``FileSystems.match`` and,
on the local filesystem and GCS, ``FileSystems.delete`` expand ``*``, ``?`` and
``[...]``: deleting ``runs/day[1]/dataset`` that way reaches ``runs/day1/dataset``.
So:

- local paths go through ``os`` and ``shutil`` only, which never expand a
  pattern; any character is allowed in a local ``--output``;
- remote paths (gs://, s3://, hdfs://, ...) go through Beam's ``FileSystems``.
  The command line refuses glob characters in a remote ``--output`` (Beam's
  remote filesystems differ in which calls expand them), and every name below
  it is one of the pipeline's own, without glob characters, so each call sees a
  literal path. A remote folder is listed by its prefix and deleted with a path
  ending in ``/``, which GCS, S3, HDFS and Azure treat as a prefix, not a
  pattern.

Nothing here follows a symbolic link when deleting: a link is removed, never
what it points to.
"""

from __future__ import annotations

import os
import shutil
import stat

from apache_beam.io.filesystems import FileSystems

GLOB_CHARACTERS = "*?[]"

MISSING, FILE, FOLDER, OTHER = "missing", "file", "folder", "other"


def is_local(path: str) -> bool:
    return FileSystems.get_scheme(path) is None


def join(base: str, *names: str) -> str:
    if is_local(base):
        return os.path.join(base, *names)
    return FileSystems.join(base.rstrip("/"), *names)


def kind(path: str) -> str:
    """MISSING, FILE, FOLDER or OTHER (a symbolic link, a device, ...)."""
    if is_local(path):
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return MISSING
        if stat.S_ISDIR(mode):
            return FOLDER
        return FILE if stat.S_ISREG(mode) else OTHER
    if FileSystems.exists(path):
        return FILE
    return FOLDER if _remote_objects(path) else MISSING


def entries(folder: str) -> dict[str, str]:
    """What is directly inside ``folder``: name -> FILE, FOLDER or OTHER. On object
    stores a name is the first path segment of an object under the folder."""
    if is_local(folder):
        with os.scandir(folder) as scan:
            return {entry.name: kind(entry.path) for entry in scan}
    prefix = folder.rstrip("/") + "/"
    found = {}
    for path in _remote_objects(folder):
        name, slash, _ = path[len(prefix) :].partition("/")
        found[name] = FOLDER if slash else FILE
    return found


def remove(path: str) -> None:
    """Delete a file or a whole folder; nothing if it does not exist."""
    what = kind(path)
    if what == MISSING:
        return
    if is_local(path):
        if what == FOLDER:
            shutil.rmtree(path)
        else:
            os.unlink(path)
    elif what == FILE:
        FileSystems.delete([path])
    else:
        FileSystems.delete([path.rstrip("/") + "/"])


def move(source: str, destination: str) -> None:
    """Rename a file or a folder; ``destination`` must not exist. Local: one
    atomic rename. Remote: object by object (copy, then delete)."""
    if is_local(source):
        os.rename(source, destination)
        return
    if kind(source) == FILE:
        FileSystems.rename([source], [destination])
        return
    prefix = source.rstrip("/") + "/"
    objects = _remote_objects(source)
    FileSystems.rename(objects, [join(destination, path[len(prefix) :]) for path in objects])


def make_folder(path: str) -> None:
    """Create a local folder and its parents (object stores need none)."""
    if is_local(path):
        os.makedirs(path, exist_ok=True)


def read_bytes(path: str) -> bytes:
    if is_local(path):
        with open(path, "rb") as handle:
            return handle.read()
    with FileSystems.open(path) as handle:
        return handle.read()


def write_atomically(path: str, data: bytes | memoryview, temporary: str | None = None) -> None:
    """Write ``data`` to ``temporary`` (default: a hidden name beside ``path``),
    then rename it onto ``path``: a reader sees the old file or the whole new one,
    never part of it. Locally the file and the rename are synced to disk."""
    if temporary is None:
        folder, name = os.path.split(path) if is_local(path) else FileSystems.split(path)
        temporary = join(folder, f".{name}.tmp")
    if is_local(path):
        os.makedirs(os.path.dirname(temporary) or ".", exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        _sync_folder(os.path.dirname(path) or ".")
        return
    with FileSystems.create(temporary) as handle:
        handle.write(data)
    if FileSystems.exists(path):
        FileSystems.delete([path])
    FileSystems.rename([temporary], [path])


def _remote_objects(folder: str) -> list[str]:
    """Every object under a remote folder (a literal prefix: no glob characters)."""
    prefix = folder.rstrip("/") + "/"
    return sorted(m.path for m in FileSystems.match([prefix + "**"])[0].metadata_list)


def _sync_folder(folder: str) -> None:
    """Make a rename in ``folder`` durable (POSIX); harmless where unsupported."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
