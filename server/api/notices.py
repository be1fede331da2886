"""Risk notices to the target: pile-on warnings, lockdown reminders and recaps.

    GET  /v1/notices[?unacked=true&limit=100]
    POST /v1/notices/{id}/ack
Notices hold counts, labels and times only: never message text or sender ids.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..auth import current_user, require_auth
from ..clock import now
from ..errors import not_found
from ..services.protection import sync_lockdown_notices
from ..store import get_store
from ..store import notices as notices_store
from . import ApiBlueprint, StrictSchema, cursors
from .cursors import cursor_field, next_cursor_field

blp = ApiBlueprint("notices", __name__, url_prefix="/v1", description="Risk notices")


class NoticesQuerySchema(StrictSchema):
    unacked = fields.Boolean(load_default=False)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = cursor_field()


class NoticeSchema(Schema):
    class Meta:
        unknown = "include"

    id = fields.String(required=True)
    type = fields.String(required=True, metadata={"description": "pile_on | lockdown_reminder | lockdown_recap"})
    created_at = fields.String(required=True)
    acked = fields.Boolean(required=True)
    acked_at = fields.String(allow_none=True)
    title = fields.String()
    message = fields.String()
    message_zh = fields.String()
    recommended_action = fields.String()
    recommended_duration_hours = fields.Integer()
    evidence = fields.Dict()
    folded = fields.Integer()
    blocked = fields.Integer()
    until = fields.String()
    started_at = fields.String()
    ended_at = fields.String()
    lockdown_id = fields.String()


class NoticeListSchema(Schema):
    notices = fields.List(fields.Nested(NoticeSchema), required=True)
    next_cursor = next_cursor_field()


@blp.route("/notices", methods=["GET"])
@require_auth
@blp.arguments(NoticesQuerySchema, location="query")
@blp.response(200, NoticeListSchema)
def list_notices(args):
    """Your notices, newest first (reminders and recaps that fell due are added first)."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        sync_lockdown_notices(conn, user.id, t)
        after = cursors.decode(args["cursor"], str)
        items = notices_store.list_notices(conn, user.id, include_acked=not args["unacked"], limit=args["limit"] + 1,
                                           after_id=after[0] if after else None)
    if items is None:
        raise cursors.invalid_cursor()
    items, next_cursor = cursors.page(items, args["limit"], lambda n: (n["id"],))
    return {"notices": items, "next_cursor": next_cursor}


@blp.route("/notices/<string:notice_id>/ack", methods=["POST"])
@require_auth
@blp.response(200, NoticeSchema)
def ack(notice_id):
    """Acknowledge a notice (idempotent)."""
    user = current_user()
    t = now()
    if len(notice_id) > 36:
        raise not_found("No such notice.")
    with get_store().begin(user.id) as conn:
        row = notices_store.ack_notice(conn, user.id, notice_id, t)
        if row is None:
            raise not_found("No such notice.")
        return notices_store.notice_view(row)
