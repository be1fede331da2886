"""Prometheus metrics, hand-formatted (text exposition format 0.0.4).  Per process: with
several gunicorn workers each worker reports its own figures.  Only counts and timings, never text.

    from kindshield_server import metrics
    metrics.inc("kindshield_shield_decisions_total", {"action": "block"})
    metrics.observe("kindshield_model_seconds", 0.012)
"""
from __future__ import annotations

import bisect
import math
import threading
from typing import Iterable

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)

_HELP: dict[str, tuple[str, str]] = {}   # name -> (type, help)
_counters: dict[tuple[str, tuple], float] = {}
_hists: dict[tuple[str, tuple], list] = {}   # key -> [bucket counts..., sum, count]
_hist_buckets: dict[str, tuple] = {}
_lock = threading.Lock()


def describe(name: str, kind: str, help_text: str, buckets: Iterable[float] | None = None) -> None:
    _HELP[name] = (kind, help_text)
    if buckets is not None:
        _hist_buckets[name] = tuple(buckets)


describe("kindshield_http_requests_total", "counter", "HTTP requests by route pattern, method and status.")
describe("kindshield_http_request_seconds", "histogram", "HTTP request latency by route pattern.", LATENCY_BUCKETS)
describe("kindshield_texts_analyzed_total", "counter", "Texts scored by the model.")
describe("kindshield_model_batch_size", "histogram", "Texts per model call.", BATCH_BUCKETS)
describe("kindshield_model_seconds", "histogram", "Wall time of model calls.", LATENCY_BUCKETS)
describe("kindshield_model_loaded", "gauge", "1 when the model is loaded in this process.")
describe("kindshield_rate_limited_total", "counter", "Requests refused with 429.")
describe("kindshield_analysis_errors_total", "counter",
         "Texts whose analysis failed alone (each got a per-item error; batch mates were scored).")


def _key(name: str, labels: dict | None) -> tuple[str, tuple]:
    return name, tuple(sorted((labels or {}).items()))


def inc(name: str, labels: dict | None = None, value: float = 1.0) -> None:
    k = _key(name, labels)
    with _lock:
        _counters[k] = _counters.get(k, 0.0) + value


def set_gauge(name: str, value: float, labels: dict | None = None) -> None:
    with _lock:
        _counters[_key(name, labels)] = float(value)


def observe(name: str, value: float, labels: dict | None = None) -> None:
    buckets = _hist_buckets.get(name, LATENCY_BUCKETS)
    k = _key(name, labels)
    with _lock:
        h = _hists.get(k)
        if h is None:
            h = _hists[k] = [0] * len(buckets) + [0.0, 0]
        i = bisect.bisect_left(buckets, value)
        if i < len(buckets):
            h[i] += 1
        h[-2] += value
        h[-1] += 1


def _fmt_labels(labels: tuple, extra: tuple = ()) -> str:
    items = list(labels) + list(extra)
    if not items:
        return ""
    esc = lambda v: str(v).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')  # noqa: E731
    return "{" + ",".join(f'{k}="{esc(v)}"' for k, v in items) + "}"


def _num(v: float) -> str:
    if isinstance(v, float) and math.isinf(v):
        return "+Inf"
    if float(v).is_integer():
        return str(int(v))
    return repr(float(v))


def render() -> str:
    with _lock:
        counters = dict(_counters)
        hists = {k: list(v) for k, v in _hists.items()}
    names = sorted({n for n, _ in counters} | {n for n, _ in hists} | set(_HELP))
    out: list[str] = []
    for name in names:
        kind, help_text = _HELP.get(name, ("untyped", name))
        out.append(f"# HELP {name} {help_text}")
        out.append(f"# TYPE {name} {kind}")
        for (n, labels), value in sorted(counters.items()):
            if n == name:
                out.append(f"{name}{_fmt_labels(labels)} {_num(value)}")
        buckets = _hist_buckets.get(name, LATENCY_BUCKETS)
        for (n, labels), h in sorted(hists.items()):
            if n != name:
                continue
            cumulative = 0
            for bound, count in zip(buckets, h[:len(buckets)]):
                cumulative += count
                out.append(f"{name}_bucket{_fmt_labels(labels, (('le', _num(float(bound))),))} {cumulative}")
            out.append(f"{name}_bucket{_fmt_labels(labels, (('le', '+Inf'),))} {h[-1]}")
            out.append(f"{name}_sum{_fmt_labels(labels)} {_num(h[-2])}")
            out.append(f"{name}_count{_fmt_labels(labels)} {h[-1]}")
    return "\n".join(out) + "\n"
