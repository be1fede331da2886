"""report idempotency: the hashed Idempotency-Key of each report and status record

Revision ID: 3801
Revises: 3701
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "3801"
down_revision = "3701"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("report_records", sa.Column("idempotency_key_sha256", sa.String(64), nullable=True))
    # NULLs are distinct in a unique index on SQLite and PostgreSQL: records filed without a key
    # never collide
    op.create_index("uq_report_records_user_id_idempotency_key", "report_records",
                    ["user_id", "idempotency_key_sha256"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_report_records_user_id_idempotency_key", table_name="report_records")
    with op.batch_alter_table("report_records") as batch:
        batch.drop_column("idempotency_key_sha256")
