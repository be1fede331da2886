"""The API's operations as flows (see :mod:`kindshield._core`): written once, run by both the
sync and the async client."""
from __future__ import annotations

import uuid
from typing import Any, Dict, Generator, Iterable, List, Mapping, Optional, Tuple, Union

from . import _constants as C
from . import _core
from ._core import Call
from ._errors import APIError
from ._page import Page
from ._types import (
    Analysis,
    ChainVerification,
    Health,
    ModelInfo,
    Notice,
    Precheck,
    Protection,
    Report,
    ReportReceipt,
    ShieldDecision,
    ShieldMessage,
    ShieldResult,
    Stats,
)

Flow = Generator[Call, Any, Any]


def analyze_items(texts: Union[str, Iterable[str]]) -> List[str]:
    items = [texts] if isinstance(texts, str) else list(texts)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"texts[{i}] must be str, not {type(item).__name__}")
    return items


def analyze(items: List[str], lang: str, explain: bool,
            limits: _core.ServerLimits) -> Generator[Call, Any, Analysis]:
    if not items:
        return Analysis(results=(), model=ModelInfo(name="", version=""))

    def body(batch: List[Any]) -> Dict[str, Any]:
        return {"texts": batch, "lang": lang, "explain": bool(explain)}

    answers = yield from _core.batched_flow("/v1/analyze", items, body, limits, idempotent=True)
    results: List[Any] = []
    model: Optional[ModelInfo] = None
    start = 0
    for data in answers:
        count = len((data or {}).get("results") or ())
        part = Analysis.from_dict(data, items[start:start + count])
        results.extend(part.results)
        model = model or part.model
        start += count
    if start != len(items):
        raise ValueError(f"server returned {start} results for {len(items)} texts")
    assert model is not None
    return Analysis(results=tuple(results), model=model)


def shield_items(messages: Iterable[Union[ShieldMessage, Mapping[str, Any]]]) -> List[Dict[str, Any]]:
    return [m.to_dict() if isinstance(m, ShieldMessage) else dict(m) for m in messages]


def shield(items: List[Dict[str, Any]], lang: str,
           limits: _core.ServerLimits) -> Generator[Call, Any, ShieldResult]:
    def body(batch: List[Any]) -> Dict[str, Any]:
        return {"messages": batch, "lang": lang}

    # Shielding feeds the pile-on detector, so it is not retried after the server may have acted.
    answers = yield from _core.batched_flow("/v1/shield", items, body, limits, idempotent=False)
    decisions: List[ShieldDecision] = []
    notices: List[str] = []
    active: Optional[bool] = None
    for data in answers:
        part = ShieldResult.from_dict(data or {})
        decisions.extend(part.decisions)
        notices.extend(part.notices)
        active = part.lockdown_active if part.lockdown_active is not None else active
    return ShieldResult(decisions=tuple(decisions), lockdown_active=active, notices=tuple(notices))


# ------------------------------------------------------------------ single calls


def precheck(text: str, lang: str) -> Generator[Call, Any, Precheck]:
    result: Precheck = Precheck.from_dict((yield Call("POST", "/v1/precheck", {"text": text, "lang": lang}, idempotent=True)))
    return result


def record_outcome(nudge_id: str, outcome: str) -> Generator[Call, Any, None]:
    yield Call("POST", "/v1/precheck/outcome", {"nudge_id": nudge_id, "outcome": outcome})


def stats(days: int, scope: Optional[str]) -> Generator[Call, Any, Stats]:
    params: Dict[str, Any] = {"days": int(days)}
    if scope is not None:
        params["scope"] = scope
    result: Stats = Stats.from_dict((yield Call("GET", "/v1/stats", params=params)) or {})
    return result


def _probe(path: str) -> Generator[Call, Any, Tuple[bool, Mapping[str, Any]]]:
    try:
        body = yield Call("GET", path, auth=False, max_retries=0)
    except APIError as exc:
        return False, {"status": exc.status, "code": exc.code, "message": exc.message, **exc.details}
    return True, body if isinstance(body, Mapping) else {"body": body}


def health() -> Generator[Call, Any, Health]:
    alive = (yield from _probe("/healthz"))[0]
    ready, details = yield from _probe("/readyz")
    return Health(alive=alive, ready=ready, details=details)


# ------------------------------------------------------------------ protection


def protection_get() -> Generator[Call, Any, Protection]:
    result: Protection = Protection.from_dict((yield Call("GET", "/v1/protection")) or {})
    return result


def protection_update(changes: Dict[str, Any]) -> Generator[Call, Any, Protection]:
    data = yield Call("PUT", "/v1/protection", changes)
    result: Protection = Protection.from_dict(data) if data else (yield from protection_get())
    return result


def protection_one_click(hours: int) -> Generator[Call, Any, Protection]:
    data = yield Call("POST", "/v1/protection/one-click", {"duration_hours": int(hours)}, idempotent=True)
    result: Protection = Protection.from_dict(data) if isinstance(data, Mapping) else (yield from protection_get())
    return result


def protection_end() -> Generator[Call, Any, Protection]:
    data = yield Call("DELETE", "/v1/protection/one-click")
    result: Protection = Protection.from_dict(data) if isinstance(data, Mapping) else (yield from protection_get())
    return result


# ------------------------------------------------------------------ notices


