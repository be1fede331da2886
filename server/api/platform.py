"""Key management for admins, and statistics for platform keys.

* ``GET/POST /v1/admin/keys``, ``DELETE /v1/admin/keys/<name>``, ``POST /v1/admin/keys/<name>/rotate``
  (admin keys): create keys with scopes (``user``, ``admin``, ``platform``), list them (names and
  prefixes, never the keys), revoke, rotate (new secret, same name, user, scopes and limit).
  A new or rotated key is shown once, in that answer.
* ``GET /v1/platform/stats?days=30`` (platform keys, without a subject): the per-day counters
  summed over all the platform's subjects, and how many subjects it has.  One subject's own
  figures are ``GET /v1/stats`` with its ``Kindshield-Subject``.

How a platform key acts for its users is in ``kindshield_server/platform.py``.
"""
from __future__ import annotations

from flask import current_app
from marshmallow import Schema, fields, validate
from sqlalchemy import or_, select

from .. import auth
from ..auth import current_user, require_auth
from ..clock import now
from ..errors import ApiError, bad_request, forbidden, not_found
from ..platform import ALL_SCOPES, PLATFORM_SCOPE, count_subjects, is_platform_key
from ..policy.stats import MAX_DAYS, day_range, heeded_rate, series
from ..services import stats as stats_service
from ..store import get_store
from ..store.schema import daily_counters, platform_subjects
from . import ApiBlueprint, StrictSchema

blp = ApiBlueprint("platform", __name__, url_prefix="/v1", description="Key management and platform keys")

_NAME = validate.Regexp(r"^[A-Za-z0-9._:@-]{1,200}$", error="1-200 letters, digits or . _ : @ -")


class KeyCreateSchema(StrictSchema):
    name = fields.String(required=True, validate=_NAME, metadata={"description": "unique name of the key"})
    scopes = fields.List(fields.String(validate=validate.OneOf(ALL_SCOPES)), load_default=["user"],
                         validate=validate.Length(min=1, max=len(ALL_SCOPES)),
                         metadata={"description": "`user` (a person's own key), `admin` (instance-wide "
                                                  "figures and operator routes), `platform` (acts for the "
                                                  "platform's users named in `Kindshield-Subject`)"})
    user = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                         metadata={"description": "the user the key belongs to (default: one named like the key)"})
    rate_limit = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                               metadata={"description": 'this key\'s own rate limit, e.g. "600 per minute"'})


class KeyInfoSchema(Schema):
    name = fields.String(required=True)
    prefix = fields.String(required=True, metadata={"description": "the key's first characters"})
    user = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True)
    rate_limit = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True)
    key = fields.String(metadata={"description": "the key itself: only when it was just created or rotated"})


class KeyListSchema(Schema):
    keys = fields.List(fields.Nested(KeyInfoSchema), required=True)


class PlatformStatsQuerySchema(StrictSchema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=MAX_DAYS))


class PlatformStatsSchema(Schema):
    scope = fields.String(required=True, metadata={"description": "`platform`"})
    subjects = fields.Integer(required=True, metadata={"description": "users the platform key has acted for"})
    from_ = fields.String(required=True, data_key="from", attribute="from")
    to = fields.String(required=True)
    days = fields.List(fields.Dict(), required=True)
    totals = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    nudge_heeded_rate = fields.Float(required=True, allow_none=True)


def _info(row: dict, key: str | None = None) -> dict:
    scopes = set(row.get("scopes") or ()) | ({"admin"} if row.get("is_admin") else set())
    scopes = sorted(scopes or {"user"})
    out = {"name": row["name"], "prefix": row["prefix"], "user": row["user"], "scopes": scopes,
           "rate_limit": row.get("rate_limit"), "created_at": row["created_at"], "revoked_at": row["revoked_at"]}
    if key is not None:
        out["key"] = key
    return out


def _find(name: str) -> dict:
    for row in auth.list_keys(get_store()):
        if row["name"] == name:
            return row
    raise not_found(f"No key named {name!r}.")


