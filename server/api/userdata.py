"""Data-subject rights: a user exports or deletes their own data with their key; an admin does it
for any user (services/userdata.py does the work).

    GET    /v1/me/export                    -> application/zip (data.json + screenshots/)
    DELETE /v1/me?confirm=delete            -> {"user_id", "deleted": {table: rows}, "erasure": {...}}
    GET    /v1/admin/users?name=NAME        -> {"users": [{"id", "name", "created_at", "keys"}]}
    GET    /v1/admin/users/{id}/export      -> application/zip
    DELETE /v1/admin/users/{id}?confirm=delete

Deleting removes the key used for the request too: it is the last call that key can make.
"""
from __future__ import annotations

from flask import Response, current_app
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from ..auth import VERIFIER_KEY, current_user, require_auth
from ..clock import now
from ..errors import not_found
from ..policy.clock import format_time
from ..services import userdata
from ..store import get_store, lifecycle, windows
from ..store.schema import api_keys, users
from . import ApiBlueprint, StrictSchema

blp = ApiBlueprint("userdata", __name__, url_prefix="/v1", description="Export and delete a user's data")

CONFIRM_WORD = "delete"


class ConfirmQuerySchema(StrictSchema):
    confirm = fields.String(required=True, validate=validate.Equal(CONFIRM_WORD),
                            metadata={"description": f"must be `{CONFIRM_WORD}`: deletion cannot be undone"})


class UserQuerySchema(StrictSchema):
    name = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class ErasureSchema(Schema):
    seq = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    received_at = fields.String(required=True)


class DeletedSchema(Schema):
    user_id = fields.Integer(required=True)
    deleted = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                          metadata={"description": "rows deleted, by table"})
    erasure = fields.Nested(ErasureSchema, required=True,
                            metadata={"description": "the record appended to the instance's erasure chain"})


class UserSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    created_at = fields.String(required=True)
    keys = fields.Integer(required=True, metadata={"description": "active keys"})


class UserListSchema(Schema):
    users = fields.List(fields.Nested(UserSchema), required=True)


def _archive_response(user_id: int) -> Response:
    data = userdata.build_archive(get_store(), current_app.config["KINDSHIELD"], user_id, now())
    if data is None:
        raise not_found("No such user.")
    resp = Response(data, mimetype="application/zip")
    resp.headers["Content-Disposition"] = f'attachment; filename="kindshield-user-{user_id}.zip"'
    return resp


def _erase(user_id: int, requested_by: str) -> dict:
    result = userdata.erase_user(get_store(), current_app.config["KINDSHIELD"], user_id, requested_by=requested_by,
                                 now=now(), redis_client=current_app.extensions.get(windows.REDIS_KEY))
    if result is None:
        raise not_found("No such user.")
    current_app.extensions[VERIFIER_KEY].forget_user(user_id)
    return result


_ZIP_DOC = {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "a ZIP archive: data.json (every stored row, by table) and screenshots/<record id>.png"}


@blp.route("/me/export", methods=["GET"])
@require_auth
@blp.doc(responses={200: _ZIP_DOC})
def export_me():
    """Everything the server stores about you, as one ZIP archive."""
    return _archive_response(current_user().id)


@blp.route("/me", methods=["DELETE"])
@require_auth
@blp.arguments(ConfirmQuerySchema, location="query")
@blp.response(200, DeletedSchema)
def delete_me(args):
    """Delete all your data (reports, screenshots, notices, nudges, counters, settings) and your keys."""
    return _erase(current_user().id, "self")


@blp.route("/admin/users", methods=["GET"])
@require_auth(admin=True)
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, UserListSchema)
def list_users(args):
    """Users (to find the id for an export or deletion request)."""
    active = (select(func.count()).select_from(api_keys)
              .where(api_keys.c.user_id == users.c.id, api_keys.c.revoked_at.is_(None)).scalar_subquery())
    q = select(users.c.id, users.c.name, users.c.created_at, active.label("keys")).order_by(users.c.id)
    q = q.where(users.c.name.not_like(lifecycle.ERASED_PREFIX + "%"))   # not the erased users
    if args["name"]:
        q = q.where(users.c.name == args["name"])
    with get_store().read() as conn:
        rows = conn.execute(q.limit(args["limit"])).all()
    return {"users": [{"id": r.id, "name": r.name, "created_at": format_time(r.created_at), "keys": r.keys}
                      for r in rows]}


@blp.route("/admin/users/<int:user_id>/export", methods=["GET"])
@require_auth(admin=True)
@blp.doc(responses={200: _ZIP_DOC})
def export_user(user_id):
    """Everything stored for one user, as one ZIP archive (also for revoked users)."""
    return _archive_response(user_id)


@blp.route("/admin/users/<int:user_id>", methods=["DELETE"])
@require_auth(admin=True)
@blp.arguments(ConfirmQuerySchema, location="query")
@blp.response(200, DeletedSchema)
def delete_user(args, user_id):
    """Delete everything stored for one user, recording the erasure (not the content)."""
    return _erase(user_id, "admin:" + current_user().key_name)