def notices_page(unacked_only: bool, limit: int, cursor: Optional[str]) -> Generator[Call, Any, "Page[Notice]"]:
    params: Dict[str, Any] = {"limit": int(limit)}
    if unacked_only:
        params["unacked"] = "true"
    if cursor:
        params["cursor"] = cursor
    data, meta = yield Call("GET", "/v1/notices", params=params, expect="meta")
    items = [Notice.from_dict(n) for n in _core.page_items(data, "notices", "items", "data")]
    return Page(items, _core.next_cursor(data), meta)


def notice_ack(notice_id: str) -> Generator[Call, Any, Optional[Notice]]:
    data = yield Call("POST", f"/v1/notices/{segment(notice_id)}/ack", idempotent=True)
    if isinstance(data, Mapping):
        nested = data.get("notice")
        inner: Mapping[str, Any] = nested if isinstance(nested, Mapping) else data
        if "id" in inner:
            return Notice.from_dict(inner)
    return None


# ------------------------------------------------------------------ reports


def _idempotency(key: Optional[str]) -> Dict[str, str]:
    """The Idempotency-Key header of one write, a new UUID unless the caller chose one: every
    retry of the call sends the same key, so the server files it once however often it is sent."""
    return {C.IDEMPOTENCY_HEADER: key if key is not None else str(uuid.uuid4())}


def report_file(body: Dict[str, Any], idempotency_key: Optional[str] = None) -> Generator[Call, Any, ReportReceipt]:
    # idempotent with its key: a read timeout or a 502/504 after the server committed is retried
    # safely (the retry answers the first receipt)
    call = Call("POST", "/v1/reports", body, idempotent=True, headers=_idempotency(idempotency_key))
    result: ReportReceipt = ReportReceipt.from_dict((yield call))
    return result


def report_get(report_id: str) -> Generator[Call, Any, Report]:
    result: Report = Report.from_dict((yield Call("GET", f"/v1/reports/{segment(report_id)}")))
    return result


def reports_page(limit: int, cursor: Optional[str], offset: Optional[int] = None) -> Generator[Call, Any, "Page[Report]"]:
    params: Dict[str, Any] = {"limit": int(limit)}
    if cursor:
        params["cursor"] = cursor
    elif offset:
        params["offset"] = int(offset)
    data, meta = yield Call("GET", "/v1/reports", params=params, expect="meta")
    items = [Report.from_dict(r) for r in _core.page_items(data, "reports", "items", "data")]
    return Page(items, _core.next_cursor(data), meta)


def report_update_status(report_id: str, status: str, note: Optional[str],
                         idempotency_key: Optional[str] = None) -> Generator[Call, Any, Report]:
    body: Dict[str, Any] = {"status": status}
    if note is not None:
        body["note"] = note
    call = Call("PATCH", f"/v1/reports/{segment(report_id)}", body, idempotent=True,
                headers=_idempotency(idempotency_key))
    result: Report = Report.from_dict((yield call))
    return result


def reports_export(format: str) -> Generator[Call, Any, str]:
    text = yield Call("GET", "/v1/reports/export", params={"format": format}, expect="text")
    return str(text).lstrip("\ufeff")


def reports_verify() -> Generator[Call, Any, ChainVerification]:
    result: ChainVerification = ChainVerification.from_dict((yield Call("GET", "/v1/reports/verify")))
    return result


# ------------------------------------------------------------------ admin: offenders, webhooks


def offenders_page(status: str, days: int, limit: int, cursor: Optional[str]) -> Generator[Call, Any, "Page[Any]"]:
    from ._admin import Offender

    params: Dict[str, Any] = {"status": status, "days": int(days), "limit": int(limit)}
    if cursor:
        params["cursor"] = cursor
    data, meta = yield Call("GET", "/v1/admin/offenders", params=params, expect="meta")
    return Page([Offender.from_dict(o) for o in (data or {}).get("offenders", [])], _core.next_cursor(data), meta)


def offender_lookup(sender_id: str, days: int) -> Generator[Call, Any, Any]:
    from ._admin import Offender

    return Offender.from_dict((yield Call("POST", "/v1/admin/offenders/lookup",
                                          {"sender_id": str(sender_id), "days": int(days)}, idempotent=True)))


def offender_get(offender_id: str, days: int) -> Generator[Call, Any, Any]:
    from ._admin import Offender

    return Offender.from_dict((yield Call("GET", f"/v1/admin/offenders/{segment(offender_id)}",
                                          params={"days": int(days)})))


def offender_review(offender_id: str, outcome: str, note: Optional[str]) -> Generator[Call, Any, Any]:
    from ._admin import ReviewResult

    body: Dict[str, Any] = {"outcome": outcome}
    if note is not None:
        body["note"] = note
    return ReviewResult.from_dict((yield Call("POST", f"/v1/admin/offenders/{segment(offender_id)}/review", body)))


def deliveries_page(status: Optional[str], limit: int, cursor: Optional[str]) -> Generator[Call, Any, "Page[Any]"]:
    from ._admin import WebhookDelivery

    params: Dict[str, Any] = {"limit": int(limit)}
    if status is not None:
        params["status"] = status
    if cursor:
        params["cursor"] = cursor
    data, meta = yield Call("GET", "/v1/admin/webhooks/deliveries", params=params, expect="meta")
    return Page([WebhookDelivery.from_dict(d) for d in (data or {}).get("deliveries", [])],
                _core.next_cursor(data), meta)


def segment(value: str) -> str:
    from urllib.parse import quote

    text = str(value)
    if not text:
        raise ValueError("id must not be empty")
    return quote(text, safe="")
