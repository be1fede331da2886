"""GET /v1/limits, and the headers on every answer that let clients respect a configured server.

* ``Kindshield-Version``: the server's version; the SDK warns when its major version differs.
* ``Kindshield-Max-Body-Bytes`` and ``Kindshield-Max-Texts`` (on ``/v1`` answers): the request
  body limit and the most texts (or messages) per batch.  The SDK sizes its batches from them, so
  a server configured with smaller limits is respected without an extra request; ``/v1/limits``
  says the same in one document for other clients.
"""
from __future__ import annotations

from flask import current_app, request
from marshmallow import Schema, fields

from .. import __version__
from . import ApiBlueprint

VERSION_HEADER = "Kindshield-Version"
MAX_BODY_HEADER = "Kindshield-Max-Body-Bytes"
MAX_TEXTS_HEADER = "Kindshield-Max-Texts"

blp = ApiBlueprint("limits", __name__, url_prefix="/v1", description="The server's request limits")


class LimitsSchema(Schema):
    version = fields.String(required=True, metadata={"description": "the server's version"})
    max_body_bytes = fields.Integer(required=True, metadata={"description": "largest request body (bytes)"})
    max_texts = fields.Integer(required=True, metadata={
        "description": "most texts per /v1/analyze request and messages per /v1/shield request"})
    max_text_chars = fields.Integer(required=True, metadata={"description": "longest text (characters)"})


def _batch_limit() -> int:
    from .shield import MAX_MESSAGES

    return min(int(current_app.config["KINDSHIELD"].max_texts), MAX_MESSAGES)


@blp.route("/limits", methods=["GET"])
@blp.response(200, LimitsSchema)
def limits():
    """The request limits of this server (no key needed: they are the same for everyone)."""
    cfg = current_app.config["KINDSHIELD"]
    return {"version": __version__, "max_body_bytes": cfg.max_body_bytes, "max_texts": _batch_limit(),
            "max_text_chars": cfg.max_text_chars}


def init_app(app) -> None:
    @app.after_request
    def _announce(response):
        response.headers[VERSION_HEADER] = __version__
        if request.path.startswith("/v1/"):
            response.headers[MAX_BODY_HEADER] = str(app.config["KINDSHIELD"].max_body_bytes)
            response.headers[MAX_TEXTS_HEADER] = str(_batch_limit())
        return response
