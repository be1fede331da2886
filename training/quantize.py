"""Quantisation schemes for the exported fp32 graph, one function each.

    python -m training.quantize --fp32 runs/q/model.fp32.onnx --scheme weight8 --out model.onnx

Why this module exists: the int8 graph 2.5 shipped (onnxruntime's dynamic
quantisation) quantises activations at run time with scales taken from the
batch, and its int8 kernels differ between CPU kinds (AVX2's vpmaddubsw
saturates where AVX-512 VNNI does not). The same text could be flagged on one
CPU and not on another, and 4.5% of toxic decisions on short texts differed
from the fp32 network on an AVX2-only CPU. ``bench/quant_bench.py`` measures
every scheme below side by side (agreement with fp32 and speed); export uses
``SHIPPED_SCHEME``.

Schemes:
- ``dynamic``: 2.5's scheme (int8 weights per channel, int8 activations scaled per call).
- ``fp32``: every matrix in fp32; only the word-embedding table is int8 (a lookup:
  rows are dequantised, nothing is multiplied in int8).
- ``weight8``: weight-only int8 (``MatMulNBits``, 8 bits, blocks of 32 along the
  input dimension) with fp32 activations and fp32 accumulation, plus the int8
  embedding table. Weights are 4x smaller than fp32, arithmetic is fp32.
- ``dynamic-partial``: ``dynamic`` with the given MatMuls left in fp32 (the ones
  whose quantisation moves decisions most: see ``bench/quant_bench.py --sensitivity``).
- ``static``: QDQ int8 with activation scales calibrated on dev text.
- ``qdq8``: int8 weights per output column in the file, each behind a
  DequantizeLinear that onnxruntime folds into an fp32 constant at load: fp32
  arithmetic with the file size of an int8 graph (shipped from 2.5.1 on).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

WORD_EMBEDDINGS = "net.encoder.embeddings.word_embeddings.weight"
# Chosen by bench/quant_bench.py (figures in the model card): the only schemes whose toxic
# decisions agree with the fp32 network >= 0.995 on every set are those with fp32 arithmetic
# (fp32, qdq8, weight8: no int8 kernel, so nothing CPU-specific). qdq8 holds exactly the
# weights the fp32 network has (2.5's integers) in a file the size of 2.5's, and computes
# with onnxruntime's fp32 GEMM, which is far faster here than its 8-bit MatMulNBits kernel.
SHIPPED_SCHEME = "qdq8"
SCHEMES = ("dynamic", "fp32", "weight8", "dynamic-partial", "static", "qdq8")
# MatMulNBits block size: 32 input rows share one scale (per-channel blocks keep the
# rounding error of a weight within 1/254 of its block's largest value).
WEIGHT_BLOCK = 32


def quantize_embedding_rows(model, name: str = WORD_EMBEDDINGS):
    """Replace the fp32 table ``name`` feeding a Gather with int8 rows and one fp32
    scale per row (symmetric). The lookup dequantises only the rows it gathers,
    so no int8 arithmetic (and nothing CPU-specific) is involved."""
    import onnx
    from onnx import helper, numpy_helper

    graph = model.graph
    init = next((i for i in graph.initializer if i.name == name), None)
    if init is None:
        raise ValueError(f"the graph has no initializer {name}")
    table = numpy_helper.to_array(init).astype(np.float32)
    scale = np.maximum(np.abs(table).max(axis=1, keepdims=True), 1e-12) / 127.0
    q = np.clip(np.rint(table / scale), -127, 127).astype(np.int8)
    graph.initializer.remove(init)
    graph.initializer.extend([numpy_helper.from_array(q, name + "_int8"),
                              numpy_helper.from_array(scale.astype(np.float32), name + "_row_scale")])
    gathers = [n for n in graph.node if n.op_type == "Gather" and n.input[0] == name]
    if len(gathers) != 1:
        raise ValueError(f"expected one Gather of {name}, found {len(gathers)}")
    gather = gathers[0]
    ids, out = gather.input[1], gather.output[0]
    nodes = [
        helper.make_node("Gather", [name + "_int8", ids], [out + "_int8"], name=gather.name + "_int8"),
        helper.make_node("Cast", [out + "_int8"], [out + "_q"], to=onnx.TensorProto.FLOAT,
                         name=gather.name + "_cast"),
        helper.make_node("Gather", [name + "_row_scale", ids], [out + "_scale"], name=gather.name + "_scale"),
        helper.make_node("Mul", [out + "_q", out + "_scale"], [out], name=gather.name + "_dequant"),
    ]
    position = list(graph.node).index(gather)
    graph.node.remove(gather)
    for k, node in enumerate(nodes):
        graph.node.insert(position + k, node)
    return model


_DESCRIPTIONS = {
    "dynamic": "int8 weights per channel, int8 activations scaled per call (onnxruntime quantize_dynamic)",
    "fp32": "fp32 matrices and activations; word embeddings int8 per row",
    "weight8": f"int8 weights in blocks of {WEIGHT_BLOCK} (MatMulNBits, accuracy_level 0), fp32 activations "
               "and accumulation; word embeddings int8 per row",
    "dynamic-partial": "dynamic int8 with some MatMuls in fp32",
    "static": "QDQ int8 with activation ranges calibrated on dev text",
    "qdq8": "int8 weights per output column stored, dequantised to fp32 when the graph is loaded; fp32 "
            "activations and arithmetic; word embeddings int8 per row",
}


def describe(scheme: str) -> dict:
    """What config.json records about the shipped graph's quantisation."""
    return {"scheme": scheme, "description": _DESCRIPTIONS[scheme],
            "cpu_independent": scheme in ("fp32", "weight8", "qdq8")}


