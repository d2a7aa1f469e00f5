"""Retention reports, legal holds, disposal and evidence export — the rules legal relies on, in one place.

Every path that could remove or change a document comes through here, so a hold is checked wherever the
request comes from (CLI, web, a script). Disposal is two steps: a report (dry run), then ``confirm``.
"""

from __future__ import annotations

import csv
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select

from .. import audit
from ..catalog.models import Customer, Disposal, Document, Field, Hold, Page
from ..config import DEFAULTS_DIR
from ..errors import NotFound, UsageError
from . import holds as holds_mod
from .retention import Context, DocFacts, Policy, RetentionInfo, compute, load_policies

RETENTION_NAME = "retention.toml"


@dataclass(frozen=True)
class Plan:
    due: list[dict]
    blocked: list[dict]


class RecordsManager:
    def __init__(self, archive):
        self.a = archive
        self._policies: dict[str, Policy] | None = None
        self.touched: set[str] = set()  # documents whose index entry must be rewritten

    @property
    def policies(self) -> dict[str, Policy]:
        if self._policies is None:
            own = self.a.cfg.home / RETENTION_NAME
            try:
                self._policies = load_policies(own if own.is_file() else DEFAULTS_DIR / RETENTION_NAME)
            except (KeyError, ValueError) as e:
                raise UsageError(f"retention.toml is invalid: {e}", f"retention.toml 配置无效：{e}") from e
        return self._policies

    # ------------------------------------------------------------------ retention
    def _facts(self, s, today: date) -> tuple[dict[str, DocFacts], Context]:
        fields: dict[str, dict[str, str | None]] = {}
        for doc_id, name, value in s.execute(select(Field.document_id, Field.name, Field.value)):
            fields.setdefault(doc_id, {})[name] = value
        docs = s.execute(
            select(Document.id, Document.doc_type, Document.ingested_at, Document.customer_id).where(
                Document.status == "active"
            )
        ).all()
        facts = {d.id: DocFacts(d.id, d.doc_type, fields.get(d.id, {}), d.ingested_at, d.customer_id) for d in docs}
        ctx = Context(
            today=today,
            customer_closed_on=dict(s.execute(select(Customer.id, Customer.closed_on)).all()),
            contracts=[f for f in facts.values() if f.doc_type == "contract"],
            terminations=[f for f in facts.values() if f.doc_type == "contract_termination"],
        )
        return facts, ctx

    def _with_text(self, s, f: DocFacts) -> DocFacts:
        if not self.policies.get(f.doc_type or "", self.policies["other"]).follows_contract:
            return f
        text = "\n".join(s.execute(select(Page.text).where(Page.document_id == f.id)).scalars())
        return DocFacts(f.id, f.doc_type, f.fields, f.ingested_at, f.customer_id, text)

    def retention_of(self, doc_id: str, today: date | None = None) -> RetentionInfo | None:
        today = today or date.today()
        with self.a.sessions() as s:
            facts, ctx = self._facts(s, today)
            f = facts.get(doc_id)
            return compute(self._with_text(s, f), self.policies, ctx) if f else None

    def report(self, due_only: bool = False, today: date | None = None) -> list[dict]:
        today = today or date.today()
        with self.a.sessions() as s:
            facts, ctx = self._facts(s, today)
            held = holds_mod.holds_by_document(s)
            names = dict(s.execute(select(Document.id, Document.original_name)).all())
            customers = dict(s.execute(select(Customer.id, Customer.name)).all())
            rows = []
            for f in facts.values():
                info = compute(self._with_text(s, f), self.policies, ctx)
                due = info.is_due(today)
                if due_only and not due:
                    continue
                rows.append(
                    {
                        "id": f.id,
                        "original_name": names[f.id],
                        "doc_type": f.doc_type,
                        "customer": customers.get(f.customer_id or ""),
                        **info.to_json(),
                        "due": due,
                        "held_by": [h.id for h in held.get(f.id, [])],
                    }
                )
        rows.sort(key=lambda r: (r["dispose_after"] or "9999", r["id"]))
        return rows

    # ------------------------------------------------------------------ evidence
    def export(
        self, out: Path, *, customer: str | None = None, hold: str | None = None, doc_ids: list[str] | None = None
    ) -> dict:
        """An evidence bundle (zip) of a customer's documents, a hold's, or the given ones; audited."""
        from .export import select_documents, write_bundle

        ids = select_documents(self.a, customer=customer, hold=hold, doc_ids=doc_ids)
        if not ids:
            raise UsageError("nothing to export: the selection holds no documents", "所选范围内没有可导出的文档")
        selection = {"customer": customer, "hold": hold, "doc": doc_ids}
        data = write_bundle(self.a, ids, out, selection)
        with self.a.sessions.begin() as s:
            audit.append(s, "export", None, {"out": data["out"], "documents": ids, "selection": selection})
        return data

    # ------------------------------------------------------------------ holds
    def place_hold(
        self,
        matter: str,
        reason: str,
        *,
        doc_ids: list[str] | None = None,
        customer: str | None = None,
        contract_no: str | None = None,
    ) -> dict:
        if not matter.strip() or not reason.strip():
            raise UsageError("a hold needs a matter reference and a reason", "法律保全需要案号/事项编号和原因")
        chosen = [x for x in (doc_ids, customer, contract_no) if x]
        if len(chosen) != 1:
            raise UsageError(
                "choose one of --doc, --customer, --contract", "请只选择 --doc、--customer、--contract 之一"
            )
        with self.a.sessions.begin() as s:
            if doc_ids:
                scope, target = "documents", json.dumps([self.a.resolve_id(d) for d in doc_ids])
            elif customer:
                scope, target = "customer", self.a.customer(customer).id
            else:
                scope, target = "contract", str(contract_no)
            h = Hold(
                id="H" + secrets.token_hex(5),
                matter=matter,
                reason=reason,
                scope=scope,
                target=target,
                placed_at=audit.now_iso(),
                placed_by=audit.current_actor(),
            )
            s.add(h)
            s.flush()
            covered = sorted(holds_mod.covered_ids(s, h))
            self._touch(s, covered)
            audit.append(
                s,
                "hold.place",
                None,
                {
                    "hold": h.id,
                    "matter": matter,
                    "reason": reason,
                    "scope": scope,
                    "target": target,
                    "documents": covered,
                },
            )
            for doc_id in covered:
                audit.append(s, "hold.covers", doc_id, {"hold": h.id, "matter": matter})
            out = holds_mod.hold_json(h, len(covered))
        self._flush_index()
        return out

    def release_hold(self, hold_id: str, reason: str) -> dict:
        if not reason.strip():
            raise UsageError("releasing a hold needs a reason", "解除法律保全需要说明原因")
        with self.a.sessions.begin() as s:
            h = s.get(Hold, hold_id)
            if h is None:
                raise NotFound(f"no hold {hold_id!r}", f"找不到法律保全 {hold_id!r}")
            if h.released_at:
                raise UsageError(f"hold {hold_id} was released already", f"法律保全 {hold_id} 已解除")
            h.released_at, h.released_by, h.release_reason = audit.now_iso(), audit.current_actor(), reason
            self._touch(s, holds_mod.covered_ids(s, h))
            audit.append(s, "hold.release", None, {"hold": h.id, "matter": h.matter, "reason": reason})
            out = holds_mod.hold_json(h)
        self._flush_index()
        return out

    def _flush_index(self) -> None:
        touched, self.touched = self.touched, set()
        self.a.index.update(touched)

    def _touch(self, s, doc_ids) -> None:
        """The index shows hold status: these documents changed for it."""
        for d in s.execute(select(Document).where(Document.id.in_(list(doc_ids)))).scalars():
            d.revision = (d.revision or 1) + 1
        self.touched.update(doc_ids)

    def list_holds(self, include_released: bool = False) -> list[dict]:
        with self.a.sessions() as s:
            q = select(Hold).order_by(Hold.placed_at)
            if not include_released:
                q = q.where(Hold.released_at.is_(None))
            out = []
            now = datetime.now().astimezone()
            for h in s.execute(q).scalars():
                row = holds_mod.hold_json(h, len(holds_mod.covered_ids(s, h)))
                row["age_days"] = (now - datetime.fromisoformat(h.placed_at)).days
                out.append(row)
            return out

    def holds_of(self, doc_id: str) -> list[dict]:
        with self.a.sessions() as s:
            return [
                {"id": h.id, "matter": h.matter, "placed_at": h.placed_at}
                for h in holds_mod.holds_by_document(s).get(doc_id, [])
            ]

    # ------------------------------------------------------------------ disposal
    def plan(self, today: date | None = None) -> Plan:
        rows = self.report(due_only=True, today=today)
        return Plan([r for r in rows if not r["held_by"]], [r for r in rows if r["held_by"]])

    def dispose(self, confirm: bool, today: date | None = None) -> dict:
        """Without ``confirm``: what would go. With it: remove originals and text, keep tombstones and the register."""
        self._finish_interrupted_disposals()
        plan = self.plan(today)
        result = {
            "confirmed": confirm,
            "disposed": [] if confirm else None,
            "would_dispose": plan.due,
            "blocked_by_hold": plan.blocked,
            "register": None,
        }
        if not confirm:
            return result
        batch = datetime.now().strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)
        actor = audit.current_actor()
        if plan.blocked:
            with self.a.sessions.begin() as s:
                for r in plan.blocked:
                    audit.append(
                        s,
                        "dispose.refused",
                        r["id"],
                        {"held_by": r["held_by"], "batch": batch, "dispose_after": r["dispose_after"]},
                    )
        register: list[Disposal] = []
        for r in plan.due:
            with self.a.sessions.begin() as s:
                d = s.get(Document, r["id"])
                if d is None or d.status != "active":
                    continue
                if holds_mod.holds_by_document(s).get(d.id):  # placed since the plan was made
                    audit.append(s, "dispose.refused", d.id, {"batch": batch, "reason": "hold placed meanwhile"})
                    continue
                entry = Disposal(
                    document_id=d.id,
                    original_name=d.original_name,
                    sha256=d.sha256,
                    sm3=d.sm3,
                    doc_type=d.doc_type,
                    customer_id=d.customer_id,
                    customer_name=r["customer"],
                    policy=r["policy"],
                    trigger=r["trigger"],
                    dispose_after=r["dispose_after"],
                    disposed_at=audit.now_iso(),
                    disposed_by=actor,
                    batch=batch,
                )
                s.add(entry)
                s.execute(delete(Page).where(Page.document_id == d.id))
                s.execute(delete(Field).where(Field.document_id == d.id))
                d.status, d.page_count, d.meta_json = "disposed", 0, None
                d.revision = (d.revision or 1) + 1
                audit.append(
                    s,
                    "dispose",
                    d.id,
                    {"batch": batch, "sha256": d.sha256, "policy": r["policy"], "dispose_after": r["dispose_after"]},
                )
                register.append(entry)
            self.a.store.remove(entry.sha256)  # after the commit: a crash leaves an object the next run removes
            result["disposed"].append(r["id"])
        if register:
            result["register"] = str(self._write_register(batch, register))
        self.a.index.update(result["disposed"])
        return result

    def _finish_interrupted_disposals(self) -> None:
        with self.a.sessions() as s:
            for sha in s.execute(select(Document.sha256).where(Document.status == "disposed")).scalars():
                self.a.store.remove(sha)

    def _write_register(self, batch: str, entries: list[Disposal]) -> Path:
        folder = self.a.cfg.home / "disposal-registers"
        folder.mkdir(exist_ok=True)
        path = folder / f"销毁清单-{batch}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(
                [
                    "文档编号 id",
                    "原文件名 original name",
                    "SHA-256",
                    "SM3",
                    "类型 type",
                    "客户 customer",
                    "保管期限 policy",
                    "起算 trigger",
                    "到期 dispose after",
                    "销毁时间 disposed at",
                    "执行人 disposed by",
                ]
            )
            for e in entries:
                w.writerow(
                    [
                        e.document_id,
                        e.original_name,
                        e.sha256,
                        e.sm3,
                        e.doc_type,
                        e.customer_name,
                        e.policy,
                        e.trigger,
                        e.dispose_after,
                        e.disposed_at,
                        e.disposed_by,
                    ]
                )
        return path

    def register(self) -> list[dict]:
        with self.a.sessions() as s:
            return [
                {c.name: getattr(e, c.name) for c in Disposal.__table__.columns}
                for e in s.execute(select(Disposal).order_by(Disposal.disposed_at)).scalars()
            ]
