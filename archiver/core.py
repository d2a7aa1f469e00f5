"""Archive: the one entry point the CLI (and later the web app) call. Safety rules live here, not in callers."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tomllib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import func, or_, select

from . import audit
from . import config as config_mod
from . import understand as understanding
from .accounts import Accounts
from .catalog import db
from .catalog.models import AuditEntry, Customer, Document, Failure, Field, Page, Source
from .catalog.understanding import apply_understanding, fields_view
from .config import Config
from .customers import file as customer_file
from .customers.link import hints_for, link_document
from .customers.registry import PROFILE_FIELDS, Registry, read_rows
from .errors import NotFound, UsageError
from .extract import Extractor, ExtractSettings
from .index.service import IndexService, resolve_type
from .locks import WriterLock
from .names import free_name, is_ignored_name
from .pipeline import Arrival, FileChanged, Ingestor
from .records import IngestResult
from .records_mgmt.manager import RETENTION_NAME, RecordsManager
from .store import ObjectStore
from .understand.normalise import normalise_uscc, parse_date

log = logging.getLogger(__name__)


class Original(NamedTuple):
    id: str
    path: Path
    name: str
    mime: str
    sha256: str


def resolve_home(home: str | os.PathLike | None) -> Path:
    return Path(home or os.environ.get("ARCHIVER_HOME") or "archive-data").expanduser().resolve()


class Archive:
    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.engine = db.make_engine(cfg.catalog_url)
        self.sessions = db.session_factory(self.engine)
        self.store = ObjectStore(cfg.store)
        self._ingestor: Ingestor | None = None
        self._lock: WriterLock | None = None
        self._rules: understanding.Rules | None = None
        self.records = RecordsManager(self)
        self.index = IndexService(self)
        self.accounts = Accounts(self)

    @property
    def rules(self) -> understanding.Rules:
        """Type and field rules: the home's own doctypes.toml / fields.toml, else the shipped defaults."""
        if self._rules is None:
            try:
                self._rules = understanding.load(self.cfg.home, config_mod.DEFAULTS_DIR)
            except (ValueError, KeyError, tomllib.TOMLDecodeError) as e:
                raise UsageError(
                    f"document type/field rules are invalid: {e}", f"文档类型/字段规则配置无效：{e}"
                ) from e
        return self._rules

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def init(cls, home: Path) -> Archive:
        """Create (or upgrade) an archive home; safe to run again on an existing one."""
        home.mkdir(parents=True, exist_ok=True)
        toml = home / config_mod.CONFIG_NAME
        if not toml.exists():
            toml.write_text(config_mod.default_toml(), encoding="utf-8")
        for name in (
            understanding.DOCTYPES_NAME,
            understanding.FIELDS_NAME,
            RETENTION_NAME,
        ):  # records managers edit these
            if not (home / name).exists():
                shutil.copyfile(config_mod.DEFAULTS_DIR / name, home / name)
        cfg = config_mod.load(home)
        for d in (cfg.inbox, cfg.failed, cfg.index, home / "locks"):
            d.mkdir(parents=True, exist_ok=True)
        archive = cls(cfg)
        archive.store.create()
        db.upgrade(archive.engine)
        return archive

    @classmethod
    def open(cls, home: Path) -> Archive:
        cfg = config_mod.load(home)
        archive = cls(cfg)
        db.check_current(archive.engine)
        return archive

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ ingest
    def ingestor(self, jobs: int | None = None) -> Ingestor:
        if self._ingestor is None:
            self._lock = WriterLock(self.cfg.home)
            self._lock.acquire_with_recovery(self.recover)
            settings = ExtractSettings(
                ocr=self.cfg.ocr, limits=self.cfg.limits, jobs=jobs or self.cfg.jobs, timeout=self.cfg.timeout_seconds
            )
            self._ingestor = Ingestor(self.cfg, self.sessions, self.store, Extractor(settings), self.rules)
            self._ingestor.after_new_customers = lambda _ids: self.relink(pending_only=True)
            self._ingestor.after_commit = self.index_document
            self.index.sync()  # repairs what a crash between a catalog commit and its index write left
        return self._ingestor

    def recover(self) -> None:
        """Clear what a crash left in the store (called with the writer lock held alone)."""

        def catalogued(sha: str) -> bool:
            with self.sessions() as s:
                return s.execute(select(Document.id).where(Document.sha256 == sha)).first() is not None

        removed = self.store.recover(catalogued)
        if removed:
            log.warning("recovery removed %d uncommitted object(s) left by an interrupted ingest", len(removed))

    def ingest(
        self,
        paths: Iterable[Path],
        customer: str | None = None,
        jobs: int | None = None,
        progress: Callable[[IngestResult], None] | None = None,
    ) -> list[IngestResult]:
        """Archive files and folders (recursively); one bad file never stops the batch."""
        arrivals = list(iter_arrivals(paths, customer))
        ingestor = self.ingestor(jobs)

        def one(arrival: Arrival) -> IngestResult:
            try:
                result = ingestor.ingest(arrival)
            except FileChanged as e:
                result = IngestResult(str(arrival.path), "failed", None, e.bilingual, e.code)
            except FileNotFoundError as e:
                result = IngestResult(str(arrival.path), "failed", None, f"文件已不存在 / {e}", "not_found")
            if progress:
                progress(result)
            return result

        workers = max(1, jobs or self.cfg.jobs)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, arrivals))

    # ------------------------------------------------------------------ read
    def resolve_id(self, doc_id: str) -> str:
        with self.sessions() as s:
            if s.get(Document, doc_id) is not None:
                return doc_id
            if len(doc_id) >= 6:
                ids = s.execute(select(Document.id).where(Document.id.startswith(doc_id)).limit(2)).scalars().all()
                if len(ids) == 1:
                    return ids[0]
        raise NotFound(f"no document with id {doc_id!r}", f"找不到编号为 {doc_id!r} 的文档")

    def show(self, doc_id: str, with_text: bool = False) -> dict:
        doc_id = self.resolve_id(doc_id)
        with self.sessions() as s:
            d = s.get(Document, doc_id)
            assert d is not None
            children = s.execute(select(Document.id, Document.original_name).where(Document.parent_id == d.id)).all()
            fields, field_sources = fields_view(d)
            customer = s.get(Customer, d.customer_id) if d.customer_id else None
            out = {
                "id": d.id,
                "sha256": d.sha256,
                "sm3": d.sm3,
                "original_name": d.original_name,
                "mime": d.mime,
                "size": d.size,
                "pages": d.page_count,
                "ingested_at": d.ingested_at,
                "doc_type": d.doc_type,
                "type_confidence": d.type_confidence,
                "type_reason": d.type_reason,
                "type_candidates": [{"doc_type": t, "score": sc} for t, sc in json.loads(d.type_candidates or "[]")],
                "fields": fields,
                "field_sources": field_sources,
                "customer": {"id": customer.id, "name": customer.name, "uscc": customer.uscc} if customer else None,
                "link": {
                    "method": d.link_method,
                    "confidence": d.link_confidence,
                    "reason": d.link_reason,
                    "origin": d.link_origin,
                }
                if customer
                else None,
                "link_review": None
                if customer
                else {"reason": d.link_reason, "candidates": json.loads(d.link_candidates or "[]")},
                "retention": None,
                "holds": [],
                "text_source": d.text_source,
                "status": d.status,
                "parent_id": d.parent_id,
                "attachments": [{"id": c.id, "original_name": c.original_name} for c in children],
                "extract_error": d.extract_error,
                "email": json.loads(d.meta_json) if d.meta_json else None,
                "sources": [
                    {
                        "path": src.path,
                        "origin": src.origin,
                        "folder_hint": src.folder_hint,
                        "arrived_at": src.arrived_at,
                    }
                    for src in d.sources
                ],
                "page_info": [
                    {
                        "page": p.number,
                        "source": p.source,
                        "ocr_confidence": p.ocr_confidence,
                        **({"text": p.text, "raw_text": p.raw_text} if with_text else {"chars": len(p.text)}),
                    }
                    for p in d.pages
                ],
            }
        if out["status"] == "active":
            info = self.records.retention_of(doc_id)
            out["retention"] = info.to_json() if info else None
            out["holds"] = self.records.holds_of(doc_id)
        return out

    def review_queue(self) -> list[dict]:
        """Documents waiting for a person: type too uncertain to set, or no customer (with candidates and why)."""
        with self.sessions() as s:
            rows = s.execute(
                select(Document)
                .where(
                    Document.status == "active",
                    Document.parent_id.is_(None),
                    Document.doc_type.is_(None) | Document.customer_id.is_(None),
                )
                .order_by(Document.ingested_at)
            ).scalars()
            out = []
            for d in rows:
                reasons = []
                if d.doc_type is None and d.page_count > 0:
                    reasons.append(
                        {
                            "reason": "type_uncertain",
                            "detail": d.type_reason,
                            "candidates": [
                                {"doc_type": t, "score": sc} for t, sc in json.loads(d.type_candidates or "[]")
                            ],
                        }
                    )
                if d.customer_id is None:
                    reasons.append(
                        {
                            "reason": "link_conflict" if (d.link_reason or "").startswith("conflict") else "unlinked",
                            "detail": d.link_reason,
                            "candidates": json.loads(d.link_candidates or "[]"),
                        }
                    )
                out.append(
                    {
                        "id": d.id,
                        "original_name": d.original_name,
                        "doc_type": d.doc_type,
                        "ingested_at": d.ingested_at,
                        "reasons": reasons,
                    }
                )
            return out

    def reclassify(self, doc_ids: list[str] | None = None) -> list[dict]:
        """Re-run type and field extraction (after a rules change); manual values stay. Audited per change."""
        rules = self.rules
        changes = []
        with self.sessions() as s:
            ids = (
                [self.resolve_id(i) for i in doc_ids]
                if doc_ids
                else list(
                    s.execute(select(Document.id).where(Document.status == "active").order_by(Document.id)).scalars()
                )
            )
        for doc_id in ids:
            with self.sessions.begin() as s:
                d = s.get(Document, doc_id)
                assert d is not None
                pages = [
                    p.text
                    for p in s.execute(select(Page).where(Page.document_id == doc_id).order_by(Page.number)).scalars()
                ]
                meta = json.loads(d.meta_json) if d.meta_json else None
                changed = apply_understanding(d, understanding.understand(pages, d.mime, meta, rules))
                if changed:
                    audit.append(s, "reclassify", doc_id, changed)
                    changes.append({"id": doc_id, **changed})
        self.index.update(c["id"] for c in changes)
        return changes

    # ------------------------------------------------------------------ corrections by a person
    def set_type(self, doc_ref: str, doc_type: str) -> dict:
        """A person's type: never overwritten by reclassification. Fields are re-extracted for the new type."""
        new_type = resolve_type(doc_type)
        doc_id = self.resolve_id(doc_ref)
        with self.sessions.begin() as s:
            d = s.get(Document, doc_id)
            assert d is not None
            before = d.doc_type
            d.doc_type, d.type_origin, d.type_confidence, d.type_reason = new_type, "manual", 1.0, "set by hand"
            pages = [p.text for p in d.pages]
            meta = json.loads(d.meta_json) if d.meta_json else None
            changed = apply_understanding(d, understanding.understand(pages, d.mime, meta, self.rules))
            d.revision = (d.revision or 1) + 1
            audit.append(s, "type.manual", doc_id, {"doc_type": [before, new_type], **changed})
        self.index.update([doc_id])
        return {"id": doc_id, "doc_type": new_type, "before": before}

    def set_field(self, doc_ref: str, name: str, value: str | None) -> dict:
        """Correct one key field by hand (old and new value audited); it stays through reclassification."""
        doc_id = self.resolve_id(doc_ref)
        name = name.strip()
        value = (value or "").strip() or None
        with self.sessions.begin() as s:
            d = s.get(Document, doc_id)
            assert d is not None
            specs = {f.name: f for f in self.rules.fields.by_type.get(d.doc_type or "", ())}
            known = set(specs) | {f.name for f in d.fields}
            if name not in known:
                raise UsageError(
                    f"{d.doc_type or 'this document'} has no field {name!r}; one of {', '.join(sorted(known))}",
                    f"该类文档没有字段 {name!r}",
                )
            kind = specs[name].kind if name in specs else "text"
            if value and kind in ("date", "term_start", "term_end", "business_term_to"):
                parsed = parse_date(value)
                if parsed is None:
                    raise UsageError(f"not a date: {value!r}", f"无法识别的日期：{value!r}")
                value = parsed.isoformat()
            elif value and kind == "uscc":
                code, _how = normalise_uscc(value)
                if code is None:
                    raise UsageError(
                        f"not a valid unified social credit code: {value!r}", f"统一社会信用代码无效：{value!r}"
                    )
                value = code
            row = next((f for f in d.fields if f.name == name), None)
            before = row.value if row else None
            if row is None:
                row = Field(name=name)
                d.fields.append(row)
            row.value, row.origin, row.confidence, row.note = value, "manual", 1.0, None
            row.page, row.evidence = None, None
            d.revision = (d.revision or 1) + 1
            audit.append(s, "field.manual", doc_id, {"field": name, "old": before, "new": value})
        self.index.update([doc_id])
        return {"id": doc_id, "field": name, "old": before, "new": value}

    def document_audit(self, doc_ref: str) -> list[dict]:
        doc_id = self.resolve_id(doc_ref)
        with self.sessions() as s:
            rows = s.execute(select(AuditEntry).where(AuditEntry.document_id == doc_id).order_by(AuditEntry.seq))
            return [
                {"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "details": json.loads(e.details)}
                for e in rows.scalars()
            ]

    def record_access(self, doc_ref: str, action: str, **details) -> None:
        """An audit entry for reading a document (viewing, downloading the original)."""
        with self.sessions.begin() as s:
            audit.append(s, action, self.resolve_id(doc_ref), details)

    # ------------------------------------------------------------------ failures
    def failures(self, limit: int = 100) -> list[dict]:
        with self.sessions() as s:
            return [
                {
                    "id": f.id,
                    "path": f.path,
                    "name": Path(f.path).name,
                    "code": f.code,
                    "reason_zh": f.message_zh,
                    "reason_en": f.message_en,
                    "failed_at": f.failed_at,
                    "moved_to": f.moved_to,
                    "sha256": f.sha256,
                    "retryable": bool(f.moved_to and Path(f.moved_to).is_file()),
                }
                for f in s.execute(select(Failure).order_by(Failure.id.desc()).limit(limit)).scalars()
            ]

    def retry_failure(self, failure_id: int) -> dict:
        """Put a failed file (after a fix: a new password-free copy, a newer parser) back into the inbox."""
        with self.sessions.begin() as s:
            f = s.get(Failure, failure_id)
            if f is None:
                raise NotFound(f"no failure {failure_id}", f"找不到失败记录 {failure_id}")
            if not f.moved_to or not Path(f.moved_to).is_file():
                raise UsageError(
                    "the failed file is no longer in the failed area; drop the fixed file into the inbox",
                    "失败区中已没有该文件，请将修复后的文件放入收件箱",
                )
            src = Path(f.moved_to)
            dest = free_name(self.cfg.inbox / Path(f.path).name)
            os.replace(src, dest)
            Path(str(src) + ".error.txt").unlink(missing_ok=True)
            f.moved_to = None
            audit.append(s, "failure.retry", None, {"failure": failure_id, "path": str(dest)})
        return {"id": failure_id, "inbox_path": str(dest)}

    # ------------------------------------------------------------------ customers
    def _customer_json(self, c: Customer) -> dict:
        return {
            "id": c.id,
            "kind": c.kind,
            "name": c.name,
            "uscc": c.uscc,
            "id_number": c.id_number,
            "status": c.status,
            "closed_on": c.closed_on,
            "source": c.source,
            "aliases": [{"alias": a.alias, "kind": a.kind} for a in c.aliases],
            **{k: getattr(c, k) for k in PROFILE_FIELDS},
        }

    def customer(self, ref: str) -> Customer:
        with self.sessions() as s:
            c = Registry(s, self.cfg.organization_names).resolve(ref)
            if c is None:
                raise NotFound(f"no customer {ref!r}", f"找不到客户 {ref!r}")
            s.expunge_all()
            return c

    def customers_import(self, path: Path) -> dict:
        rows = read_rows(path)
        with self.sessions.begin() as s:
            report = Registry(s, self.cfg.organization_names).import_rows(rows)
            audit.append(s, "customers.import", None, {"file": str(path), **report.to_json()})
        report_json = report.to_json()
        report_json["relinked"] = len(self.relink(pending_only=True))
        return report_json

    def customer_add(
        self, name: str, uscc: str | None = None, id_number: str | None = None, aliases: list[str] | None = None
    ) -> dict:
        with self.sessions.begin() as s:
            c = Registry(s, self.cfg.organization_names).add(
                name, uscc=uscc, id_number=id_number, aliases={f"alias{i}": a for i, a in enumerate(aliases or [])}
            )
            for a in c.aliases:
                a.kind = "other"
            audit.append(s, "customers.add", None, {"customer_id": c.id, "name": c.name})
            out = self._customer_json(c)
        out["relinked"] = len(self.relink(pending_only=True))
        return out

    def customer_alias(self, ref: str, alias: str, kind: str = "other") -> dict:
        with self.sessions.begin() as s:
            reg = Registry(s, self.cfg.organization_names)
            c = reg.resolve(ref)
            if c is None:
                raise NotFound(f"no customer {ref!r}", f"找不到客户 {ref!r}")
            reg.add_alias(c, alias, kind)
            audit.append(s, "customers.alias", None, {"customer_id": c.id, "alias": alias})
            out = self._customer_json(c)
        out["relinked"] = len(self.relink(pending_only=True))
        return out

    def customers_list(self, search: str | None = None) -> list[dict]:
        with self.sessions() as s:
            reg = Registry(s, self.cfg.organization_names)
            rows = reg.active()
            if search:
                key = search.strip().lower()
                rows = [
                    c
                    for c in rows
                    if key in c.name.lower()
                    or key == (c.uscc or "").lower()
                    or any(key in a.alias.lower() for a in c.aliases)
                ]
            counts = dict(s.execute(select(Document.customer_id, func.count()).group_by(Document.customer_id)).all())
            return [
                {**self._customer_json(c), "documents": counts.get(c.id, 0)} for c in sorted(rows, key=lambda c: c.name)
            ]

    def customer_show(self, ref: str) -> dict:
        with self.sessions() as s:
            c = Registry(s, self.cfg.organization_names).resolve(ref)
            if c is None:
                raise NotFound(f"no customer {ref!r}", f"找不到客户 {ref!r}")
            docs = list(
                s.execute(select(Document).where(Document.customer_id == c.id, Document.status == "active")).scalars()
            )
            return {**self._customer_json(c), **customer_file.build(c, docs)}

    def customers_merge(self, keep_ref: str, gone_ref: str) -> dict:
        with self.sessions.begin() as s:
            reg = Registry(s, self.cfg.organization_names)
            keep, gone = reg.resolve(keep_ref), reg.resolve(gone_ref)
            if keep is None or gone is None:
                raise NotFound(f"no customer {keep_ref if keep is None else gone_ref!r}", "找不到客户")
            reg.merge(keep, gone)
            moved = s.execute(select(Document).where(Document.customer_id == gone.id)).scalars().all()
            for d in moved:
                d.customer_id = keep.id
                d.revision = (d.revision or 1) + 1
                audit.append(s, "link.merge", d.id, {"from": gone.id, "to": keep.id})
            audit.append(s, "customers.merge", None, {"keep": keep.id, "merged": gone.id, "documents": len(moved)})
            return {**self._customer_json(keep), "moved_documents": len(moved)}

    def link(self, doc_ref: str, customer_ref: str) -> dict:
        """A person's link: never overwritten by automation."""
        doc_id = self.resolve_id(doc_ref)
        with self.sessions.begin() as s:
            c = Registry(s, self.cfg.organization_names).resolve(customer_ref)
            if c is None:
                raise NotFound(f"no customer {customer_ref!r}", f"找不到客户 {customer_ref!r}")
            d = s.get(Document, doc_id)
            assert d is not None
            before = d.customer_id
            d.customer_id, d.link_method, d.link_confidence = c.id, "manual", 1.0
            d.link_origin, d.link_reason, d.link_candidates = "manual", "linked by hand", None
            d.revision = (d.revision or 1) + 1
            audit.append(s, "link.manual", d.id, {"customer_id": [before, c.id]})
        self.index.update([doc_id])
        return {"id": doc_id, "customer": {"id": c.id, "name": c.name}, "link": {"method": "manual", "confidence": 1.0}}

    def relink(self, pending_only: bool = True) -> list[dict]:
        """Re-run linking for unlinked documents (or all automatic links); audited per change."""
        with self.sessions() as s:
            q = select(Document.id).where(
                Document.status == "active", (Document.link_origin.is_(None)) | (Document.link_origin != "manual")
            )
            if pending_only:
                q = q.where(Document.customer_id.is_(None))
            ids = list(s.execute(q.order_by(Document.ingested_at)).scalars())
        changes = []
        for doc_id in ids:
            with self.sessions.begin() as s:
                d = s.get(Document, doc_id)
                assert d is not None
                pages = [p.text for p in d.pages]
                src = d.sources[0] if d.sources else None
                hints = hints_for(src.folder_hint, src.customer_hint) if src else []
                changed = link_document(s, d, pages, hints, self.cfg.organization_names)
                if changed:
                    audit.append(s, "link.auto", d.id, changed)
                    changes.append({"id": d.id, **changed})
        self.index.update(c["id"] for c in changes)
        return changes

    def index_document(self, doc_id: str) -> None:
        """Write a document and its attachments (and theirs) to the index."""
        ids, frontier = [doc_id], [doc_id]
        with self.sessions() as s:
            while frontier:
                frontier = list(s.execute(select(Document.id).where(Document.parent_id.in_(frontier))).scalars())
                ids += frontier
        self.index.update(ids)

    def stats(self) -> dict:
        with self.sessions() as s:
            return {
                "documents": s.scalar(select(func.count()).select_from(Document)) or 0,
                "sources": s.scalar(select(func.count()).select_from(Source)) or 0,
            }

    def find_by_source(self, path: str) -> list[str]:
        with self.sessions() as s:
            return list(s.execute(select(Source.document_id).where(or_(Source.path == path))).scalars())

    def original(self, doc_ref: str) -> Original:
        """Where a document's original is stored, with what a download needs — and nothing computed."""
        with self.sessions() as s:
            d = s.get(Document, self.resolve_id(doc_ref))
            assert d is not None
            return Original(d.id, self.store.path_for(d.sha256), d.original_name, d.mime, d.sha256)

    def object_path(self, doc_id: str) -> Path:
        return self.original(doc_id).path


def iter_arrivals(paths: Iterable[Path], customer: str | None = None, origin: str = "ingest") -> Iterator[Arrival]:
    """Files under the given paths, in a stable order; the folder below an ingested folder is the hint."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if is_ignored_name(name):
                        continue
                    f = Path(dirpath) / name
                    if f.is_symlink() and not f.is_file():
                        continue
                    rel = f.parent.relative_to(root)
                    yield Arrival(f, origin, None if str(rel) == "." else rel.as_posix(), customer)
        elif path.exists():
            yield Arrival(path.resolve(), origin, None, customer)
        else:
            raise UsageError(f"no such file or folder: {path}", f"文件或文件夹不存在：{path}")
