"""The training pipeline end to end on a tiny slice: train, export, load, score.

CI never trains the real model; this proves the code that made it still runs.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("torch", reason="training extra not installed (pip install -e '.[train]')")


@pytest.mark.timeout(1800)
def test_train_and_export_a_tiny_model(tmp_path, shared_data):
    out = tmp_path / "model"
    cmd = [sys.executable, "-m", "training.train", "--data", str(shared_data), "--out", str(out),
           "--work", str(tmp_path / "work"), "--limit", "40", "--epochs", "0.2", "--threads", "2"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("model.onnx", "tokenizer.json", "config.json"):
        assert (out / name).is_file(), name
    config = json.loads((out / "config.json").read_text())
    assert config["labels"][0] == "toxic" and set(config["thresholds"]) == {"en", "zh"}

    from kindshield_server.model import ToxicityModel

    model = ToxicityModel.load(out)
    results = model.analyze(["hello there", "你好", "x" * 2000])
    assert len(results) == 3
    assert all(0.0 <= r.score <= 1.0 for r in results)
    # A second run resumes from the checkpoint instead of starting over.
    proc = subprocess.run(cmd + ["--no-export"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "resumed from step" in proc.stdout
    # Export again with the n-gram blend given instead of chosen on dev (how 2.5 shipped).
    blended = tmp_path / "blended"
    proc = subprocess.run([sys.executable, "-m", "training.export", "--data", str(shared_data),
                           "--work", str(tmp_path / "work"), "--out", str(blended), "--limit", "40",
                           "--blend", "en=0,zh=0.3"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    config = json.loads((blended / "config.json").read_text())
    ensemble = config["ensemble"]
    assert ensemble["weights"] == {"en": 0.0, "zh": 0.3} and (blended / ensemble["file"]).is_file()
    assert "as given to training.export --blend" in config["training"]["blend"]  # the card says so
    (zh,) = ToxicityModel.load(blended).analyze(["你好"])
    assert 0.0 <= zh.score <= 1.0
