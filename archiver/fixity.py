"""Fixity: re-hash every stored original against the catalog, and find objects the catalog does not know."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from .catalog.models import Document
from .store import hash_file


@dataclass
class FixityReport:
    checked: int = 0
    missing: list[dict] = field(default_factory=list)
    altered: list[dict] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    index_missing: list[str] = field(default_factory=list)
    index_stale: list[str] = field(default_factory=list)
    index_extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing or self.altered or self.orphans or self.index_missing or self.index_stale or self.index_extra
        )

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "missing": self.missing,
            "altered": self.altered,
            "orphans": self.orphans,
            "index_missing": self.index_missing,
            "index_stale": self.index_stale,
            "index_extra": self.index_extra,
        }


STATE_NAME = "verify-state.json"


def verify_store(archive, progress: Callable[[int, int], None] | None = None, resume: bool = False) -> FixityReport:
    """Re-hash every active original in id order. Progress is checkpointed, so ``resume`` continues an
    interrupted run (its findings so far included) instead of starting over."""
    state_path = archive.cfg.home / STATE_NAME
    report, after = FixityReport(), ""
    if resume and state_path.is_file():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        after = state["last_id"]
        report.checked = state["checked"]
        report.missing, report.altered = state["missing"], state["altered"]
    with archive.sessions() as s:
        docs = s.execute(
            select(Document.id, Document.sha256, Document.sm3, Document.original_name)
            .where(Document.status == "active")
            .order_by(Document.id)
        ).all()
    known = {d.sha256 for d in docs}
    todo = [d for d in docs if d.id > after]
    for i, d in enumerate(todo, 1):
        path = archive.store.path_for(d.sha256)
        entry = {"id": d.id, "original_name": d.original_name, "sha256": d.sha256}
        if not path.is_file():
            report.missing.append(entry)
        else:
            digest = hash_file(path)
            if digest.sha256 != d.sha256 or (d.sm3 and digest.sm3 and digest.sm3 != d.sm3):
                report.altered.append({**entry, "actual_sha256": digest.sha256})
        report.checked += 1
        if i % 50 == 0 or i == len(todo):
            state_path.write_text(
                json.dumps(
                    {"last_id": d.id, "checked": report.checked, "missing": report.missing, "altered": report.altered}
                ),
                encoding="utf-8",
            )
        if progress:
            progress(report.checked, len(docs))
    report.orphans = [sha for sha, _ in archive.store.iter_objects() if sha not in known]
    report.index_missing, report.index_stale, report.index_extra = archive.index.stale()
    state_path.unlink(missing_ok=True)
    return report
