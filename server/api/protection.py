"""One-click protection and fine-grained protection settings.

    POST   /v1/protection/one-click  {"duration_hours": 24|72|168|720}
    DELETE /v1/protection/one-click
    GET    /v1/protection
    PUT    /v1/protection            {who_may_comment, who_may_message, sensitivity, allow_senders, reclaimed_terms}

Also the feature clock used by every protection feature (lockdown expiry, pile-on windows,
per-day statistics). In production it is the system clock. With ``KINDSHIELD_TEST_CLOCK=1``
in the server's environment (off by default) an admin key may shift it with
``PUT /v1/testing/clock {"now": ISO8601} | {"advance_seconds": n}``; the offset is kept in
the database, so every worker of the instance agrees on "now". Without that setting the
route answers 404.
"""
from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta

from flask import current_app, g
from marshmallow import fields, validate, validates_schema, ValidationError

from ..auth import current_user, require_auth
from ..errors import ApiError, bad_request, not_found
from ..policy import lockdown as lockdown_policy
from ..policy.clock import SystemClock, format_time, parse_time
from ..policy.lockdown import DURATIONS_HOURS, Lockdown
from ..policy.settings import AUDIENCES, SENSITIVITIES, SettingsError
from ..store import get_store
from ..store import features as fs
from . import ApiBlueprint, StrictSchema

log = logging.getLogger("kindshield.protection")

blp = ApiBlueprint("protection", __name__, url_prefix="/v1", description="One-click protection and settings")

TEST_CLOCK_ENV = "KINDSHIELD_TEST_CLOCK"
_system_clock = SystemClock()


def test_clock_enabled() -> bool:
    flag = current_app.config.get("KINDSHIELD_TEST_CLOCK")
    if flag is None:
        flag = os.environ.get(TEST_CLOCK_ENV, "")
    return str(flag).strip().lower() in ("1", "true", "yes", "on")


def now() -> datetime:
    """The feature clock's "now" for this request (cached per request)."""
    cached = g.get("_ks_feature_now")
    if cached is not None:
        return cached
    t = _system_clock.now()
    if test_clock_enabled():
        with get_store().read() as conn:
            t = t + fs.clock_offset(conn)
    g._ks_feature_now = t
    return t


# ---------------------------------------------------------------------------
# lockdown notices (reminder, recap): computed from stored times and "now", so every worker agrees

def sync_lockdown_notices(conn, user_id: int, t: datetime) -> None:
    for row in fs.pending_lockdown_notices(conn, user_id):
        lk = Lockdown(row.started_at, row.duration_hours, row.ended_at)
        if lk.reminder_due(t, row.reminder_sent_at is not None):
            fs.add_notice(conn, user_id, "lockdown_reminder", f"reminder:{row.id}",
                          {**lockdown_policy.reminder_message(lk, t), "lockdown_id": row.id}, t)
            fs.mark_lockdown(conn, row.id, reminder_sent_at=t)
        if lk.recap_due(t, row.recap_sent_at is not None):
            if row.reminder_sent_at is None:
                fs.mark_lockdown(conn, row.id, reminder_sent_at=t)  # too late for a reminder now
            fs.add_notice(conn, user_id, "lockdown_recap", f"recap:{row.id}",
                          {**lockdown_policy.recap(lk, row.folded, row.blocked), "lockdown_id": row.id}, t)
            fs.mark_lockdown(conn, row.id, recap_sent_at=t)


def protection_view(conn, user_id: int, t: datetime) -> dict:
    settings = fs.load_settings(conn, user_id)
    active = fs.active_lockdown(conn, user_id, t)
    latest = active or fs.latest_lockdown(conn, user_id)
    return {
        "settings": settings.to_dict(),
        "lockdown": fs.lockdown_view(latest, t) if latest is not None else None,
        "lockdown_active": active is not None,
        "now": format_time(t),
    }


# ---------------------------------------------------------------------------
# schemas

class ProtectionOneClickSchema(StrictSchema):
    duration_hours = fields.Integer(required=True, strict=True, validate=validate.OneOf(DURATIONS_HOURS),
                                    metadata={"description": "24, 72, 168 (7 days) or 720 (30 days)"})


