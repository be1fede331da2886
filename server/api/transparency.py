"""The public transparency page and its JSON form (no login).

    Public only when the operator opts in (KINDSHIELD_TRANSPARENCY_PUBLIC=1), for this server's own
    Host names; figures by week (or month), counts below KINDSHIELD_TRANSPARENCY_MIN_COUNT withheld.
    GET /transparency            HTML: the instance's aggregate figures for the last weeks, as
                                 inline SVG charts (no scripts, no external assets), and the typical
                                 cases that reporters made public and the operator published (redacted).
    GET /transparency.json       the same data as JSON (also GET /v1/transparency)
Operator (admin key):
    GET    /v1/transparency/candidates        reports whose reporter allowed publication (redacted)
    POST   /v1/transparency/cases {"report_id"}  publish one
    DELETE /v1/transparency/cases/{report_id}    withdraw it
"""
from __future__ import annotations

import json

from flask import current_app, make_response, render_template
from marshmallow import Schema, fields, validate

from ..auth import current_user, require_auth
from ..clock import now
from ..errors import not_found
from ..hosts import require_known_host
from ..policy import publication
from ..policy.clock import format_time
from ..policy.stats import day_range, heeded_rate, series
from ..policy.transparency import redact
from ..store import get_store
from ..store import offenders as offender_store
from ..store import published as published_store
from ..store import stats as stats_store
from . import ApiBlueprint, StrictSchema

blp = ApiBlueprint("transparency", __name__, description="Public transparency figures",
                   template_folder="../web/templates")

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

CHARTS = (
    ("Texts analysed and flagged", "分析与标记", (("analysed", "analysed", "#7aa6c2"), ("flagged", "flagged", "#d9774b"))),
    ("Items folded and blocked", "折叠与拦截", (("folded", "folded", "#e3b448"), ("blocked", "blocked", "#b5473a"))),
    ("Writer nudges shown and heeded", "发布前提醒", (("nudges_shown", "shown", "#8c7ab8"), ("nudges_heeded", "heeded", "#4f9a6d"))),
    ("Notices, lockdowns and reports", "提醒、防护与举报",
     (("notices", "notices", "#5d8fb0"), ("lockdowns", "lockdowns", "#3f6e52"), ("reports", "reports", "#9a5a8c"))),
)


class TransparencyCaseSchema(StrictSchema):
    report_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class PublicCaseSchema(Schema):
    category = fields.String(allow_none=True)
    text = fields.String(required=True, metadata={"description": "redacted"})
    platform = fields.String(allow_none=True)
    month = fields.String(required=True)
    published_at = fields.String(required=True, metadata={"description": "YYYY-MM-DD"})


class OffenderFiguresSchema(Schema):
    months = fields.List(fields.Dict(), required=True,
                         metadata={"description": "per month: `{month, flagged, reviewed, outcomes}`"})
    totals = fields.Dict(required=True)


class TransparencySchema(Schema):
    generated_at = fields.String(required=True)
    days = fields.Integer(required=True, metadata={"description": "days covered by `periods`"})
    from_ = fields.String(required=True, data_key="from", attribute="from")
    to = fields.String(required=True)
    granularity = fields.String(required=True, validate=validate.OneOf(("week", "month", "day")))
    min_count = fields.Integer(required=True, metadata={
        "description": "counts below this are withheld: null means \"fewer than min_count\" (0: exact counts)"})
    totals = fields.Dict(keys=fields.String(), values=fields.Integer(allow_none=True), required=True)
    nudge_heeded_rate = fields.Float(required=True, allow_none=True)
    periods = fields.List(fields.Dict(), required=True,
                          metadata={"description": "`{from, to, <counter>: n | null, ...}`, oldest first"})
    cases = fields.List(fields.Nested(PublicCaseSchema), required=True)
    offenders = fields.Nested(OffenderFiguresSchema, required=True)


