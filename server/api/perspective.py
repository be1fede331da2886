"""Perspective-compatible API: POST /v1alpha1/comments:analyze and its discovery document.

Follows the Perspective Comment Analyzer v1alpha1 request/response and error format, so an
existing client (plain HTTP, or googleapiclient.discovery.build("commentanalyzer", "v1alpha1",
discoveryServiceUrl="<this server>/$discovery/rest?version=v1alpha1", developerKey=KEY)) works
against this server unchanged.  The API key may be sent as ``?key=`` or as a Bearer token.

Attribute mapping from our labels (probabilities):
  TOXICITY = toxic, INSULT = insult, THREAT = threat, IDENTITY_ATTACK = identity_attack,
  PROFANITY = obscene, SEVERE_TOXICITY = toxic * max(threat, identity_attack, insult * obscene)
  (the model has no "severe" head; this keeps it <= TOXICITY and high only for toxic text that
  also threatens, attacks identity, or insults with obscenity).
"""
from __future__ import annotations

import re

from flask import current_app, jsonify
from marshmallow import Schema, fields, validate

from ..analysis import ItemError, analyze_texts
from ..auth import require_auth
from ..errors import ApiError, set_formatter_for_blueprint
from . import ApiBlueprint, StrictSchema
from .analyze import clean_text

blp = ApiBlueprint("perspective", __name__, description="Perspective API compatible analysis (v1alpha1)")

ATTRIBUTES = ("TOXICITY", "SEVERE_TOXICITY", "INSULT", "THREAT", "IDENTITY_ATTACK", "PROFANITY")
SUPPORTED_LANGUAGES = ("en", "zh")
MAX_COMMENT_CHARS = 20_000
MAX_SPANS = 64
ERROR_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"

_GOOGLE_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                  405: "INVALID_ARGUMENT", 409: "ABORTED", 413: "INVALID_ARGUMENT", 415: "INVALID_ARGUMENT",
                  422: "INVALID_ARGUMENT",
                  429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 501: "UNIMPLEMENTED", 503: "UNAVAILABLE"}


def attribute_scores(labels: dict) -> dict[str, float]:
    g = lambda k: float(labels.get(k, 0.0))  # noqa: E731
    return {
        "TOXICITY": g("toxic"),
        "SEVERE_TOXICITY": g("toxic") * max(g("threat"), g("identity_attack"), g("insult") * g("obscene")),
        "INSULT": g("insult"),
        "THREAT": g("threat"),
        "IDENTITY_ATTACK": g("identity_attack"),
        "PROFANITY": g("obscene"),
    }


# ---------------------------------------------------------------------------
# errors in Google's format: {"error": {"code": 400, "message", "status", "details": [...]}}

class PerspectiveError(ApiError):
    def __init__(self, error_type: str, message: str, status: int = 400, extra: dict | None = None) -> None:
        detail = {"@type": ERROR_TYPE, "errorType": error_type, **(extra or {})}
        super().__init__(status, error_type.lower(), message, details=[detail])


def _google_format(err: ApiError):
    details = err.details
    if not (isinstance(details, list) and details and isinstance(details[0], dict) and "@type" in details[0]):
        detail: dict = {"@type": ERROR_TYPE, "errorType": "INVALID_REQUEST" if err.status == 400 else err.code.upper()}
        out = [detail]
        if isinstance(details, dict) and "fields" in details:
            out.append({"@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": _violations(details["fields"])})
        details = out
    resp = jsonify({"error": {"code": err.status, "message": err.message,
                              "status": _GOOGLE_STATUS.get(err.status, "UNKNOWN"), "details": details}})
    resp.status_code = err.status
    return resp


