"""The one way routes call the model: loaded once per process, timed, counted.

    from kindshield_server.analysis import analyze_texts, get_model
    results = analyze_texts(["text", ...], lang="auto", explain=False)   # list[TextResult | ItemError]
    model = get_model()   # .name, .version, .labels, .thresholds(lang)

Listeners (e.g. per-user statistics) may subscribe; they receive counts and scores, never text:

    from kindshield_server.analysis import add_listener
    add_listener(lambda event: ...)   # event: AnalysisEvent(user_id, source, results)
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
import time
import traceback
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


@dataclasses.dataclass(frozen=True)
class ItemError:
    """Stands in for a TextResult when analysing that one text failed; its batch mates are
    scored as usual (a bad text must never leave a whole page of comments unscored)."""
    code: str = "analysis_failed"
    message: str = "This text could not be analysed; the other texts of the request were."

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


def text_fingerprint(text: str) -> str:
    """What the log may say about a text: a short hash and the length, never the text."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"sha256:{digest} chars={len(text)}"


def add_listener(fn: Callable[[AnalysisEvent], None]) -> None:
    if fn not in _listeners:
        _listeners.append(fn)


def load_model(config):
    """Load the ONNX model named by the config; raises ModelLoadError naming the bad file."""
    from .model import ToxicityModel

    path = config.resolved_model_dir()
    # device always passed: KINDSHIELD_DEVICE is read in config.py only (the model's env fallback stays unused)
    kwargs: dict[str, Any] = {"threads": config.model_threads, "device": config.device or "cpu"}
    t0 = time.perf_counter()
    model = ToxicityModel.load(path, **kwargs)
    provider = getattr(model, "provider", "unknown")
    log.info("model %s %s loaded from %s in %.1fs (execution provider: %s; KINDSHIELD_DEVICE=%s)",
             model.name, model.version, path, time.perf_counter() - t0, provider, config.device or "cpu")
    if config.device and config.device.lower().startswith("cuda") and "CUDA" not in str(provider):
        log.warning("KINDSHIELD_DEVICE=%s requested but the model runs on %s (is onnxruntime-gpu installed "
                    "and a GPU visible?)", config.device, provider)
    metrics.set_gauge("kindshield_model_loaded", 1)
    return model


class _Job:
    __slots__ = ("texts", "key", "results", "error", "done")

    def __init__(self, texts: list[str], key: tuple) -> None:
        self.texts, self.key = texts, key
        self.results: list | None = None
        self.error: BaseException | None = None
        self.done = False


class ModelService:
    """Wraps the model: one inference at a time per process (each call already spreads its
    windows over ``model_threads`` threads; overlapping calls only thrash), timing and counting
    each call.

    With ``max_batch`` > 1, requests that arrive while the model is busy are merged into one
    model call (same ``lang``/``explain``, up to ``max_batch`` texts): under concurrent load this
    raises throughput; a lone request runs at once, without waiting.
    """

    def __init__(self, model, max_batch: int = 1, fault_marker: str = "") -> None:
        self.model = model
        self.max_batch = max(1, int(max_batch))
        # test-only fault hook (KINDSHIELD_TEST_FAULT_MARKER): a text containing it makes the model
        # call raise, as an unforeseen bug in normalisation or inference would
        self.fault_marker = fault_marker
        self._cv = threading.Condition()
        self._queue: list[_Job] = []
        self._busy = False

    def analyze(self, texts: Sequence[str], lang: str = "auto", explain: bool = False):
        job = _Job(list(texts), (lang, bool(explain)))
        with self._cv:
            self._queue.append(job)
            while not job.done:
                if self._busy:
                    self._cv.wait()
                    continue
                self._busy = True
                batch = self._take()
                self._cv.release()
                try:
                    self._run(batch)
                finally:
                    self._cv.acquire()
                    self._busy = False
                    self._cv.notify_all()
        if job.error is not None:
            raise job.error
        return job.results

    def _take(self) -> list[_Job]:
        first = self._queue[0]
        batch, total, rest = [], 0, []
        for job in self._queue:
            if job.key == first.key and (not batch or total + len(job.texts) <= self.max_batch):
                batch.append(job)
                total += len(job.texts)
            else:
                rest.append(job)
        self._queue[:] = rest
        return batch

    def _call(self, texts: list[str], lang: str, explain: bool) -> list:
        if self.fault_marker and any(self.fault_marker in t for t in texts):
            raise RuntimeError("injected fault (KINDSHIELD_TEST_FAULT_MARKER)")
        return self.model.analyze(texts, lang=lang, explain=explain)

    def _one_by_one(self, texts: list[str], lang: str, explain: bool) -> list:
        """After a failed batch call: score each text alone, so only the texts that fail by
        themselves get an ItemError."""
        results: list = []
        for text in texts:
            try:
                results.append(self._call([text], lang, explain)[0])
            except Exception as exc:  # noqa: BLE001 - isolated to this one text
                frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
                where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}" if frame else "?"
                # the exception's message may quote the text: log its type and location only
                log.error("analysis failed for one text (%s lang=%s explain=%s): %s at %s",
                          text_fingerprint(text), lang, explain, type(exc).__name__, where)
                metrics.inc("kindshield_analysis_errors_total")
                results.append(ItemError())
        return results

    def _run(self, batch: list[_Job]) -> None:
        lang, explain = batch[0].key
        texts = [t for job in batch for t in job.texts]
        t0 = time.perf_counter()
        try:
            try:
                results = self._call(texts, lang, explain)
            except Exception:  # noqa: BLE001 - find the text(s) at fault; the rest get scored
                results = self._one_by_one(texts, lang, explain)
        except BaseException as exc:  # KeyboardInterrupt, SystemExit...: handed to every waiting request
            for job in batch:
                job.error, job.done = exc, True
            return
        elapsed = time.perf_counter() - t0
        metrics.observe("kindshield_model_seconds", elapsed)
        metrics.observe("kindshield_model_batch_size", len(texts))
        metrics.inc("kindshield_texts_analyzed_total", value=sum(not isinstance(r, ItemError) for r in results))
        i = 0
        for job in batch:
            job.results = results[i:i + len(job.texts)]
            i += len(job.texts)
            job.done = True


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
