"""Fairness between API keys: a budget of characters per key beside the request rate limit.

The request limit (limits.py) counts requests; one request may carry 50 texts of 20,000
characters with explanations, a minute or more of model time.  :func:`charge_text_budget`
charges each analysis its size (characters, times ``explain_cost_factor`` when explained) against
``Config.text_budget`` per key, in the rate limiter's storage (memory, or Redis shared by all
workers), with a sliding-window counter.  Over budget: 429 ``text_budget_exceeded`` with
Retry-After.  Scheduling between keys (round-robin slices) is in analysis.ModelService; its cap
on one key's queued characters answers 429 ``analysis_queue_full``.
"""
from __future__ import annotations

import logging
import math
import time
from typing import Sequence

from flask import current_app

from .errors import ApiError

log = logging.getLogger("kindshield.fairness")
STRATEGY_KEY = "kindshield.text_budget"


def _strategy(fallback: bool = False):
    """The budget's counter in the limiter's storage; ``fallback``: a per-process memory one,
    used while Redis is unreachable (as the request limiter does), so analysis keeps working."""
    from limits.storage import MemoryStorage
    from limits.strategies import SlidingWindowCounterRateLimiter

    app = current_app
    key = STRATEGY_KEY + (".fallback" if fallback else "")
    strategy = app.extensions.get(key)
    if strategy is None:
        storage = MemoryStorage() if fallback else app.extensions["kindshield.limiter"].storage
        strategy = app.extensions[key] = SlidingWindowCounterRateLimiter(storage)
    return strategy


def analysis_cost(texts: Sequence[str], explain: bool, explain_factor: int) -> int:
    return sum(len(t) for t in texts) * (max(1, explain_factor) if explain else 1)


def charge_text_budget(user, texts: Sequence[str], explain: bool) -> None:
    cfg = current_app.config["KINDSHIELD"]
    if user is None or not cfg.text_budget.strip():
        return
    from limits import parse

    item = parse(cfg.text_budget)
    # a request bigger than the whole budget may still run on a fresh budget (and empties it)
    cost = min(analysis_cost(texts, explain, cfg.explain_cost_factor), item.amount)
    ident = ("text-budget", f"key:{user.key_id}")
    try:
        strategy = _strategy()
        allowed = strategy.hit(item, *ident, cost=cost)
    except Exception as exc:  # noqa: BLE001 - the shared storage (Redis) is down: count in this process
        log.warning("text budget storage unavailable (%s): counting in memory", type(exc).__name__)
        strategy = _strategy(fallback=True)
        allowed = strategy.hit(item, *ident, cost=cost)
    if allowed:
        return
    stats = strategy.get_window_stats(item, *ident)
    retry = max(1, math.ceil(stats.reset_time - time.time()))
    raise ApiError(429, "text_budget_exceeded",
                   "This key has analysed too much text in the last minute; retry after Retry-After seconds.",
                   {"budget": cfg.text_budget, "cost": cost}, headers={"Retry-After": str(retry)})


def queue_full() -> ApiError:
    cfg = current_app.config["KINDSHIELD"]
    return ApiError(429, "analysis_queue_full",
                    "This key already has as much text waiting for analysis as it may; retry shortly.",
                    {"max_queued_chars": cfg.max_queued_chars_per_key}, headers={"Retry-After": "1"})