def _save(model, out: Path):
    import onnx

    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(out))


def dequantized_weights(model, block: int = 0):
    """Every MatMul weight (an initializer) stored as int8 per output column and a
    DequantizeLinear in front of it: the file holds int8, onnxruntime folds the
    DequantizeLinear into an fp32 constant when it loads the graph, and every
    multiplication is fp32. Weights of a graph recovered from 2.5's per-channel int8
    come out as the same integers (their column maximum is 127 steps)."""
    from onnx import helper, numpy_helper

    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    for node in list(graph.node):
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        name = node.input[1]
        w = numpy_helper.to_array(inits[name]).astype(np.float32)          # [in, out]
        scale = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0
        q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
        graph.initializer.remove(inits[name])
        graph.initializer.extend([numpy_helper.from_array(q, name + "_int8"),
                                  numpy_helper.from_array(scale.astype(np.float32), name + "_col_scale"),
                                  numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), name + "_col_zero")])
        dq = helper.make_node("DequantizeLinear", [name + "_int8", name + "_col_scale", name + "_col_zero"], [name],
                              axis=1, name=node.name + "_dequant")
        graph.node.insert(list(graph.node).index(node), dq)
    return model


def quantize_qdq8(fp32: Path, out: Path):
    import onnx

    _save(quantize_embedding_rows(dequantized_weights(onnx.load(str(fp32)))), out)


def quantize_fp32(fp32: Path, out: Path):
    import onnx

    _save(quantize_embedding_rows(onnx.load(str(fp32))), out)


def quantize_weight8(fp32: Path, out: Path, block_size: int = WEIGHT_BLOCK):
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    model = onnx.load(str(fp32))
    # accuracy_level 0 (unset): fp32 activations and fp32 accumulation. Level 4 would
    # quantise activations to int8 again, which is exactly what we are removing.
    quant = MatMulNBitsQuantizer(model, bits=8, block_size=block_size, is_symmetric=True, accuracy_level=0)
    quant.process()
    _save(quantize_embedding_rows(quant.model.model), out)


def quantize_dynamic_int8(fp32: Path, out: Path, exclude: list[str] | None = None):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # per_channel keeps int8 much closer to fp32 (model-facts.md).
    quantize_dynamic(str(fp32), str(out), per_channel=True, weight_type=QuantType.QInt8,
                     nodes_to_exclude=list(exclude or []))


def quantize_static_int8(fp32: Path, out: Path, feeds: list[dict]):
    """QDQ int8 with activation ranges calibrated on ``feeds`` (dev windows)."""
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    class Reader(CalibrationDataReader):
        def __init__(self):
            self._it = iter(feeds)

        def get_next(self):
            return next(self._it, None)

    # Activations as 7-bit unsigned (reduce_range) so that AVX2's u8*s8 pair sums
    # cannot saturate: integer arithmetic is then exact on every CPU kind.
    quantize_static(str(fp32), str(out), Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                    reduce_range=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    op_types_to_quantize=["MatMul"])


def matmul_names(fp32: Path) -> list[str]:
    """The MatMul nodes of the encoder, in graph order (what dynamic-partial may exclude)."""
    import onnx

    return [n.name for n in onnx.load(str(fp32)).graph.node if n.op_type == "MatMul"
            and any(i.startswith(("onnx::MatMul", "net.")) for i in n.input[1:])]


def build(scheme: str, fp32: Path, out: Path, exclude: list[str] | None = None, feeds: list[dict] | None = None):
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; one of {', '.join(SCHEMES)}")
    fp32, out = Path(fp32), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if scheme == "dynamic":
        quantize_dynamic_int8(fp32, out)
    elif scheme == "dynamic-partial":
        quantize_dynamic_int8(fp32, out, exclude)
    elif scheme == "fp32":
        quantize_fp32(fp32, out)
    elif scheme == "weight8":
        quantize_weight8(fp32, out)
    elif scheme == "qdq8":
        quantize_qdq8(fp32, out)

    elif scheme == "static":
        if not feeds:
            raise ValueError("static quantisation needs calibration feeds")
        quantize_static_int8(fp32, out, feeds)
    else:
        raise ValueError(f"unknown scheme {scheme!r}; one of {', '.join(SCHEMES)}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--fp32", required=True, help="the fp32 graph written by training.export")
    p.add_argument("--out", required=True)
    p.add_argument("--scheme", choices=[s for s in SCHEMES if s != "static"], default=SHIPPED_SCHEME)
    p.add_argument("--exclude", action="append", default=[], help="dynamic-partial: a MatMul to keep in fp32")
    args = p.parse_args(argv)
    build(args.scheme, Path(args.fp32), Path(args.out), args.exclude)
    print(f"wrote {args.out} ({args.scheme})")


if __name__ == "__main__":
    main()
