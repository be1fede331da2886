"""Table definitions (SQLAlchemy Core): every table of the server, on one MetaData.

Repository modules beside this one (``protection``, ``notices``, ``pileon``, ``nudges``,
``reports``, ``published``, ``stats``, ``feature_clock``, ``offenders``, ``webhooks``) hold the
queries; a new table goes here and gets an Alembic migration under store/migrations/versions/.
Keep the tables portable: they must work on SQLite and PostgreSQL alike.

Tables:

* ``users``, ``api_keys``  who may call the API (auth.py).
* ``protection_settings``  one row per user: audiences, sensitivity, allow-lists.
* ``lockdowns``            one-click protection periods, with folded/blocked counters.
* ``notices``              risk notices, reminders, recaps (counts and labels only, never text);
                           ``(user_id, dedupe_key)`` is unique, so a notice is raised at most once
                           even when several workers decide at the same moment.
* ``pileon_state``         one row per recipient: the open pile-on episode and the baseline rate.
                           Locked (SELECT ... FOR UPDATE / BEGIN IMMEDIATE) around each assessment.
* ``hostile_events``       the per-recipient sliding window: time, score, hashed sender id.
* ``nudges``               writer nudges shown and their outcomes (labels only, no text).
* ``report_chains``        one row per user: the chain head; locked while appending.
* ``report_records``       the hash-chained report and status records (the only text we keep).
* ``report_screenshots``   PNG evidence, one per report record.
* ``published_cases``      reports the reporter made public and the operator published.
* ``daily_counters``       per-user, per-day counters for /v1/stats and /transparency.
* ``feature_clock``        the test-only clock offset (used only when enabled by configuration).
* ``offender_events``      one row per hostile item seen by /v1/shield: sender pseudonym, recipient
                           pseudonym, time, hostile labels, score, severity.  Never text, never a raw id.
* ``offenders``            one row per sender pseudonym: first/last seen and the flag state.
* ``offender_flags``       one row per flag raised (for the monthly transparency counts).
* ``offender_reviews``     what an operator decided, with an optional note.
* ``webhook_outbox``       one row per webhook event: body, delivery status, attempts, claim.
* ``webhook_attempts``     the delivery log: one row per attempt.
"""
from __future__ import annotations

import datetime as _dt

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)

# deterministic constraint names, so migrations (and SQLite batch mode) can refer to them
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every engine (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use datetime.now(timezone.utc)")
        return value.astimezone(_dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=_dt.timezone.utc)
        return value.astimezone(_dt.timezone.utc)


def utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False, unique=True),   # first characters of the key, for look-up
    Column("key_hash", String(64), nullable=False),              # sha256 hex of the whole key
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("rate_limit", String(100), nullable=True),            # per-key override of Config.rate_limit
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)


# ---------------------------------------------------------------------------
# protection features (issue 4)

_USER_FK = lambda: ForeignKey("users.id", ondelete="CASCADE")  # noqa: E731

protection_settings = Table(
    "protection_settings", metadata,
    Column("user_id", Integer, _USER_FK(), primary_key=True),
    Column("who_may_comment", String(16), nullable=False),
    Column("who_may_message", String(16), nullable=False),
    Column("sensitivity", String(16), nullable=False),
    Column("allow_senders", Text, nullable=False),     # JSON list of sender ids
    Column("reclaimed_terms", Text, nullable=False),   # JSON list of terms
    Column("updated_at", UTCDateTime(), nullable=False),
    # opt-in: fold swearing that attacks no one (off: only hostility is folded)
    Column("hide_swearing", Boolean, nullable=False, server_default=false()),
)

lockdowns = Table(
    "lockdowns", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, _USER_FK(), nullable=False, index=True),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("duration_hours", Integer, nullable=False),
    Column("until", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),        # ended early by the user
    Column("superseded", Boolean, nullable=False, default=False),
    Column("reminder_sent_at", UTCDateTime(), nullable=True),
    Column("recap_sent_at", UTCDateTime(), nullable=True),
    Column("folded", Integer, nullable=False, default=0),
    Column("blocked", Integer, nullable=False, default=0),
)

notices = Table(
    "notices", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, _USER_FK(), nullable=False),
    Column("type", String(32), nullable=False),
    Column("dedupe_key", String(128), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("acked_at", UTCDateTime(), nullable=True),
    Column("payload", Text, nullable=False),                  # JSON: counts, labels, times; never text
    UniqueConstraint("user_id", "dedupe_key", name="uq_notices_user_id_dedupe_key"),
    Index("ix_notices_user_created", "user_id", "created_at"),
)