class CandidateSchema(Schema):
    id = fields.String(required=True)
    category = fields.String(allow_none=True)
    text = fields.String(required=True, metadata={"description": "redacted as it would appear"})
    platform = fields.String(allow_none=True)
    month = fields.String(required=True)
    published = fields.Boolean(required=True)


class CandidatesSchema(Schema):
    candidates = fields.List(fields.Nested(CandidateSchema), required=True)


class CaseStateSchema(Schema):
    report_id = fields.String(required=True)
    published = fields.Boolean(required=True)


def _case_view(row, content, published_at=None) -> dict:
    return {
        "id": row.id if published_at is None else None,
        "category": content.get("category"),
        "text": redact(str(content.get("text") or "")),
        # the platform field is free text too (a reporter may type a name or a link there)
        "platform": redact(str(content["platform"]))[:64] if content.get("platform") else None,
        "month": str(row.received_at)[:7],
        **({"published_at": format_time(published_at)[:10]} if published_at is not None else {}),
    }


def _publication():
    cfg = current_app.config["KINDSHIELD"]
    granularity = cfg.transparency_granularity if cfg.transparency_granularity in publication.GRANULARITIES else "week"
    return granularity, max(0, int(cfg.transparency_min_count))


def _public_page_allowed() -> None:
    """The public figures are the operator's opt-in, and only for this server's own host names
    (a DNS-rebinding page must not read them)."""
    if not current_app.config["KINDSHIELD"].transparency_public:
        raise not_found("This server does not publish a transparency page (KINDSHIELD_TRANSPARENCY_PUBLIC).")
    require_known_host()


def transparency_data() -> dict:
    """The public figures: coarse periods, small counts withheld (policy/publication.py)."""
    granularity, min_count = _publication()
    data = _exact_data(publication.window_start(now(), granularity))
    data["granularity"], data["min_count"] = granularity, min_count
    data["periods"] = publication.periods(data.pop("daily"), granularity, min_count)
    data["nudge_heeded_rate"] = (heeded_rate(data["totals"]) if min(data["totals"]["nudges_shown"],
                                                                   data["totals"]["nudges_heeded"]) >= min_count
                                 else None)
    data["totals"] = publication.withhold_all(data["totals"], min_count)
    off = data["offenders"]
    off["months"] = [publication.withhold_all(m, min_count) for m in off["months"]]
    off["totals"] = publication.withhold_all(off["totals"], min_count)
    return data


def _exact_data(first_day) -> dict:
    t = now()
    days = (day_range(t, 1)[0] - first_day).days + 1
    first = day_range(t, days)[0].isoformat()
    with get_store().read() as conn:
        s = series(stats_store.counter_rows(conn, None, first), t, days)
        cases = []
        for row in published_store.published_rows(conn):
            try:
                content = json.loads(row.content)
            except ValueError:
                continue
            if content.get("public") is True:  # the reporter's consent is part of the hashed record
                c = _case_view(row, content, row.published_at)
                c.pop("id", None)
                cases.append(c)
        months = offender_store.monthly_counts(conn, t)   # repeat offenders flagged and reviewed
    return {"generated_at": format_time(t), "days": days, "from": s["from"], "to": s["to"],
            "totals": s["totals"], "nudge_heeded_rate": heeded_rate(s["totals"]),
            "daily": s["days"], "cases": cases,
            "offenders": {"months": months, "totals": offender_store.totals_of(months)}}


