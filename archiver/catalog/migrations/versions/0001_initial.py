"""Initial catalog: documents, pages, sources, failures, audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("sm3", sa.String(64)),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("original_name", sa.Text, nullable=False),
        sa.Column("mime", sa.String(128), nullable=False),
        sa.Column("page_count", sa.Integer, nullable=False),
        sa.Column("text_source", sa.String(16)),
        sa.Column("ingested_at", sa.String(40), nullable=False),
        sa.Column("parent_id", sa.String(32), sa.ForeignKey("documents.id")),
        sa.Column("extract_error", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("meta_json", sa.Text),
    )
    op.create_index("ix_documents_parent_id", "documents", ["parent_id"])
    op.create_table(
        "pages",
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("raw_text", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("ocr_confidence", sa.Float),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("folder_hint", sa.Text),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("customer_hint", sa.Text),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("arrived_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("document_id", "path", "size", "mtime_ns", name="uq_source_arrival"),
    )
    op.create_index("ix_sources_document_id", "sources", ["document_id"])
    op.create_index("ix_sources_path", "sources", ["path"])
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("message_en", sa.Text, nullable=False),
        sa.Column("message_zh", sa.Text, nullable=False),
        sa.Column("failed_at", sa.String(40), nullable=False),
        sa.Column("moved_to", sa.Text),
    )
    op.create_index("ix_failures_sha256", "failures", ["sha256"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(32)),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_document", "audit_log", ["document_id"])


def downgrade() -> None:
    for table in ("audit_log", "failures", "sources", "pages", "documents"):
        op.drop_table(table)
