"""Ingest of one file — the table of contents of the archive core.

    stat → hash → duplicate? → detect type → copy into the store's tmp (hash again) → extract (child
    process, time limit) → attachments → mark pending → move into the store → commit catalog + audit
    → clear the pending mark

Each step either completes or leaves something `ObjectStore.recover` and a re-run repair: nothing is
removed from where it came from here (the watcher does that after this returns), so a crash at any
point loses nothing, and the SHA-256 unique key plus the arrival key (path, size, mtime) make a re-run
add nothing twice.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from . import audit
from .catalog.models import Document, Failure, Page, Source
from .catalog.understanding import apply_understanding
from .config import Config
from .customers.link import hints_for, link_document
from .detect import FileKind, detect
from .errors import ArchiverError, EmptyFile, ExtractionError, TooLarge
from .extract import Extractor
from .records import Extracted, IngestResult
from .store import Digest, ObjectStore, hash_file
from .understand import Rules, understand

log = logging.getLogger(__name__)
MAX_ATTACHMENT_DEPTH = 3


class FileChanged(ArchiverError):
    code = "file_changed"

    def __init__(self, path: str):
        super().__init__(
            f"{path} changed while it was being read; it will be taken again once it is stable",
            f"{path} 在读取过程中发生变化，待文件稳定后将重新处理",
        )


@dataclass(frozen=True)
class Arrival:
    """One file to ingest and where it came from."""

    path: Path
    origin: str  # inbox | ingest
    folder_hint: str | None = None
    customer_hint: str | None = None


@dataclass
class _Prepared:
    """A document read and ready to commit: its temp file, digest and text (plus its attachments)."""

    name: str
    digest: Digest
    tmp: Path
    kind: FileKind | None
    extracted: Extracted | None
    error: ArchiverError | None = None
    children: list[_Prepared] = field(default_factory=list)


def new_id() -> str:
    return secrets.token_hex(8)


class Ingestor:
    def __init__(
        self, cfg: Config, sessions: sessionmaker[Session], store: ObjectStore, extractor: Extractor, rules: Rules
    ):
        self.cfg = cfg
        self.rules = rules
        self.created_customers: list[str] = []  # from licences; documents waiting for them get relinked
        self.after_new_customers = None  # set by Archive: relink what waits for a link
        self.after_commit = None  # set by Archive: index the new document
        self.sessions = sessions
        self.store = store
        self.extractor = extractor

    # ------------------------------------------------------------------ the driver
    def ingest(self, arrival: Arrival) -> IngestResult:
        path = arrival.path
        shown = str(path)
        try:
            st = path.stat()
            if st.st_size == 0:
                raise EmptyFile()
            if st.st_size > self.cfg.max_file_bytes:
                raise TooLarge(
                    f"{st.st_size // (1024 * 1024)} MB (limit {self.cfg.max_file_bytes // (1024 * 1024)} MB)"
                )
            digest = hash_file(path)
            existing = self._existing(digest.sha256)
            if existing is not None:
                return self._duplicate(existing, arrival, st.st_size, st.st_mtime_ns)
            kind = detect(path)
            tmp, copied = self.store.copy_to_temp(path)
            if copied.sha256 != digest.sha256 or path.stat().st_mtime_ns != st.st_mtime_ns:
                tmp.unlink(missing_ok=True)
                raise FileChanged(shown)
            prepared = _Prepared(path.name, copied, tmp, kind, None)
            try:
                prepared.extracted = self.extractor.extract(tmp, kind.kind, kind.mime, kind.text_encoding)
                prepared.children = self._prepare_attachments(prepared.extracted, 1)
                doc_id = self._commit(prepared, arrival, st.st_size, st.st_mtime_ns)
            finally:
                self._discard_temps(prepared)
        except FileChanged:
            raise
        except ExtractionError as e:
            return self._failed(arrival, e, locals().get("digest"))
        except FileNotFoundError as e:
            raise FileNotFoundError(f"{shown} disappeared before it could be archived") from e
        except PermissionError as e:
            err = ExtractionError(
                f"permission denied reading {path.name}: {e.strerror}", f"没有读取 {path.name} 的权限：{e.strerror}"
            )
            err.code = "permission"
            return self._failed(arrival, err, None)
        if doc_id is None:  # another process committed the same bytes first
            existing = self._existing(digest.sha256)
            assert existing is not None
            return self._duplicate(existing, arrival, st.st_size, st.st_mtime_ns)
        if self.after_commit is not None:
            self.after_commit(doc_id)
        if self.created_customers and self.after_new_customers is not None:
            created, self.created_customers = self.created_customers, []
            self.after_new_customers(created)
        log.info("archived %s as %s", path.name, doc_id)
        return IngestResult(shown, "archived", doc_id)

    # ------------------------------------------------------------------ steps
    def _existing(self, sha256: str) -> str | None:
        with self.sessions() as s:
            return s.execute(select(Document.id).where(Document.sha256 == sha256)).scalar()

    def _duplicate(self, doc_id: str, arrival: Arrival, size: int, mtime_ns: int) -> IngestResult:
        """Record the extra path (unless this very arrival was recorded before a crash)."""
        with self.sessions.begin() as s:
            seen = s.execute(
                select(Source.id).where(
                    Source.document_id == doc_id,
                    Source.path == str(arrival.path),
                    Source.size == size,
                    Source.mtime_ns == mtime_ns,
                )
            ).scalar()
            if seen is None:
                s.add(self._source(doc_id, arrival, size, mtime_ns))
                audit.append(s, "ingest.duplicate", doc_id, {"path": str(arrival.path)})
        log.info("duplicate of %s: %s", doc_id, arrival.path)
        return IngestResult(str(arrival.path), "duplicate", doc_id)

    def _prepare_attachments(self, extracted: Extracted, depth: int) -> list[_Prepared]:
        out: list[_Prepared] = []
        for att in extracted.attachments:
            tmp, digest = self.store.write_bytes_to_temp(att.data)
            child = _Prepared(att.name, digest, tmp, None, None)
            out.append(child)
            try:
                child.kind = detect(tmp)
                child.extracted = self.extractor.extract(
                    tmp, child.kind.kind, child.kind.mime, child.kind.text_encoding
                )
                if depth < MAX_ATTACHMENT_DEPTH:
                    child.children = self._prepare_attachments(child.extracted, depth + 1)
            except ArchiverError as e:  # kept as evidence all the same, with the reason it has no text
                child.error = e
        return out

    def _all(self, prepared: _Prepared) -> list[_Prepared]:
        out = [prepared]
        for c in prepared.children:
            out += self._all(c)
        return out

    def _commit(self, prepared: _Prepared, arrival: Arrival, size: int, mtime_ns: int) -> str | None:
        """Move the originals into the store and commit their catalog rows in one transaction."""
        everything = self._all(prepared)
        for p in everything:
            self.store.mark_pending(p.digest.sha256)
            self.store.commit_temp(p.tmp, p.digest.sha256)
        try:
            with self.sessions.begin() as s:
                doc_id = self._add_document(s, prepared, None, arrival, size, mtime_ns)
        except IntegrityError:
            log.info("%s was committed concurrently by another process", prepared.name)
            doc_id = None
        for p in everything:
            self.store.clear_pending(p.digest.sha256)
        return doc_id

    def _add_document(
        self, s: Session, p: _Prepared, parent_id: str | None, arrival: Arrival, size: int, mtime_ns: int
    ) -> str:
        existing = s.execute(select(Document.id).where(Document.sha256 == p.digest.sha256)).scalar()
        if existing is not None and parent_id is not None:  # an attachment we already hold
            s.add(
                Source(
                    document_id=existing,
                    path=f"{arrival.path}#{p.name}",
                    origin="attachment",
                    size=p.digest.size,
                    mtime_ns=0,
                    arrived_at=audit.now_iso(),
                )
            )
            return existing
        ex = p.extracted
        doc = Document(
            id=new_id(),
            sha256=p.digest.sha256,
            sm3=p.digest.sm3,
            size=p.digest.size,
            original_name=p.name,
            mime=(ex.mime if ex else (p.kind.mime if p.kind else "application/octet-stream")),
            page_count=len(ex.pages) if ex else 0,
            text_source=ex.text_source if ex else None,
            ingested_at=audit.now_iso(),
            parent_id=parent_id,
            status="active",
            extract_error=p.error.bilingual if p.error else None,
            meta_json=json.dumps(ex.meta, ensure_ascii=False) if ex and ex.meta else None,
        )
        s.add(doc)
        if ex:
            s.add_all(
                Page(
                    document_id=doc.id,
                    number=pg.number,
                    raw_text=pg.raw,
                    text=pg.text,
                    source=pg.source,
                    ocr_confidence=pg.ocr_confidence,
                )
                for pg in ex.pages
            )
            apply_understanding(doc, understand([pg.text for pg in ex.pages], ex.mime, ex.meta, self.rules))
            s.flush()
            link = link_document(
                s,
                doc,
                [pg.text for pg in ex.pages],
                hints_for(arrival.folder_hint, arrival.customer_hint),
                self.cfg.organization_names,
            )
            if link.get("created_customer"):
                self.created_customers.append(link["created_customer"])
        if parent_id is None:
            s.add(self._source(doc.id, arrival, size, mtime_ns))
        else:
            s.add(
                Source(
                    document_id=doc.id,
                    path=f"{arrival.path}#{p.name}",
                    origin="attachment",
                    size=p.digest.size,
                    mtime_ns=0,
                    arrived_at=audit.now_iso(),
                )
            )
        s.flush()
        audit.append(
            s,
            "ingest",
            doc.id,
            {
                "path": str(arrival.path) + (f"#{p.name}" if parent_id else ""),
                "sha256": doc.sha256,
                "sm3": doc.sm3,
                "doc_type": doc.doc_type,
                "customer_id": doc.customer_id,
                "link_method": doc.link_method,
                "size": doc.size,
                "pages": doc.page_count,
                "text_source": doc.text_source,
                "parent_id": parent_id,
            },
        )
        for child in p.children:
            self._add_document(s, child, doc.id, arrival, size, mtime_ns)
        return doc.id

    def _source(self, doc_id: str, arrival: Arrival, size: int, mtime_ns: int) -> Source:
        return Source(
            document_id=doc_id,
            path=str(arrival.path),
            folder_hint=arrival.folder_hint,
            origin=arrival.origin,
            size=size,
            mtime_ns=mtime_ns,
            arrived_at=audit.now_iso(),
            customer_hint=arrival.customer_hint,
        )

    def _discard_temps(self, prepared: _Prepared) -> None:
        for p in self._all(prepared):
            p.tmp.unlink(missing_ok=True)  # already moved into the store on success

    def _failed(self, arrival: Arrival, err: ArchiverError, digest: Digest | None) -> IngestResult:
        """Record the failure (once per file and content, however often a crash makes us retry)."""
        sha = digest.sha256 if digest else None
        with self.sessions.begin() as s:
            row = (
                s.execute(
                    select(Failure).where(
                        Failure.path == str(arrival.path), Failure.sha256 == sha, Failure.code == err.code
                    )
                )
                .scalars()
                .first()
            )
            if row is None:
                s.add(
                    Failure(
                        path=str(arrival.path),
                        sha256=sha,
                        code=err.code,
                        message_en=err.en,
                        message_zh=err.zh,
                        failed_at=audit.now_iso(),
                    )
                )
                audit.append(
                    s,
                    "ingest.failed",
                    None,
                    {"path": str(arrival.path), "sha256": sha, "code": err.code, "reason": err.en},
                )
            else:
                row.failed_at = audit.now_iso()
        log.info("failed %s: %s", arrival.path, err.en)
        return IngestResult(str(arrival.path), "failed", None, err.bilingual, err.code)

    def note_moved(self, path: Path, moved_to: Path) -> None:
        with self.sessions.begin() as s:
            for row in s.execute(
                select(Failure).where(Failure.path == str(path), Failure.moved_to.is_(None))
            ).scalars():
                row.moved_to = str(moved_to)
