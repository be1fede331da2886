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
from collections import deque
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


class QueueFull(Exception):
    """This owner (API key) already has ``max_queued_chars`` characters waiting for the model."""


class _Job:
    """One request's texts; the scheduler hands them to the model a slice at a time."""
    __slots__ = ("texts", "key", "owner", "chars", "results", "error", "done", "next", "remaining")

    def __init__(self, texts: list[str], key: tuple, owner: Any = None) -> None:
        self.texts, self.key, self.owner = texts, key, owner
        self.chars = sum(len(t) for t in texts)
        self.results: list = [None] * len(texts)
        self.error: BaseException | None = None
        self.done = not texts
        self.next = 0                   # the first text not yet handed to the model
        self.remaining = len(texts)     # texts not yet scored


class ModelService:
    """Wraps the model: one inference at a time per process (each call already spreads its
    windows over ``model_threads`` threads; overlapping calls only thrash), timing and counting
    each call.

    Fair between API keys (``owner``): every request is cut into slices of at most
    ``max_batch`` texts and ``chunk_chars`` characters (at least one text), and each model call
    takes the next slice of each key in turn (round-robin), merged while they share
    ``lang``/``explain`` and fit.  A one-text request from key B therefore waits for at most one
    slice of key A's, not for all fifty of A's 20,000-character texts.  A key may have at most
    ``max_queued_chars`` characters waiting (0 = no cap); beyond that :class:`QueueFull`.
    A lone request runs at once, without waiting.
    """

    def __init__(self, model, max_batch: int = 1, fault_marker: str = "", chunk_chars: int = 20_000,
                 max_queued_chars: int = 0) -> None:
        self.model = model
        self.max_batch = max(1, int(max_batch))
        self.chunk_chars = max(1, int(chunk_chars))
        self.max_queued_chars = max(0, int(max_queued_chars))
        # test-only fault hook (KINDSHIELD_TEST_FAULT_MARKER): a text containing it makes the model
        # call raise, as an unforeseen bug in normalisation or inference would
        self.fault_marker = fault_marker
        self._cv = threading.Condition()
        self._queues: dict[Any, deque[_Job]] = {}   # owner -> its waiting jobs, oldest first
        self._ring: deque[Any] = deque()             # owners with waiting work, next turn first
        self._queued_chars: dict[Any, int] = {}
        self._busy = False

    def analyze(self, texts: Sequence[str], lang: str = "auto", explain: bool = False, owner: Any = None):
        job = _Job(list(texts), (lang, bool(explain)), owner)
        with self._cv:
            if not job.done:
                queued = self._queued_chars.get(owner, 0)
                if self.max_queued_chars and queued and queued + job.chars > self.max_queued_chars:
                    raise QueueFull()
                self._enqueue(job)
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

    def _enqueue(self, job: _Job) -> None:
        queue = self._queues.get(job.owner)
        if queue is None:
            queue = self._queues[job.owner] = deque()
            # a key with nothing waiting gets the next turn (the busy ones were rotated to the back)
            self._ring.appendleft(job.owner)
        queue.append(job)
        self._queued_chars[job.owner] = self._queued_chars.get(job.owner, 0) + job.chars

    def _dequeue_head(self, owner: Any) -> None:
        """Drop the owner's oldest job (fully handed out, or failed); the owner leaves the ring
        when it has nothing left."""
        queue = self._queues[owner]
        job = queue.popleft()
        self._queued_chars[owner] = max(0, self._queued_chars.get(owner, 0) - job.chars)
        if not queue:
            del self._queues[owner]
            self._queued_chars.pop(owner, None)
            self._ring.remove(owner)

    def _slice(self, job: _Job, texts: int, chars: int) -> tuple[int, int, int]:
        """How far ``job`` may go in a call that already holds ``texts`` texts of ``chars``
        characters: (end, texts, chars) after adding its next texts (at least one per call)."""
        end = job.next
        while end < len(job.texts) and texts < self.max_batch:
            n = len(job.texts[end])
            if texts and chars + n > self.chunk_chars:
                break
            texts, chars, end = texts + 1, chars + n, end + 1
        return end, texts, chars

    def _take(self) -> list[tuple[_Job, int, int]]:
        """The next model call: (job, start, end) slices, taking turns between owners."""
        pieces: list[tuple[_Job, int, int]] = []
        key = None
        texts = chars = 0
        while self._ring:
            progressed = False
            for _ in range(len(self._ring)):
                if texts >= self.max_batch or chars >= self.chunk_chars or not self._ring:
                    return pieces
                owner = self._ring[0]
                self._ring.rotate(-1)          # its turn is taken: it goes to the back of the ring
                job = self._queues[owner][0]
                if job.done:                   # failed as a whole in an earlier call: drop the rest
                    self._dequeue_head(owner)
                    continue
                if key is not None and job.key != key:
                    continue                   # another lang/explain: its own call, on its turn
                start = job.next
                end, texts, chars = self._slice(job, texts, chars)
                if end == start:
                    continue
                key, job.next, progressed = job.key, end, True
                pieces.append((job, start, end))
                if end == len(job.texts):
                    self._dequeue_head(owner)
            if not progressed:
                break
        return pieces

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

    def _run(self, batch: list[tuple[_Job, int, int]]) -> None:
        if not batch:
            return
        lang, explain = batch[0][0].key
        texts = [t for job, start, end in batch for t in job.texts[start:end]]
        t0 = time.perf_counter()
        try:
            try:
                results = self._call(texts, lang, explain)
            except Exception:  # noqa: BLE001 - find the text(s) at fault; the rest get scored
                results = self._one_by_one(texts, lang, explain)
        except BaseException as exc:  # KeyboardInterrupt, SystemExit...: handed to every waiting request
            for job, _, _ in batch:
                job.error, job.done = exc, True
            return
        elapsed = time.perf_counter() - t0
        metrics.observe("kindshield_model_seconds", elapsed)
        metrics.observe("kindshield_model_batch_size", len(texts))
        metrics.inc("kindshield_texts_analyzed_total", value=sum(not isinstance(r, ItemError) for r in results))
        i = 0
        for job, start, end in batch:
            job.results[start:end] = results[i:i + end - start]
            i += end - start
            job.remaining -= end - start
            if job.remaining <= 0:
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
    user = g.get("current_user")
    from .fairness import charge_text_budget, queue_full

    charge_text_budget(user, texts, explain)   # 429 text_budget_exceeded before any model work
    try:
        results = svc.analyze(texts, lang=lang, explain=explain, owner=user.key_id if user else None)
    except QueueFull:
        raise queue_full() from None
    if _listeners:
        event = AnalysisEvent(user.id if user else None, source, results)
        for fn in list(_listeners):
            try:
                fn(event)
            except Exception as exc:  # a listener must never break analysis
                log.warning("analysis listener %s failed: %s", getattr(fn, "__name__", fn), type(exc).__name__)
    return results
