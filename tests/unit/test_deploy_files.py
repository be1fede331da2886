"""deploy/: the example environment passes the strict configuration check with no unknown names,
the Compose file is valid YAML with the services the docs name, the systemd unit and Compose run
the same gunicorn timeouts the sizing guide asks for.  (`docker compose config` where Docker's
compose plugin exists: see OPERATIONS.md.)"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from kindshield_server.config import load_config
from kindshield_server.config_check import problems, unknown_names

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _env_file(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            k, _, v = line.partition("=")
            out[k] = v
    return out


def test_example_environment_is_valid_and_has_no_unknown_names():
    env = _env_file(DEPLOY / "kindshield.env.example")
    assert problems(load_config(env=env)) == []
    assert unknown_names(env) == []


def test_compose_file_names_its_services_and_timeouts():
    doc = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert set(doc["services"]) == {"db", "redis", "kindshield"}
    cmd = doc["services"]["kindshield"]["build"]["dockerfile_inline"]
    assert "--graceful-timeout 120" in cmd and "kindshield-server migrate" in cmd
    assert "--graceful-timeout 120" in (DEPLOY / "kindshield.service").read_text()


@pytest.mark.skipif(not shutil.which("docker"), reason="docker is not installed")
def test_docker_compose_config_when_available(tmp_path):
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("docker's compose plugin is not installed")
    shutil.copy(DEPLOY / "kindshield.env.example", DEPLOY / "kindshield.env")
    try:
        proc = subprocess.run(["docker", "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
                              capture_output=True, text=True, env={"KINDSHIELD_DB_PASSWORD": "x", "PATH": "/usr/bin:/bin:/usr/local/bin"})
    finally:
        (DEPLOY / "kindshield.env").unlink()
    assert proc.returncode == 0, proc.stderr
