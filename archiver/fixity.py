"""Fixity: re-hash every stored original against the catalog, and find objects the catalog does not know."""

from __future__ import annotations

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

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.orphans)

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "missing": self.missing,
            "altered": self.altered,
            "orphans": self.orphans,
        }


def verify_store(archive, progress: Callable[[int, int], None] | None = None) -> FixityReport:
    report = FixityReport()
    with archive.sessions() as s:
        docs = s.execute(
            select(Document.id, Document.sha256, Document.sm3, Document.original_name).where(
                Document.status == "active"
            )
        ).all()
    known = set()
    for i, d in enumerate(docs, 1):
        known.add(d.sha256)
        path = archive.store.path_for(d.sha256)
        entry = {"id": d.id, "original_name": d.original_name, "sha256": d.sha256}
        if not path.is_file():
            report.missing.append(entry)
        else:
            digest = hash_file(path)
            if digest.sha256 != d.sha256 or (d.sm3 and digest.sm3 and digest.sm3 != d.sm3):
                report.altered.append({**entry, "actual_sha256": digest.sha256})
        report.checked += 1
        if progress:
            progress(i, len(docs))
    report.orphans = [sha for sha, _ in archive.store.iter_objects() if sha not in known]
    return report
