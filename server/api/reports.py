"""Reports with evidence, kept in a per-user tamper-evident hash chain.

    POST  /v1/reports                 -> 201 {"id", "received_at", "sha256", "prev_sha256", "seq", "status"}
    GET   /v1/reports                 (newest first, ?limit&offset)
    GET   /v1/reports/{id}            (with the screenshot, base64)
    PATCH /v1/reports/{id}            {"status": "sent_to_platform"|"resolved", "note"} -> a new linked record
    GET   /v1/reports/export?format=json|csv
    GET   /v1/reports/verify          -> {"ok", "checked", "first_bad", "first_bad_seq", "reason"}

Reports are the one place where Kindshield stores message text, because the user asked it to.
Filing is one transaction (record, screenshot, chain head, counter); appends lock the user's
chain row, so concurrent filing never forks the chain.

Both writes take an optional ``Idempotency-Key`` header (1-255 visible ASCII characters, e.g. a
UUID).  A commit can succeed while the connection breaks before the answer (a database restart):
the client sees 503 and cannot know.  Retried with the same key, the call finds the record its
first try committed and answers as that try would have (``Idempotent-Replayed: true``), so the
report is in the chain once; the same key with a different request is 422
``idempotency_key_reused``.  Only the key's sha256 is stored, beside the record it filed.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from datetime import timedelta

from flask import Response, current_app, request
from marshmallow import Schema, fields, validate

from ..auth import current_user, require_auth
from ..clock import now
from ..errors import ApiError, not_found
from ..policy.chain import ChainError, check_transition, sha256_hex
from ..policy.clock import format_time
from ..policy.evidence import (
    MAX_SCREENSHOT_BYTES,
    MAX_SCREENSHOT_PIXELS,
    EvidenceError,
    ScreenshotTooLarge,
    decode_screenshot,
)
from ..store import get_store
from ..store import reports as reports_store
from ..store import stats as stats_store
from . import ApiBlueprint, StrictSchema, body_limit, cursors
from .cursors import cursor_field, next_cursor_field

blp = ApiBlueprint("reports", __name__, url_prefix="/v1", description="Reports with evidence")

CATEGORIES = ("harassment", "hate", "threat", "sexual_harassment", "doxxing", "impersonation",
              "spam", "self_harm", "other")
#: a base64 screenshot of MAX_SCREENSHOT_BYTES plus the other fields
MAX_REPORT_BODY = (MAX_SCREENSHOT_BYTES + 2) // 3 * 4 + 256 * 1024


class ReportSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20_000),
                         metadata={"description": "the content being reported, verbatim"})
    url = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2048))
    author = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=256),
                           metadata={"description": "the author's handle"})
    platform = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    seen_at = fields.DateTime(load_default=None, allow_none=True, metadata={"description": "when you saw it"})
    context = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20_000),
                            metadata={"description": "surrounding conversation"})
    category = fields.String(load_default="harassment", validate=validate.OneOf(CATEGORIES))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    public = fields.Boolean(load_default=False, metadata={
        "description": "allow the operator to publish this case, redacted, on /transparency"})
    screenshot = fields.String(load_default=None, allow_none=True,
                               metadata={"description": f"PNG, base64, at most {MAX_SCREENSHOT_BYTES} bytes"})


class ReportStatusSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(("sent_to_platform", "resolved")))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class ReportListQuerySchema(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**31 - 1))  # 400, not a 500 from the engine
    cursor = cursor_field()


class ReportExportQuerySchema(StrictSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class ReportFiledSchema(Schema):
    id = fields.String(required=True)
    received_at = fields.String(required=True)
    sha256 = fields.String(required=True)
    prev_sha256 = fields.String(required=True)
    seq = fields.Integer()
    head_receipt = fields.Dict(metadata={
        "description": "the chain head after this report ({user_id, seq, head_sha256, signature}); keep it: "
                       "it shows later that the chain reached this point (signature null without "
                       "KINDSHIELD_RECEIPT_SECRET)"})
    status = fields.String()


class ReportVerifySchema(Schema):
    ok = fields.Boolean(required=True)
    checked = fields.Integer(required=True)
    first_bad = fields.String(allow_none=True, required=True)
    first_bad_seq = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)


class StatusChangeSchema(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True)
    note = fields.String(required=True, allow_none=True)
    at = fields.String(required=True)
    sha256 = fields.String(required=True)


class ReportViewSchema(Schema):
    id = fields.String(required=True)
    seq = fields.Integer(required=True)
    received_at = fields.String(required=True)
    sha256 = fields.String(required=True)
    prev_sha256 = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("filed", "sent_to_platform", "resolved")))
    category = fields.String(allow_none=True)
    seen_at = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    platform = fields.String(allow_none=True)
    public = fields.Boolean()
    has_screenshot = fields.Boolean(required=True)
    screenshot_sha256 = fields.String(required=True, allow_none=True)
    text = fields.String(allow_none=True)
    context = fields.String(allow_none=True, metadata={"description": "one report only"})
    note = fields.String(allow_none=True, metadata={"description": "one report only"})
    status_history = fields.List(fields.Nested(StatusChangeSchema), metadata={"description": "one report only"})
    screenshot = fields.String(allow_none=True, metadata={"description": "PNG, base64 (one report only)"})


class ReportListSchema(Schema):
    reports = fields.List(fields.Nested(ReportViewSchema), required=True)
    total = fields.Integer(required=True)
    next_cursor = next_cursor_field()


class StatusRecordSchema(Schema):
    id = fields.String(required=True)
    seq = fields.Integer(required=True)
    received_at = fields.String(required=True)
    sha256 = fields.String(required=True)
    prev_sha256 = fields.String(required=True)


class ReportStatusChangedSchema(ReportViewSchema):
    record = fields.Nested(StatusRecordSchema, required=True, metadata={"description": "the new status record"})


class ExportStatusSchema(Schema):
    status = fields.String(required=True)
    at = fields.String(required=True)
    note = fields.String(required=True, allow_none=True)
    sha256 = fields.String(required=True)


class ExportItemSchema(Schema):
    id = fields.String(required=True)
    seq = fields.Integer(required=True)
    when_received = fields.String(required=True)
    when_seen = fields.String(allow_none=True)
    what = fields.String(allow_none=True)
    context = fields.String(allow_none=True)
    who = fields.String(allow_none=True)
    where_url = fields.String(allow_none=True)
    where_platform = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    status = fields.String(required=True)
    status_history = fields.List(fields.Nested(ExportStatusSchema), required=True)
    evidence_screenshot_sha256 = fields.String(allow_none=True)
    sha256 = fields.String(required=True)
    prev_sha256 = fields.String(required=True)


class ReportExportSchema(Schema):
    reports = fields.List(fields.Nested(ExportItemSchema), required=True)
    chain_head_sha256 = fields.String(required=True, allow_none=True)
    exported_at = fields.String(required=True)
    hash_algorithm = fields.String(required=True)


def _iso(v):
    return format_time(v) if v is not None else None


def _content_from(args) -> dict:
    return {
        "text": args["text"], "url": args.get("url"), "author": args.get("author"),
        "platform": args.get("platform"), "seen_at": _iso(args.get("seen_at")), "context": args.get("context"),
        "category": args["category"], "note": args.get("note"), "public": bool(args.get("public")),
    }


def _status_history(conn, user_id, report_id):
    hist = []
    for r in reports_store.status_records(conn, user_id, report_id):
        c = json.loads(r.content)
        hist.append({"id": r.id, "status": c.get("status"), "note": c.get("note"), "at": r.received_at,
                     "sha256": r.sha256})
    return hist


def _view(conn, user_id, row, *, full: bool) -> dict:
    content = json.loads(row.content)
    hist = _status_history(conn, user_id, row.id)
    out = {
        "id": row.id, "seq": row.seq, "received_at": row.received_at, "sha256": row.sha256,
        "prev_sha256": row.prev_sha256, "status": hist[-1]["status"] if hist else "filed",
        "category": content.get("category"), "seen_at": content.get("seen_at"),
        "author": content.get("author"), "url": content.get("url"), "platform": content.get("platform"),
        "public": content.get("public", False), "has_screenshot": row.screenshot_sha256 is not None,
        "screenshot_sha256": row.screenshot_sha256,
    }
    if full:
        out.update({"text": content.get("text"), "context": content.get("context"), "note": content.get("note"),
                    "status_history": hist})
        shot = reports_store.screenshot_of(conn, row.id)
        out["screenshot"] = base64.b64encode(shot).decode("ascii") if shot is not None else None
    else:
        out["text"] = content.get("text")
    return out


IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_IDEMPOTENCY_KEY = 255
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,%d}" % MAX_IDEMPOTENCY_KEY)   # visible ASCII, no spaces
IDEMPOTENCY_DOC = {"parameters": [{
    "in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY, "pattern": "^[!-~]+$"},
    "description": "Makes a retry safe: the same key again answers with the record the first try "
                   "filed (header Idempotent-Replayed: true) instead of filing a second one; the same "
                   "key with a different request is 422 idempotency_key_reused. Use a new UUID per "
                   "filing."}]}
REPLAYED_DOC = {REPLAYED_HEADER: {"description": "true when this answer repeats the first try of its "
                                                 "Idempotency-Key (nothing was filed now)",
                                  "schema": {"type": "string", "enum": ["true"]}}}


def _idempotency_key_sha256() -> str | None:
    """The request's Idempotency-Key, hashed (400 ``invalid_idempotency_key`` when malformed)."""
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if raw is None:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(raw):
        raise ApiError(400, "invalid_idempotency_key",
                       f"{IDEMPOTENCY_HEADER} must be 1-{MAX_IDEMPOTENCY_KEY} visible ASCII characters.",
                       {"header": IDEMPOTENCY_HEADER, "max_length": MAX_IDEMPOTENCY_KEY})
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def _replayable(prior, *, kind: str, content: dict, screenshot_sha256: str | None = None,
                report_id: str | None = None):
    """The record a first try filed under this key, if this request is that try again; 422
    when the key was used for something else (a client bug that must not pass silently)."""
    same = (prior.kind == kind and prior.report_id == report_id
            and prior.screenshot_sha256 == screenshot_sha256
            and json.loads(prior.content) == json.loads(json.dumps(content)))
    if not same:
        raise ApiError(422, "idempotency_key_reused",
                       f"This {IDEMPOTENCY_HEADER} was already used for a different request.",
                       {"header": IDEMPOTENCY_HEADER, "record_id": prior.id})
    return reports_store.record_of(prior)


