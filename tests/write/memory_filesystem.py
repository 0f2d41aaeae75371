"""An object store in memory under the ``memtest://`` scheme, shaped like GCS:
no folders, ``delete`` of a path ending in ``/`` removes that prefix and of any
other path expands it as a glob. Registered with Beam by being imported."""

from __future__ import annotations

import io

from apache_beam.io.filesystem import FileMetadata, FileSystem

SCHEME = "memtest"


class _Upload(io.BytesIO):
    def __init__(self, objects: dict, path: str):
        super().__init__()
        self._objects, self._path = objects, path

    def close(self):
        self._objects[self._path] = self.getvalue()
        super().close()


class MemoryFileSystem(FileSystem):
    objects: dict[str, bytes] = {}  # shared: Beam makes a new instance per call

    @classmethod
    def scheme(cls):
        return SCHEME

    def join(self, basepath, *paths):
        return "/".join([basepath.rstrip("/"), *paths])

    def split(self, path):
        head, _, tail = path.rpartition("/")
        return head, tail

    def mkdirs(self, path):
        pass

    def has_dirs(self):
        return False

    def _list(self, dir_or_prefix):
        for path, data in sorted(self.objects.items()):
            if path.startswith(dir_or_prefix):
                yield FileMetadata(path, len(data))

    def create(self, path, mime_type=None, compression_type=None):
        return _Upload(self.objects, path)

    def open(self, path, mime_type=None, compression_type=None):
        return io.BytesIO(self.objects[path])

    def copy(self, source_file_names, destination_file_names):
        for source, destination in zip(source_file_names, destination_file_names, strict=True):
            self.objects[destination] = self.objects[source]

    def rename(self, source_file_names, destination_file_names):
        self.copy(source_file_names, destination_file_names)
        for source in source_file_names:
            del self.objects[source]

    def exists(self, path):
        return path in self.objects

    def size(self, path):
        return len(self.objects[path])

    def last_updated(self, path):
        return 0.0

    def metadata(self, path):
        return FileMetadata(path, len(self.objects[path]))

    def delete(self, paths):
        for path in paths:
            if path.endswith("/"):
                doomed = [p for p in self.objects if p.startswith(path)]
            else:
                doomed = [m.path for m in self.match([path])[0].metadata_list]
            for p in doomed:
                del self.objects[p]
