"""Quantisation schemes side by side: agreement with the fp32 network, quality and speed.

    python -m training.recover --model onnx_models/kindshield-tox-2.5 --out runs/from-2.5
    python bench/quant_bench.py --data ../shared/data --init runs/from-2.5/init.pt \
        --model onnx_models/kindshield-tox-2.5 [--sensitivity] [--dev 1500]

Every scheme of ``training/quantize.py`` is built from the same fp32 graph (the
shipped model's own weights, recovered), loaded through the server's own
inference code (``ToxicityModel``, n-gram member and thresholds as shipped) and
compared with the fp32 graph on:
- the functional test suite (en, zh) and the dev probe (en, zh): short texts,
  where int8 activation error moves decisions most;
- a sample of the dev splits (en, zh).
"Agreement" is the share of texts whose toxic decision (score >= threshold)
equals the fp32 network's; "all labels" counts a text as agreeing only when
every label's decision does. Speed is in-process with ``--threads`` threads:
texts/s in batches of 64 tweet-sized dev texts, and single-text p50/p99.
The CPU's int8 features are printed first: int8 kernels (and so the dynamic
scheme's decisions and speed) differ between AVX2-only and AVX-512 VNNI CPUs.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))




def model_folder(shipped: Path, graph: Path, out: Path) -> Path:
    """A model folder like the shipped one, with ``graph`` as its model.onnx."""
    from training.export import sha256_file

    out.mkdir(parents=True, exist_ok=True)
    for name in ("tokenizer.json", "keep_ids.json", "ngram.onnx"):
        if (shipped / name).exists():
            shutil.copyfile(shipped / name, out / name)
    if graph.resolve() != (out / "model.onnx").resolve():
        shutil.copyfile(graph, out / "model.onnx")
    config = json.loads((shipped / "config.json").read_text(encoding="utf-8"))
    config["sha256"] = sha256_file(out / "model.onnx")
    (out / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def decisions(model, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(toxic decision, every label's decision, toxic score) per text."""
    results = model.analyze(texts)
    toxic = np.array([r.toxic for r in results])
    labels = np.array([[r.labels[k] >= model.thresholds(r.language)[k] for k in model.labels] for r in results])
    score = np.array([r.labels["toxic"] for r in results])
    return toxic, labels, score


def speed_round(model, typical: list[str], single: int) -> dict:
    """One round: batches of 64, then one text at a time. Wall time, and CPU time of the
    process (on a machine others are loading, CPU time still says what the work costs:
    CPU-time throughput is texts per CPU-second times the threads)."""
    threads = model.threads
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(typical), 64):
        model.analyze(typical[i:i + 64])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    lat, lat_cpu = [], []
    for t in typical[:single]:
        s, c = time.perf_counter(), time.process_time()
        model.analyze([t])
        lat.append((time.perf_counter() - s) * 1000)
        lat_cpu.append((time.process_time() - c) * 1000)
    return {"tput": len(typical) / wall, "tput_cpu": len(typical) * threads / cpu,
            "p50": float(np.percentile(lat, 50)), "p99": float(np.percentile(lat, 99)),
            "p50_cpu": float(np.percentile(lat_cpu, 50)), "p99_cpu": float(np.percentile(lat_cpu, 99))}


