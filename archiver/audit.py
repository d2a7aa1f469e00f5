"""The audit trail: append-only entries, each carrying the SHA-256 of the previous one."""

from __future__ import annotations

import contextvars
import getpass
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .catalog.models import AuditEntry

GENESIS = "0" * 64


_acting_as: contextvars.ContextVar[str | None] = contextvars.ContextVar("acting_as", default=None)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Entries written inside this block name ``actor`` (a web user) instead of the operating-system user."""
    token = _acting_as.set(actor)
    try:
        yield
    finally:
        _acting_as.reset(token)


def current_actor() -> str:
    acting = _acting_as.get()
    if acting:
        return acting
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def entry_hash(prev_hash: str, at: str, actor: str, action: str, document_id: str | None, details: str) -> str:
    payload = json.dumps(
        [prev_hash, at, actor, action, document_id, details], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(session: Session, action: str, document_id: str | None, details: dict, actor: str | None = None) -> None:
    """Add one entry in the caller's transaction (which holds the write lock: see catalog.db)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.connection().exec_driver_sql("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    prev = last or GENESIS
    at = now_iso()
    actor = actor or current_actor()
    text = json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    session.add(
        AuditEntry(
            at=at,
            actor=actor,
            action=action,
            document_id=document_id,
            details=text,
            prev_hash=prev,
            hash=entry_hash(prev, at, actor, action, document_id, text),
        )
    )
    session.flush()


def verify_chain(session: Session) -> tuple[int, int | None]:
    """Return (entries checked, seq of the first bad entry or None)."""
    prev, count = GENESIS, 0
    for e in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        count += 1
        if e.prev_hash != prev or e.hash != entry_hash(e.prev_hash, e.at, e.actor, e.action, e.document_id, e.details):
            return count, e.seq
        prev = e.hash
    return count, None
