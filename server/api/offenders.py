"""Operator API for the repeat-offender signal and the webhook delivery log (admin keys only).

    GET  /v1/admin/offenders?status=flagged|reviewed|cleared|all&days=30&limit=100
    POST /v1/admin/offenders/lookup {"sender_id": "<raw platform id>"}   (the server hashes it)
    GET  /v1/admin/offenders/{id}
    POST /v1/admin/offenders/{id}/review {"outcome": "no_action"|"warned"|"muted"|"suspended", "note"}
    GET  /v1/admin/webhooks/deliveries?status=pending|delivered|failed&limit=100
"""
from __future__ import annotations

import logging
import re

from marshmallow import Schema, fields, validate

from ..auth import current_user, require_auth
from ..clock import now
from ..errors import ApiError
from ..policy import offenders as policy
from ..services import offenders as service
from ..services import webhooks
from ..store import get_store
from ..store import offenders as repo
from ..store import webhooks as outbox
from . import ApiBlueprint, StrictSchema, cursors
from .cursors import cursor_field, next_cursor_field

blp = ApiBlueprint("offenders", __name__, url_prefix="/v1/admin",
                   description="Operators: repeat offenders, reviews and webhook deliveries (admin keys)")

_ID_RE = re.compile(rf"^[0-9a-f]{{{policy.PSEUDONYM_CHARS}}}$")
LIST_STATUSES = ("flagged", "reviewed", "cleared", "all")


def offender_not_found() -> ApiError:
    return ApiError(404, "offender_not_found", "No hostile items from that sender are on record.")


class OffenderListQuerySchema(StrictSchema):
    status = fields.String(load_default="flagged", validate=validate.OneOf(LIST_STATUSES))
    days = fields.Integer(load_default=service.DEFAULT_DAYS, validate=validate.Range(min=1, max=365),
                          metadata={"description": "period of the counts (recipients, items, labels)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    cursor = cursor_field()


class OffenderLookupSchema(StrictSchema):
    sender_id = fields.String(required=True, validate=validate.Length(min=1, max=256),
                              metadata={"description": "the platform's raw sender id (hashed, never stored)"})
    days = fields.Integer(load_default=service.DEFAULT_DAYS, validate=validate.Range(min=1, max=365))


class OffenderRecordQuerySchema(StrictSchema):
    days = fields.Integer(load_default=service.DEFAULT_DAYS, validate=validate.Range(min=1, max=365))


class OffenderReviewRequestSchema(StrictSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(policy.OUTCOMES))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class OffenderReviewSchema(Schema):
    id = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(policy.OUTCOMES))
    note = fields.String(allow_none=True)
    reviewer = fields.String(required=True, metadata={"description": "name of the admin key"})
    created_at = fields.String(required=True)


class OffenderSchema(Schema):
    id = fields.String(required=True, metadata={"description": "the sender's pseudonym (HMAC of the raw id)"})
    status = fields.String(required=True, validate=validate.OneOf(policy.STATUSES))
    recipients = fields.Integer(required=True, metadata={"description": "distinct recipients in the period"})
    hostile_items = fields.Integer(required=True)
    labels = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    max_severity = fields.String(required=True, validate=validate.OneOf(policy.SEVERITIES))
    window_recipients = fields.Integer(required=True, metadata={"description": "distinct recipients in the flag window"})
    first_seen = fields.String(required=True)
    last_seen = fields.String(required=True)
    flagged_at = fields.String(allow_none=True)
    clears_at = fields.String(allow_none=True, metadata={"description": "when the flag clears by itself"})
    reviews = fields.List(fields.Nested(OffenderReviewSchema), required=True)


class OffenderListSchema(Schema):
    offenders = fields.List(fields.Nested(OffenderSchema), required=True)
    policy = fields.Dict(required=True)
    next_cursor = next_cursor_field()


class OffenderReviewResultSchema(Schema):
    review = fields.Nested(OffenderReviewSchema, required=True)
    offender = fields.Nested(OffenderSchema, required=True)


class WebhookDeliveriesQuerySchema(StrictSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(("pending", "delivered", "failed")))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    cursor = cursor_field()


class WebhookAttemptSchema(Schema):
    attempt = fields.Integer(required=True)
    at = fields.String(required=True)
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    duration_ms = fields.Integer(required=True)


class WebhookDeliverySchema(Schema):
    id = fields.String(required=True, metadata={"description": "the event id (X-Kindshield-Event-Id)"})
    event = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("pending", "delivered", "failed")))
    attempts = fields.Integer(required=True)
    offender_id = fields.String(allow_none=True)
    created_at = fields.String(required=True)
    next_attempt_at = fields.String(allow_none=True)
    delivered_at = fields.String(allow_none=True)
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    log = fields.List(fields.Nested(WebhookAttemptSchema), required=True)


