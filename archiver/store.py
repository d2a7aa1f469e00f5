"""The object store: originals kept byte-identical, named by SHA-256, written crash-safely.

Layout under the store root::

    ab/cd/abcd…(64 hex)   the original, mode 0444
    tmp/                   files being written (never read as objects)
    pending/<sha256>       intent markers: an object renamed into place whose catalog row may not
                           be committed yet; recovery removes the object if the commit never happened

A write is temp file → fsync → pending marker → rename → fsync of the directory; the catalog commit
follows and then the marker is removed. A crash therefore leaves at most a temp file or a marked
object, both of which `recover()` clears while the inbox still holds the source.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Digest:
    sha256: str
    sm3: str | None
    size: int


def _sm3():
    try:
        return hashlib.new("sm3")
    except ValueError:  # OpenSSL without SM3
        return None


def hash_file(path: Path) -> Digest:
    """SHA-256 and SM3 (GB/T 32905) of a file, streamed."""
    sha, sm3, size = hashlib.sha256(), _sm3(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
            if sm3 is not None:
                sm3.update(chunk)
            size += len(chunk)
    return Digest(sha.hexdigest(), sm3.hexdigest() if sm3 is not None else None, size)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ObjectStore:
    def __init__(self, root: Path):
        self.root = root
        self.tmp = root / "tmp"
        self.pending = root / "pending"

    def create(self) -> None:
        for d in (self.root, self.tmp, self.pending):
            d.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def copy_to_temp(self, source: Path) -> tuple[Path, Digest]:
        """Copy ``source`` into tmp/, hashing as it goes, and fsync it. The caller owns the temp file."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="in-")
        tmp = Path(name)
        sha, sm3, size = hashlib.sha256(), _sm3(), 0
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as f:
                while chunk := f.read(CHUNK):
                    out.write(chunk)
                    sha.update(chunk)
                    if sm3 is not None:
                        sm3.update(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp, Digest(sha.hexdigest(), sm3.hexdigest() if sm3 is not None else None, size)

    def write_bytes_to_temp(self, data: bytes) -> tuple[Path, Digest]:
        self.tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="att-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        sm3 = _sm3()
        if sm3 is not None:
            sm3.update(data)
        return Path(name), Digest(hashlib.sha256(data).hexdigest(), sm3.hexdigest() if sm3 else None, len(data))

    def mark_pending(self, sha256: str) -> None:
        marker = self.pending / sha256
        marker.touch()
        _fsync_dir(self.pending)

    def clear_pending(self, sha256: str) -> None:
        (self.pending / sha256).unlink(missing_ok=True)

    def commit_temp(self, tmp: Path, sha256: str) -> Path:
        """Move a verified temp file into place (read-only). If the object exists, the temp is dropped."""
        dest = self.path_for(sha256)
        if dest.is_file():
            tmp.unlink(missing_ok=True)
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o444)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
        return dest

    def remove(self, sha256: str) -> None:
        path = self.path_for(sha256)
        if path.exists():
            os.chmod(path, 0o644)
            path.unlink()

    def recover(self, is_catalogued: Callable[[str], bool]) -> list[str]:
        """Clear what a crash left: temp files, and marked objects the catalog never committed.

        Only call this while no other process is ingesting (the caller holds the writer lock).
        Returns the SHA-256s of the objects removed.
        """
        removed: list[str] = []
        if self.tmp.is_dir():
            for t in self.tmp.iterdir():
                t.unlink(missing_ok=True)
        if self.pending.is_dir():
            for marker in self.pending.iterdir():
                sha = marker.name
                if not is_catalogued(sha):
                    self.remove(sha)
                    removed.append(sha)
                marker.unlink(missing_ok=True)
        return removed

    def iter_objects(self) -> Iterator[tuple[str, Path]]:
        for first in sorted(self.root.glob("[0-9a-f][0-9a-f]")):
            for p in sorted(first.glob("[0-9a-f][0-9a-f]/*")):
                yield p.name, p