class ProtectionSettingsSchema(StrictSchema):
    who_may_comment = fields.String(validate=validate.OneOf(AUDIENCES))
    who_may_message = fields.String(validate=validate.OneOf(AUDIENCES))
    sensitivity = fields.String(validate=validate.OneOf(SENSITIVITIES))
    allow_senders = fields.List(fields.String(validate=validate.Length(min=1, max=256)),
                                validate=validate.Length(max=1000))
    reclaimed_terms = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                                  validate=validate.Length(max=200))


class TestingClockSchema(StrictSchema):
    now = fields.String()
    advance_seconds = fields.Float()

    @validates_schema
    def _one(self, data, **kwargs):
        if ("now" in data) == ("advance_seconds" in data):
            raise ValidationError("give exactly one of now, advance_seconds")


# ---------------------------------------------------------------------------
# routes

@blp.route("/protection", methods=["GET"])
@require_auth
def get_protection():
    """Your protection settings and the current (or last) one-click lockdown."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        sync_lockdown_notices(conn, user.id, t)
        return protection_view(conn, user.id, t)


@blp.route("/protection", methods=["PUT"])
@require_auth
@blp.arguments(ProtectionSettingsSchema, example={"who_may_comment": "followers", "who_may_message": "mutuals",
                                        "sensitivity": "standard", "allow_senders": ["friend-123"],
                                        "reclaimed_terms": []})
def put_protection(args):
    """Change any of the fine-grained settings (fields not given keep their value)."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        current = fs.load_settings(conn, user.id)
        try:
            new = current.updated(args)
        except SettingsError as exc:
            raise bad_request("Invalid protection settings.", {"fields": {exc.field: [exc.message]}}) from None
        fs.save_settings(conn, user.id, new, t)
        return protection_view(conn, user.id, t)


@blp.route("/protection/one-click", methods=["POST"])
@require_auth
@blp.arguments(ProtectionOneClickSchema, example={"duration_hours": 168})
def one_click_on(args):
    """Turn on the lockdown preset until now + duration_hours (replacing a running one)."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        sync_lockdown_notices(conn, user.id, t)
        row = fs.start_lockdown(conn, user.id, args["duration_hours"], t)
        fs.bump(conn, user.id, t, {"lockdowns": 1})
        view = protection_view(conn, user.id, t)
    return {**view, "lockdown": fs.lockdown_view(row, t)}, 201


@blp.route("/protection/one-click", methods=["DELETE"])
@require_auth
def one_click_off():
    """End the running lockdown early (its recap follows in /v1/notices)."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        row = fs.end_lockdown(conn, user.id, t)
        if row is None:
            raise not_found("No one-click protection is active.")
        sync_lockdown_notices(conn, user.id, t)
        view = protection_view(conn, user.id, t)
        view["lockdown"] = fs.lockdown_view(row, t)
        return view


@blp.route("/testing/clock", methods=["GET", "PUT"])
@require_auth(admin=True)
def testing_clock():
    """Test-only: read or move the feature clock (404 unless KINDSHIELD_TEST_CLOCK=1)."""
    from flask import request

    if not test_clock_enabled():
        raise not_found()
    real = _system_clock.now()
    if request.method == "PUT":
        body = request.get_json(silent=True)
        try:
            args = TestingClockSchema().load(body if isinstance(body, dict) else {})
        except ValidationError as exc:
            raise bad_request("The request is invalid; see details.", {"fields": exc.messages}) from None
        with get_store().begin() as conn:
            if "now" in args:
                try:
                    target = parse_time(args["now"])
                except ValueError:
                    raise bad_request("now must be an ISO 8601 time") from None
                offset = target - real
            else:
                offset = fs.clock_offset(conn) + timedelta(seconds=args["advance_seconds"])
            fs.set_clock_offset(conn, offset, real)
        g.pop("_ks_feature_now", None)
    with get_store().read() as conn:
        offset = fs.clock_offset(conn)
    return {"now": format_time(real + offset), "offset_seconds": offset.total_seconds()}
