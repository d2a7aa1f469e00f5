"""Customer registry, aliases, and each document's customer link with how it was made.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),  # enterprise | individual
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("uscc", sa.String(18), unique=True),
        sa.Column("id_number", sa.String(18), unique=True),
        sa.Column("entity_type", sa.Text),
        sa.Column("legal_representative", sa.Text),
        sa.Column("registered_capital", sa.Text),
        sa.Column("established_on", sa.String(10)),
        sa.Column("address", sa.Text),
        sa.Column("postcode", sa.String(16)),
        sa.Column("phone", sa.Text),
        sa.Column("fax", sa.Text),
        sa.Column("website", sa.Text),
        sa.Column("main_business", sa.Text),
        sa.Column("side_business", sa.Text),
        sa.Column("employees", sa.Integer),
        sa.Column("contact", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("closed_on", sa.String(10)),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("merged_into", sa.String(32), sa.ForeignKey("customers.id")),
    )
    op.create_table(
        "customer_aliases",
        sa.Column("customer_id", sa.String(32), sa.ForeignKey("customers.id"), primary_key=True),
        sa.Column("alias", sa.Text, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),  # short | former | english | other
        sa.Column("normalized", sa.Text, nullable=False),
    )
    op.create_index("ix_customer_aliases_normalized", "customer_aliases", ["normalized"])
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("customer_id", sa.String(32)))
        batch.add_column(sa.Column("link_method", sa.String(32)))
        batch.add_column(sa.Column("link_confidence", sa.Float))
        batch.add_column(sa.Column("link_reason", sa.Text))
        batch.add_column(sa.Column("link_origin", sa.String(16)))  # auto | manual
        batch.add_column(sa.Column("link_candidates", sa.Text))
    op.create_index("ix_documents_customer_id", "documents", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_documents_customer_id", "documents")
    with op.batch_alter_table("documents") as batch:
        for c in ("link_candidates", "link_origin", "link_reason", "link_confidence", "link_method", "customer_id"):
            batch.drop_column(c)
    op.drop_table("customer_aliases")
    op.drop_table("customers")
