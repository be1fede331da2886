"""Side-by-side quality on the TEST splits and the functional test suite.

    git archive 32c1abe onnx_models/kindshield-tox-1.1 | tar -x -C runs/   # 1.1.0, for comparison
    python -m training.compare --data ../shared/data \
        --model 2.5=onnx_models/kindshield-tox-2.5 --model 1.1=runs/onnx_models/kindshield-tox-1.1 \
        --json runs/compare.json --markdown runs/compare.md

Rows: each model folder given, plus the floor — a character n-gram TF-IDF +
logistic regression retrained here on the same train splits, its threshold
tuned for macro-F1 on the same dev splits. Nothing here is tuned on test.

1.x was trained on whole files of the six original sources, so on their test
splits it has seen the text: those cells are marked with ``*`` (seen). The
fair comparisons with 1.1 are the sources new in 2.0 and the functional test
suite (training/functional_suite, written apart from every training template).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

SEEN_BY_1X = {"davidson", "olid", "mlma", "toxic_spans", "cold", "swsr"}


def since(source: str) -> str:
    """The label after a source's name: which model generation first trained on it."""
    from .data import NEW_SOURCE_CAP

    if source in NEW_SOURCE_CAP:
        return " (model 3 set)"
    return "" if source in SEEN_BY_1X else " (new in 2.0)"


def toxic_metrics(y, p, thr) -> dict:
    from sklearn.metrics import f1_score, roc_auc_score

    y = np.asarray(y)
    p = np.asarray(p)
    pred = p >= thr
    out = {"n": int(len(y)), "acc": round(float((pred == y).mean()), 4),
           "macro_f1": round(float(f1_score(y, pred, average="macro", zero_division=0)), 4)}
    if len(set(y.tolist())) == 2:
        out["auc"] = round(float(roc_auc_score(y, p)), 4)
    return out


class Scorer:
    """A model under comparison: name, per-text toxic probability, per-text threshold."""

    def __init__(self, name, score_fn):
        self.name = name
        self.score = score_fn  # texts -> (probabilities, thresholds)


def model_scorer(name: str, folder: str) -> Scorer:
    from kindshield_server.model import ToxicityModel

    model = ToxicityModel.load(folder)

    def score(texts):
        results = model.analyze(texts)
        return (np.array([r.labels["toxic"] for r in results]),
                np.array([model.thresholds(r.language)["toxic"] for r in results]))

    return Scorer(f"{name} ({model.version})", score)


def floor_scorer(train, dev) -> Scorer:
    from kindshield_server.model.normalize import detect_language, normalize

    from .export import best_threshold
    from .ngram import train_ngram

    t = time.time()
    pipe = train_ngram(train)
    print(f"floor trained in {time.time() - t:.0f}s", flush=True)
    rows = [e for e in dev if "toxic" in e.labels and e.source != "functional"]
    probs = pipe.predict_proba([normalize(e.text) for e in rows])[:, 1]
    thresholds = {}
    for lang in ("en", "zh"):
        idx = [i for i, e in enumerate(rows) if e.lang == lang]
        thresholds[lang] = best_threshold([rows[i].labels["toxic"] for i in idx], probs[idx])
    print(f"floor thresholds (dev): {thresholds}", flush=True)

    def score(texts):
        p = pipe.predict_proba([normalize(x) for x in texts])[:, 1]
        return p, np.array([thresholds["zh" if detect_language(x) == "zh" else "en"] for x in texts])

    return Scorer("n-gram floor", score)


def dev_templates(dev) -> list[dict]:
    """The dev side's stand-in for the functional test suite, in its row format.

    Choosing between models on dev must not look at the test suite; the dev
    templates (fillers from the other half of training's, never the suite's)
    give the same per-category view. Short templates that equal a suite case
    ("lol") are left out of it, so no suite text takes part in the choice."""
    from .functional_suite import load_suite, text_key

    suite = {text_key(r["text"]) for r in load_suite()}
    return [{"text": e.text, "suite": e.lang, "category": e.meta["case"].removeprefix(f"{e.lang}_"),
             "toxic": e.labels["toxic"]} for e in dev
            if e.source == "functional" and "toxic" in e.labels and text_key(e.text) not in suite]


def dev_stance(data) -> list[dict]:
    """Model 3's dev stance rows (training/stance, dev half) in the suite's row format:
    stance pairs, negation pairs, benign twins, Chinese banter and polite disagreement.
    The 2.x dev mix that the rest of the dev comparison uses has none of them, so
    without this a stage aimed at lookalikes would show on dev only through the probe."""
    import random

    from .stance import stance_examples

    rows = stance_examples("dev", random.Random(13), data)
    return [{"text": text, "suite": lang, "category": case.removeprefix(f"{lang}_"), "toxic": labels["toxic"]}
            for text, labels, lang, case in rows if "toxic" in labels]


def _case_accuracy(report: dict, key: str, rows: list[dict], flagged, name: str) -> None:
    """Accuracy per (suite, category) and per suite, into report[key] and report[key + "_language"]."""
    groups = defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r["suite"], r["category"])].append(i)
    per_lang = defaultdict(list)
    for (lang, cat), idx in sorted(groups.items()):
        correct = [bool(flagged[i]) == bool(rows[i]["toxic"]) for i in idx]
        report[key][f"{lang}:{cat}"][name] = {"n": len(idx), "acc": round(float(np.mean(correct)), 3)}
        per_lang[lang] += correct
    for lang, correct in per_lang.items():
        report[f"{key}_language"][lang][name] = {"n": len(correct), "acc": round(float(np.mean(correct)), 3)}


