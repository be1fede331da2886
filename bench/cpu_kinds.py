"""The same model on two kinds of CPU: do its toxic decisions change?

    # scores on this CPU, and on an AVX2-only CPU emulated by qemu-user (Debian's qemu-user;
    # Haswell: AVX2 and FMA, no AVX-512, so onnxruntime picks its AVX2 kernels)
    python bench/cpu_kinds.py score --model DIR --out runs/native.json
    qemu-x86_64 -cpu Haswell $(python -c 'import sys; print(sys.executable)') \
        bench/cpu_kinds.py score --model DIR --out runs/haswell.json --label "Haswell (qemu): AVX2, FMA"
    python bench/cpu_kinds.py compare runs/native.json runs/haswell.json [--reference runs/fp32.json]

int8 kernels differ between CPU kinds (AVX2's vpmaddubsw saturates 16-bit sums
that AVX-512 VNNI keeps exact), so a dynamically quantised graph can flag a text
on one CPU and not on another. Emulation is slow (speed figures from it mean
nothing) but it runs the real AVX2 code paths of onnxruntime and numpy. Texts:
the functional test suite (en, zh), the dev probe (en, zh) and ``--dev`` dev-split
texts per language.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def texts_to_score(data: str, dev: int) -> dict[str, list[str]]:
    from training.functional_suite import load_suite

    suite = load_suite()
    probe = load_suite(folder=Path(__file__).resolve().parents[1] / "training" / "dev_probe")
    sets = {f"suite {lang}": [r["text"] for r in suite if r["suite"] == lang] for lang in ("en", "zh")}
    sets.update({f"probe {lang}": [r["text"] for r in probe if r["suite"] == lang] for lang in ("en", "zh")})
    if dev:
        from training.sources import load_all

        rows = [e for e in load_all(data) if e.split == "dev" and "toxic" in e.labels]
        random.Random(0).shuffle(rows)
        for lang in ("en", "zh"):
            sets[f"dev {lang}"] = [e.text for e in rows if e.lang == lang][:dev]
    return sets


def score(args) -> None:
    from kindshield_server.model import ToxicityModel
    from kindshield_server.model.cpu import cpu_features

    model = ToxicityModel.load(args.model, threads=args.threads)
    # qemu-user shows the host's /proc/cpuinfo: name the emulated CPU with --label
    out = {"cpu": args.label or cpu_features(), "model": f"{model.name} {model.version}", "sets": {}}
    for name, texts in texts_to_score(args.data, args.dev).items():
        results = model.analyze(texts)
        out["sets"][name] = {"texts": texts, "toxic": [bool(r.toxic) for r in results],
                             "score": [float(r.score) for r in results]}
        print(f"{name}: {len(texts)} scored", flush=True)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.out} ({out['cpu']})")


def compare(args) -> None:
    a, b = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (args.first, args.second))
    ref = json.loads(Path(args.reference).read_text(encoding="utf-8")) if args.reference else None
    print(f"A: {a['model']} on {a['cpu']}\nB: {b['model']} on {b['cpu']}"
          + (f"\nR: {ref['model']} on {ref['cpu']}" if ref else ""))
    head = f"{'set':10}{'n':>6}{'A = B':>9}{'max |A-B|':>11}" + (f"{'A = R':>9}{'B = R':>9}" if ref else "")
    print(head)
    for name, sa in a["sets"].items():
        sb = b["sets"][name]
        assert sa["texts"] == sb["texts"], name
        n = len(sa["toxic"])
        same = sum(x == y for x, y in zip(sa["toxic"], sb["toxic"])) / n
        delta = max(abs(x - y) for x, y in zip(sa["score"], sb["score"]))
        line = f"{name:10}{n:>6}{same:>9.3f}{delta:>11.4f}"
        if ref:
            sr = ref["sets"][name]
            line += f"{sum(x == y for x, y in zip(sa['toxic'], sr['toxic'])) / n:>9.3f}"
            line += f"{sum(x == y for x, y in zip(sb['toxic'], sr['toxic'])) / n:>9.3f}"
        print(line)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("score")
    s.add_argument("--model", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--data", default="../shared/data")
    s.add_argument("--dev", type=int, default=0, help="dev-split texts per language (0: suites only)")
    s.add_argument("--threads", type=int, default=2)
    s.add_argument("--label", default=None, help="the CPU's name when /proc/cpuinfo is not its own (qemu-user)")
    c = sub.add_parser("compare")
    c.add_argument("first")
    c.add_argument("second")
    c.add_argument("--reference", help="scores of the fp32 graph, to compare both with")
    args = p.parse_args()
    score(args) if args.cmd == "score" else compare(args)


if __name__ == "__main__":
    main()
