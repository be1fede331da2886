"""GET /v1/stats?days=30: per-day counts (analysed, flagged, folded, blocked, nudges shown and
heeded, notices, lockdowns, reports) and totals. Your own figures; an admin key gets the
instance-wide figures (``?scope=user`` for the admin's own).

Counts of texts analysed through /v1/analyze and the Perspective route are collected by an
analysis listener (counts only) and written in small batches (services/stats.py).
"""
from __future__ import annotations

import logging

from marshmallow import Schema, fields, validate

from ..auth import current_user, require_auth
from ..clock import now
from ..policy.stats import MAX_DAYS, day_range, heeded_rate, series
from ..services import stats as stats_service
from ..store import get_store
from ..store import offenders as offender_store
from ..store import stats as stats_store
from . import ApiBlueprint, StrictSchema

log = logging.getLogger("kindshield.stats")

blp = ApiBlueprint("stats", __name__, url_prefix="/v1", description="Statistics")


class StatsQuerySchema(StrictSchema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=MAX_DAYS))
    scope = fields.String(load_default=None, validate=validate.OneOf(("user", "instance")))


class OffenderCountsSchema(Schema):
    months = fields.List(fields.Dict(), required=True,
                         metadata={"description": "per month: `{month, flagged, reviewed, outcomes}`"})
    totals = fields.Dict(required=True, metadata={"description": "`{flagged, reviewed, outcomes}` over the months"})


class StatsResponseSchema(Schema):
    scope = fields.String(required=True, validate=validate.OneOf(("user", "instance")))
    from_ = fields.String(required=True, data_key="from", attribute="from",
                          metadata={"description": "first day (UTC)"})
    to = fields.String(required=True, metadata={"description": "last day (UTC), today"})
    days = fields.List(fields.Dict(), required=True,
                       metadata={"description": "oldest first: `{date, <counter>: n, ...}`, zero-filled"})
    totals = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    nudge_heeded_rate = fields.Float(required=True, allow_none=True)
    offenders = fields.Nested(OffenderCountsSchema, metadata={"description": "instance scope only"})


def stats_payload(conn, user_id, t, days):
    first = day_range(t, days)[0].isoformat()
    s = series(stats_store.counter_rows(conn, user_id, first), t, days)
    s["nudge_heeded_rate"] = heeded_rate(s["totals"])
    return s


@blp.route("/stats", methods=["GET"])
@require_auth
@blp.arguments(StatsQuerySchema, location="query")
@blp.response(200, StatsResponseSchema)
def stats(args):
    """Per-day counters for the last `days` days (UTC), zero-filled, with totals."""
    user = current_user()
    scope = args["scope"] or ("instance" if user.is_admin else "user")
    if scope == "instance" and not user.is_admin:
        from ..errors import forbidden

        raise forbidden("Instance-wide statistics need an admin key.")
    stats_service.flush()   # the buffered /v1/analyze counts first
    t = now()
    with get_store().read() as conn:
        payload = stats_payload(conn, None if scope == "instance" else user.id, t, args["days"])
        if scope == "instance":   # monthly repeat-offender counts: instance-wide only
            months = offender_store.monthly_counts(conn, t)
            payload["offenders"] = {"months": months, "totals": offender_store.totals_of(months)}
    return {"scope": scope, **payload}