pileon_state = Table(
    "pileon_state", metadata,
    Column("user_id", Integer, _USER_FK(), primary_key=True),
    Column("episode", Text, nullable=True),                   # JSON Episode or NULL
    Column("baseline_rate", Float, nullable=True),
    Column("baseline_updated_at", UTCDateTime(), nullable=True),
    Column("baseline_first_seen", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
)

hostile_events = Table(
    "hostile_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, _USER_FK(), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("score", Float, nullable=False),
    Column("sender_hash", String(64), nullable=False),
    Index("ix_hostile_events_user_at", "user_id", "at"),
)

nudges = Table(
    "nudges", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, _USER_FK(), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("language", String(8), nullable=False),
    Column("labels", Text, nullable=False),                   # JSON list of label names
    Column("outcome", String(16), nullable=True),
    Column("outcome_at", UTCDateTime(), nullable=True),
)

report_chains = Table(
    "report_chains", metadata,
    Column("user_id", Integer, _USER_FK(), primary_key=True),
    Column("length", Integer, nullable=False),
    Column("head_sha256", String(64), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

report_records = Table(
    "report_records", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, _USER_FK(), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False),               # report | status
    Column("report_id", String(36), nullable=True, index=True),  # status records: the report they update
    Column("received_at", String(40), nullable=False),        # exactly as hashed
    Column("content", Text, nullable=False),                  # canonical JSON, as hashed
    Column("screenshot_sha256", String(64), nullable=True),
    Column("prev_sha256", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    # sha256 of the client's Idempotency-Key (never the key itself): a retried filing or status
    # change finds the record its first try committed instead of appending a second one
    Column("idempotency_key_sha256", String(64), nullable=True),
    UniqueConstraint("user_id", "seq", name="uq_report_records_user_id_seq"),
    Index("uq_report_records_user_id_idempotency_key", "user_id", "idempotency_key_sha256", unique=True),
)

report_screenshots = Table(
    "report_screenshots", metadata,
    Column("record_id", String(36), ForeignKey("report_records.id", ondelete="CASCADE"), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

published_cases = Table(
    "published_cases", metadata,
    Column("report_id", String(36), ForeignKey("report_records.id", ondelete="CASCADE"), primary_key=True),
    Column("published_at", UTCDateTime(), nullable=False),
    Column("published_by", Integer, nullable=True),
)

daily_counters = Table(
    "daily_counters", metadata,
    Column("user_id", Integer, _USER_FK(), primary_key=True),
    Column("day", String(10), primary_key=True),              # YYYY-MM-DD (UTC)
    Column("name", String(32), primary_key=True),
    Column("count", Integer, nullable=False),
)

feature_clock = Table(
    "feature_clock", metadata,
    Column("id", Integer, primary_key=True),
    Column("offset_seconds", Float, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)


# ---------------------------------------------------------------------------
# repeat offenders (issue 13)

offender_events = Table(
    "offender_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender", String(32), nullable=False),
    Column("recipient", String(32), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("labels", String(120), nullable=False),     # comma-separated hostile labels
    Column("score", Float, nullable=False),
    Column("severity", String(8), nullable=False),
    Index("ix_offender_events_sender_at", "sender", "at"),
    Index("ix_offender_events_at", "at"),
)

offenders = Table(
    "offenders", metadata,
    Column("sender", String(32), primary_key=True),
    Column("first_seen", UTCDateTime(), nullable=False),
    Column("last_seen", UTCDateTime(), nullable=False),
    Column("flagged_at", UTCDateTime(), nullable=True),
    Column("met_until", UTCDateTime(), nullable=True),
    Column("reviewed_at", UTCDateTime(), nullable=True),
    Column("review_outcome", String(16), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
)

offender_flags = Table(
    "offender_flags", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender", String(32), nullable=False, index=True),
    Column("flagged_at", UTCDateTime(), nullable=False, index=True),
)

offender_reviews = Table(
    "offender_reviews", metadata,
    Column("id", String(36), primary_key=True),
    Column("sender", String(32), nullable=False, index=True),
    Column("outcome", String(16), nullable=False),
    Column("note", Text, nullable=True),
    Column("reviewer", String(200), nullable=False),   # the admin key's name
    Column("created_at", UTCDateTime(), nullable=False, index=True),
)


# ---------------------------------------------------------------------------
# webhook outbox (issue 13)

webhook_outbox = Table(
    "webhook_outbox", metadata,
    Column("id", String(36), primary_key=True),
    Column("event", String(32), nullable=False),
    Column("dedupe_key", String(128), nullable=False, unique=True),
    Column("payload", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("status", String(12), nullable=False),          # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("claim_token", String(36), nullable=True),
    Column("claimed_until", UTCDateTime(), nullable=True),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", String(200), nullable=True),
    Index("ix_webhook_outbox_status_next", "status", "next_attempt_at"),
)

webhook_attempts = Table(
    "webhook_attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), ForeignKey("webhook_outbox.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", String(200), nullable=True),
    Column("duration_ms", Integer, nullable=False),
    Column("worker", String(64), nullable=False),
)


# ---------------------------------------------------------------------------
# platform keys and their subjects (issue 33)

key_scopes = Table(
    "key_scopes", metadata,
    Column("key_id", Integer, ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True),
    Column("scope", String(32), primary_key=True),                # "platform" (admin stays api_keys.is_admin)
)

platform_subjects = Table(
    "platform_subjects", metadata,
    # the subject's own user row: every per-user feature (protection, lockdown, pile-on, notices,
    # nudges, reports, counters) keys on it, so subjects are isolated like ordinary users.  Its
    # name is "subject:<platform user id>:<HMAC pseudonym>"; the platform's raw id is never stored.
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("platform_user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
)
