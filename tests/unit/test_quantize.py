"""Quantisation plumbing on a tiny synthetic graph (the shipped model's own agreement
with its fp32 network is tested in test_model_agreement.py)."""
from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from training.quantize import WORD_EMBEDDINGS, build, describe, quantize_embedding_rows
from training.recover import onnx_weights

VOCAB, HIDDEN, OUT = 50, 64, 32


def tiny_graph(path, seed=0, dense=True):
    """ids -> Gather(word embeddings) -> MatMul(weight) : a lookup and one dense layer,
    named as the exporter names them so that recover can map the weight."""
    rng = np.random.default_rng(seed)
    table = rng.normal(0, 1, (VOCAB, HIDDEN)).astype(np.float32)
    table[3] *= 40   # rows of very different size: per-row scales must keep small rows precise
    weight = rng.normal(0, 0.2, (HIDDEN, OUT)).astype(np.float32)
    out = "/net/encoder/dense/MatMul_output_0" if dense else "emb"
    nodes = [helper.make_node("Gather", [WORD_EMBEDDINGS, "input_ids"], ["emb"], name="/net/encoder/embeddings/Gather")]
    inits = [numpy_helper.from_array(table, WORD_EMBEDDINGS)]
    if dense:
        nodes.append(helper.make_node("MatMul", ["emb", "onnx::MatMul_1"], [out], name="/net/encoder/dense/MatMul"))
        inits.append(numpy_helper.from_array(weight, "onnx::MatMul_1"))
    graph = helper.make_graph(
        nodes, "tiny", [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["batch", "tokens", OUT if dense else HIDDEN])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    onnx.save(model, str(path))
    return table, weight


def run(path, ids):
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return sess.run(None, {"input_ids": ids})[0]


IDS = np.array([[0, 3, 7, 49, 3]], dtype=np.int64)


def test_embedding_rows_are_int8_with_one_scale_per_row(tmp_path):
    table, _ = tiny_graph(tmp_path / "fp32.onnx", dense=False)
    model = quantize_embedding_rows(onnx.load(str(tmp_path / "fp32.onnx")))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    assert WORD_EMBEDDINGS not in inits
    assert inits[WORD_EMBEDDINGS + "_int8"].dtype == np.int8 and inits[WORD_EMBEDDINGS + "_row_scale"].shape == (VOCAB, 1)
    onnx.save(model, str(tmp_path / "q.onnx"))
    got = run(tmp_path / "q.onnx", IDS)[0]
    # each row within half a step of its own scale (1/127 of its largest value), not of the table's:
    # the small rows beside row 3 (40 times larger) stay as precise as if it were not there
    step = np.abs(table[IDS[0]]).max(axis=1, keepdims=True) / 127
    assert np.all(np.abs(got - table[IDS[0]]) <= step * 0.501 + 1e-6)
    assert np.abs(got[0] - table[0]).max() < np.abs(table[3]).max() / 127 / 10


@pytest.mark.parametrize("scheme", ["fp32", "weight8"])
def test_schemes_follow_fp32_and_recover_reads_them_back(tmp_path, scheme):
    table, weight = tiny_graph(tmp_path / "fp32.onnx")
    build(scheme, tmp_path / "fp32.onnx", tmp_path / scheme / "model.onnx")
    got = run(tmp_path / scheme / "model.onnx", IDS)
    want = run(tmp_path / "fp32.onnx", IDS)
    assert np.abs(got - want).max() <= 0.02 * np.abs(want).max()
    ops = {n.op_type for n in onnx.load(str(tmp_path / scheme / "model.onnx")).graph.node}
    assert "DynamicQuantizeLinear" not in ops and "MatMulInteger" not in ops   # no int8 arithmetic at all
    if scheme == "weight8":
        assert "MatMulNBits" in ops
    recovered = onnx_weights(tmp_path / scheme / "model.onnx")["net.encoder.dense.weight"]
    assert recovered.shape == (OUT, HIDDEN)   # torch's [out, in]
    tolerance = 0 if scheme == "fp32" else np.abs(weight).max() / 127
    assert np.abs(recovered - weight.T).max() <= tolerance + 1e-7


def test_the_recorded_scheme_says_whether_decisions_depend_on_the_cpu():
    assert describe("weight8")["cpu_independent"] and describe("fp32")["cpu_independent"]
    assert not describe("dynamic")["cpu_independent"]
    with pytest.raises(ValueError, match="unknown scheme"):
        build("int4", "x", "y")
