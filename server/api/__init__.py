"""HTTP API: one module per capability, each defining ``blp = ApiBlueprint(...)`` (and optionally
``init_app(app)``).  app.py registers every module listed in ``app.API_MODULES`` that exists.

Use :class:`ApiBlueprint` (not flask_smorest.Blueprint directly): its argument parser answers
invalid input with 400 (our error format), and it rejects unknown fields.
"""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE, Schema
from webargs.flaskparser import FlaskParser


class _Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "json": RAISE, "form": RAISE, "json_or_form": RAISE,
    }


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
