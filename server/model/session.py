"""The ONNX inference session: load once per process, score texts, explain.

Texts are normalised (``normalize.py``, shared with training), tokenized with
the model's own ``tokenizer.json``, cut into overlapping windows so that
nothing past the model's length is ever silently dropped, sorted by length
and padded per batch. A text's label probability is its highest window's.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from .normalize import SUPPORTED_VERSIONS, Normalized, detect_language, has_cjk, normalize_with_offsets

log = logging.getLogger("kindshield.model")

DEFAULT_MODEL_NAME = "kindshield-tox-3.1"
# Each window is scored alone (batch of one), and windows run in parallel on
# ``threads`` worker threads, each onnxruntime call single-threaded. int8
# dynamic quantisation scales activations over the whole batch, so batching
# windows would let other texts (other users' texts, once the server merges
# requests) move a text's score by up to ~0.1; alone, a window's score depends
# on nothing but its own tokens. It is also faster on a 2-core CPU: no padding
# and no per-operator thread hand-offs (bench/model_bench.py measures both).
SCORE_BATCH_SIZE = 1
# Occlusion variants of one text are still batched: they only rank that text's
# own words against each other.
BATCH_SIZE = 64
# Special tokens by name: WordPiece (1.x) and SentencePiece (2.x) vocabularies.
SPECIAL_TOKENS = {"cls": ("<s>", "[CLS]"), "sep": ("</s>", "[SEP]"), "pad": ("<pad>", "[PAD]")}
# Only texts scoring at least this share of their threshold get explained.
EXPLAIN_FLOOR = 0.6
# A unit marked because it is abusive on its own (when no single removal is decisive)
# must score at least this alone.
ALONE_MIN_SCORE = 0.5
# A word whose removal lowers the score by less than this is no cause at all.
MIN_DROP = 0.05
# A removal that lowers the score by less than this leaves the text as toxic as it was:
# such drops alone do not say which words are the abuse.
DECISIVE_DROP = 0.25
# Windows longer than this many tokens are explained coarse-to-fine: occluding every
# word of a 120-token comment costs ~250 passes over it (p99 ~1 s on 2 cores), so
# first find the stretches of about SEGMENT_TOKENS tokens that matter, then occlude
# word by word only inside the best EXPLAIN_SEGMENTS of them.
EXPLAIN_FULL_TOKENS = 40
SEGMENT_TOKENS = 12
EXPLAIN_SEGMENTS = 2


def _per_position(length: int, units: list[list[int]], values) -> np.ndarray:
    """For each token position, the largest value of any unit that holds it."""
    out = np.zeros(length, dtype=np.float32)
    for unit, value in zip(units, values):
        out[unit] = np.maximum(out[unit], float(value))
    return out


def _length_batches(order: list[int], lengths: list[int], max_batch: int = BATCH_SIZE) -> list[list[int]]:
    """Cut length-sorted items into batches of similar length: padding a 10-token
    message to the 120 tokens of its neighbour costs more than a second call."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (len(current) >= max_batch or lengths[i] > 1.3 * lengths[current[0]] + 8):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


