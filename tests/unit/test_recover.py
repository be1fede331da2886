"""training.recover: the shipped int8 model back as a trainable network.

Quantising the recovered network again with the export's own settings must
give back the shipped graph's outputs exactly; that proves every weight went
to its place (a swapped query/key or a transposed matrix would not survive).
"""
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason="training extra not installed (pip install -e '.[train]')")

TEXTS = ["you are a worthless idiot", "thanks, see you tomorrow", "你就是个废物", "今天天气不错",
         "I know where you live. " * 20]


def _scores(model_path: Path, model_dir: Path) -> np.ndarray:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    from training.train import collate, encode

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    x, mask = collate(encode(tokenizer, TEXTS), "cpu")
    return session.run(None, {"input_ids": x.numpy(), "attention_mask": mask.numpy()})[0]


@pytest.mark.timeout(600)
def test_recovered_network_requantises_to_the_shipped_model(tmp_path):
    from kindshield_server.model.session import default_model_dir
    from training.export import export_onnx, quantize
    from training.recover import main

    shipped = default_model_dir()
    main(["--model", str(shipped), "--out", str(tmp_path / "init")])
    for name in ("init.pt", "tokenizer.json", "keep_ids.json"):
        assert (tmp_path / "init" / name).is_file(), name

    import torch

    from training.recover import recover

    net = recover(shipped).eval()
    assert torch.equal(net.state_dict()["head.bias"], torch.load(tmp_path / "init" / "init.pt")["head.bias"])
    export_onnx(net, tmp_path / "fp32.onnx")
    quantize(tmp_path / "fp32.onnx", tmp_path / "int8.onnx")
    again = _scores(tmp_path / "int8.onnx", shipped)
    original = _scores(shipped / "model.onnx", shipped)
    np.testing.assert_allclose(again, original, atol=1e-6)
    # A real model, not zeros: the insult scores high, the greeting low.
    assert original[0, 0] > 0.5 > original[1, 0]
