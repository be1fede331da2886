"""protection features: settings, lockdowns, notices, pile-on windows, nudges, report chains, counters

Revision ID: 0401
Revises: 0001
Create Date: 2025-11-28
"""
import sqlalchemy as sa
from alembic import op

from kindshield_server.store.schema import UTCDateTime

revision = "0401"
down_revision = "0001"
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "protection_settings",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("who_may_comment", sa.String(16), nullable=False),
        sa.Column("who_may_message", sa.String(16), nullable=False),
        sa.Column("sensitivity", sa.String(16), nullable=False),
        sa.Column("allow_senders", sa.Text, nullable=False),
        sa.Column("reclaimed_terms", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_protection_settings"),
        _user_fk("protection_settings"),
    )
    op.create_table(
        "lockdowns",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("duration_hours", sa.Integer, nullable=False),
        sa.Column("until", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("superseded", sa.Boolean, nullable=False),
        sa.Column("reminder_sent_at", UTCDateTime(), nullable=True),
        sa.Column("recap_sent_at", UTCDateTime(), nullable=True),
        sa.Column("folded", sa.Integer, nullable=False),
        sa.Column("blocked", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lockdowns"),
        _user_fk("lockdowns"),
    )
    op.create_index("ix_lockdowns_user_id", "lockdowns", ["user_id"])
    op.create_table(
        "notices",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("dedupe_key", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("acked_at", UTCDateTime(), nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
        _user_fk("notices"),
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_notices_user_id_dedupe_key"),
    )
    op.create_index("ix_notices_user_created", "notices", ["user_id", "created_at"])
    op.create_table(
        "pileon_state",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("episode", sa.Text, nullable=True),
        sa.Column("baseline_rate", sa.Float, nullable=True),
        sa.Column("baseline_updated_at", UTCDateTime(), nullable=True),
        sa.Column("baseline_first_seen", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_pileon_state"),
        _user_fk("pileon_state"),
    )
    op.create_table(
        "hostile_events",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("sender_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hostile_events"),
        _user_fk("hostile_events"),
    )
    op.create_index("ix_hostile_events_user_at", "hostile_events", ["user_id", "at"])
    op.create_table(
        "nudges",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("labels", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("outcome_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_nudges"),
        _user_fk("nudges"),
    )
    op.create_index("ix_nudges_user_id", "nudges", ["user_id"])
    op.create_table(
        "report_chains",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("length", sa.Integer, nullable=False),
        sa.Column("head_sha256", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_report_chains"),
        _user_fk("report_chains"),
    )
    op.create_table(
        "report_records",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("report_id", sa.String(36), nullable=True),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("screenshot_sha256", sa.String(64), nullable=True),
        sa.Column("prev_sha256", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report_records"),
        _user_fk("report_records"),
        sa.UniqueConstraint("user_id", "seq", name="uq_report_records_user_id_seq"),
    )
    op.create_index("ix_report_records_report_id", "report_records", ["report_id"])
    op.create_table(
        "report_screenshots",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("record_id", name="pk_report_screenshots"),
        sa.ForeignKeyConstraint(["record_id"], ["report_records.id"],
                                name="fk_report_screenshots_record_id_report_records", ondelete="CASCADE"),
    )
    op.create_table(
        "published_cases",
        sa.Column("report_id", sa.String(36), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("published_by", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("report_id", name="pk_published_cases"),
        sa.ForeignKeyConstraint(["report_id"], ["report_records.id"],
                                name="fk_published_cases_report_id_report_records", ondelete="CASCADE"),
    )
    op.create_table(
        "daily_counters",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "day", "name", name="pk_daily_counters"),
        _user_fk("daily_counters"),
    )
    op.create_table(
        "feature_clock",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("offset_seconds", sa.Float, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feature_clock"),
    )


def downgrade() -> None:
    for name in ("feature_clock", "daily_counters", "published_cases", "report_screenshots", "report_records",
                 "report_chains", "nudges", "hostile_events", "pileon_state", "notices", "lockdowns",
                 "protection_settings"):
        op.drop_table(name)