def _charts(data: dict) -> list[dict]:
    """Bar geometry for the template (grouped bars, one group per day)."""
    days = data["periods"]
    width, height, left, bottom, top = 720, 200, 44, 28, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    out = []
    for title, title_zh, series_ in CHARTS:
        vmax = max([1] + [d[key] or 0 for d in days for key, _, _ in series_])
        group_w = plot_w / max(1, len(days))
        bar_w = max(1.0, (group_w - 2) / len(series_))
        bars = []
        for i, d in enumerate(days):
            for j, (key, label, color) in enumerate(series_):
                v = d[key]
                h = plot_h * (v or 0) / vmax   # a withheld count draws no bar; its title says so
                shown = v if v is not None else f"fewer than {data['min_count']}"
                bars.append({"x": round(left + i * group_w + 1 + j * bar_w, 2), "y": round(top + plot_h - h, 2),
                             "w": round(bar_w, 2), "h": round(h, 2), "color": color,
                             "title": f"{d['from']} – {d['to']} {label}: {shown}"})
        ticks = [{"y": round(top + plot_h - plot_h * f, 2), "label": _fmt(vmax * f)} for f in (0, 0.5, 1)]
        step = max(1, len(days) // 6)
        xlabels = [{"x": round(left + i * group_w + group_w / 2, 2), "label": d["from"][5:]}
                   for i, d in enumerate(days) if i % step == 0 or i == len(days) - 1]
        out.append({"title": title, "title_zh": title_zh, "bars": bars, "ticks": ticks, "xlabels": xlabels,
                    "legend": [{"label": label, "color": color, "total": data["totals"][key]}
                               for key, label, color in series_],
                    "width": width, "height": height, "left": left, "plot_bottom": top + plot_h,
                    "plot_right": left + plot_w})
    return out


def _fmt(v: float) -> str:
    return str(int(round(v))) if v >= 10 or float(v).is_integer() else f"{v:.1f}"


@blp.route("/transparency", methods=["GET"])
@blp.doc(summary="Public transparency page (HTML)", security=[])
@blp.response(200, {"type": "string"}, content_type="text/html")
def page():
    """The public transparency page: aggregate figures by week (or month) and published cases.
    404 unless the operator publishes it (KINDSHIELD_TRANSPARENCY_PUBLIC=1)."""
    _public_page_allowed()
    data = transparency_data()
    html = render_template("transparency.html", data=data, charts=_charts(data))
    resp = make_response(html)
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["Cache-Control"] = "public, max-age=60"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


@blp.route("/transparency.json", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, TransparencySchema)
def page_json():
    """The transparency figures as JSON (404 unless the operator publishes them)."""
    _public_page_allowed()
    resp = make_response(transparency_data())
    resp.headers["Cache-Control"] = "public, max-age=60"
    return resp


@blp.route("/v1/transparency", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, TransparencySchema)
def v1_json():
    """The transparency figures as JSON (same as /transparency.json)."""
    return page_json()


@blp.route("/v1/transparency/candidates", methods=["GET"])
@require_auth(admin=True)
@blp.response(200, CandidatesSchema)
def candidates():
    """Operator: reports whose reporters allowed publication, redacted as they would appear."""
    with get_store().read() as conn:
        published = {r.id for r in published_store.published_rows(conn, limit=10_000)}
        items = [{**_case_view(row, content), "published": row.id in published}
                 for row, content in published_store.public_candidates(conn)]
    return {"candidates": items}


@blp.route("/v1/transparency/cases", methods=["POST"])
@require_auth(admin=True)
@blp.arguments(TransparencyCaseSchema)
@blp.response(201, CaseStateSchema)
def publish(args):
    """Operator: publish a case whose reporter allowed it."""
    user = current_user()
    t = now()
    with get_store().begin() as conn:
        ok_ids = {row.id for row, _ in published_store.public_candidates(conn, limit=100_000)}
        if args["report_id"] not in ok_ids:
            raise not_found("No report with publication consent has that id.")
        published_store.publish_case(conn, args["report_id"], user.id, t)
    return {"report_id": args["report_id"], "published": True}, 201


@blp.route("/v1/transparency/cases/<string:report_id>", methods=["DELETE"])
@require_auth(admin=True)
@blp.response(200, CaseStateSchema)
def withdraw(report_id):
    """Operator: withdraw a published case."""
    with get_store().begin() as conn:
        if not published_store.unpublish_case(conn, report_id[:64]):
            raise not_found("That case is not published.")
    return {"report_id": report_id[:64], "published": False}
