"""Operators: send a webhook event again.

    POST /v1/admin/webhooks/deliveries/{id}/retry  -> 202 {"id", "previous_status", "status": "pending"}

A failed event (all attempts used, e.g. while the receiver was down, or signed with a secret the
receiver did not accept yet) is queued again with a fresh series of attempts.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app
from marshmallow import Schema, fields

from ..auth import require_auth
from ..errors import ApiError, not_found
from ..services import webhooks
from ..store import get_store
from ..store import webhooks as outbox
from . import ApiBlueprint

blp = ApiBlueprint("webhook_admin", __name__, url_prefix="/v1/admin",
                   description="Operators: webhook delivery (admin keys)")


class RetrySchema(Schema):
    id = fields.String(required=True)
    previous_status = fields.String(required=True)
    status = fields.String(required=True)


@blp.route("/webhooks/deliveries/<string:event_id>/retry", methods=["POST"])
@require_auth(admin=True)
@blp.response(202, RetrySchema)
def retry_delivery(event_id):
    """Queue an event again (a pending event stays as it is)."""
    if not webhooks.enabled():
        raise ApiError(409, "webhook_disabled", "No webhook is configured (KINDSHIELD_WEBHOOK_URL).")
    with get_store().begin() as conn:
        previous = outbox.retry(conn, event_id[:64], datetime.now(timezone.utc))
    if previous is None:
        raise not_found("No such webhook event.")
    sender = current_app.extensions.get(webhooks.EXTENSION_KEY)
    if sender is not None:
        sender.wake.set()
    return {"id": event_id, "previous_status": previous, "status": "pending"}