@blp.route("/reports", methods=["POST"])
@body_limit(MAX_REPORT_BODY)
@require_auth
@blp.arguments(ReportSchema, example={
    "text": "nobody wants you here", "url": "https://example.com/post/1#c2", "author": "@someone",
    "platform": "example", "seen_at": "2025-03-01T08:00:00Z", "context": "replies to my post",
    "category": "harassment", "note": "third message today", "public": False})
@blp.response(201, ReportFiledSchema, headers=REPLAYED_DOC)
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")   # idempotency_key_reused
@blp.doc(**IDEMPOTENCY_DOC)
def file_report(args):
    """File a report (text, URL, author, time seen, context, category, note, optional PNG screenshot)."""
    key_sha256 = _idempotency_key_sha256()
    shot = None
    if args.get("screenshot"):
        try:
            shot = decode_screenshot(args["screenshot"])
        except EvidenceError as exc:
            status = 413 if isinstance(exc, ScreenshotTooLarge) else 400
            raise ApiError(status, "invalid_screenshot" if status == 400 else "payload_too_large",
                           str(exc), {"field": "screenshot", "max_bytes": MAX_SCREENSHOT_BYTES,
                                      "max_pixels": MAX_SCREENSHOT_PIXELS}) from None
    user = current_user()
    t = now()
    content = _content_from(args)
    prior = None
    with get_store().begin(user.id) as conn:   # the user's lock: one try of a key at a time
        if key_sha256 is not None:
            prior = reports_store.record_by_idempotency_key(conn, user.id, key_sha256)
        if prior is not None:
            rec = _replayable(prior, kind="report", content=content,
                              screenshot_sha256=sha256_hex(shot) if shot is not None else None)
        else:
            check_report_quotas(conn, user.id, t, len(shot) if shot is not None else 0)
            rec = reports_store.append_record(conn, user.id, kind="report", content=content, now=t,
                                              screenshot=shot, idempotency_key_sha256=key_sha256)
            stats_store.bump(conn, user.id, t, {"reports": 1})
    from ..services.integrity import head_receipt

    receipt = head_receipt(current_app.config["KINDSHIELD"].receipt_secret, user.id, rec.seq, rec.sha256)
    body = {"id": rec.id, "received_at": rec.received_at, "sha256": rec.sha256, "prev_sha256": rec.prev_sha256,
            "seq": rec.seq, "status": "filed", "head_receipt": receipt}
    return (body, 201, {REPLAYED_HEADER: "true"}) if prior is not None else body


