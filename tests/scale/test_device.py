"""KINDSHIELD_DEVICE=cuda: the CUDA execution provider when onnxruntime-gpu and a GPU are present,
otherwise CPU, and the server's log says which (no PostgreSQL/Redis needed)."""
from __future__ import annotations

import re

import onnxruntime as ort

from .conftest import root


def test_startup_logs_the_execution_provider(tmp_path):
    with root.start_server(tmp_path, {"KINDSHIELD_DEVICE": "cuda"}, keys=False) as srv:
        log = srv.log_text()
    line = re.search(r"kindshield worker ready: .*model_provider=(\w+) device_requested=cuda", log)
    assert line, log[-2000:]
    if "CUDAExecutionProvider" in ort.get_available_providers():
        assert line.group(1) == "CUDAExecutionProvider", log[-2000:]
    else:
        assert line.group(1) == "CPUExecutionProvider"
        assert "requested but the model runs on CPUExecutionProvider" in log