def speeds(models: dict, typical: list[str], single: int, rounds: int) -> dict:
    """Rounds interleaved over the models (A B C A B C ...), best round of each kept:
    load from other processes then falls on every model alike."""
    for model in models.values():
        model.analyze(typical[:64])
    best: dict = {}
    for _ in range(rounds):
        for name, model in models.items():
            r = speed_round(model, typical, single)
            b = best.setdefault(name, r)
            for k in r:
                b[k] = max(b[k], r[k]) if k.startswith("tput") else min(b[k], r[k])
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="../shared/data")
    p.add_argument("--model", default="onnx_models/kindshield-tox-2.5", help="the shipped folder (config, tokenizer)")
    p.add_argument("--init", required=True, help="the recovered weights (training.recover's init.pt)")
    p.add_argument("--work", default="runs/quant_bench")
    p.add_argument("--dev", type=int, default=1500, help="dev-split texts per language")
    p.add_argument("--n", type=int, default=600, help="texts for throughput")
    p.add_argument("--single", type=int, default=300, help="texts for single-text latency")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--schemes", default="dynamic,static,fp32,qdq8,weight8")
    p.add_argument("--rounds", type=int, default=3, help="interleaved speed rounds (best kept)")
    p.add_argument("--speed-only", action="store_true",
                   help="only the speed rounds, over the folders an earlier run left in --work")
    p.add_argument("--sensitivity", action="store_true",
                   help="also: dynamic with one encoder layer at a time in fp32, and dynamic-partial")
    args = p.parse_args()

    import torch

    from kindshield_server.model import ToxicityModel
    from kindshield_server.model.cpu import cpu_features
    from training import e5 as e5mod
    from training import quantize
    from training.export import export_onnx
    from training.functional_suite import load_suite
    from training.modeling import build_model
    from training.sources import LABELS, load_all

    print("CPU:", cpu_features())
    shipped, work = Path(args.model), Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    config = json.loads((shipped / "config.json").read_text(encoding="utf-8"))
    keep = json.loads((shipped / "keep_ids.json").read_text())
    fp32_graph = work / "model.fp32.onnx"
    if not args.speed_only:
        net = build_model(e5mod.build_encoder(e5mod.read_e5(None), config["training"]["layers"], keep), len(LABELS))
        net.load_state_dict(torch.load(args.init, map_location="cpu"))
        export_onnx(net.eval(), fp32_graph)

    suite = load_suite()
    probe = load_suite(folder=Path("training/dev_probe"))
    rng = random.Random(0)
    dev = [e for e in load_all(args.data) if e.split == "dev" and "toxic" in e.labels]
    rng.shuffle(dev)
    sets = {
        "suite en": [r["text"] for r in suite if r["suite"] == "en"],
        "suite zh": [r["text"] for r in suite if r["suite"] == "zh"],
        "probe en": [r["text"] for r in probe if r["suite"] == "en"],
        "probe zh": [r["text"] for r in probe if r["suite"] == "zh"],
        "dev en": [e.text for e in dev if e.lang == "en"][: args.dev],
        "dev zh": [e.text for e in dev if e.lang == "zh"][: args.dev],
    }
    gold = {"suite en": [r["toxic"] for r in suite if r["suite"] == "en"],
            "suite zh": [r["toxic"] for r in suite if r["suite"] == "zh"]}
    typical = [e.text for e in dev if len(e.text) <= 280]
    typical = [t for pair in zip([t for t in typical if not any("\u4e00" <= c <= "\u9fff" for c in t)],
                                 [t for t in typical if any("\u4e00" <= c <= "\u9fff" for c in t)]) for t in pair]
    typical = typical[: args.n]
    if args.speed_only:
        names = ["fp32-reference", *args.schemes.split(",")]
        models = {name: ToxicityModel.load(work / name, threads=args.threads) for name in names}
        print_speeds(speeds(models, typical, args.single, args.rounds), len(typical), args.threads, args.rounds)
        return

    reference = ToxicityModel.load(model_folder(shipped, fp32_graph, work / "fp32-reference"), threads=args.threads)
    ref = {name: decisions(reference, texts) for name, texts in sets.items()}

    candidates: list[tuple[str, Path]] = []
    for scheme in args.schemes.split(","):
        graph = work / scheme / "model.onnx"
        feeds = None
        if scheme == "static":
            feeds = calibration_feeds(reference, [e.text for e in dev[args.dev:args.dev + 400]])
        quantize.build(scheme, fp32_graph, graph, feeds=feeds)
        candidates.append((scheme, graph))
    if args.sensitivity:
        names = quantize.matmul_names(fp32_graph)
        per_layer = {}
        for layer in range(len(config["training"]["layers"])):
            exclude = [n for n in names if f"/layer.{layer}/" in n]
            graph = work / f"dynamic-fp32-layer{layer}" / "model.onnx"
            quantize.build("dynamic-partial", fp32_graph, graph, exclude=exclude)
            candidates.append((f"dynamic, layer {layer} fp32", graph))
            per_layer[layer] = graph
        ffn_out = [n for n in names if "/output/dense/" in n and "/attention/" not in n]
        graph = work / "dynamic-fp32-ffn-out" / "model.onnx"
        quantize.build("dynamic-partial", fp32_graph, graph, exclude=ffn_out)
        candidates.append(("dynamic, FFN outputs fp32", graph))

    header = f"{'scheme':28}{'MB':>6}" + "".join(f"{k:>10}" for k in sets) + f"{'labels':>8}{'max|d|':>8}" \
        + f"{'acc en':>8}{'acc zh':>8}"
    rows, models = [], {}
    all_candidates = [("fp32 network (reference)", fp32_graph), *candidates]
    for name, graph in all_candidates:
        folder = graph.parent if graph != fp32_graph else work / "fp32-reference"
        model = models[name] = ToxicityModel.load(model_folder(shipped, graph, folder), threads=args.threads)
        agree, label_agree, max_delta, acc = {}, [], 0.0, {}
        for set_name, texts in sets.items():
            toxic, labels, score = decisions(model, texts)
            agree[set_name] = float((toxic == ref[set_name][0]).mean())
            label_agree.append((labels == ref[set_name][1]).all(axis=1))
            max_delta = max(max_delta, float(np.abs(score - ref[set_name][2]).max()))
            if set_name in gold:
                acc[set_name] = float((toxic.astype(int) == np.array(gold[set_name])).mean())
        size = sum(f.stat().st_size for f in folder.iterdir() if f.suffix == ".onnx") / 1e6
        rows.append((name, size, agree, float(np.concatenate(label_agree).mean()), max_delta, acc))
        print(f"measured {name}", flush=True)
    print(f"\n{len(typical)} tweet-sized dev texts for speed, threads {args.threads}; agreement of toxic decisions "
          f"with the fp32 network (sizes: {', '.join(f'{k} {len(v)}' for k, v in sets.items())})")
    print(header)
    for name, size, agree, labels, max_delta, acc in rows:
        print(f"{name:28}{size:>6.0f}" + "".join(f"{agree[k]:>10.3f}" for k in sets) + f"{labels:>8.3f}"
              f"{max_delta:>8.3f}{acc['suite en']:>8.3f}{acc['suite zh']:>8.3f}")
    print("target: agreement >= 0.995 on every set (MB: the .onnx files, n-gram member included)")
    print_speeds(speeds(models, typical, args.single, args.rounds), len(typical), args.threads, args.rounds)


