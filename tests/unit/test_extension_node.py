"""Runs the extension's pure-logic tests (`node --test extension/tests/`) so one pytest run
covers them too. Skips only when node itself is missing."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_extension_node_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    proc = subprocess.run([node, "--test", "tests/"], cwd=REPO / "extension", capture_output=True, text=True, timeout=240)
    summary = "\n".join(line for line in proc.stdout.splitlines() if line.startswith(("# pass", "# fail", "not ok")))
    assert proc.returncode == 0, f"node --test failed:\n{summary}\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    assert "# fail 0" in proc.stdout, summary


def test_extension_package_is_store_ready(tmp_path):
    """scripts/package_extension.py builds a zip without tests, tools, or the pinning key."""
    import json
    import subprocess as sp
    import sys
    import zipfile

    out = tmp_path / "kindshield.zip"
    proc = sp.run([sys.executable, str(REPO / "scripts" / "package_extension.py"), "--out", str(out)],
                  capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
    assert "manifest.json" in names and "background/service_worker.js" in names
    assert "content/bundle.js" in names and "content/app.js" not in names, "the bundle, not its sources"
    assert "_locales/zh_CN/messages.json" in names
    assert not any(n.startswith(("tests/", "tools/")) or n == "package.json" for n in names), names
    assert "key" not in manifest, "stores assign their own key; the zip must not carry one"
    assert all(not n.startswith("/") and ".." not in n for n in names)
