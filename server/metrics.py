"""Prometheus metrics through ``prometheus_client``.  Only counts and timings, never text.

    from kindshield_server import metrics
    metrics.inc("kindshield_rate_limited_total")
    metrics.observe("kindshield_model_seconds", 0.012)
    metrics.set_gauge("kindshield_model_loaded", 1)

A metric is created on first use (its label names are those of that first call); ``describe``
gives it a type, help text and buckets beforehand.

Under gunicorn every worker writes its figures to a shared directory (prometheus_client's
multiprocess mode) and ``/metrics`` on any worker answers the sum over all of them:
``PROMETHEUS_MULTIPROC_DIR`` when set (empty it before each start), otherwise
``<tmp>/kindshield-metrics-<gunicorn master pid>``, the same for every worker of one master;
the folders of masters that are gone are removed when the next one starts.
``kindshield-server serve`` is one process and keeps its metrics in memory.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
from typing import Iterable

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

log = logging.getLogger("kindshield.metrics")


def _gunicorn_worker() -> bool:
    # the app is imported in the worker after the fork (no --preload), with gunicorn loaded
    return "gunicorn.workers" in sys.modules or "gunicorn.arbiter" in sys.modules


STALE_PREFIX = "kindshield-metrics-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # someone else's process: alive
        pass
    return True


def remove_stale_dirs(parent: str) -> None:
    """Delete ``kindshield-metrics-<pid>`` folders whose gunicorn master has exited.

    A master leaves its folder behind (workers cannot know they are the last one);
    without this, every restart would leave one more in the temp folder.
    """
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        pid = name[len(STALE_PREFIX):]
        if name.startswith(STALE_PREFIX) and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def _multiproc_dir() -> str | None:
    path = os.environ.get(MULTIPROC_ENV, "").strip()
    if not path and _gunicorn_worker():
        remove_stale_dirs(tempfile.gettempdir())
        path = os.path.join(tempfile.gettempdir(), f"{STALE_PREFIX}{os.getppid()}")
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.environ[MULTIPROC_ENV] = path   # prometheus_client reads it
    return path or None


MULTIPROC_DIR = _multiproc_dir()

import prometheus_client  # noqa: E402 - after PROMETHEUS_MULTIPROC_DIR is settled
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest  # noqa: E402
from prometheus_client import values as _values  # noqa: E402

prometheus_client.disable_created_metrics()   # no *_created series: the names stay as they were
if MULTIPROC_DIR and not isinstance(_values.ValueClass, type(_values.MultiProcessValue())):
    _values.ValueClass = _values.MultiProcessValue()   # prometheus_client was imported before us

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_registry = CollectorRegistry(auto_describe=True)
_specs: dict[str, tuple[str, str, tuple | None]] = {}   # name -> (kind, help, buckets)
_metrics: dict[str, object] = {}
_lock = threading.Lock()


def describe(name: str, kind: str, help_text: str, buckets: Iterable[float] | None = None) -> None:
    _specs[name] = (kind, help_text, tuple(buckets) if buckets is not None else None)


describe("kindshield_http_requests_total", "counter", "HTTP requests by route pattern, method and status.")
describe("kindshield_http_request_seconds", "histogram", "HTTP request latency by route pattern.", LATENCY_BUCKETS)
describe("kindshield_texts_analyzed_total", "counter", "Texts scored by the model.")
describe("kindshield_model_batch_size", "histogram", "Texts per model call.", BATCH_BUCKETS)
describe("kindshield_model_seconds", "histogram", "Wall time of model calls.", LATENCY_BUCKETS)
describe("kindshield_model_loaded", "gauge", "1 when the model is loaded (in any worker).")
describe("kindshield_rate_limited_total", "counter", "Requests refused with 429.")
describe("kindshield_webhook_attempts_total", "counter",
         "Webhook delivery attempts by event type and outcome (delivered, retry, failed).")
describe("kindshield_webhook_seconds", "histogram", "Wall time of webhook delivery attempts.", LATENCY_BUCKETS)
describe("kindshield_analysis_errors_total", "counter",
         "Texts whose analysis failed alone (each got a per-item error; batch mates were scored).")


#: the only values of the ``method`` label (and of the access log's method); anything else is "other"
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    """Collapse a client-chosen HTTP method to a fixed set (``SENTINELMETHODA`` -> ``other``)."""
    return method if method in HTTP_METHODS else "other"


def _get(name: str, default_kind: str, labels: dict | None):
    metric = _metrics.get(name)
    if metric is not None:
        return metric
    with _lock:
        metric = _metrics.get(name)
        if metric is None:
            kind, help_text, buckets = _specs.get(name, (default_kind, name, None))
            names = tuple(sorted(labels or {}))
            if kind == "counter":
                # prometheus_client adds the _total suffix back when it writes the samples
                metric = Counter(name[:-6] if name.endswith("_total") else name, help_text, names,
                                 registry=_registry)
            elif kind == "histogram":
                metric = Histogram(name, help_text, names, registry=_registry,
                                   buckets=buckets or LATENCY_BUCKETS)
            else:
                # summed over workers would count one loaded model per worker: report the max
                metric = Gauge(name, help_text, names, registry=_registry, multiprocess_mode="max")
            _metrics[name] = metric
    return metric


def _child(metric, labels: dict | None):
    if not labels:
        return metric
    return metric.labels(**{k: str(v) for k, v in labels.items()})


def _safe(fn):
    def wrapper(name, *args, **kwargs):
        try:
            fn(name, *args, **kwargs)
        except (ValueError, TypeError) as exc:   # e.g. other label names than the first call: never fail a request
            log.warning("metric %s not recorded: %s", name, exc)
    return wrapper


@_safe
def inc(name: str, labels: dict | None = None, value: float = 1.0) -> None:
    _child(_get(name, "counter", labels), labels).inc(value)


@_safe
def set_gauge(name: str, value: float, labels: dict | None = None) -> None:
    _child(_get(name, "gauge", labels), labels).set(float(value))


@_safe
def observe(name: str, value: float, labels: dict | None = None) -> None:
    _child(_get(name, "histogram", labels), labels).observe(value)


def render() -> str:
    """The text exposition (0.0.4): this process's metrics, or every worker's under gunicorn."""
    if MULTIPROC_DIR:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=MULTIPROC_DIR)
        text = generate_latest(registry).decode("utf-8")
    else:
        text = generate_latest(_registry).decode("utf-8")
    # metrics described but not yet used still show their HELP/TYPE (scrapers and tests see the names)
    missing = [n for n in _specs if n not in _metrics and f"# TYPE {n} " not in text
               and f"# TYPE {n[:-6]} " not in text]
    extra = []
    for n in missing:
        kind, help_text, _ = _specs[n]
        extra += [f"# HELP {n} {help_text}", f"# TYPE {n} {kind}"]
    return text + ("\n".join(extra) + "\n" if extra else "")
