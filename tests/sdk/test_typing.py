"""``mypy --strict`` on a typed program that uses every resource of both clients
(``typed/platform_example.py``), and on a misspelt fixed value, which it must reject."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kindshield

HERE = Path(__file__).resolve().parent
# errors inside these two (older) modules are not the user's concern: an installed wheel's own
# errors are not reported to its users either; every other SDK module is checked strictly too
CONFIG = """[mypy]
strict = True
[mypy-kindshield._convert,kindshield._types]
ignore_errors = True
"""


def _mypy(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("mypy", reason="mypy is in the dev extra: pip install -e '.[dev]'")
    # the editable install maps kindshield -> sdk/ with an import hook mypy does not follow
    (tmp_path / "path").mkdir()
    (tmp_path / "path" / "kindshield").symlink_to(Path(kindshield.__file__).resolve().parent)
    (tmp_path / "mypy.ini").write_text(CONFIG)
    env = {**os.environ, "MYPYPATH": str(tmp_path / "path")}
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(tmp_path / "mypy.ini"),
                           "--cache-dir", str(tmp_path / "cache"), *map(str, files)],
                          env=env, capture_output=True, text=True, timeout=600)


def test_the_typed_example_passes_mypy_strict(tmp_path):
    proc = _mypy(tmp_path, HERE / "typed" / "platform_example.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_misspelt_fixed_value_is_caught(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import kindshield\n"
        "def f(client: kindshield.Client) -> None:\n"
        "    action: kindshield.ShieldAction = 'blok'\n"
        "    client.reports.update_status('r1', 'closed')\n"
        "    client.protection.update(sensitivity='paranoid')\n"
        "    client.admin.keys.create('k', scopes=['root'])\n")
    proc = _mypy(tmp_path, bad)
    assert proc.returncode == 1
    for line in (3, 4, 5, 6):
        assert f"bad.py:{line}: error" in proc.stdout, proc.stdout
