"""`kindshield-server serve` runs on waitress (a production WSGI server), with threads from config."""
from __future__ import annotations

import concurrent.futures
import re
import subprocess
import sys
import time

import requests
from conftest import REPO, base_env, free_port, run_cli, wait_ready  # at import: later 'conftest' may be tests/sdk's


def test_serve_answers_from_waitress(live_server):
    r = requests.get(live_server.url("/healthz"), timeout=30)
    assert r.status_code == 200
    assert r.headers.get("Server") == "kindshield"   # waitress's ident; werkzeug would say Werkzeug/x.y
    assert "waitress, 8 threads" in live_server.log_text()


def test_server_threads_from_config(server_factory):
    srv = server_factory(env={"KINDSHIELD_SERVER_THREADS": "3"})
    assert "waitress, 3 threads" in srv.log_text()
    # more concurrent clients than threads: all are answered (queued, not refused)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: srv.post("/v1/analyze", {"texts": ["hello"]}).status_code, range(16)))
    assert codes == [200] * 16


def test_metrics_are_whole_across_gunicorn_workers(tmp_path):
    """Two gunicorn workers (one thread each, so a busy worker leaves the next request to the
    other): one scrape of /metrics counts the requests both of them served
    (prometheus_client multiprocess mode), not only the answering worker's own. The metrics
    folder a previous master left behind is removed; a live master's is kept."""
    data = tmp_path / "data"
    data.mkdir()
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = base_env(data, {"KINDSHIELD_MODEL_THREADS": "1", "TMPDIR": str(temp)})
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = temp / f"kindshield-metrics-{gone.pid}"
    stale.mkdir()
    (stale / "counter_123.db").write_bytes(b"left by a master that exited")
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:  # the stand-in live master must go even if the server never starts
        live_other = temp / f"kindshield-metrics-{alive.pid}"
        live_other.mkdir()
        key = run_cli(env, "keys", "create", "--name", "metrics", "--offline").stdout.strip()
        port = free_port()
        log_path = tmp_path / "gunicorn.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "1",
                                     "--bind", f"127.0.0.1:{port}", "--access-logfile", "-",
                                     "--access-logformat", "gunicorn-access pid=%(p)s %(m)s %(U)s %(s)s",
                                     "kindshield_server.wsgi:app"],
                                    env=env, cwd=str(REPO), stdout=log, stderr=subprocess.STDOUT)
            try:
                base = f"http://127.0.0.1:{port}"
                wait_ready(base, proc, log_path, timeout=300)
                deadline = time.monotonic() + 240
                while log_path.read_text().count("kindshield worker ready") < 2:
                    assert time.monotonic() < deadline and proc.poll() is None, log_path.read_text()[-2000:]
                    time.sleep(0.3)
                sent = 0
                pids: set[str] = set()
                while len(pids) < 2 or sent < 20:
                    assert time.monotonic() < deadline, "one worker served every request"
                    with concurrent.futures.ThreadPoolExecutor(4) as pool:
                        codes = list(pool.map(lambda _: requests.post(
                            base + "/v1/analyze", json={"texts": ["hello " * 200, "you idiot"]},
                            headers={"Authorization": f"Bearer {key}", "Connection": "close"}, timeout=60).status_code,
                            range(8)))
                    assert codes == [200] * 8
                    sent += 8
                    pids = set(re.findall(r"gunicorn-access pid=<?(\d+)>? POST /v1/analyze 200", log_path.read_text()))
                text = requests.get(base + "/metrics", timeout=30).text
                served = re.search(r'^kindshield_http_requests_total\{method="POST",route="/v1/analyze",status="200"\} '
                                   r'([0-9.e+]+)$', text, re.M)
                assert served and float(served.group(1)) == sent, text[:3000]
                texts = re.search(r"^kindshield_texts_analyzed_total ([0-9.e+]+)$", text, re.M)
                assert texts and float(texts.group(1)) == 2 * sent
                assert re.search(r"^kindshield_model_loaded 1(\.0)?$", text, re.M)
                assert not stale.exists()
                assert live_other.is_dir() and (temp / f"kindshield-metrics-{proc.pid}").is_dir()
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    finally:
        alive.kill()
        alive.wait()