@blp.route("/reports", methods=["GET"])
@require_auth
@blp.arguments(ReportListQuerySchema, location="query")
@blp.response(200, ReportListSchema)
def list_reports(args):
    """Your reports, newest first (without screenshots)."""
    user = current_user()
    with get_store().read() as conn:
        before = cursors.decode(args["cursor"], int)
        rows = reports_store.report_rows(conn, user.id, args["limit"] + 1, 0 if before else args["offset"],
                                         before_seq=before[0] if before else None)
        rows, next_cursor = cursors.page(rows, args["limit"], lambda r: (int(r.seq),))
        return {"reports": [_view(conn, user.id, r, full=False) for r in rows],
                "total": reports_store.count_reports(conn, user.id), "next_cursor": next_cursor}


@blp.route("/reports/verify", methods=["GET"])
@require_auth
@blp.response(200, ReportVerifySchema)
def verify_chain():
    """Re-hash your whole chain (content, screenshots, links); name the first record that fails."""
    from ..services.userdata import verify_user_chain  # knows what retention pruned

    with get_store().read() as conn:
        return verify_user_chain(conn, current_user().id).to_dict()


def check_report_quotas(conn, user_id: int, t, new_screenshot_bytes: int) -> None:
    """Per-user quotas (Config.reports_per_day, Config.report_screenshot_quota_bytes): a
    filing flood or a disk-filling stream of screenshots stops at the user's own limit."""
    cfg = current_app.config["KINDSHIELD"]
    day_ago = format_time(t - timedelta(days=1))
    if reports_store.records_filed_since(conn, user_id, day_ago) >= cfg.reports_per_day:
        raise ApiError(429, "report_quota_exceeded",
                       f"At most {cfg.reports_per_day} reports and status changes per day.",
                       {"reports_per_day": cfg.reports_per_day}, headers={"Retry-After": "3600"})
    if new_screenshot_bytes:
        used = reports_store.screenshot_bytes(conn, user_id)
        if used + new_screenshot_bytes > cfg.report_screenshot_quota_bytes:
            raise ApiError(413, "screenshot_quota_exceeded",
                           "Your stored screenshots would exceed this server's per-user quota.",
                           {"quota_bytes": cfg.report_screenshot_quota_bytes, "used_bytes": used})


