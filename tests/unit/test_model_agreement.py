"""The shipped graph against the fp32 network it was built from.

The network is rebuilt from the shipped graph's own weights (``training.recover``)
and exported to a plain fp32 ONNX graph; both are scored through the server's
inference code on a fixed sample: the functional test suite and the dev probe,
short texts where quantisation error moves decisions most. 2.5.0's dynamic int8
graph agreed on 0.957-0.987 of these toxic decisions on an AVX-512 VNNI CPU (and on
0.957-0.975 on an emulated AVX2-only one); the shipped scheme agrees on >= 0.996 of
every set on this kind of CPU, the word-embedding table (int8 per row) being the only
difference left (on the emulated AVX2 CPU: 0.993-0.998 against this CPU's fp32 network).
Model 3 moves more under the same scheme (not investigated further): on an AVX-512 VNNI EPYC,
3.0.0 agreed on 0.9965-1.0 with its largest score move 0.061, and 3.1.0 on 0.9942-1.0
with 0.069 (one probe text of 300), so the bar is 0.99 and 0.10: still far above
2.5.0's dynamic int8 graph, which this test exists to keep out.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kindshield_server.model import ToxicityModel, default_model_dir

# Below the agreement the shipped models reach (see above), above 2.5.0's int8 graph (0.957-0.987).
MIN_AGREEMENT = 0.99
MAX_SCORE_DELTA = 0.10


@pytest.fixture(scope="module")
def fp32_folder(tmp_path_factory):
    pytest.importorskip("torch")
    from training.export import export_onnx, sha256_file
    from training.recover import recover

    shipped = default_model_dir()
    folder = tmp_path_factory.mktemp("fp32")
    for name in ("tokenizer.json", "keep_ids.json", "config.json", "ngram.onnx"):
        if (shipped / name).exists():
            shutil.copyfile(shipped / name, folder / name)
    export_onnx(recover(shipped).eval(), folder / "model.onnx")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["sha256"] = sha256_file(folder / "model.onnx")
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


def sample() -> dict[str, list[str]]:
    from training.functional_suite import load_suite

    probe_dir = Path(__file__).resolve().parents[2] / "training" / "dev_probe"
    sets = {}
    for name, rows in (("suite", load_suite()), ("probe", load_suite(folder=probe_dir))):
        for lang in ("en", "zh"):
            sets[f"{name} {lang}"] = [r["text"] for r in rows if r["suite"] == lang]
    return sets


def test_the_shipped_scheme_has_no_int8_arithmetic():
    import onnx

    config = json.loads((default_model_dir() / "config.json").read_text(encoding="utf-8"))
    assert config["quantization"]["cpu_independent"] is True
    ops = {n.op_type for n in onnx.load(str(default_model_dir() / "model.onnx")).graph.node}
    assert not ops & {"DynamicQuantizeLinear", "MatMulInteger", "QLinearMatMul", "ConvInteger"}, ops


def test_toxic_decisions_agree_with_the_fp32_network(fp32_folder):
    shipped = ToxicityModel.load(default_model_dir(), threads=2)
    fp32 = ToxicityModel.load(fp32_folder, threads=2)
    report = {}
    for name, texts in sample().items():
        a, b = shipped.analyze(texts), fp32.analyze(texts)
        agree = sum(x.toxic == y.toxic for x, y in zip(a, b)) / len(texts)
        delta = max(abs(x.score - y.score) for x, y in zip(a, b))
        report[name] = (round(agree, 4), round(delta, 4))
    assert all(agree >= MIN_AGREEMENT for agree, _ in report.values()), report
    assert all(delta <= MAX_SCORE_DELTA for _, delta in report.values()), report
