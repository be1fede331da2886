"""Writer nudges.

    POST /v1/precheck          {"text", "lang": "auto"|"en"|"zh"}
        -> {"nudge", "nudge_id", "message", "labels", "spans", "language"}
    POST /v1/precheck/outcome  {"nudge_id", "outcome": "edited"|"posted_anyway"|"discarded"}
Only the nudge's labels, language and outcome are stored: never the text.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..analysis import ItemError, analyze_texts, get_model
from ..auth import current_user, require_auth
from ..clock import now
from ..errors import not_found
from ..policy.nudge import OUTCOMES, compose, nudge_kind, nudge_language, should_nudge
from ..store import get_store
from ..store import nudges as nudges_store
from ..store import stats as stats_store
from . import ApiBlueprint, StrictSchema
from .analyze import clean_text

blp = ApiBlueprint("precheck", __name__, url_prefix="/v1", description="Writer nudges")


class PrecheckRequestSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20_000))
    lang = fields.String(load_default="auto", validate=validate.OneOf(("auto", "en", "zh")))


class PrecheckSpanSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    score = fields.Float(required=True)


class PrecheckResponseSchema(Schema):
    nudge = fields.Boolean(required=True)
    nudge_id = fields.String(allow_none=True, required=True)
    message = fields.String(allow_none=True, required=True)
    labels = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    flagged = fields.List(fields.String(), metadata={
        "description": "when `nudge` is true: `toxic` and the sub-labels at or above their thresholds (what kind "
                       "of hostility it is); empty otherwise. Only the toxic decision nudges: swearing at no one "
                       "does not"})
    kind = fields.String(allow_none=True, metadata={
        "description": "the kind of hostility the nudge names: threat, identity_attack, insult, obscene or toxic"})
    spans = fields.List(fields.Nested(PrecheckSpanSchema), required=True)
    language = fields.String()
    error = fields.Dict(metadata={"description": "`{code, message}` only when the text could not be analysed "
                                                 "(then no nudge: the writer is never blocked by our failure)"})


class PrecheckOutcomeSchema(StrictSchema):
    nudge_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))


class PrecheckOutcomeResponseSchema(Schema):
    nudge_id = fields.String(required=True)
    outcome = fields.String(required=True)


@blp.route("/precheck", methods=["POST"])
@require_auth
@blp.arguments(PrecheckRequestSchema, example={"text": "you are such an idiot", "lang": "auto"})
@blp.response(200, PrecheckResponseSchema)
def precheck(args):
    """Check a draft before it is posted; a nudge suggests rephrasing and points at the words."""
    user = current_user()
    text = clean_text(args["text"])
    (r,) = analyze_texts([text], lang=args["lang"], explain=True, source="precheck")
    if isinstance(r, ItemError):
        return {"nudge": False, "nudge_id": None, "message": None, "labels": {}, "flagged": [], "kind": None,
                "spans": [],
                "language": nudge_language(args["lang"], "und"), "error": r.to_dict()}
    thresholds = get_model().thresholds(r.language)
    flagged = should_nudge(r.labels, thresholds)
    spans = [{"start": int(s.start), "end": int(s.end), "score": round(float(s.score), 4)} for s in r.spans]
    language = nudge_language(args["lang"], r.language)
    t = now()
    nudge_id = None
    message = None
    with get_store().begin(user.id) as conn:
        stats_store.bump(conn, user.id, t, {"analysed": 1, "flagged": 1 if flagged else 0})
        if flagged:
            n = compose(text, flagged, [(s.start, s.end) for s in r.spans], language)
            message = n.message
            nudge_id = nudges_store.add_nudge(conn, user.id, language, flagged, t)
    return {"nudge": bool(flagged), "nudge_id": nudge_id, "message": message,
            "labels": {k: round(float(v), 4) for k, v in r.labels.items()}, "flagged": list(flagged),
            "kind": nudge_kind(flagged) if flagged else None,
            "spans": spans, "language": language}


@blp.route("/precheck/outcome", methods=["POST"])
@require_auth
@blp.arguments(PrecheckOutcomeSchema, example={"nudge_id": "3f0c…", "outcome": "edited"})
@blp.response(200, PrecheckOutcomeResponseSchema)
def outcome(args):
    """Record what the writer did after a nudge (edited and discarded count as heeded)."""
    user = current_user()
    t = now()
    with get_store().begin(user.id) as conn:
        row, _changed = nudges_store.set_nudge_outcome(conn, user.id, args["nudge_id"], args["outcome"], t)
        if row is None:
            raise not_found("No such nudge.")
    return {"nudge_id": args["nudge_id"], "outcome": args["outcome"]}
