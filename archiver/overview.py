"""The numbers on the web's landing page: what is archived, what waits for whom, what comes due."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from .catalog.models import Document


def inbox_waiting(inbox: Path, limit: int = 20) -> tuple[int, list[str]]:
    """How many files wait in the inbox (by the same rules ingest uses to pick files), and the first names."""
    from .core import iter_arrivals

    root = inbox.resolve()
    paths = [a.path for a in iter_arrivals([root])]
    return len(paths), [str(p.relative_to(root)) for p in paths[:limit]]


def _months_back(today: date, n: int) -> list[str]:
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _plus_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def dashboard(archive, today: date | None = None) -> dict:
    today = today or date.today()
    with archive.sessions() as s:
        active = Document.status == "active"
        by_type = dict(
            s.execute(select(Document.doc_type, func.count()).where(active).group_by(Document.doc_type)).all()
        )
        month = func.substr(Document.ingested_at, 1, 7)
        by_month = dict(s.execute(select(month, func.count()).where(active).group_by(month)).all())
        total = sum(by_type.values())
    months = _months_back(today, 12)
    waiting, waiting_names = inbox_waiting(archive.cfg.inbox)
    horizon = _plus_months(today, 12).isoformat()
    due = [
        r
        for r in archive.records.report(today=today)
        if r["dispose_after"] and r["dispose_after"] <= horizon and not r["permanent"]
    ]
    return {
        "total": total,
        "by_type": sorted(((t or "", n) for t, n in by_type.items()), key=lambda kv: -kv[1]),
        "by_month": [(m, by_month.get(m, 0)) for m in months],
        "inbox": {"count": waiting, "names": waiting_names},
        "review": len(archive.review_queue()),
        "failures": archive.failures(limit=5),
        "holds": archive.records.list_holds(),
        "due_12_months": due,
        "horizon": horizon,
    }