class ModelLoadError(RuntimeError):
    """The model folder is missing a file, or a file is unreadable or corrupt."""


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the original text that drive the toxic score."""

    start: int
    end: int
    score: float


@dataclass(frozen=True)
class TextResult:
    toxic: bool
    score: float
    severity: str
    labels: dict = field(default_factory=dict)
    language: str = "en"
    spans: tuple = ()


def default_model_dir() -> Path:
    """The model shipped in onnx_models/ (the server's KINDSHIELD_MODEL_DIR is read by config.py)."""
    from kindshield_models import MODELS_DIR

    return MODELS_DIR / DEFAULT_MODEL_NAME


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class _Window:
    text_index: int
    ids: list[int]
    offsets: list[tuple[int, int]]  # per body token, in normalised text
    word_ids: list[int | None]


class ToxicityModel:
    """A loaded model. Thread-safe: onnxruntime sessions may be shared by threads."""

    def __init__(self, model_dir: Path, config: dict, session, tokenizer, provider: str, ngram_session=None,
                 threads: int = 1):
        self.model_dir = model_dir
        self.config = config
        self.name: str = config["name"]
        self.version: str = config["version"]
        self.labels: tuple[str, ...] = tuple(config["labels"])
        self.max_length: int = int(config.get("max_length", 128))
        self.stride: int = int(config.get("window_stride", 96))
        self.long_window: int = int(config.get("long_text_window", self.max_length))
        self.long_stride: int = int(config.get("long_text_stride", self.stride))
        self.provider = provider
        self._session = session
        self._tokenizer = tokenizer
        self._normalization = str(config.get("normalization_version"))
        special = {}
        for role, names in SPECIAL_TOKENS.items():
            ids = [tokenizer.token_to_id(n) for n in names if tokenizer.token_to_id(n) is not None]
            if not ids:
                raise ModelLoadError(f"tokenizer has no {role} token ({' or '.join(names)})")
            special[role] = ids[0]
        self._cls, self._sep, self._pad = special["cls"], special["sep"], special["pad"]
        # Feed exactly what the graph declares (BERT exports may or may not take token_type_ids).
        self._input_names = {i.name for i in session.get_inputs()}
        self._output_name = config.get("output") or session.get_outputs()[0].name
        self._toxic_index = self.labels.index("toxic")
        self._thresholds = config["thresholds"]
        self._bands = config.get("severity_bands", {"low": 0.0, "medium": 0.5, "high": 0.8})
        # Optional second member: a character n-gram model blended into `toxic`.
        self._ngram = ngram_session
        self._blend = (config.get("ensemble") or {}).get("weights", {}) if ngram_session else {}
        self.threads = max(1, threads)
        # bench/model_bench.py raises it to time full occlusion beside coarse-to-fine.
        self.explain_full_tokens = EXPLAIN_FULL_TOKENS
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        # Created on first use, so a model loaded before gunicorn forks has no threads to lose.
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="kindshield-model")
            return self._pool

    def _each(self, fn, items: list) -> None:
        """fn(item) for every item, on the worker threads when there is more than one item."""
        if len(items) == 1 or self.threads == 1:
            for item in items:
                fn(item)
        else:
            list(self._executor().map(fn, items))  # list(): re-raise the first error

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, model_dir: str | Path | None = None, threads: int = 2, device: str | None = None,
             verify: bool = True) -> "ToxicityModel":
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir) if model_dir else default_model_dir()
        config_path = model_dir / "config.json"
        if not config_path.is_file():
            raise ModelLoadError(f"model config not found: {config_path}")
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
            config["labels"], config["thresholds"]  # noqa: B018 - required keys
        except (ValueError, KeyError) as exc:
            raise ModelLoadError(f"model config is not valid: {config_path} ({exc})") from None
        model_path = model_dir / config.get("model_file", "model.onnx")
        tok_path = model_dir / "tokenizer.json"
        for path in (model_path, tok_path):
            if not path.is_file():
                raise ModelLoadError(f"model file not found: {path}")
        if str(config.get("normalization_version")) not in SUPPORTED_VERSIONS:
            raise ModelLoadError(
                f"model {config_path} expects text normalisation v{config.get('normalization_version')}, "
                f"this server has v{', v'.join(SUPPORTED_VERSIONS)}")
        if verify and config.get("sha256") and _sha256(model_path) != config["sha256"]:
            raise ModelLoadError(f"model file is corrupt (SHA-256 mismatch): {model_path}")

        opts = ort.SessionOptions()
        # One thread per call; parallelism comes from scoring windows on
        # ``threads`` threads at once (see SCORE_BATCH_SIZE).
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        # Spin-waiting threads hurt badly on a loaded 2-core machine (model-facts.md).
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        want = (device or "cpu").lower()   # the server passes its KINDSHIELD_DEVICE setting
        providers = ["CPUExecutionProvider"]
        if want == "cuda":
            if "CUDAExecutionProvider" in ort.get_available_providers():
                providers.insert(0, "CUDAExecutionProvider")
            else:
                log.warning("KINDSHIELD_DEVICE=cuda but onnxruntime has no CUDA provider; using CPU")
        try:
            session = ort.InferenceSession(str(model_path), sess_options=opts, providers=providers)
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelLoadError(f"model file could not be loaded: {model_path} ({exc})") from None
        try:
            tokenizer = Tokenizer.from_file(str(tok_path))
        except Exception as exc:
            raise ModelLoadError(f"tokenizer file could not be loaded: {tok_path} ({exc})") from None
        tokenizer.no_padding()
        tokenizer.no_truncation()
        ngram_session = None
        ensemble = config.get("ensemble")
        if ensemble:
            ngram_path = model_dir / ensemble["file"]
            if not ngram_path.is_file():
                raise ModelLoadError(f"model file not found: {ngram_path}")
            if verify and ensemble.get("sha256") and _sha256(ngram_path) != ensemble["sha256"]:
                raise ModelLoadError(f"model file is corrupt (SHA-256 mismatch): {ngram_path}")
            try:
                ngram_session = ort.InferenceSession(str(ngram_path), sess_options=opts,
                                                     providers=["CPUExecutionProvider"])
            except Exception as exc:
                raise ModelLoadError(f"model file could not be loaded: {ngram_path} ({exc})") from None
        provider = session.get_providers()[0]
        log.info("model %s %s loaded; execution provider %s", config["name"], config["version"], provider)
        return cls(model_dir, config, session, tokenizer, provider, ngram_session, threads=threads)

    # ------------------------------------------------------------------ scoring
    def thresholds(self, language: str) -> dict[str, float]:
        return dict(self._thresholds.get(language) or self._thresholds["en"])

    def severity(self, score: float, threshold: float) -> str:
        if score < threshold:
            return "none"
        frac = (score - threshold) / max(1e-6, 1.0 - threshold)
        if frac >= self._bands["high"]:
            return "high"
        if frac >= self._bands["medium"]:
            return "medium"
        return "low"

    def _windows(self, index: int, norm: Normalized) -> list[_Window]:
        enc = self._tokenizer.encode(norm.text, add_special_tokens=False)
        body = self.max_length - 2
        ids, offsets, words = enc.ids, enc.offsets, enc.word_ids
        stride = self.stride
        if len(ids) > body:
            # Long texts get shorter windows: comment-sized pieces are what the model
            # was trained on, and a short insult is not diluted by 100 tokens of filler.
            body, stride = self.long_window - 2, self.long_stride
        if not ids:
            return [_Window(index, [self._cls, self._sep], [], [])]
        windows = []
        start = 0
        while True:
            end = min(len(ids), start + body)
            windows.append(_Window(index, [self._cls, *ids[start:end], self._sep], offsets[start:end], words[start:end]))
            if end >= len(ids):
                break
            start += stride
        return windows

    def _run(self, id_lists: list[list[int]], max_batch: int = SCORE_BATCH_SIZE) -> np.ndarray:
        """Probabilities for token-id lists: length-sorted, padded per batch,
        batches spread over the worker threads."""
        out = np.zeros((len(id_lists), len(self.labels)), dtype=np.float32)
        order = sorted(range(len(id_lists)), key=lambda i: len(id_lists[i]))
        batches = _length_batches(order, [len(x) for x in id_lists], max_batch)

        def score(idx: list[int]) -> None:
            width = max(len(id_lists[i]) for i in idx)
            ids = np.full((len(idx), width), self._pad, dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                ids[row, :len(id_lists[i])] = id_lists[i]
                mask[row, :len(id_lists[i])] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[idx] = self._session.run([self._output_name],
                                         {k: v for k, v in feed.items() if k in self._input_names})[0]

        self._each(score, batches)
        return out

    def _ngram_scores(self, window_texts: list[str]) -> np.ndarray:
        """The n-gram member's toxic probability per window text, in chunks spread
        over the worker threads (each text's score is independent of its chunk)."""
        out = np.zeros(len(window_texts), dtype=np.float32)
        size = min(256, max(8, -(-len(window_texts) // self.threads)))
        starts = list(range(0, len(window_texts), size))

        def score(k: int) -> None:
            chunk = np.array(window_texts[k:k + size], dtype=object).reshape(-1, 1)
            out[k:k + size] = self._ngram.run(None, {"text": chunk})[1][:, 1]

        self._each(score, starts)
        return out

    def analyze(self, texts: Sequence[str], lang: str = "auto", explain: bool = False) -> list[TextResult]:
        """Score texts (in input order). ``lang``: "auto", "en" or "zh"."""
        norms = [normalize_with_offsets(t, self._normalization) for t in texts]
        languages = [lang if lang in ("en", "zh") else detect_language(t) for t in texts]
        windows = [w for i, n in enumerate(norms) for w in self._windows(i, n)]
        probs = self._run([w.ids for w in windows])
        encoder_toxic = probs[:, self._toxic_index].copy()
        if self._ngram is not None:
            # Each window's own text goes to the n-gram model too, so a toxic
            # tail of a long text is not diluted by the rest of it.
            weight = np.array([float(self._blend.get(languages[w.text_index], self._blend.get("en", 0.0)))
                               for w in windows], dtype=np.float32)
            blended = np.flatnonzero(weight > 0)  # languages with weight 0 skip the n-gram model
            if len(blended):
                pieces = [norms[windows[k].text_index].text[windows[k].offsets[0][0]:windows[k].offsets[-1][1]]
                          if windows[k].offsets else "" for k in blended]
                probs[blended, self._toxic_index] = ((1 - weight[blended]) * encoder_toxic[blended]
                                                     + weight[blended] * self._ngram_scores(pieces))
        per_text = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        best_window: dict[int, int] = {}
        for w_index, w in enumerate(windows):
            i = w.text_index
            if i not in best_window or probs[w_index, self._toxic_index] > per_text[i, self._toxic_index]:
                best_window[i] = w_index
            per_text[i] = np.maximum(per_text[i], probs[w_index])
        results = []
        for i in range(len(texts)):
            language = languages[i]
            thr = self.thresholds(language)
            labels = {name: round(float(per_text[i, j]), 4) for j, name in enumerate(self.labels)}
            score = labels["toxic"]
            toxic = score >= thr["toxic"]
            spans: tuple[Span, ...] = ()
            if explain and score >= EXPLAIN_FLOOR * thr["toxic"]:
                w_index = best_window[i]
                spans = self._explain(windows[w_index], norms[i], float(encoder_toxic[w_index]))
            results.append(TextResult(toxic=bool(toxic), score=score, severity=self.severity(score, thr["toxic"]),
                                      labels=labels, language=language, spans=spans))
        return results

    # ------------------------------------------------------------ explanation
    def _explain(self, window: _Window, norm: Normalized, base: float) -> tuple[Span, ...]:
        """Occlusion: drop each word (and, in Chinese, each pair of characters) and
        measure how far the toxic score falls. Works for any language the model
        reads, and the words found are the ones the score really depends on."""
        body = window.ids[1:-1]
        if not body:
            return ()
        words: dict[int, list[int]] = {}
        cjk_positions: set[int] = set()
        for pos, wid in enumerate(window.word_ids):
            start, end = window.offsets[pos]
            # SentencePiece keeps a run of Chinese as one "word": there each piece is a unit.
            cjk = has_cjk(norm.text[start:end])
            if cjk:
                cjk_positions.add(pos)
            words.setdefault(wid if wid is not None and not cjk else -pos - 1, []).append(pos)
        ordered = sorted(words.values(), key=lambda u: u[0])
        if len(body) > self.explain_full_tokens:
            ordered = self._focus(body, ordered, base)
        # Adjacent single-character CJK words also occluded in pairs ("傻逼" is one insult).
        # Any two adjacent words are occluded together too: abuse is often redundant
        # ("stupid idiot"), and removing either word alone leaves the text toxic.
        pairs = [a + b for a, b in zip(ordered, ordered[1:])
                 if b[0] == a[-1] + 1 and not (self._is_punct(body[a[0]]) or self._is_punct(body[b[0]]))]
        units = ordered + pairs
        drop = _per_position(len(body), units, base - self._score_toxic([self._without(body, u) for u in units]))
        # Rank by the drop in probability. When no removal changes the verdict (every
        # single removal leaves the text clearly toxic: "楼主你就是个傻逼" keeps its score
        # without either the frame or the insult; "a stupid worthless idiot" without any
        # one insult), the small drops that remain point at neutral words ("you are"):
        # then ask the other way round, which units are abusive on their own, and keep
        # the drops only where no unit is.
        impact, floor, relative = drop, MIN_DROP, 0.35
        if float(drop.max()) < DECISIVE_DROP:
            # Abusive on its own: a single word, or a pair of Chinese pieces ("傻逼" is one
            # insult split in two). Other pairs are left out: "you are" alone scores as
            # toxic, and would be marked beside the insults of "you are a stupid idiot".
            alone_units = ordered + [u for u in pairs if all(p in cjk_positions for p in u)]
            alone_impact = _per_position(len(body), alone_units,
                                         self._score_toxic([self._only(body, u) for u in alone_units]))
            if float(alone_impact.max()) >= ALONE_MIN_SCORE or float(drop.max()) < MIN_DROP:
                impact = drop = alone_impact  # reported as the span's own score
                floor, relative = ALONE_MIN_SCORE, 0.6
        top = float(impact.max())
        if top < floor:
            return ()
        keep = impact >= max(floor, relative * top)
        spans: list[list] = []
        for pos in range(len(body)):
            if not keep[pos]:
                continue
            start, end = window.offsets[pos]
            # A piece's offsets include the space it carries ("▁idiot"): not part of the span.
            while start < end and norm.text[start].isspace():
                start += 1
            o_start, o_end = norm.original_span(start, end)
            if spans and spans[-1][1] >= o_start - 1:  # adjacent or one character apart: one span
                spans[-1][1] = max(spans[-1][1], o_end)
                spans[-1][2] = max(spans[-1][2], float(drop[pos]))
            else:
                spans.append([o_start, o_end, float(drop[pos])])
        return tuple(Span(s, e, round(sc, 4)) for s, e, sc in spans if e > s)

    def _focus(self, body: list[int], ordered: list[list[int]], base: float) -> list[list[int]]:
        """The words of the EXPLAIN_SEGMENTS stretches that matter most in a long window.

        Consecutive words are grouped into segments of about SEGMENT_TOKENS tokens.
        A segment matters by how far the score falls without it, or, where the abuse
        is repeated in several segments and no single removal is decisive, by
        how toxic it is on its own (both asked in one pass)."""
        segments: list[list[list[int]]] = [[]]
        for unit in ordered:
            if segments[-1] and sum(map(len, segments[-1])) + len(unit) > SEGMENT_TOKENS:
                segments.append([])
            segments[-1].append(unit)
        if len(segments) <= EXPLAIN_SEGMENTS:
            return ordered
        positions = [[p for unit in seg for p in unit] for seg in segments]
        scores = self._score_toxic([self._without(body, pos) for pos in positions]
                                   + [self._only(body, pos) for pos in positions])
        drop, alone = base - scores[:len(segments)], scores[len(segments):]
        # As for single words: a decisive fall in score decides, else toxicity alone.
        rank = drop if float(drop.max()) >= DECISIVE_DROP or float(alone.max()) < ALONE_MIN_SCORE else alone
        # A stable sort: equal segments keep text order, so the choice depends on the text alone.
        best = sorted(np.argsort(-rank, kind="stable")[:EXPLAIN_SEGMENTS].tolist())
        return [unit for k in best for unit in segments[k]]

    def _without(self, body: list[int], positions) -> list[int]:
        drop = set(positions)
        return [self._cls, *[t for p, t in enumerate(body) if p not in drop], self._sep]

    def _only(self, body: list[int], positions) -> list[int]:
        return [self._cls, *[body[p] for p in positions], self._sep]

    def _score_toxic(self, id_lists: list[list[int]]) -> np.ndarray:
        """The encoder's toxic probability for explanation variants, split across the
        worker threads; the split depends only on the text, so the same text always
        gets the same spans."""
        per_thread = -(-len(id_lists) // self.threads)
        return self._run(id_lists, max_batch=min(BATCH_SIZE, per_thread))[:, self._toxic_index]

    def _is_punct(self, token_id: int) -> bool:
        tok = self._tokenizer.id_to_token(token_id) or ""
        return not any(ch.isalnum() for ch in tok)