def print_speeds(best: dict, n: int, threads: int, rounds: int) -> None:
    print(f"\nspeed, {n} tweet-sized dev texts, {threads} threads, best of {rounds} interleaved rounds; "
          "wall clock, and from the process's CPU time (what the work costs when others load the machine)")
    print(f"{'scheme':28}{'texts/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'| texts/s cpu':>14}{'p50 cpu':>9}{'p99 cpu':>9}")
    for name, r in best.items():
        print(f"{name:28}{r['tput']:>9.0f}{r['p50']:>8.2f}{r['p99']:>8.2f}{r['tput_cpu']:>14.0f}"
              f"{r['p50_cpu']:>9.2f}{r['p99_cpu']:>9.2f}")
    print("targets: >= 250 texts/s in batches, p99 <= 15 ms for one text (2 threads, on an AVX2-only CPU)")


def calibration_feeds(model, texts: list[str]) -> list[dict]:
    """One feed per dev window, as the server scores them (batches of one)."""
    from kindshield_server.model.normalize import normalize_with_offsets

    feeds = []
    for i, text in enumerate(texts):
        for w in model._windows(i, normalize_with_offsets(text, model._normalization)):
            ids = np.array([w.ids], dtype=np.int64)
            feeds.append({"input_ids": ids, "attention_mask": np.ones_like(ids)})
    return feeds


if __name__ == "__main__":
    main()
