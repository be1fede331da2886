"""POST /v1/shield: decide deliver / fold / block for up to 256 inbound items.

Each hostile item also feeds the recipient's pile-on window (score, hashed sender id and
time only: no text), which may raise one risk notice per episode.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..analysis import ItemError, analyze_texts, get_model
from ..auth import current_user, require_auth
from ..clock import now
from ..policy.pileon import HostileEvent, hash_sender
from ..policy.settings import KINDS, RELATIONS
from ..policy.shielding import Item, decide
from ..services.offenders import record_from_shield as record_offences
from ..services.pileon import pileon_config, record_hostile
from ..services.protection import sync_lockdown_notices
from ..store import get_store
from ..store import protection as protection_store
from ..store import stats as stats_store
from . import ApiBlueprint, StrictSchema
from .analyze import clean_text

blp = ApiBlueprint("shield", __name__, url_prefix="/v1", description="Message and comment shielding")

MAX_MESSAGES = 256
MAX_TEXT_CHARS = 20_000
UNATTRIBUTED = "\x00unattributed"   # pile-on pseudonym source of items sent without a sender id


class ShieldSenderSchema(StrictSchema):
    id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=256),
                       metadata={"description": "the platform's stable id of the sender (a user id or profile "
                                                "URL); omit it rather than send a display name or a placeholder"})
    relation = fields.String(required=True, validate=validate.OneOf(RELATIONS))


class ShieldMessageSchema(StrictSchema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT_CHARS))
    sender = fields.Nested(ShieldSenderSchema, required=True)
    sent_at = fields.DateTime(load_default=None, allow_none=True)


class ShieldRequestSchema(StrictSchema):
    messages = fields.List(fields.Nested(ShieldMessageSchema), required=True,
                           validate=validate.Length(min=1, max=MAX_MESSAGES))
    lang = fields.String(load_default="auto", validate=validate.OneOf(("auto", "en", "zh")))


class ShieldReasonSchema(Schema):
    rule = fields.String(required=True)
    labels = fields.List(fields.String(), required=True)
    action = fields.String(required=True)
    detail = fields.String(required=True)


class ShieldDecisionSchema(Schema):
    id = fields.String(required=True)
    action = fields.String(required=True, validate=validate.OneOf(("deliver", "fold", "block")))
    reasons = fields.List(fields.Nested(ShieldReasonSchema), required=True)
    score = fields.Float(required=True)
    labels = fields.Dict(keys=fields.String(), values=fields.Float())
    error = fields.Dict(metadata={"description": "`{code, message}` only when this message's text could not be "
                                                 "analysed: the rules that need no text (audience, lockdown) "
                                                 "still decide it; the other messages are unaffected"})


class ShieldResponseSchema(Schema):
    decisions = fields.List(fields.Nested(ShieldDecisionSchema), required=True)
    lockdown_active = fields.Boolean()
    notices = fields.List(fields.String(), metadata={"description": "ids of notices raised by this batch"})


def _recipient_key(user_id: int) -> str:
    return f"user:{user_id}"


def _sender_secret() -> str:
    """KINDSHIELD_SENDER_HASH_SECRET keys the sender pseudonyms (set it in production so stored
    hashes cannot be matched against guessed sender ids); one setting for windows and offenders."""
    from ..services.offenders import sender_secret

    return sender_secret()


@blp.route("/shield", methods=["POST"])
@require_auth
@blp.arguments(ShieldRequestSchema, example={"messages": [{
    "id": "m1", "kind": "comment", "text": "nobody likes you, idiot",
    "sender": {"id": "u-42", "relation": "stranger"}, "sent_at": "2025-03-01T08:00:00Z"}]})
@blp.response(200, ShieldResponseSchema)
def shield(args):
    """Decide, for each message, whether to deliver, fold or block it (with reasons)."""
    user = current_user()
    store = get_store()
    msgs = args["messages"]
    t = now()
    with store.read() as conn:
        settings = protection_store.load_settings(conn, user.id)
    texts = [clean_text(m["text"]) for m in msgs]
    results = analyze_texts(texts, lang=args["lang"], explain=bool(settings.reclaimed_terms), source="shield")
    model = get_model()
    cfg = pileon_config()

    secret = _sender_secret()
    with store.begin(user.id) as conn:
        settings = protection_store.load_settings(conn, user.id)  # re-read inside the write transaction
        lk = protection_store.active_lockdown(conn, user.id, t)
        decisions = []
        events = []
        for m, text, r in zip(msgs, texts, results):
            if isinstance(r, ItemError):   # unscored: decided by the relation-only rules
                item = Item(kind=m["kind"], relation=m["sender"]["relation"], sender_id=m["sender"].get("id"),
                            labels={}, text=text, spans=[])
                decisions.append(decide(item, settings, model.thresholds("und"), lk is not None))
                continue
            item = Item(kind=m["kind"], relation=m["sender"]["relation"], sender_id=m["sender"].get("id"),
                        labels=r.labels, text=text, spans=[(s.start, s.end, s.score) for s in r.spans])
            d = decide(item, settings, model.thresholds(r.language), lk is not None)
            decisions.append(d)
            if d.hostile and not any(x.rule == "allow_list" for x in d.reasons):
                # unattributed items share one pseudonym per recipient (as the old "unknown" id did)
                sender_id = m["sender"].get("id") or UNATTRIBUTED
                events.append(HostileEvent(t, d.score, hash_sender(sender_id, _recipient_key(user.id), secret)))

        folded = sum(d.action == "fold" for d in decisions)
        blocked = sum(d.action == "block" for d in decisions)
        stats_store.bump(conn, user.id, t, {"analysed": len(msgs), "flagged": sum(d.hostile for d in decisions),
                                          "folded": folded, "blocked": blocked})
        if lk is not None:
            protection_store.count_in_lockdown(conn, lk.id, folded, blocked)
        raised = record_hostile(conn, user.id, events, t, cfg)   # pile-on window and notice
        sync_lockdown_notices(conn, user.id, t)
        # the repeat-offender signal: sender pseudonyms, labels and scores only
        record_offences(conn, user.id, t, msgs, decisions, results)

    out = []
    for m, d, r in zip(msgs, decisions, results):
        dd = d.to_dict()
        if isinstance(r, ItemError):
            out.append({"id": m["id"], **dd, "error": r.to_dict()})   # no labels: nothing was scored
            continue
        out.append({"id": m["id"], **dd, "labels": {k: round(float(v), 4) for k, v in r.labels.items()}})
    return {"decisions": out, "lockdown_active": lk is not None, "notices": raised}
