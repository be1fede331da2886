"""repeat offenders (pseudonymous hostile-item records, flags, reviews) and the webhook outbox

Revision ID: 1301
Revises: 0401
Create Date: 2026-01-20
"""
import sqlalchemy as sa
from alembic import op

from kindshield_server.store.schema import UTCDateTime

revision = "1301"
down_revision = "0401"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offender_events",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("sender", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(32), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("labels", sa.String(120), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_offender_events"),
    )
    op.create_index("ix_offender_events_sender_at", "offender_events", ["sender", "at"])
    op.create_index("ix_offender_events_at", "offender_events", ["at"])
    op.create_table(
        "offenders",
        sa.Column("sender", sa.String(32), nullable=False),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("flagged_at", UTCDateTime(), nullable=True),
        sa.Column("met_until", UTCDateTime(), nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("review_outcome", sa.String(16), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sender", name="pk_offenders"),
    )
    op.create_table(
        "offender_flags",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("sender", sa.String(32), nullable=False),
        sa.Column("flagged_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_offender_flags"),
    )
    op.create_index("ix_offender_flags_sender", "offender_flags", ["sender"])
    op.create_index("ix_offender_flags_flagged_at", "offender_flags", ["flagged_at"])
    op.create_table(
        "offender_reviews",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("sender", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_offender_reviews"),
    )
    op.create_index("ix_offender_reviews_sender", "offender_reviews", ["sender"])
    op.create_index("ix_offender_reviews_created_at", "offender_reviews", ["created_at"])
    op.create_table(
        "webhook_outbox",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("dedupe_key", sa.String(128), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("last_status_code", sa.Integer, nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_outbox"),
        sa.UniqueConstraint("dedupe_key", name="uq_webhook_outbox_dedupe_key"),
    )
    op.create_index("ix_webhook_outbox_status_next", "webhook_outbox", ["status", "next_attempt_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_attempts"),
        sa.ForeignKeyConstraint(["event_id"], ["webhook_outbox.id"], name="fk_webhook_attempts_event_id_webhook_outbox",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_webhook_attempts_event_id", "webhook_attempts", ["event_id"])


def downgrade() -> None:
    for index, table in (("ix_webhook_attempts_event_id", "webhook_attempts"),
                         ("ix_webhook_outbox_status_next", "webhook_outbox"),
                         ("ix_offender_reviews_created_at", "offender_reviews"),
                         ("ix_offender_reviews_sender", "offender_reviews"),
                         ("ix_offender_flags_flagged_at", "offender_flags"),
                         ("ix_offender_flags_sender", "offender_flags"),
                         ("ix_offender_events_at", "offender_events"),
                         ("ix_offender_events_sender_at", "offender_events")):
        op.drop_index(index, table_name=table)
    for table in ("webhook_attempts", "webhook_outbox", "offender_reviews", "offender_flags", "offenders",
                  "offender_events"):
        op.drop_table(table)
