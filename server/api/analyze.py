"""POST /v1/analyze: score 1-256 texts with the model."""
from __future__ import annotations

from flask import current_app
from marshmallow import Schema, fields, validate

from ..analysis import ItemError, analyze_texts, get_model
from ..auth import require_auth
from ..errors import bad_request
from ..policy.shielding import HOSTILE_LABELS, hostile_kinds, is_swearing
from . import ApiBlueprint, StrictSchema

MAX_TEXTS = 256
MAX_TEXT_CHARS = 20_000
LANGS = ("auto", "en", "zh")
SEVERITIES = ("none", "low", "medium", "high")

blp = ApiBlueprint("analyze", __name__, url_prefix="/v1", description="Toxicity analysis")


def clean_text(text: str) -> str:
    """Replace lone surrogates (valid JSON, invalid Unicode) with U+FFFD; offsets are unchanged."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


class AnalyzeRequestSchema(StrictSchema):
    texts = fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_TEXT_CHARS)),
        required=True, validate=validate.Length(min=1, max=MAX_TEXTS),
        metadata={"description": f"1-{MAX_TEXTS} texts, each 1-{MAX_TEXT_CHARS} characters."},
    )
    lang = fields.String(load_default="auto", validate=validate.OneOf(LANGS),
                         metadata={"description": "Language hint; `auto` detects it per text."})
    explain = fields.Boolean(load_default=False, truthy={True}, falsy={False},
                             metadata={"description": "Return the spans that drive the score."})


class ToxicSpanSchema(Schema):
    start = fields.Integer(required=True, metadata={"description": "offset in characters (code points)"})
    end = fields.Integer(required=True)
    score = fields.Float(required=True, metadata={
        "description": "how far the toxic score falls when the span is removed; when no single removal "
                       "lowers it by 0.25 (redundant abuse), the span's own toxic score"})


class ItemErrorSchema(Schema):
    code = fields.String(required=True, metadata={"description": "stable code, e.g. `analysis_failed`"})
    message = fields.String(required=True)


class ResultSchema(Schema):
    # not "required": a text that could not be analysed has only `error` (its batch mates are scored)
    toxic = fields.Boolean(metadata={
        "description": "the decision: `score` at or above the model's per-language threshold. This one field "
                       "decides blurring, folding, blocking and nudges; the labels say what kind of hostility "
                       "it is and decide nothing on their own. Absent when `error` is set"})
    kinds = fields.List(fields.String(), metadata={
        "description": "when `toxic`: the labels at or above their thresholds (toxic, insult, threat, "
                       "identity_attack, obscene); empty otherwise"})
    swearing = fields.Boolean(metadata={
        "description": "obscene at or above its threshold without the toxic decision: swearing aimed at no one. "
                       "Hidden only where a person opted in (`hide_swearing`)"})
    score = fields.Float(metadata={"description": "probability that the text is toxic; absent when `error` is set"})
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    labels = fields.Dict(keys=fields.String(), values=fields.Float(),
                         metadata={"description": "label -> probability (toxic, insult, threat, identity_attack, "
                                                  "obscene, targeted_person)"})
    language = fields.String()
    spans = fields.List(fields.Nested(ToxicSpanSchema))
    error = fields.Nested(ItemErrorSchema, metadata={
        "description": "only when this one text could not be analysed (the failure is logged without the "
                       "text and counted in `kindshield_analysis_errors_total`); the other texts are scored"})


class ModelInfoSchema(Schema):
    name = fields.String(required=True)
    version = fields.String(required=True)


class AnalyzeResponseSchema(Schema):
    results = fields.List(fields.Nested(ResultSchema), required=True)
    model = fields.Nested(ModelInfoSchema, required=True)


def result_dict(r) -> dict:
    if isinstance(r, ItemError):
        return {"error": r.to_dict()}
    thresholds = get_model().thresholds(r.language)
    return {
        "toxic": bool(r.toxic),
        "kinds": list(hostile_kinds(r.labels, {k: float(thresholds.get(k, 0.5)) for k in HOSTILE_LABELS})),
        "swearing": is_swearing(r.labels, thresholds),
        "score": round(float(r.score), 6),
        "severity": r.severity,
        "labels": {k: round(float(v), 6) for k, v in r.labels.items()},
        "language": r.language,
        "spans": [{"start": int(s.start), "end": int(s.end), "score": round(float(s.score), 6)} for s in r.spans],
    }


@blp.route("/analyze", methods=["POST"])
@require_auth
@blp.arguments(AnalyzeRequestSchema, example={"texts": ["you are wonderful", "nobody likes you, idiot"],
                                              "lang": "auto", "explain": True})
@blp.response(200, AnalyzeResponseSchema)
def analyze(args):
    """Score texts: probability per label, overall severity and (with `explain`) the spans."""
    cfg = current_app.config["KINDSHIELD"]
    texts = args["texts"]
    if len(texts) > cfg.max_texts:
        raise bad_request(f"At most {cfg.max_texts} texts per request.", {"max_texts": cfg.max_texts})
    too_long = [i for i, t in enumerate(texts) if len(t) > cfg.max_text_chars]
    if too_long:
        raise bad_request(f"Each text may have at most {cfg.max_text_chars} characters.",
                          {"indexes": too_long[:20], "max_chars": cfg.max_text_chars})
    model = get_model()
    results = analyze_texts([clean_text(t) for t in texts], lang=args["lang"], explain=args["explain"],
                            source="analyze")
    return {"results": [result_dict(r) for r in results], "model": {"name": model.name, "version": model.version}}
