"""The one way routes call the model: loaded once per process, timed, counted.

    from kindshield_server.analysis import analyze_texts, get_model
    results = analyze_texts(["text", ...], lang="auto", explain=False)   # list[TextResult]
    model = get_model()   # .name, .version, .labels, .thresholds(lang)

Listeners (e.g. per-user statistics) may subscribe; they receive counts and scores, never text:

    from kindshield_server.analysis import add_listener
    add_listener(lambda event: ...)   # event: AnalysisEvent(user_id, source, results)
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import Any, Callable, Sequence

from flask import current_app, g

from . import metrics

log = logging.getLogger("kindshield.model")
EXTENSION_KEY = "kindshield.model"


@dataclasses.dataclass(frozen=True)
class AnalysisEvent:
    user_id: int | None
    source: str          # "analyze", "perspective", "shield", "precheck", ...
    results: Sequence[Any]


_listeners: list[Callable[[AnalysisEvent], None]] = []


def add_listener(fn: Callable[[AnalysisEvent], None]) -> None:
    if fn not in _listeners:
        _listeners.append(fn)


def load_model(config):
    """Load the ONNX model named by the config; raises ModelLoadError naming the bad file."""
    from .model import ToxicityModel

    path = config.resolved_model_dir()
    kwargs: dict[str, Any] = {"threads": config.model_threads}
    if config.device and config.device != "cpu":
        kwargs["device"] = config.device
    t0 = time.perf_counter()
    model = ToxicityModel.load(path, **kwargs)
    log.info("model %s %s loaded from %s in %.1fs", model.name, model.version, path, time.perf_counter() - t0)
    metrics.set_gauge("kindshield_model_loaded", 1)
    return model


class ModelService:
    """Wraps the model: one inference at a time per process (the ONNX session already uses
    ``model_threads`` cores; overlapping calls only thrash), timing and counting each call."""

    def __init__(self, model) -> None:
        self.model = model
        self._lock = threading.Lock()

    def analyze(self, texts: Sequence[str], lang: str = "auto", explain: bool = False):
        with self._lock:
            t0 = time.perf_counter()
            results = self.model.analyze(list(texts), lang=lang, explain=explain)
            elapsed = time.perf_counter() - t0
        metrics.observe("kindshield_model_seconds", elapsed)
        metrics.observe("kindshield_model_batch_size", len(texts))
        metrics.inc("kindshield_texts_analyzed_total", value=len(texts))
        return results


def get_model():
    svc = current_app.extensions.get(EXTENSION_KEY)
    if svc is None:
        from .errors import unavailable

        raise unavailable("The model is not loaded.", 5, "model_unavailable")
    return svc.model


def analyze_texts(texts: Sequence[str], lang: str = "auto", explain: bool = False, *, source: str = "api"):
    svc: ModelService | None = current_app.extensions.get(EXTENSION_KEY)
    if svc is None:
        from .errors import unavailable

        raise unavailable("The model is not loaded.", 5, "model_unavailable")
    results = svc.analyze(texts, lang=lang, explain=explain)
    if _listeners:
        user = g.get("current_user")
        event = AnalysisEvent(user.id if user else None, source, results)
        for fn in list(_listeners):
            try:
                fn(event)
            except Exception as exc:  # a listener must never break analysis
                log.warning("analysis listener %s failed: %s", getattr(fn, "__name__", fn), type(exc).__name__)
    return results
