"""Files handed over through the web: written into the inbox (the watcher archives them like any other),
and their progress read back from the catalog."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from .catalog.models import Failure, Source
from .errors import UsageError
from .names import free_name, is_ignored_name

CHUNK = 1024 * 1024


def safe_filename(name: str) -> str:
    """The last part of a browser-given name, without control characters or path tricks."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    if not name or is_ignored_name(name):
        raise UsageError(f"not a file name that can be archived: {name!r}", f"无法归档该文件名：{name!r}")
    return name[:200]


def save_upload(inbox: Path, name: str, stream: BinaryIO, max_bytes: int) -> Path:
    """Write to a hidden temporary name (the watcher ignores it), fsync, then give it its real name."""
    final = safe_filename(name)
    tmp = inbox / f".upload-{secrets.token_hex(8)}.part"
    size = 0
    try:
        with open(tmp, "xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UsageError(
                        f"{final} is larger than the upload limit ({max_bytes // (1024 * 1024)} MB)",
                        f"{final} 超过上传大小限制（{max_bytes // (1024 * 1024)} MB）",
                    )
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        while True:  # link, not rename: never replaces a file that appeared under the same name meanwhile
            dest = free_name(inbox / final)
            try:
                os.link(tmp, dest)
                break
            except FileExistsError:
                continue
        return dest
    finally:
        tmp.unlink(missing_ok=True)


def arrival_status(archive, path: Path, since: str) -> dict:
    """What became of a file put into the inbox at ``since``: waiting, archived, duplicate or failed."""
    after = datetime.fromisoformat(since)
    with archive.sessions() as s:
        for src in s.execute(select(Source).where(Source.path == str(path)).order_by(Source.id.desc())).scalars():
            if datetime.fromisoformat(src.arrived_at) < after:
                break
            first = s.execute(
                select(Source.id).where(Source.document_id == src.document_id).order_by(Source.id)
            ).scalar()
            status = "archived" if first == src.id else "duplicate"
            return {"status": status, "id": src.document_id, "reason_zh": None, "reason_en": None}
        for f in s.execute(select(Failure).where(Failure.path == str(path)).order_by(Failure.id.desc())).scalars():
            if datetime.fromisoformat(f.failed_at) < after:
                break
            return {"status": "failed", "id": None, "reason_zh": f.message_zh, "reason_en": f.message_en}
    return {"status": "waiting" if path.exists() else "processing", "id": None, "reason_zh": None, "reason_en": None}