EXPORT_FIELDS = ("id", "when_received", "when_seen", "what", "context", "who", "where_url", "where_platform",
                 "category", "note", "status", "status_history", "evidence_screenshot_sha256", "sha256",
                 "prev_sha256", "seq")


def _csv_safe(value) -> str:
    s = "" if value is None else str(value)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        s = "'" + s  # keep spreadsheets from running evidence as formulas
    return s


@blp.route("/reports/export", methods=["GET"])
@require_auth
@blp.arguments(ReportExportQuerySchema, location="query")
@blp.response(200, ReportExportSchema, description="JSON; with `?format=csv` the same fields as a CSV file "
                                                   "(text/csv, UTF-8 with a byte order mark)")
def export(args):
    """Everything victim-support guides ask for: when, what, who, where, evidence, hash."""
    user = current_user()
    with get_store().read() as conn:
        rows = list(reversed(reports_store.report_rows(conn, user.id, 1_000_000, 0)))
        items = []
        for r in rows:
            c = json.loads(r.content)
            hist = _status_history(conn, user.id, r.id)
            items.append({
                "id": r.id, "seq": r.seq, "when_received": r.received_at, "when_seen": c.get("seen_at"),
                "what": c.get("text"), "context": c.get("context"), "who": c.get("author"),
                "where_url": c.get("url"), "where_platform": c.get("platform"), "category": c.get("category"),
                "note": c.get("note"), "status": hist[-1]["status"] if hist else "filed",
                "status_history": [{"status": h["status"], "at": h["at"], "note": h["note"], "sha256": h["sha256"]}
                                   for h in hist],
                "evidence_screenshot_sha256": r.screenshot_sha256, "sha256": r.sha256, "prev_sha256": r.prev_sha256,
            })
        head = reports_store.chain_head(conn, user.id)
    if args["format"] == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(EXPORT_FIELDS)
        for it in items:
            row = dict(it)
            row["status_history"] = "; ".join(f"{h['status']}@{h['at']}" for h in it["status_history"])
            w.writerow([_csv_safe(row.get(f)) for f in EXPORT_FIELDS])
        resp = Response("\ufeff" + buf.getvalue(), mimetype="text/csv")
        resp.headers["Content-Disposition"] = 'attachment; filename="kindshield-reports.csv"'
        return resp
    return {"reports": items, "chain_head_sha256": head, "exported_at": format_time(now()),
            "hash_algorithm": "sha256 over canonical JSON (see /v1/reports/verify)"}


