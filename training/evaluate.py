"""Evaluate a shipped model folder on the dev splits.

    python -m training.evaluate --data ../shared/data --model onnx_models/kindshield-tox-2.5 \
        [--fp32 runs/e5/model.fp32.onnx] [--json runs/eval.json] [--limit N]

Dev splits are what thresholds are tuned on: for figures to report use
training.compare (test splits). Prints, per source and per language: ROC-AUC, average precision and F1 at the
shipped thresholds for every head the source labels; accuracy for COLD and
OLID (comparable with the TF-IDF floor); the functional dev set by case;
score retention of dev positives under evasions; abuse kept inside friendly
text (``in_context``); and fp32-vs-int8 agreement.
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

import numpy as np


def _metrics(y, p, thr):
    from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

    y = np.asarray(y)
    p = np.asarray(p)
    pred = (p >= thr).astype(int)
    out = {"n": int(len(y)), "pos": int(y.sum()), "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
           "acc": round(float((pred == y).mean()), 4)}
    if len(set(y.tolist())) == 2:
        out["auc"] = round(float(roc_auc_score(y, p)), 4)
        out["ap"] = round(float(average_precision_score(y, p)), 4)
        out["macro_f1"] = round(float(f1_score(y, pred, average="macro", zero_division=0)), 4)
    return out


def evaluate(model, dev, labels) -> dict:
    results = model.analyze([e.text for e in dev], lang="auto")
    probs = np.array([[r.labels[name] for name in labels] for r in results])
    report: dict = {"by_source": {}, "by_language": {}, "functional": {}}
    groups = defaultdict(list)
    for i, e in enumerate(dev):
        groups[("by_source", e.source)].append(i)
        groups[("by_language", e.lang)].append(i)
    for (kind, key), idx in sorted(groups.items()):
        report[kind][key] = {}
        for j, name in enumerate(labels):
            sub = [i for i in idx if name in dev[i].labels]
            if not sub:
                continue
            ys = [dev[i].labels[name] for i in sub]
            thr = [model.thresholds(results[i].language)[name] for i in sub]
            ps = probs[sub, j]
            # Compare each probability to its own language's threshold.
            report[kind][key][name] = _metrics(ys, ps - np.array(thr) + 0.5, 0.5) | (
                {"auc": _metrics(ys, ps, 0.5).get("auc"), "ap": _metrics(ys, ps, 0.5).get("ap")}
                if len(set(ys)) == 2 else {})
    cases = defaultdict(list)
    for i, e in enumerate(dev):
        if e.source == "functional":
            cases[f"{e.lang}:{e.meta.get('case')}"].append(i)
    for case, idx in sorted(cases.items()):
        correct = [results[i].toxic == bool(dev[i].labels.get("toxic", 0)) for i in idx if "toxic" in dev[i].labels]
        report["functional"][case] = {"n": len(correct), "acc": round(float(np.mean(correct)), 3) if correct else None}
    return report, probs


def robustness(model, dev, n: int = 300, seed: int = 0) -> dict:
    """Mean score kept, and share still flagged, when dev positives are rewritten with evasions."""
    from .augment import ChineseEvasions, perturb_latin

    rng = random.Random(seed)
    out = {}
    for lang in ("en", "zh"):
        pos = [e for e in dev if e.lang == lang and e.labels.get("toxic") == 1 and e.source != "functional"]
        rng.shuffle(pos)
        pos = pos[:n]
        if not pos:
            continue
        plain = model.analyze([e.text for e in pos], lang=lang)
        if lang == "zh":
            chars = sorted({c for e in dev if e.lang == "zh" for c in e.text})
            ev = ChineseEvasions(chars, ["傻逼", "废物", "垃圾", "脑残", "智障", "去死", "他妈的", "贱人"])
            perturbed = [ev.perturb(e.text, rng) for e in pos]
        else:
            perturbed = [perturb_latin(e.text, rng) for e in pos]
        pert = model.analyze(perturbed, lang=lang)
        flagged = [r for r in plain if r.toxic]
        kept = [q.toxic for r, q in zip(plain, pert) if r.toxic]
        out[lang] = {"n": len(pos), "mean_score_plain": round(float(np.mean([r.score for r in plain])), 4),
                     "mean_score_perturbed": round(float(np.mean([r.score for r in pert])), 4),
                     "still_flagged": round(float(np.mean(kept)), 4) if flagged else None}
    return out


def in_context(model, dev, n: int = 300, seed: int = 0) -> dict:
    """Abuse inside friendly chatter: short positives the model flags alone, put
    after, before, and between benign comments of the same split and language.

    Also the false alarms of benign comments joined to each other, beside those
    of the same comments alone. A comment that holds one insult is abusive
    however friendly the rest of it is (2.1 scored "你就是个废物。" 0.93 alone and
    0.03 after one friendly sentence)."""
    rng = random.Random(seed)
    out = {}
    for lang in ("en", "zh"):
        real = [e for e in dev if e.lang == lang and e.source != "functional"]
        short = [e.text for e in real if e.labels.get("toxic") == 1 and len(e.text) <= 60]
        benign = [e.text for e in real if e.labels.get("toxic") == 0 and 30 <= len(e.text) <= 160]
        if not short or len(benign) < 3:
            continue
        rng.shuffle(short)
        rng.shuffle(benign)
        flagged = [t for t, r in zip(short[:n], model.analyze(short[:n], lang=lang)) if r.toxic]
        sep = "" if lang == "zh" else " "
        pads = [(benign[k % len(benign)], benign[(k + 1) % len(benign)]) for k in range(len(flagged))]
        placed = {"after": [a + sep + t for t, (a, _) in zip(flagged, pads)],
                  "before": [t + sep + a for t, (a, _) in zip(flagged, pads)],
                  "between": [a + sep + t + sep + b for t, (a, b) in zip(flagged, pads)]}
        row = {"n": len(flagged)}
        for where, texts in placed.items():
            row[f"still_flagged_{where}"] = round(float(np.mean([r.toxic for r in model.analyze(texts, lang=lang)])), 4)
        alone = benign[:n]
        joined = [a + sep + alone[(k + 1) % len(alone)] for k, a in enumerate(alone)]
        row["benign_false_alarms_alone"] = round(float(np.mean([r.toxic for r in model.analyze(alone, lang=lang)])), 4)
        row["benign_false_alarms_joined"] = round(float(np.mean([r.toxic for r in model.analyze(joined, lang=lang)])), 4)
        out[lang] = row
    return out


def fp32_agreement(model, fp32_path: Path, dev, n: int = 1000) -> dict:
    """Run the same windows through the fp32 graph and compare with the int8 model."""
    import onnxruntime as ort

    texts = [e.text for e in dev[:n]]
    int8 = np.array([r.labels["toxic"] for r in model.analyze(texts)])
    fp32_model = type(model)(model.model_dir, model.config,
                             ort.InferenceSession(str(fp32_path), providers=["CPUExecutionProvider"]),
                             model._tokenizer, "CPUExecutionProvider")
    fp32 = np.array([r.labels["toxic"] for r in fp32_model.analyze(texts)])
    thr = model.thresholds("en")["toxic"]
    return {"n": len(texts), "mean_abs_diff": round(float(np.abs(int8 - fp32).mean()), 4),
            "max_abs_diff": round(float(np.abs(int8 - fp32).max()), 4),
            "decision_agreement": round(float(((int8 >= thr) == (fp32 >= thr)).mean()), 4)}


def print_report(report: dict):
    for kind in ("by_source", "by_language"):
        print(f"\n== {kind.replace('_', ' ')}")
        print(f"{'':14}{'head':17}{'n':>6}{'pos':>6}{'AUC':>8}{'AP':>8}{'F1':>8}{'acc':>8}{'macroF1':>9}")
        for key, heads in report[kind].items():
            for name, m in heads.items():
                print(f"{key:14}{name:17}{m['n']:>6}{m['pos']:>6}{m.get('auc') or float('nan'):>8.3f}"
                      f"{m.get('ap') or float('nan'):>8.3f}{m['f1']:>8.3f}{m['acc']:>8.3f}"
                      f"{m.get('macro_f1') or float('nan'):>9.3f}")
    split = report.get("split", "dev")
    print(f"\n== functional {split} rows (accuracy of the toxic decision)")
    for case, m in report["functional"].items():
        print(f"  {case:28} n={m['n']:<4} acc={m['acc']}")
    if "robustness" in report:
        print(f"\n== evasions on {split} positives", json.dumps(report["robustness"], indent=1))
    if "in_context" in report:
        print(f"\n== abuse inside friendly text ({split})", json.dumps(report["in_context"], indent=1))
    if "fp32_vs_int8" in report:
        print("\n== fp32 vs int8", json.dumps(report["fp32_vs_int8"]))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--fp32", default=None, help="the fp32 ONNX file, to measure int8 agreement")
    p.add_argument("--json", default=None, help="also write the report here")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--split", choices=("dev", "test"), default="dev",
                   help="dev: what thresholds were tuned on (for development); test: for figures to report")
    args = p.parse_args(argv)

    from kindshield_server.model import ToxicityModel

    from .data import prepare_examples, test_split
    from .sources import LABELS

    model = ToxicityModel.load(args.model)
    if args.split == "test":
        dev = test_split(args.data, limit=args.limit)
    else:
        ns = argparse.Namespace(data=args.data, limit=args.limit, seed=13, davidson_offensive=7000)
        _, dev = prepare_examples(ns)
    report, _ = evaluate(model, dev, LABELS)
    report["split"] = args.split
    report["robustness"] = robustness(model, dev)
    report["in_context"] = in_context(model, dev)
    if args.fp32 and Path(args.fp32).exists():
        report["fp32_vs_int8"] = fp32_agreement(model, Path(args.fp32), dev)
    report["model"] = {"name": model.name, "version": model.version}
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
