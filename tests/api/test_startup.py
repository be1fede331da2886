"""Starting the server: a missing or corrupt model refuses to start with one clear line; the
first start creates and prints a key."""
import shutil
import subprocess
import sys

import requests
from conftest import REPO, base_env, free_port, start_server


def _serve(tmp_path, *extra, env_extra=None, timeout=120):
    env = base_env(tmp_path / "data", env_extra)
    return subprocess.run([sys.executable, "-m", "kindshield_server.cli", "serve", "--port", str(free_port()),
                           *extra], env=env, cwd=str(REPO), capture_output=True, text=True, timeout=timeout)


def _error_lines(proc):
    return [line for line in proc.stderr.splitlines() if "error" in line.lower()]


def test_missing_model_file_refuses_to_start(tmp_path):
    model_dir = tmp_path / "no-model"
    model_dir.mkdir()
    proc = _serve(tmp_path, "--model-dir", str(model_dir))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = _error_lines(proc)
    assert len(lines) == 1, proc.stderr
    assert "model" in lines[0] and str(model_dir) in lines[0]


def test_corrupt_model_file_refuses_to_start(tmp_path):
    from kindshield_server.model import default_model_dir

    real = default_model_dir()
    broken = tmp_path / "broken-model"
    shutil.copytree(real, broken)
    (broken / "model.onnx").write_bytes(b"this is not an onnx file" * 100)
    proc = _serve(tmp_path, "--model-dir", str(broken))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = _error_lines(proc)
    assert len(lines) == 1, proc.stderr
    assert "model.onnx" in lines[0]


def test_first_start_creates_and_prints_a_key(tmp_path):
    with start_server(tmp_path, {"KINDSHIELD_CREATE_FIRST_KEY": "1"}, keys=False) as srv:
        log = srv.log_text()
        key = next(w for w in log.split() if w.startswith("ks_"))
        resp = requests.post(srv.url("/v1/analyze"), json={"texts": ["hi"]},
                             headers={"Authorization": f"Bearer {key}"}, timeout=60)
        assert resp.status_code == 200
        assert "default" in srv.cli("keys", "list").stdout


def test_unreachable_database_refuses_to_start(tmp_path):
    proc = _serve(tmp_path, env_extra={"KINDSHIELD_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                                       "KINDSHIELD_DB_BUSY_TIMEOUT": "2"})
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = _error_lines(proc)
    assert len(lines) == 1 and "database" in lines[0], proc.stderr