@blp.route("/reports/<string:report_id>", methods=["GET"])
@require_auth
@blp.response(200, ReportViewSchema)
def get_report(report_id):
    """One of your reports, with its screenshot and status history."""
    user = current_user()
    with get_store().read() as conn:
        row = reports_store.report_row(conn, user.id, report_id[:64])
        if row is None:
            raise not_found("No such report.")
        return _view(conn, user.id, row, full=True)


@blp.route("/reports/<string:report_id>", methods=["PATCH"])
@require_auth
@blp.arguments(ReportStatusSchema, example={"status": "sent_to_platform", "note": "reported via the platform's form"})
@blp.response(200, ReportStatusChangedSchema, headers=REPLAYED_DOC)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")               # invalid_transition
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")   # idempotency_key_reused
@blp.doc(**IDEMPOTENCY_DOC)
def patch_report(args, report_id):
    """Move a report forward (filed -> sent_to_platform -> resolved); appended as a new linked record."""
    key_sha256 = _idempotency_key_sha256()
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        row = reports_store.report_row(conn, user.id, report_id[:64])
        if row is None:
            raise not_found("No such report.")
        content = {"report_id": row.id, "status": args["status"], "note": args.get("note")}
        prior = None if key_sha256 is None else reports_store.record_by_idempotency_key(conn, user.id, key_sha256)
        if prior is not None:
            # before the transition check: a retry of a change that committed is not a 409
            rec = _replayable(prior, kind="status", content=content, report_id=row.id)
            view = _view(conn, user.id, row, full=False)
            view.update({"status": args["status"], "record": _record_view(rec)})
            return view, 200, {REPLAYED_HEADER: "true"}
        check_report_quotas(conn, user.id, t, 0)
        hist = _status_history(conn, user.id, row.id)
        current = hist[-1]["status"] if hist else "filed"
        try:
            check_transition(current, args["status"])
        except ChainError as exc:
            raise ApiError(409, "invalid_transition", str(exc), {"status": current}) from None
        rec = reports_store.append_record(conn, user.id, kind="status", now=t, report_id=row.id,
                                          content=content, idempotency_key_sha256=key_sha256)
        view = _view(conn, user.id, row, full=False)
    view.update({"status": args["status"], "record": _record_view(rec)})
    return view


def _record_view(rec) -> dict:
    return {"id": rec.id, "seq": rec.seq, "received_at": rec.received_at, "sha256": rec.sha256,
            "prev_sha256": rec.prev_sha256}
