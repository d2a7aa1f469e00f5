"""Catalog tables (SQLAlchemy 2). The schema changes only through Alembic migrations in ``migrations/``."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    sm3: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(Text)
    mime: Mapped[str] = mapped_column(String(128))
    page_count: Mapped[int] = mapped_column(Integer)
    text_source: Mapped[str | None] = mapped_column(String(16))
    ingested_at: Mapped[str] = mapped_column(String(40))  # ISO 8601 with offset
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"), index=True)
    extract_error: Mapped[str | None] = mapped_column(Text)  # an attachment kept although unreadable
    status: Mapped[str] = mapped_column(String(16), default="active")
    meta_json: Mapped[str | None] = mapped_column(Text)  # parser metadata, e.g. e-mail headers
    doc_type: Mapped[str | None] = mapped_column(String(32), index=True)  # None: waiting for review
    type_confidence: Mapped[float | None] = mapped_column(Float)
    type_reason: Mapped[str | None] = mapped_column(Text)
    type_candidates: Mapped[str | None] = mapped_column(Text)  # JSON [[type, score], …]
    type_origin: Mapped[str] = mapped_column(String(16), default="auto")  # auto | manual (never overwritten)

    pages: Mapped[list[Page]] = relationship(
        back_populates="document", order_by="Page.number", cascade="all, delete-orphan"
    )
    sources: Mapped[list[Source]] = relationship(back_populates="document", order_by="Source.id")
    fields: Mapped[list[Field]] = relationship(
        back_populates="document", order_by="Field.name", cascade="all, delete-orphan"
    )


class Field(Base):
    """One key field of a document with where it came from; manual corrections are never overwritten."""

    __tablename__ = "fields"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="extracted")  # extracted | manual

    document: Mapped[Document] = relationship(back_populates="fields")


class Page(Base):
    __tablename__ = "pages"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    raw_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # normalised (width folded, no spaces between CJK)
    source: Mapped[str] = mapped_column(String(16))  # text_layer | ocr | docx | email | plain | ofd
    ocr_confidence: Mapped[float | None] = mapped_column(Float)

    document: Mapped[Document] = relationship(back_populates="pages")


class Source(Base):
    """Every path a document arrived from, with when; the same bytes from two paths are one document."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("document_id", "path", "size", "mtime_ns", name="uq_source_arrival"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    folder_hint: Mapped[str | None] = mapped_column(Text)  # subfolder under the inbox / ingested folder
    origin: Mapped[str] = mapped_column(String(16))  # inbox | ingest | attachment
    customer_hint: Mapped[str | None] = mapped_column(Text)  # `ingest --customer`, for linking
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    arrived_at: Mapped[str] = mapped_column(String(40))

    document: Mapped[Document] = relationship(back_populates="sources")


class Failure(Base):
    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(32))
    message_en: Mapped[str] = mapped_column(Text)
    message_zh: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[str] = mapped_column(String(40))
    moved_to: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """Append-only; each entry carries the SHA-256 of the previous one (a hash chain)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_audit_document", AuditEntry.document_id)
Index("ix_sources_path", Source.path)