class WebhookDeliveriesSchema(Schema):
    configured = fields.Boolean(required=True)
    deliveries = fields.List(fields.Nested(WebhookDeliverySchema), required=True)
    next_cursor = next_cursor_field()


def _policy_view(pol: policy.OffenderPolicy) -> dict:
    return {"min_recipients": pol.min_recipients, "window_days": pol.window.total_seconds() / 86400}


def _record_or_404(sender: str, days: int) -> dict:
    with get_store().read() as conn:
        rec = repo.record(conn, sender, now(), days, service.offender_policy())
    if rec is None:
        raise offender_not_found()
    return rec


@blp.route("/offenders", methods=["GET"])
@require_auth(admin=True)
@blp.arguments(OffenderListQuerySchema, location="query")
@blp.response(200, OffenderListSchema)
def list_offenders(args):
    """Senders flagged as repeat offenders (or reviewed, cleared, all), most recipients first."""
    pol = service.offender_policy()
    with get_store().read() as conn:
        after = cursors.decode(args["cursor"], int, int, str)
        items = repo.list_records(conn, args["status"], now(), args["days"], pol,
                                  args["limit"] + 1 if after is None else 2**31)
    # the order list_records sorts by; the cursor is the last sort key of the page
    def key(o):
        return (-int(o["recipients"]), -int(o["hostile_items"]), str(o["id"]))

    if after is not None:
        items = [o for o in items if key(o) > after][:args["limit"] + 1]
    items, next_cursor = cursors.page(items, args["limit"], key)
    return {"offenders": items, "policy": _policy_view(pol), "next_cursor": next_cursor}


@blp.route("/offenders/lookup", methods=["POST"])
@require_auth(admin=True)
@blp.arguments(OffenderLookupSchema, example={"sender_id": "weibo:1234567890"})
@blp.response(200, OffenderSchema)
def lookup(args):
    """A sender's record by the platform's raw id (hashed here; the raw id is never stored)."""
    from flask import current_app

    from ..services.rotation import rekey_from_config

    if getattr(current_app.config["KINDSHIELD"], "sender_hash_previous_secrets", ()):
        with get_store().begin() as conn:   # a record kept under a previous secret moves over first
            rekey_from_config(conn, current_app.config["KINDSHIELD"], [args["sender_id"]])
    return _record_or_404(service.pseudonym(args["sender_id"]), args["days"])


@blp.route("/offenders/<string:offender_id>", methods=["GET"])
@require_auth(admin=True)
@blp.arguments(OffenderRecordQuerySchema, location="query")
@blp.response(200, OffenderSchema)
def get_offender(args, offender_id):
    """One sender's record by its pseudonym."""
    if not _ID_RE.match(offender_id):
        raise offender_not_found()
    return _record_or_404(offender_id, args["days"])


@blp.route("/offenders/<string:offender_id>/review", methods=["POST"])
@require_auth(admin=True)
@blp.arguments(OffenderReviewRequestSchema, example={"outcome": "warned", "note": "first warning sent"})
@blp.response(201, OffenderReviewResultSchema)
def review(args, offender_id):
    """Record what the operator decided (Kindshield keeps and counts it; the platform acts)."""
    if not _ID_RE.match(offender_id):
        raise offender_not_found()
    user = current_user()
    t = now()
    pol = service.offender_policy()
    with get_store().begin() as conn:
        entry = service.review(conn, offender_id, args["outcome"], args["note"], user.key_name, t)
        if entry is None:
            raise offender_not_found()
        rec = repo.record(conn, offender_id, t, service.DEFAULT_DAYS, pol)
    return {"review": entry, "offender": rec}


@blp.route("/webhooks/deliveries", methods=["GET"])
@require_auth(admin=True)
@blp.arguments(WebhookDeliveriesQuerySchema, location="query")
@blp.response(200, WebhookDeliveriesSchema)
def deliveries(args):
    """The webhook delivery log: each event, its status and every attempt, newest first."""
    with get_store().read() as conn:
        after = cursors.decode(args["cursor"], str)
        items = outbox.deliveries(conn, args["status"], args["limit"] + 1, after_id=after[0] if after else None)
    if items is None:
        raise cursors.invalid_cursor()
    items, next_cursor = cursors.page(items, args["limit"], lambda d: (d["id"],))
    return {"configured": webhooks.enabled(), "deliveries": items, "next_cursor": next_cursor}


def init_app(app) -> None:
    webhooks.init_app(app)
    with app.app_context():
        if not service.sender_secret():
            logging.getLogger("kindshield.offenders").warning(
                "KINDSHIELD_SENDER_HASH_SECRET is not set: sender pseudonyms are unkeyed hashes that can be "
                "matched against guessed sender ids; set it (the same on every worker) in production")
