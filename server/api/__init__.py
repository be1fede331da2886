"""HTTP API: one module per capability, each defining ``blp = ApiBlueprint(...)`` (and optionally
``init_app(app)``).  app.py registers every module listed in ``app.API_MODULES`` that exists.

Use :class:`ApiBlueprint` (not flask_smorest.Blueprint directly): its argument parser answers
invalid input with 400 (our error format), and it rejects unknown fields.
"""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE, Schema
from webargs import core as _webargs_core
from webargs.flaskparser import FlaskParser, is_json_request

from ..jsonbody import loads as _safe_json_loads


class _Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "json": RAISE, "form": RAISE, "json_or_form": RAISE,
    }

    def _raw_load_json(self, req):
        # jsonbody.loads: deep nesting and over-long numbers are a 400 invalid_json, not a 500
        if not is_json_request(req):
            return _webargs_core.missing
        return _safe_json_loads(req.get_data(cache=True))


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()


class StrictSchema(Schema):
    """Base for request schemas: unknown fields are an error (marshmallow's default, made explicit)."""

    class Meta:
        unknown = RAISE
        ordered = True


def body_limit(max_bytes: int):
    """Allow a larger (or smaller) request body on one route than Config.max_body_bytes.
    Apply directly under @blp.route."""

    def decorate(view):
        view._kindshield_max_body = int(max_bytes)
        return view

    return decorate


__all__ = ["ApiBlueprint", "StrictSchema", "body_limit"]
