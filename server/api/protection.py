"""One-click protection and fine-grained protection settings.

    POST   /v1/protection/one-click  {"duration_hours": 24|72|168|720}
    DELETE /v1/protection/one-click
    GET    /v1/protection
    PUT    /v1/protection            {who_may_comment, who_may_message, sensitivity, allow_senders, reclaimed_terms,
                                      hide_swearing}

Also the test-only route that moves the feature clock (server/clock.py): with
``KINDSHIELD_TEST_CLOCK=1`` in the server's environment (off by default) an admin key may shift
it with ``PUT /v1/testing/clock {"now": ISO8601} | {"advance_seconds": n}``.  Without that
setting the route answers 404.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..auth import current_user, require_auth
from ..clock import forget, now, real_now, test_clock_enabled
from ..errors import bad_request, not_found
from ..policy.clock import format_time, parse_time
from ..policy.lockdown import DURATIONS_HOURS
from ..policy.settings import AUDIENCES, SENSITIVITIES, SettingsError
from ..services.protection import sync_lockdown_notices
from ..store import feature_clock as clock_store
from ..store import get_store
from ..store import protection as protection_store
from ..store import stats as stats_store
from . import ApiBlueprint, StrictSchema

log = logging.getLogger("kindshield.protection")

blp = ApiBlueprint("protection", __name__, url_prefix="/v1", description="One-click protection and settings")


def protection_view(conn, user_id: int, t: datetime) -> dict:
    settings = protection_store.load_settings(conn, user_id)
    active = protection_store.active_lockdown(conn, user_id, t)
    latest = active or protection_store.latest_lockdown(conn, user_id)
    return {
        "settings": settings.to_dict(),
        "lockdown": protection_store.lockdown_view(latest, t) if latest is not None else None,
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
    hide_swearing = fields.Boolean(truthy={True}, falsy={False}, metadata={
        "description": "fold swearing that attacks no one (default false: only hostility, the `toxic` "
                       "decision, is folded or blocked)"})


class TestingClockSchema(StrictSchema):
    now = fields.String()
    advance_seconds = fields.Float()

    @validates_schema
    def _one(self, data, **kwargs):
        if ("now" in data) == ("advance_seconds" in data):
            raise ValidationError("give exactly one of now, advance_seconds")


class ProtectionSettingsViewSchema(Schema):
    who_may_comment = fields.String(required=True)
    who_may_message = fields.String(required=True)
    sensitivity = fields.String(required=True)
    allow_senders = fields.List(fields.String(), required=True)
    reclaimed_terms = fields.List(fields.String(), required=True)
    hide_swearing = fields.Boolean(required=True)


class LockdownViewSchema(Schema):
    active = fields.Boolean(required=True)
    state = fields.String(required=True, validate=validate.OneOf(("active", "expired", "ended_early")))
    duration_hours = fields.Integer(required=True)
    started_at = fields.String(required=True)
    until = fields.String(required=True)
    ended_at = fields.String(required=True, allow_none=True)
    reminder_at = fields.String(required=True)
    remaining_seconds = fields.Integer(required=True)
    id = fields.String(required=True)
    folded = fields.Integer(required=True, metadata={"description": "items folded while it was on"})
    blocked = fields.Integer(required=True, metadata={"description": "items blocked while it was on"})


class ProtectionViewSchema(Schema):
    settings = fields.Nested(ProtectionSettingsViewSchema, required=True)
    lockdown = fields.Nested(LockdownViewSchema, required=True, allow_none=True,
                             metadata={"description": "the current or last one-click lockdown"})
    lockdown_active = fields.Boolean(required=True)
    now = fields.String(required=True, metadata={"description": "the server's (feature clock's) time"})


class TestingClockViewSchema(Schema):
    now = fields.String(required=True)
    offset_seconds = fields.Float(required=True)


# ---------------------------------------------------------------------------
# routes

@blp.route("/protection", methods=["GET"])
@require_auth
@blp.response(200, ProtectionViewSchema)
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
                                        "reclaimed_terms": [], "hide_swearing": False})
@blp.response(200, ProtectionViewSchema)
def put_protection(args):
    """Change any of the fine-grained settings (fields not given keep their value)."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        current = protection_store.load_settings(conn, user.id)
        try:
            new = current.updated(args)
        except SettingsError as exc:
            raise bad_request("Invalid protection settings.", {"fields": {exc.field: [exc.message]}}) from None
        protection_store.save_settings(conn, user.id, new, t)
        return protection_view(conn, user.id, t)


@blp.route("/protection/one-click", methods=["POST"])
@require_auth
@blp.arguments(ProtectionOneClickSchema, example={"duration_hours": 168})
@blp.response(201, ProtectionViewSchema)
def one_click_on(args):
    """Turn on the lockdown preset until now + duration_hours (replacing a running one)."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        sync_lockdown_notices(conn, user.id, t)
        row = protection_store.start_lockdown(conn, user.id, args["duration_hours"], t)
        stats_store.bump(conn, user.id, t, {"lockdowns": 1})
        view = protection_view(conn, user.id, t)
    return {**view, "lockdown": protection_store.lockdown_view(row, t)}, 201


@blp.route("/protection/one-click", methods=["DELETE"])
@require_auth
@blp.response(200, ProtectionViewSchema)
def one_click_off():
    """End the running lockdown early (its recap follows in /v1/notices)."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        row = protection_store.end_lockdown(conn, user.id, t)
        if row is None:
            raise not_found("No one-click protection is active.")
        sync_lockdown_notices(conn, user.id, t)
        view = protection_view(conn, user.id, t)
        view["lockdown"] = protection_store.lockdown_view(row, t)
        return view


@blp.route("/testing/clock", methods=["GET", "PUT"])
@require_auth(admin=True)
@blp.response(200, TestingClockViewSchema)
def testing_clock():
    """Test-only: read or move the feature clock (404 unless KINDSHIELD_TEST_CLOCK=1)."""
    from flask import request

    if not test_clock_enabled():
        raise not_found()
    real = real_now()
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
                offset = clock_store.clock_offset(conn) + timedelta(seconds=args["advance_seconds"])
            clock_store.set_clock_offset(conn, offset, real)
        forget()
    with get_store().read() as conn:
        offset = clock_store.clock_offset(conn)
    return {"now": format_time(real + offset), "offset_seconds": offset.total_seconds()}
