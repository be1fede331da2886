"""Every head on the test splits of the sources that label it, beside a per-head floor.

    python -m training.heads --data ../shared/data --model 2.5=onnx_models/kindshield-tox-2.5 \
        --markdown runs/heads.md --json runs/heads.json

``training.compare`` judges the ``toxic`` head, the one decisions follow. The other
heads (insult, threat, identity_attack, obscene, targeted_person) say *why* a text
was flagged and feed the hostility kinds (server/policy): they are judged here, on
each source's own labels for them (Toxic Spans' span types, OLID's targeted
subtask, MLMA, EDOS vectors, GHC's calls for violence, Unhealthy Comments'
attributes ...), test splits only, at each model's own per-language thresholds.

The floor is the same character n-gram TF-IDF + logistic regression as
``training.compare``'s, fitted once per head on the train rows that know that head,
its threshold tuned per language for macro-F1 on the dev rows that know it.

Also reported: how often the heads disagree with ``toxic`` on test text, i.e. a
text whose insult, threat or identity_attack head is over its threshold while
``toxic`` is not (2.5 scored "I will follow you home tonight." threat 0.88 but
toxic 0.30). Model 3's training makes such rows toxic (training/data.heads_agree);
this figure says whether the model learned it.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from .data import TOXIC_SUBLABELS
from .sources import LABELS

HEADS = tuple(h for h in LABELS if h != "toxic")
# A (source, head) pair is reported only with enough of both classes to say something.
MIN_PER_CLASS = 10


def head_metrics(y, p, thr) -> dict:
    from sklearn.metrics import f1_score, roc_auc_score

    y, p = np.asarray(y), np.asarray(p)
    pred = p >= thr
    return {"n": int(len(y)), "pos": int(y.sum()),
            "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
            "auc": round(float(roc_auc_score(y, p)), 4)}


def model_head_scorer(folder: str):
    """texts -> (probabilities [n, labels], thresholds [n, labels]) for a shipped model folder."""
    from kindshield_server.model import ToxicityModel

    model = ToxicityModel.load(folder)

    def score(texts):
        results = model.analyze(texts)
        probs = np.array([[r.labels[k] for k in LABELS] for r in results])
        thr = np.array([[model.thresholds(r.language)[k] for k in LABELS] for r in results])
        return probs, thr

    return model.version, score


def floor_head_scorer(train, dev):
    """The n-gram floor, one pipeline per head (and toxic), thresholds tuned on dev."""
    from kindshield_server.model.normalize import detect_language, normalize

    from .export import best_threshold
    from .ngram import make_pipeline

    pipes, thresholds = {}, {}
    for head in LABELS:
        rows = [e for e in train if head in e.labels and e.source != "functional"]
        y = [e.labels[head] for e in rows]
        if len(set(y)) < 2:
            continue
        t = time.time()
        pipe = make_pipeline()
        pipe.fit([e.meta.get("normalized") or normalize(e.text) for e in rows], y)
        pipes[head] = pipe
        drows = [e for e in dev if head in e.labels and e.source != "functional"]
        dp = pipe.predict_proba([normalize(e.text) for e in drows])[:, 1] if drows else np.array([])
        thresholds[head] = {}
        for lang in ("en", "zh"):
            idx = [i for i, e in enumerate(drows) if e.lang == lang]
            ys = [drows[i].labels[head] for i in idx]
            thresholds[head][lang] = best_threshold(ys, dp[idx]) if len(set(ys)) == 2 else 0.5
        print(f"floor {head}: {len(rows)} rows, {time.time() - t:.0f}s, thresholds {thresholds[head]}", flush=True)

    def score(texts):
        norm = [normalize(x) for x in texts]
        langs = ["zh" if detect_language(x) == "zh" else "en" for x in texts]
        probs = np.full((len(texts), len(LABELS)), np.nan)
        thr = np.full((len(texts), len(LABELS)), np.nan)
        for j, head in enumerate(LABELS):
            if head in pipes:
                probs[:, j] = pipes[head].predict_proba(norm)[:, 1]
                thr[:, j] = [thresholds[head][lang] for lang in langs]
        return probs, thr

    return score


def evaluate_heads(scorers: dict, test) -> dict:
    """{head: {source: {scorer: metrics}}} and each model's head-agreement figures."""
    texts = [e.text for e in test]
    scored = {name: fn(texts) for name, fn in scorers.items()}
    report: dict = {"heads": {}, "disagreement": {}}
    for j, head in enumerate(LABELS):
        if head == "toxic":
            continue
        for source in sorted({e.source for e in test}):
            idx = [i for i, e in enumerate(test) if e.source == source and head in e.labels]
            y = np.array([test[i].labels[head] for i in idx])
            if len(idx) == 0 or min(int(y.sum()), int(len(y) - y.sum())) < MIN_PER_CLASS:
                continue
            cell = {}
            for name, (probs, thr) in scored.items():
                if np.isnan(probs[idx, j]).any():
                    continue
                # each text at its own language's threshold
                cell[name] = head_metrics(y, probs[idx, j], 0.0) | {
                    "f1": round(float(_f1(y, probs[idx, j] >= thr[idx, j])), 4)}
            report["heads"].setdefault(head, {})[source] = cell
    sub = [LABELS.index(k) for k in TOXIC_SUBLABELS]
    t = LABELS.index("toxic")
    for name, (probs, thr) in scored.items():
        if np.isnan(probs[:, sub]).any():
            continue
        sub_fires = (probs[:, sub] >= thr[:, sub]).any(axis=1)
        toxic = probs[:, t] >= thr[:, t]
        report["disagreement"][name] = {
            "texts": int(len(texts)), "sub_head_fires": int(sub_fires.sum()),
            "sub_head_fires_toxic_not": int((sub_fires & ~toxic).sum()),
            "share": round(float((sub_fires & ~toxic).sum() / max(1, sub_fires.sum())), 4)}
    return report


