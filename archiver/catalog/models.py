"""Catalog tables (SQLAlchemy 2). The schema changes only through Alembic migrations in ``migrations/``."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
    revision: Mapped[int] = mapped_column(Integer, default=1)  # changes with anything the index shows
    customer_id: Mapped[str | None] = mapped_column(String(32), index=True)
    link_method: Mapped[str | None] = mapped_column(String(32))
    link_confidence: Mapped[float | None] = mapped_column(Float)
    link_reason: Mapped[str | None] = mapped_column(Text)
    link_origin: Mapped[str | None] = mapped_column(String(16))  # auto | manual (never overwritten)
    link_candidates: Mapped[str | None] = mapped_column(Text)  # JSON, for review

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


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # enterprise | individual
    name: Mapped[str] = mapped_column(Text)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    entity_type: Mapped[str | None] = mapped_column(Text)
    legal_representative: Mapped[str | None] = mapped_column(Text)
    registered_capital: Mapped[str | None] = mapped_column(Text)
    established_on: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(Text)
    fax: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    main_business: Mapped[str | None] = mapped_column(Text)
    side_business: Mapped[str | None] = mapped_column(Text)
    employees: Mapped[int | None] = mapped_column(Integer)
    contact: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | closed
    closed_on: Mapped[str | None] = mapped_column(String(10))  # the relationship ended (retention uses it)
    source: Mapped[str] = mapped_column(String(32))  # import | manual | created_from_license
    created_at: Mapped[str] = mapped_column(String(40))
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))

    aliases: Mapped[list[CustomerAlias]] = relationship(back_populates="customer", cascade="all, delete-orphan")


class CustomerAlias(Base):
    __tablename__ = "customer_aliases"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    alias: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # short | former | english | other
    normalized: Mapped[str] = mapped_column(Text, index=True)

    customer: Mapped[Customer] = relationship(back_populates="aliases")


class Hold(Base):
    """A legal hold: on documents, a whole customer (later documents included) or a contract family."""

    __tablename__ = "holds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    matter: Mapped[str] = mapped_column(Text)  # 案号 or internal dispute id
    reason: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(16))  # documents | customer | contract
    target: Mapped[str] = mapped_column(Text)
    placed_at: Mapped[str] = mapped_column(String(40))
    placed_by: Mapped[str] = mapped_column(String(128))
    released_at: Mapped[str | None] = mapped_column(String(40))
    released_by: Mapped[str | None] = mapped_column(String(128))
    release_reason: Mapped[str | None] = mapped_column(Text)


class Disposal(Base):
    """The disposal register (销毁清单): what was destroyed, when, by whom, under which policy. Permanent."""

    __tablename__ = "disposals"

    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    original_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    sm3: Mapped[str | None] = mapped_column(String(64))
    doc_type: Mapped[str | None] = mapped_column(String(32))
    customer_id: Mapped[str | None] = mapped_column(String(32))
    customer_name: Mapped[str | None] = mapped_column(Text)
    policy: Mapped[str] = mapped_column(String(32))
    trigger: Mapped[str | None] = mapped_column(Text)
    dispose_after: Mapped[str] = mapped_column(String(10))
    disposed_at: Mapped[str] = mapped_column(String(40))
    disposed_by: Mapped[str] = mapped_column(String(128))
    batch: Mapped[str] = mapped_column(String(32))


class User(Base):
    """A web account. The password is stored only as an argon2 hash; failed logins slow the next attempt."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))  # viewer | records | legal | admin
    created_at: Mapped[str] = mapped_column(String(40))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[float] = mapped_column(Float, default=0.0)  # epoch seconds
    session_epoch: Mapped[int] = mapped_column(Integer, default=1)  # bumped on password change: old sessions end