def _forget_cached_keys() -> None:
    current_app.extensions[auth.VERIFIER_KEY].forget()


@blp.route("/admin/keys", methods=["GET"])
@require_auth(admin=True)
@blp.response(200, KeyListSchema)
def list_keys():
    """Every key (active and revoked), oldest first: names, prefixes and scopes, never the keys."""
    return {"keys": [_info(r) for r in auth.list_keys(get_store())]}


@blp.route("/admin/keys", methods=["POST"])
@require_auth(admin=True)
@blp.arguments(KeyCreateSchema)
@blp.response(201, KeyInfoSchema)
def create_key(args):
    """Create a key; the answer is the only place the key is ever shown."""
    scopes = set(args["scopes"])
    if "platform" in scopes and "admin" in scopes:
        raise bad_request("A key is either a platform key or an admin key, not both.",
                          {"fields": {"scopes": ["platform and admin together"]}}, code="invalid_scopes")
    try:
        key = auth.create_key(get_store(), args["name"], admin="admin" in scopes, user=args["user"],
                              rate_limit=args["rate_limit"], scopes=sorted(scopes & {PLATFORM_SCOPE}))
    except ValueError as exc:
        if "already exists" in str(exc):
            raise ApiError(409, "key_exists", str(exc)) from None
        raise bad_request(str(exc), {"fields": {"rate_limit": [str(exc)]}}) from None
    return _info(_find(args["name"]), key)


@blp.route("/admin/keys/<string:name>", methods=["DELETE"])
@require_auth(admin=True)
@blp.response(200, KeyInfoSchema)
def revoke_key(name):
    """Revoke a key (at once on this worker; within `auth_cache_seconds` on the others)."""
    if name == current_user().key_name:
        raise ApiError(409, "own_key", "An admin key cannot revoke itself; use another admin key.")
    if not auth.revoke_key(get_store(), name):
        _find(name)   # 404 when it does not exist
        raise ApiError(409, "already_revoked", f"The key {name!r} is already revoked.")
    _forget_cached_keys()
    return _info(_find(name))


@blp.route("/admin/keys/<string:name>/rotate", methods=["POST"])
@require_auth(admin=True)
@blp.response(200, KeyInfoSchema)
def rotate_key(name):
    """A new secret for the key (same name, user, scopes and limit); the old one stops working."""
    key = auth.rotate_key(get_store(), name)
    if key is None:
        _find(name)
        raise ApiError(409, "already_revoked", f"The key {name!r} is revoked.")
    _forget_cached_keys()
    return _info(_find(name), key)


@blp.route("/platform/stats", methods=["GET"])
@require_auth
@blp.arguments(PlatformStatsQuerySchema, location="query")
@blp.response(200, PlatformStatsSchema)
def platform_stats(args):
    """The per-day counters of all of this platform's subjects together (platform keys only,
    without `Kindshield-Subject`)."""
    user = current_user()
    if not is_platform_key(user) or user.platform_user_id is not None:
        raise forbidden("Platform statistics need a platform key without Kindshield-Subject.")
    stats_service.flush()
    t = now()
    first = day_range(t, args["days"])[0].isoformat()
    from sqlalchemy import func

    subjects = select(platform_subjects.c.user_id).where(platform_subjects.c.platform_user_id == user.id)
    q = select(daily_counters.c.day, daily_counters.c.name, func.sum(daily_counters.c.count)) \
        .where(daily_counters.c.day >= first,
               or_(daily_counters.c.user_id == user.id, daily_counters.c.user_id.in_(subjects))) \
        .group_by(daily_counters.c.day, daily_counters.c.name)
    with get_store().read() as conn:
        rows = [(r[0], r[1], int(r[2])) for r in conn.execute(q).all()]
        count = count_subjects(conn, user.id)
    payload = series(rows, t, args["days"])
    payload["nudge_heeded_rate"] = heeded_rate(payload["totals"])
    return {"scope": "platform", "subjects": count, **payload}
