"""Document type and key fields with their provenance.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("doc_type", sa.String(32)))
        batch.add_column(sa.Column("type_confidence", sa.Float))
        batch.add_column(sa.Column("type_reason", sa.Text))
        batch.add_column(sa.Column("type_candidates", sa.Text))
        batch.add_column(sa.Column("type_origin", sa.String(16), nullable=False, server_default="auto"))
    op.create_index("ix_documents_doc_type", "documents", ["doc_type"])
    op.create_table(
        "fields",
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text),
        sa.Column("page", sa.Integer),
        sa.Column("evidence", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.Column("note", sa.Text),
        sa.Column("origin", sa.String(16), nullable=False, server_default="extracted"),
    )
    op.create_index("ix_fields_name_value", "fields", ["name", "value"])


def downgrade() -> None:
    op.drop_table("fields")
    op.drop_index("ix_documents_doc_type", "documents")
    with op.batch_alter_table("documents") as batch:
        for column in ("type_origin", "type_candidates", "type_reason", "type_confidence", "doc_type"):
            batch.drop_column(column)
