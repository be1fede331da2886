"""Operations: liveness, readiness, Prometheus metrics.  No auth, no rate limit."""
from __future__ import annotations

from flask import Response, current_app
from marshmallow import Schema, fields

from .. import analysis, metrics, observability
from ..errors import unauthorized, unavailable
from ..store import get_store, windows
from . import ApiBlueprint

blp = ApiBlueprint("ops", __name__, description="Health, readiness and metrics")


class HealthSchema(Schema):
    status = fields.String(required=True)


class ReadySchema(Schema):
    status = fields.String(required=True)
    model = fields.Dict(keys=fields.String(), values=fields.String())
    database = fields.String()
    redis = fields.String(metadata={"description": "ok | unreachable | none; informative only: Redis down "
                                                   "does not make the worker unready (limits fall back to "
                                                   "memory, analysis keeps working)"})


@blp.route("/healthz")
@blp.response(200, HealthSchema)
def healthz():
    """The process is alive."""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.response(200, ReadySchema)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def readyz():
    """The model is loaded and the database answers; 503 otherwise (take the worker out of rotation)."""
    svc = current_app.extensions.get(analysis.EXTENSION_KEY)
    problems = []
    if svc is None:
        problems.append("model not loaded")
    store = get_store()
    db_ok = store.ping()
    if not db_ok:
        problems.append("database unreachable")
    client = current_app.extensions.get(windows.REDIS_KEY)
    if client is not None and not current_app.extensions.get("kindshield.redis_seen"):
        if windows.redis_ping(client):
            current_app.extensions["kindshield.redis_seen"] = True
        else:
            problems.append("Redis has not answered since start (check KINDSHIELD_REDIS_URL)")
    if problems:
        err = unavailable("Not ready: " + "; ".join(problems) + ".", 5, "not_ready")
        err.details = {"model": svc is not None, "database": db_ok}
        raise err
    redis_state = "none" if client is None else ("ok" if windows.redis_ping(client) else "unreachable")
    return {"status": "ready", "model": {"name": svc.model.name, "version": svc.model.version},
            "database": store.dialect, "redis": redis_state}


@blp.route("/metrics")
@blp.response(200, {"type": "string"}, content_type="text/plain")
def prometheus_metrics():
    """Prometheus text exposition: request counts and latencies, batch sizes, model time.
    With KINDSHIELD_METRICS_TOKEN set it needs `Authorization: Bearer <token>`."""
    if not observability.metrics_authorized():
        raise unauthorized("/metrics needs the metrics token: 'Authorization: Bearer <KINDSHIELD_METRICS_TOKEN>'.")
    observability.refresh_gauges(current_app)
    # content_type, not mimetype: Flask would append a second "; charset=utf-8"
    return Response(metrics.render(), content_type=metrics.CONTENT_TYPE)


def init_app(app):
    app.extensions["kindshield.limit_exempt"].update({"ops.healthz", "ops.readyz", "ops.prometheus_metrics"})
