"""The two distributions, each built as a wheel from this checkout (``packaging/sdk``,
``packaging/server``) and installed into a clean virtual environment (no system site-packages):

* ``kindshield`` (SDK + ``kindshield`` command): installed *with* its real dependencies, it pulls
  ``requests`` and nothing of the server (no Flask, onnxruntime, numpy, SQLAlchemy; no
  ``kindshield_server``, no model file), is typed (``py.typed``) and works against the real server;
  its ``async`` extra adds aiohttp (still nothing of the server) and the AsyncClient works;
* ``kindshield-server``: installs with the server's dependencies, ``kindshield-server --help`` and
  ``migrate`` run, the model files are inside, and its version is the SDK's.

Needs pip and a package index (PyPI or a local mirror configured for pip); pip's cache makes the
second run fast. Set ``KINDSHIELD_SKIP_VENV_TEST=1`` to skip where neither is available.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIP_ENV = "KINDSHIELD_SKIP_VENV_TEST"
SERVER_ONLY = {"flask", "flask-smorest", "sqlalchemy", "alembic", "onnxruntime", "numpy", "tokenizers",
               "gunicorn", "waitress", "redis", "prometheus-client", "torch", "werkzeug"}

pytestmark = [
    pytest.mark.skipif(bool(os.environ.get(SKIP_ENV)), reason=f"{SKIP_ENV} is set: wheel install tests skipped"),
    pytest.mark.timeout(900),
]


def _run(args: list, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINDSHIELD_", "PYTHON", "VIRTUAL_ENV"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _skip_without_index(proc: subprocess.CompletedProcess) -> None:
    if proc.returncode != 0 and ("No matching distribution" in proc.stderr or "Could not find a version" in proc.stderr):
        reason = f"no package index reachable for pip (set {SKIP_ENV}=1 to skip): {proc.stderr.strip()[-300:]}"
        print(reason)
        pytest.skip(reason)


def _copy_source(dest: Path) -> Path:
    """The folders the two project files build from (a copy: no build/ or egg-info left in the
    checkout, and no stale build/ output of an earlier build can slip into a wheel)."""
    src = dest / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for folder in ("packaging", "sdk", "server", "onnx_models"):
        shutil.copytree(REPO / folder, src / folder, ignore=ignore)
    return src


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> dict:
    """``{"sdk": Path, "server": Path}``: both wheels, built once with pip (build isolation, the
    setuptools pinned in packaging/*/pyproject.toml)."""
    tmp = tmp_path_factory.mktemp("wheels")
    src = _copy_source(tmp)
    dist = tmp / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist,
                  src / "packaging" / "sdk", src / "packaging" / "server"], env=_env(), timeout=600, cwd=tmp)
    _skip_without_index(built)
    assert built.returncode == 0, built.stderr[-3000:]
    found = {"sdk": list(dist.glob("kindshield-*.whl")), "server": list(dist.glob("kindshield_server-*.whl"))}
    assert all(len(v) == 1 for v in found.values()), sorted(p.name for p in dist.iterdir())
    return {k: v[0] for k, v in found.items()}


def _venv(path: Path) -> Path:
    made = _run([sys.executable, "-m", "venv", path], timeout=180)
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtual environment with pip: {made.stderr.strip()[-300:]}")
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if _run([python, "-m", "pip", "--version"], timeout=60).returncode != 0:
        pytest.skip("pip is not available in the new virtual environment")
    return python


def _install(python: Path, *targets, cwd: Path) -> None:
    # with dependencies, from the index (pip's cache answers after the first run); --no-compile:
    # no byte-compiling of every installed module, the slowest part of installing onnxruntime/numpy
    installed = _run([python, "-m", "pip", "install", "--quiet", "--no-compile", *targets],
                     env=_env(), timeout=600, cwd=cwd)
    _skip_without_index(installed)
    assert installed.returncode == 0, installed.stderr[-3000:]


def _installed(python: Path) -> set[str]:
    frozen = _run([python, "-m", "pip", "list", "--format=json"], env=_env(), timeout=60)
    return {p["name"].lower().replace("_", "-") for p in json.loads(frozen.stdout)}


def _script(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def test_sdk_wheel_pulls_no_server_dependency(wheels, tmp_path, sdk_server, sdk_key):
    from kindshield import __version__

    assert wheels["sdk"].name == f"kindshield-{__version__}-py3-none-any.whl"
    venv = tmp_path / "venv"
    python = _venv(venv)
    _install(python, wheels["sdk"], cwd=tmp_path)

    names = _installed(python)
    assert {"kindshield", "requests", "urllib3"} <= names
    assert not names & SERVER_ONLY, names & SERVER_ONLY
    assert "aiohttp" not in names         # only with the async extra
    assert not list(venv.rglob("*.onnx")), "a model file came with the SDK"

    script = textwrap.dedent("""
        import importlib.metadata as md, importlib.util, pathlib
        import kindshield
        assert "site-packages" in kindshield.__file__, kindshield.__file__
        for name in ("kindshield_server", "kindshield_models", "flask", "numpy", "onnxruntime", "sqlalchemy"):
            assert importlib.util.find_spec(name) is None, name
        assert (pathlib.Path(kindshield.__file__).parent / "py.typed").is_file()
        assert any(str(f).endswith("kindshield/py.typed") for f in md.files("kindshield"))
        requires = md.requires("kindshield")
        assert any(r.startswith("aiohttp") and 'extra == "async"' in r for r in requires), requires
        assert md.version("kindshield") == kindshield.__version__
        with kindshield.Client() as client:
            analysis = client.analyze(["have a nice day", "你真是个废物"])
            assert [r.text for r in analysis] == ["have a nice day", "你真是个废物"]
            assert isinstance(analysis[0], kindshield.AnalysisResult)
            try:
                kindshield.Client(api_key="wrong").stats()
            except kindshield.AuthenticationError as err:
                assert err.status == 401
            else:
                raise SystemExit("no AuthenticationError")
        print("sdk ok", kindshield.__version__)
    """)
    run_env = dict(_env(), KINDSHIELD_URL=sdk_server.base_url, KINDSHIELD_API_KEY=sdk_key, PYTHONIOENCODING="utf-8")
    used = _run([python, "-c", script], env=run_env, timeout=120, cwd=tmp_path)
    assert used.returncode == 0, used.stdout + used.stderr
    assert f"sdk ok {__version__}" in used.stdout

    command = _script(venv, "kindshield")
    helped = _run([command, "--help"], env=run_env, timeout=60, cwd=tmp_path)
    assert helped.returncode == 0 and "analyze" in helped.stdout, helped.stderr
    assert not _script(venv, "kindshield-server").exists()
    proc = _run([command, "analyze", "--json", "你真是个废物"], env=run_env, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "你真是个废物" in proc.stdout

    # the async extra adds aiohttp (and still nothing of the server); the AsyncClient works
    _install(python, f"{wheels['sdk']}[async]", cwd=tmp_path)
    names = _installed(python)
    assert "aiohttp" in names and not names & SERVER_ONLY, names & SERVER_ONLY
    async_script = textwrap.dedent("""
        import asyncio, kindshield
        async def main():
            async with kindshield.AsyncClient(deadline=60) as client:
                return await client.analyze(["have a nice day", "你真是个废物"])
        print("async ok", [r.toxic for r in asyncio.run(main())])
    """)
    used = _run([python, "-c", async_script], env=run_env, timeout=120, cwd=tmp_path)
    assert used.returncode == 0, used.stdout + used.stderr
    assert "async ok [False, True]" in used.stdout


def test_server_wheel_carries_the_model_and_runs(wheels, tmp_path):
    from kindshield import __version__

    assert wheels["server"].name == f"kindshield_server-{__version__}-py3-none-any.whl"
    venv = tmp_path / "venv"
    python = _venv(venv)
    _install(python, wheels["server"], cwd=tmp_path)
    names = _installed(python)
    assert {"kindshield-server", "flask", "onnxruntime", "numpy", "sqlalchemy", "tokenizers"} <= names

    command = _script(venv, "kindshield-server")
    env = _env()
    helped = _run([command, "--help"], env=env, timeout=120, cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr[-2000:]
    assert "keys" in helped.stdout and "migrate" in helped.stdout

    # the migrations (package data) ship and run with the installed SQLAlchemy/alembic
    migrated = _run([command, "migrate", "--data-dir", tmp_path / "data"], env=env, timeout=180, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    assert "revision" in migrated.stdout

    shipped = REPO / "onnx_models"
    script = textwrap.dedent("""
        import hashlib, json, sys
        import kindshield_server
        from kindshield_models import MODELS_DIR
        assert "site-packages" in str(MODELS_DIR), MODELS_DIR
        files = {str(p.relative_to(MODELS_DIR)): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in MODELS_DIR.rglob("*") if p.is_file() and p.suffix in (".onnx", ".json")}
        print(json.dumps({"version": kindshield_server.__version__, "files": files}))
    """)
    shown = _run([python, "-c", script], env=env, timeout=120, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr[-2000:]
    report = json.loads(shown.stdout)
    assert report["version"] == __version__
    expected = {str(p.relative_to(shipped)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in shipped.rglob("*") if p.is_file() and p.suffix in (".onnx", ".json")}
    assert any(name.endswith("model.onnx") for name in expected)
    assert report["files"] == expected