def compare(scorers, test, suite, probe=None, suite2=None, stance=None) -> dict:
    """Per-source metrics on ``test`` and accuracy by category on ``suite`` (and,
    on dev, on the hand-written ``probe`` and model 3's ``stance`` dev rows; on test,
    on the second suite ``suite2``)."""
    report: dict = defaultdict(lambda: defaultdict(dict))
    rows = [e for e in test if "toxic" in e.labels]
    by_source = defaultdict(list)
    for i, e in enumerate(rows):
        by_source[e.source].append(i)
    case_sets = {"suite": suite, **({"probe": probe} if probe else {}), **({"suite2": suite2} if suite2 else {}),
                 **({"stance": stance} if stance else {})}
    for s in scorers:
        t = time.time()
        p, thr = s.score([e.text for e in rows])
        for source, idx in sorted(by_source.items()):
            m = toxic_metrics([rows[i].labels["toxic"] for i in idx], p[idx] - thr[idx] + 0.5, 0.5)
            m["auc"] = toxic_metrics([rows[i].labels["toxic"] for i in idx], p[idx], 0.5).get("auc")
            report["test"][source][s.name] = m
        for key, cases in case_sets.items():
            sp, sthr = s.score([r["text"] for r in cases])
            _case_accuracy(report, key, cases, sp >= sthr, s.name)
        print(f"{s.name}: scored in {time.time() - t:.0f}s", flush=True)
    return json.loads(json.dumps(report))


def markdown(report: dict, names: list[str], split: str = "test") -> str:
    def cell(m, seen=False, key="acc"):
        if not m or m.get(key) is None:
            return "–"
        return f"{m[key]:.3f}{'*' if seen else ''}"

    lines = [f"| source ({split} split) | n | " + " | ".join(f"{n} acc / macro-F1 / AUC" for n in names) + " |",
             "|---|---|" + "---|" * len(names)]
    for source, by_model in report.get("test", {}).items():
        n = next(iter(by_model.values()))["n"]
        cells = []
        for name in names:
            m = by_model.get(name)
            seen = name.startswith("1.") and source in SEEN_BY_1X
            cells.append(" / ".join(cell(m, seen, k) for k in ("acc", "macro_f1", "auc")))
        lines.append(f"| {source}{since(source)} | {n} | "
                     + " | ".join(cells) + " |")
    title = "functional test suite" if split == "test" else "functional dev templates (not the suite)"
    tables = [("suite", title)]
    if "probe" in report:
        tables.append(("probe", "dev probe (hand-written apart from training and the suite)"))
    if "stance" in report:
        tables.append(("stance", "model 3 stance dev rows (pairs, negation, twins, banter; training/stance dev half)"))
    if "suite2" in report:
        tables.append(("suite2", "second functional suite (stance, lookalikes, banter; written apart from all)"))
    for key, heading in tables:
        lines += ["", f"| {heading} | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
        for lang, by_model in report.get(f"{key}_language", {}).items():
            n = next(iter(by_model.values()))["n"]
            lines.append(f"| **{lang} overall** | {n} | " + " | ".join(cell(by_model.get(x)) for x in names) + " |")
        for case, by_model in report.get(key, {}).items():
            n = next(iter(by_model.values()))["n"]
            lines.append(f"| {case} | {n} | " + " | ".join(cell(by_model.get(x)) for x in names) + " |")
    lines.append("")
    lines.append("`*` = 1.x was trained on this source's whole file: it has seen these test texts.")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", action="append", default=[], help="NAME=FOLDER (repeatable)")
    p.add_argument("--no-floor", action="store_true")
    p.add_argument("--leave-out", action="append", default=[], metavar="TEXT",
                   help="leave this suite case out (a text a compared model was trained on: stage 3 of "
                        "model 3 rebuilt one case of the first suite from its negation frames)")
    p.add_argument("--json", default=None)
    p.add_argument("--markdown", default=None)
    p.add_argument("--split", choices=("test", "dev"), default="test",
                   help="dev: choose between models (thresholds were tuned there, so its figures are "
                        "not results); test: report")
    args = p.parse_args(argv)

    from .data import prepare_examples, test_split
    from .functional_suite import load_suite, unseen

    ns = argparse.Namespace(data=args.data, limit=0, seed=13, davidson_offensive=7000)
    train, dev = prepare_examples(ns)
    # On dev the functional rows are reported as the sources "functional" (templates).
    test = test_split(args.data) if args.split == "test" else dev
    if args.split == "test":
        everything = load_suite()
        suite = unseen(everything, (e.text for e in train + dev))
        print(f"functional test suite: {len(everything) - len(suite)} of {len(everything)} cases also occur "
              "in the training/dev mix and are left out", flush=True)
        probe = None
        from .functional_suite_2 import load_suite2

        suite2 = unseen(load_suite2(), (e.text for e in train + dev))
    else:
        suite2 = None
        from .dev_probe import load_probe

        stance = dev_stance(args.data)
        suite, probe = dev_templates(dev), load_probe()
    if args.leave_out:
        from .functional_suite import text_key

        gone = {text_key(t) for t in args.leave_out}
        for name, rows in (("suite", suite), ("second suite", suite2 or [])):
            kept = [r for r in rows if text_key(r["text"]) not in gone]
            print(f"{name}: {len(rows) - len(kept)} case(s) left out by --leave-out", flush=True)
            rows[:] = kept
    scorers = [model_scorer(*spec.split("=", 1)) for spec in args.model]
    if not args.no_floor:
        scorers.append(floor_scorer(train, dev))
    report = compare(scorers, test, suite, probe, suite2, stance if args.split == "dev" else None)
    names = [s.name for s in scorers]
    table = markdown(report, names, args.split)
    print(table)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    if args.markdown:
        Path(args.markdown).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