def _f1(y, pred) -> float:
    from sklearn.metrics import f1_score

    return f1_score(y, pred, zero_division=0)


def markdown(report: dict, names: list[str]) -> str:
    lines = ["| head | source (test split) | n (positives) | " + " | ".join(f"{n} F1 / AUC" for n in names) + " |",
             "|---|---|---|" + "---|" * len(names)]
    for head, sources in report["heads"].items():
        for source, cell in sources.items():
            any_m = next(iter(cell.values()), None)
            if any_m is None:
                continue
            row = [f"{m['f1']:.3f} / {m['auc']:.3f}" if (m := cell.get(n)) else "–" for n in names]
            lines.append(f"| {head} | {source} | {any_m['n']} ({any_m['pos']}) | " + " | ".join(row) + " |")
    lines += ["", "| model | test texts | a sub-head fires (insult/threat/identity_attack) | ... and toxic does not | share |",
              "|---|---|---|---|---|"]
    for name, d in report["disagreement"].items():
        lines.append(f"| {name} | {d['texts']} | {d['sub_head_fires']} | {d['sub_head_fires_toxic_not']} | "
                     f"{d['share']:.3f} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", action="append", default=[], help="NAME=FOLDER (repeatable)")
    p.add_argument("--no-floor", action="store_true")
    p.add_argument("--limit", type=int, default=0, help="rows per source (smoke tests)")
    p.add_argument("--json", default=None)
    p.add_argument("--markdown", default=None)
    args = p.parse_args(argv)

    from .data import prepare_examples, test_split

    ns = argparse.Namespace(data=args.data, limit=args.limit, seed=13, davidson_offensive=7000)
    train, dev = prepare_examples(ns)
    test = test_split(args.data, limit=args.limit)
    scorers = {}
    for spec in args.model:
        name, folder = spec.split("=", 1)
        version, fn = model_head_scorer(folder)
        scorers[f"{name} ({version})"] = fn
    if not args.no_floor:
        scorers["n-gram floor"] = floor_head_scorer(train, dev)
    report = evaluate_heads(scorers, test)
    table = markdown(report, list(scorers))
    print(table)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    if args.markdown:
        Path(args.markdown).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