def _violations(messages, prefix: str = "") -> list[dict]:
    out: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            out += _violations(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(messages, list):
        for m in messages:
            if isinstance(m, (dict, list)):
                out += _violations(m, prefix)
            else:
                out.append({"field": prefix or "request", "description": str(m)})
    return out


set_formatter_for_blueprint("perspective", _google_format)


# ---------------------------------------------------------------------------
# schemas (Perspective's field names)

class TextEntrySchema(StrictSchema):
    text = fields.String(load_default="", metadata={"description": "UTF-8 encoded text."})
    type = fields.String(load_default="PLAIN_TEXT", validate=validate.OneOf(["PLAIN_TEXT", "HTML"]))


class ArticleAndParentCommentSchema(StrictSchema):
    article = fields.Nested(TextEntrySchema)
    parentComment = fields.Nested(TextEntrySchema)


class ContextSchema(StrictSchema):
    entries = fields.List(fields.Nested(TextEntrySchema))
    articleAndParentComment = fields.Nested(ArticleAndParentCommentSchema)


class AttributeParametersSchema(StrictSchema):
    scoreType = fields.String(load_default="PROBABILITY", validate=validate.OneOf(["PROBABILITY"]))
    scoreThreshold = fields.Float(validate=validate.Range(min=0.0, max=1.0), allow_nan=False)


class AnalyzeCommentRequestSchema(StrictSchema):
    comment = fields.Nested(TextEntrySchema, required=True)
    context = fields.Nested(ContextSchema)
    requestedAttributes = fields.Dict(keys=fields.String(), values=fields.Nested(AttributeParametersSchema),
                                      load_default=dict,
                                      metadata={"description": "Any of " + ", ".join(ATTRIBUTES)})
    languages = fields.List(fields.String(), load_default=list)
    doNotStore = fields.Boolean(load_default=False, truthy={True}, falsy={False},
                                metadata={"description": "Accepted; Kindshield never stores analysed text."})
    clientToken = fields.String()
    sessionId = fields.String()
    communityId = fields.String()
    spanAnnotations = fields.Boolean(load_default=False, truthy={True}, falsy={False},
                                     metadata={"description": "Score each sentence separately in spanScores."})


class ScoreSchema(Schema):
    value = fields.Float(required=True)
    type = fields.String(required=True)


class SpanScoreSchema(Schema):
    begin = fields.Integer(required=True)
    end = fields.Integer(required=True)
    score = fields.Nested(ScoreSchema, required=True)


class AttributeScoresSchema(Schema):
    summaryScore = fields.Nested(ScoreSchema, required=True)
    spanScores = fields.List(fields.Nested(SpanScoreSchema))


class AnalyzeCommentResponseSchema(Schema):
    attributeScores = fields.Dict(keys=fields.String(), values=fields.Nested(AttributeScoresSchema), required=True)
    languages = fields.List(fields.String())
    detectedLanguages = fields.List(fields.String())
    clientToken = fields.String()


# ---------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?。！？…]+[\"'”’)\]]*\s*|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split into sentence spans (character offsets), at most MAX_SPANS (the last takes the rest)."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
            start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    if not spans:
        spans = [(0, len(text))]
    if len(spans) > MAX_SPANS:
        spans = spans[:MAX_SPANS - 1] + [(spans[MAX_SPANS - 1][0], len(text))]
    return spans


def _language(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-")[0]


@blp.route("/v1alpha1/comments:analyze", methods=["POST"])
@require_auth(query_key=True)
@blp.arguments(AnalyzeCommentRequestSchema, example={
    "comment": {"text": "you are an idiot"}, "requestedAttributes": {"TOXICITY": {}, "INSULT": {}},
    "languages": ["en"], "doNotStore": True})
@blp.response(200, AnalyzeCommentResponseSchema)
def analyze_comment(args):
    """Analyze a comment (Perspective API v1alpha1 compatible). Errors use Google's format."""
    comment = args["comment"]
    text = comment.get("text") or ""
    if comment.get("type") == "HTML":
        raise PerspectiveError("INVALID_REQUEST", "Currently, only 'PLAIN_TEXT' comments are supported")
    if not text.strip():
        raise PerspectiveError("COMMENT_EMPTY", "Comment must be non-empty.")
    if len(text) > MAX_COMMENT_CHARS:
        raise PerspectiveError("COMMENT_TOO_LONG",
                               f"Comment text was too long: at most {MAX_COMMENT_CHARS} characters are allowed.")
    requested = args["requestedAttributes"]
    if not requested:
        raise PerspectiveError("NO_REQUESTED_ATTRIBUTES", "Some requested attribute must be specified.")
    unknown = sorted(a for a in requested if a not in ATTRIBUTES)
    if unknown:
        raise PerspectiveError("INVALID_REQUEST", "Unknown or unsupported attribute(s): " + ", ".join(unknown)
                               + ". Supported: " + ", ".join(ATTRIBUTES) + ".")
    ctx = args.get("context") or {}
    if ctx.get("entries") and ctx.get("articleAndParentComment"):
        raise PerspectiveError("INVALID_REQUEST", "Context can have either entries or article_and_parent_comment, "
                                                  "but both fields were populated.")

    requested_langs = [_language(x) for x in args["languages"] if x.strip()]
    lang = "auto"
    if requested_langs:
        usable = [x for x in requested_langs if x in SUPPORTED_LANGUAGES]
        if not usable:
            attr = sorted(requested)[0]
            raise PerspectiveError(
                "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
                f"Attribute {attr} does not support request languages: {', '.join(args['languages'])}",
                extra={"languageNotSupportedByAttributeError": {
                    "requestedLanguages": list(args["languages"]), "attribute": attr}})
        lang = usable[0]

    text = clean_text(text)
    spans = sentence_spans(text) if args["spanAnnotations"] else []
    batch = [text] + [text[b:e] for b, e in spans] if len(spans) > 1 else [text]
    results = analyze_texts(batch, lang=lang, explain=False, source="perspective")
    whole = results[0]
    if isinstance(whole, ItemError):   # logged (without the text) and counted by the analysis layer
        raise PerspectiveError("COMMENT_ANALYSIS_FAILED", "This comment could not be analyzed.", status=422)
    summary = attribute_scores(whole.labels)
    if len(spans) > 1:
        # a sentence that failed alone has no span score; the summary and the other sentences stand
        span_scores = [(b, e, attribute_scores(r.labels)) for (b, e), r in zip(spans, results[1:])
                       if not isinstance(r, ItemError)]
    else:
        span_scores = [(0, len(text), summary)]

    out_attrs = {}
    for attr, params in requested.items():
        value = summary[attr]
        threshold = params.get("scoreThreshold")
        if threshold is not None and value < threshold:
            continue
        out_attrs[attr] = {
            "spanScores": [{"begin": b, "end": e, "score": {"value": round(s[attr], 6), "type": "PROBABILITY"}}
                           for b, e, s in span_scores],
            "summaryScore": {"value": round(value, 6), "type": "PROBABILITY"},
        }
    detected = whole.language if whole.language in SUPPORTED_LANGUAGES else None
    body = {
        "attributeScores": out_attrs,
        "languages": requested_langs or ([detected] if detected else []),
        "detectedLanguages": [whole.language] if whole.language else [],
    }
    if "clientToken" in args:
        body["clientToken"] = args["clientToken"]
    return body


# ---------------------------------------------------------------------------
# discovery document (what googleapiclient.discovery.build reads)

def _schema_ref(name: str) -> dict:
    return {"$ref": name}


def discovery_document(root_url: str) -> dict:
    text_entry = {"id": "TextEntry", "type": "object", "properties": {
        "text": {"type": "string", "description": "UTF-8 encoded text."},
        "type": {"type": "string", "enum": ["TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML"]}}}
    score = {"id": "Score", "type": "object", "properties": {
        "value": {"type": "number", "format": "float"}, "type": {"type": "string"}}}
    span_score = {"id": "SpanScore", "type": "object", "properties": {
        "begin": {"type": "integer", "format": "int32"}, "end": {"type": "integer", "format": "int32"},
        "score": _schema_ref("Score")}}
    attribute_scores_schema = {"id": "AttributeScores", "type": "object", "properties": {
        "summaryScore": _schema_ref("Score"), "spanScores": {"type": "array", "items": _schema_ref("SpanScore")}}}
    attribute_parameters = {"id": "AttributeParameters", "type": "object", "properties": {
        "scoreType": {"type": "string", "enum": ["SCORE_TYPE_UNSPECIFIED", "PROBABILITY"]},
        "scoreThreshold": {"type": "number", "format": "float"}}}
    context = {"id": "Context", "type": "object", "properties": {
        "entries": {"type": "array", "items": _schema_ref("TextEntry")},
        "articleAndParentComment": _schema_ref("ArticleAndParentComment")}}
    article = {"id": "ArticleAndParentComment", "type": "object", "properties": {
        "article": _schema_ref("TextEntry"), "parentComment": _schema_ref("TextEntry")}}
    request_schema = {"id": "AnalyzeCommentRequest", "type": "object",
                      "description": "The comment analysis request message.", "properties": {
                          "comment": _schema_ref("TextEntry"),
                          "context": _schema_ref("Context"),
                          "requestedAttributes": {"type": "object",
                                                  "additionalProperties": _schema_ref("AttributeParameters")},
                          "languages": {"type": "array", "items": {"type": "string"}},
                          "doNotStore": {"type": "boolean"},
                          "clientToken": {"type": "string"},
                          "sessionId": {"type": "string"},
                          "communityId": {"type": "string"},
                          "spanAnnotations": {"type": "boolean"}}}
    response_schema = {"id": "AnalyzeCommentResponse", "type": "object",
                       "description": "The comment analysis response message.", "properties": {
                           "attributeScores": {"type": "object",
                                               "additionalProperties": _schema_ref("AttributeScores")},
                           "languages": {"type": "array", "items": {"type": "string"}},
                           "detectedLanguages": {"type": "array", "items": {"type": "string"}},
                           "clientToken": {"type": "string"}}}
    schemas = {s["id"]: s for s in (text_entry, score, span_score, attribute_scores_schema, attribute_parameters,
                                     context, article, request_schema, response_schema)}
    q = lambda d, **kw: {"type": "string", "location": "query", "description": d, **kw}  # noqa: E731
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": "commentanalyzer:v1alpha1",
        "name": "commentanalyzer",
        "canonicalName": "Comment Analyzer",
        "version": "v1alpha1",
        "revision": "kindshield",
        "title": "Perspective Comment Analyzer API (Kindshield, self-hosted)",
        "description": "Perspective-compatible comment analysis served by Kindshield.",
        "protocol": "rest",
        "rootUrl": root_url,
        "servicePath": "",
        "baseUrl": root_url,
        "basePath": "/",
        "batchPath": "batch",
        "version_module": True,
        "ownerDomain": "kindshield",
        "ownerName": "Kindshield",
        "documentationLink": root_url + "docs",
        "parameters": {
            "key": q("API key (or send Authorization: Bearer <key>)."),
            "alt": q("Data format for response.", enum=["json"], default="json"),
            "fields": q("Accepted and ignored."),
            "prettyPrint": {"type": "boolean", "location": "query", "default": "true",
                            "description": "Accepted and ignored."},
            "quotaUser": q("Accepted and ignored."),
            "$.xgafv": q("Error format (accepted and ignored).", enum=["1", "2"]),
        },
        "schemas": schemas,
        "resources": {"comments": {"methods": {"analyze": {
            "id": "commentanalyzer.comments.analyze",
            "path": "v1alpha1/comments:analyze",
            "flatPath": "v1alpha1/comments:analyze",
            "httpMethod": "POST",
            "description": "Analyzes the provided text and returns scores for requested attributes.",
            "parameters": {},
            "parameterOrder": [],
            "request": {"$ref": "AnalyzeCommentRequest"},
            "response": {"$ref": "AnalyzeCommentResponse"},
        }}}},
    }


def _root_url() -> str:
    from ..hosts import root_url

    return root_url(current_app.config["KINDSHIELD"])   # never the request's Host header


class DiscoveryQuerySchema(Schema):
    version = fields.String(load_default="v1alpha1")


@blp.route("/$discovery/rest", methods=["GET"])
@blp.arguments(DiscoveryQuerySchema, location="query")
@blp.response(200, {"type": "object"})
@blp.alt_response(404, response="NOT_FOUND")
def discovery(args):
    """The Google API discovery document for the Perspective-compatible route."""
    if args["version"] != "v1alpha1":
        raise ApiError(404, "not_found", "Only version v1alpha1 is served here.")
    return jsonify(discovery_document(_root_url()))


@blp.route("/discovery/v1/apis/commentanalyzer/v1alpha1/rest", methods=["GET"])
@blp.response(200, {"type": "object"})
def discovery_v1():
    """The same discovery document at googleapiclient's default discovery path."""
    return jsonify(discovery_document(_root_url()))


def init_app(app):
    app.extensions["kindshield.limit_exempt"].update({"perspective.discovery", "perspective.discovery_v1"})
