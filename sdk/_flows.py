"""The API's operations as flows (see :mod:`kindshield._core`): written once, run by both the
sync and the async client."""
from __future__ import annotations

from typing import Any, Dict, Generator, Iterable, List, Mapping, Optional, Union

from . import _core
from ._core import Call
from ._types import Analysis, ModelInfo, ShieldDecision, ShieldMessage, ShieldResult

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
