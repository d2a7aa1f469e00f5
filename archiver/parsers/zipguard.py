"""Bounds for zip-based formats (DOCX, OFD): entry count and uncompressed size, checked before parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..config import Limits
from ..errors import CorruptFile, TooLarge


def check_zip(path: Path, limits: Limits, kind: str) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise CorruptFile(kind, f"zip structure unreadable: {e}") from e
    if len(infos) > limits.max_zip_entries:
        raise TooLarge(f"{len(infos)} zip entries (limit {limits.max_zip_entries})")
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise TooLarge(
            f"{total // (1024 * 1024)} MB uncompressed (limit {limits.max_uncompressed_bytes // (1024 * 1024)} MB)"
        )
    for i in infos:
        if ".." in Path(i.filename).parts or i.filename.startswith("/"):
            raise CorruptFile(kind, f"unsafe entry name {i.filename!r}")
