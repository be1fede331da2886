"""Model speed and quality, side by side with baselines, in one run.

    python bench/model_bench.py --data ../shared/data \
        [--model onnx_models/kindshield-tox-2.5] [--compare runs/onnx_models/kindshield-tox-1.1] [--n 1000]

Baselines measured on the same texts in the same process: alt-profanity-check
(TF-IDF + linear SVM, English only; what a user would otherwise pick) and,
with ``--compare``, earlier Kindshield models (1.1.0:
``git archive 32c1abe onnx_models/kindshield-tox-1.1 | tar -x -C runs/``).
Batch throughput, single-message latency (p50/p99), explanation latency and
test-split quality.
Set threads with --threads (default 2, the size of this machine).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def percentile(values, q):
    return float(np.percentile(np.asarray(values) * 1000, q))


def time_batch(fn, texts, batch):
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        fn(texts[i:i + batch])
    return len(texts) / (time.perf_counter() - start)


def time_single(fn, texts):
    lat = []
    for t in texts:
        start = time.perf_counter()
        fn([t])
        lat.append(time.perf_counter() - start)
    return percentile(lat, 50), percentile(lat, 99)


def quality(scores, labels):
    from sklearn.metrics import f1_score, roc_auc_score

    y = np.asarray(labels)
    s = np.asarray(scores)
    return roc_auc_score(y, s), f1_score(y, s >= 0.5, average="macro")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="../shared/data")
    p.add_argument("--model", default=None)
    p.add_argument("--compare", action="append", default=[], help="another model folder to measure beside it")
    p.add_argument("--n", type=int, default=1000, help="texts for throughput")
    p.add_argument("--single", type=int, default=300, help="texts for single-message latency")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--explain", type=int, default=200, help="abusive texts for explanation latency")
    args = p.parse_args()

    from profanity_check import predict_prob

    from kindshield_server.model import ToxicityModel
    from kindshield_server.model.cpu import cpu_features
    from training.sources import load_all

    model = ToxicityModel.load(args.model, threads=args.threads)
    others = [ToxicityModel.load(path, threads=args.threads) for path in args.compare]
    examples = load_all(args.data)
    dev = [e for e in examples if e.split == "dev" and "toxic" in e.labels]
    test = [e for e in examples if e.split == "test" and "toxic" in e.labels]
    rng = random.Random(0)
    # "Typical comments": tweet-sized texts (<= 280 characters), as on the platforms we serve.
    en = [e.text for e in dev if e.lang == "en" and len(e.text) <= 280]
    zh = [e.text for e in dev if e.lang == "zh" and len(e.text) <= 280]
    long_texts = [e.text for e in dev if len(e.text) > 280][:200]
    rng.shuffle(en)
    rng.shuffle(zh)
    typical = en[: args.n // 2] + zh[: args.n // 2]
    # int8 kernels (and so int8 graphs' speed) depend on these; fp32 graphs far less
    print(f"CPU: {cpu_features()}")
    print(f"model {model.name} {model.version} ({model.provider}), threads {args.threads}; "
          f"{len(typical)} dev texts, mean {statistics.mean(map(len, typical)):.0f} chars")

    kindshield = [(f"kindshield {m.version} ({(m.config.get('quantization') or {}).get('scheme', 'dynamic int8')})", m)
                  for m in [model, *others]]
    fns = [(name, (lambda batch, m=m: m.analyze(batch))) for name, m in kindshield]
    fns.append(("alt-profanity-check", lambda batch: predict_prob(batch)))
    for _, fn in fns:
        fn(typical[:64])  # warm-up
    rows = []
    for name, fn in fns:
        tput = time_batch(fn, typical, 64)
        p50, p99 = time_single(fn, typical[: args.single])
        rows.append((name, tput, p50, p99, time_batch(fn, long_texts, 64)))
    print(f"\n{'':30}{'msgs/s (batch 64)':>19}{'p50 ms (1 msg)':>16}{'p99 ms (1 msg)':>16}{'long msgs/s':>13}")
    for name, tput, p50, p99, long_tput in rows:
        print(f"{name:30}{tput:>19.0f}{p50:>16.2f}{p99:>16.2f}{long_tput:>13.0f}")
    print("targets for kindshield: >= 250 msgs/s in batches, p99 <= 15 ms for one message")
    print(f"long texts: > 280 chars, {len(long_texts)} of them, mean {statistics.mean(map(len, long_texts)):.0f} chars")

    # Explanations cost one extra pass per word (and, for redundant abuse, one per word
    # alone): measured on abusive dev comments, beside plain scoring of the same texts.
    abusive = [e.text for e in dev if e.labels["toxic"] and len(e.text) <= 280]
    rng.shuffle(abusive)
    abusive = abusive[: args.explain]
    print(f"\n{'one abusive msg, ' + str(len(abusive)) + ' of them':30}{'p50 ms plain':>16}{'p99 ms plain':>16}"
          f"{'p50 ms explain':>16}{'p99 ms explain':>16}")
    # The baseline row: the same model occluding every word of long texts too
    # (what explanations cost before coarse-to-fine).
    coarse_to_fine = model.explain_full_tokens
    rows = [(name, m, m.explain_full_tokens) for name, m in kindshield]
    rows.insert(1, (f"{kindshield[0][0][:14]} full occlusion", model, 10**6))
    for name, m, full_tokens in rows:
        m.explain_full_tokens = full_tokens
        plain = time_single(lambda batch, m=m: m.analyze(batch), abusive)
        explained = time_single(lambda batch, m=m: m.analyze(batch, explain=True), abusive)
        print(f"{name:30}{plain[0]:>16.2f}{plain[1]:>16.2f}{explained[0]:>16.2f}{explained[1]:>16.2f}")
    model.explain_full_tokens = coarse_to_fine

    names = [name for name, _ in kindshield] + ["alt-profanity-check"]
    print(f"\n{'test quality: toxic AUC':26}{'n':>7}" + "".join(f"{n[:18]:>20}" for n in names))
    by_source: dict[str, list] = {}
    for e in test:
        by_source.setdefault(e.source, []).append(e)
    for source, items in sorted(by_source.items()):
        labels = [e.labels["toxic"] for e in items]
        if len(set(labels)) < 2:
            continue
        texts = [e.text for e in items]
        aucs = []
        for _, m in kindshield:
            results = m.analyze(texts)
            # Each decision uses its model's per-language threshold: shift to a 0.5 cut.
            aucs.append(quality([r.score - m.thresholds(r.language)["toxic"] + 0.5 for r in results], labels)[0])
        aucs.append(quality(list(predict_prob(texts)), labels)[0])
        print(f"{source:26}{len(items):>7}" + "".join(f"{a:>20.3f}" for a in aucs))
    if others:
        print("1.x was trained on whole files of davidson, olid, mlma, toxic_spans, cold and swsr: "
              "those test rows are text it has seen.")


if __name__ == "__main__":
    main()
