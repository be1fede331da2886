"""Packaging: one version for SDK, server and extension; every direct third-party import is
declared in the extra that installs that code; python_requires matches the code."""
from __future__ import annotations

import ast
import configparser
import json
import re
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CFG = configparser.ConfigParser()
CFG.read(REPO / "setup.cfg", encoding="utf-8")

# import name -> distribution name, where they differ
DIST = {"flask_smorest": "flask-smorest", "flask_cors": "flask-cors", "flask_limiter": "flask-limiter",
        "sqlalchemy": "sqlalchemy", "prometheus_client": "prometheus-client", "sklearn": "scikit-learn",
        "profanity_check": "alt-profanity-check", "yaml": "pyyaml"}
OURS = {"kindshield", "kindshield_server", "kindshield_models", "training", "tests", "bench", "_common", "sdk_stub", "procs"}


def _requirements(*sections: str) -> set[str]:
    out: set[str] = set()
    for section in sections:
        if section == "install_requires":
            text = CFG["options"]["install_requires"]
        else:
            text = CFG["options.extras_require"][section]
        for line in text.strip().splitlines():
            name = re.split(r"[\[=<>!~; ]", line.strip(), maxsplit=1)[0]
            if name:
                out.add(name.lower().replace("_", "-"))
    return out


def _imports(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        if "migrations" in path.parts:
            continue   # alembic's env.py and versions/ import alembic and sqlalchemy only (declared)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in OURS}


def _undeclared(folder: str, *sections: str) -> set[str]:
    declared = _requirements(*sections)
    return {n for n in _imports(REPO / folder) if DIST.get(n, n).lower().replace("_", "-") not in declared}


def test_one_version_everywhere():
    import kindshield
    import kindshield_server

    # one source: sdk/_version.py, which setup.cfg and packaging/sdk read with attr:, packaging/server's setup.py execs
    source: dict = {}
    exec((REPO / "sdk" / "_version.py").read_text(encoding="utf-8"), source)
    cfg_version = source["__version__"]
    assert CFG["metadata"]["version"].strip() == "attr: kindshield._version.__version__"
    assert _pyproject("sdk")["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "kindshield._version.__version__"}
    assert "_version.py" in (REPO / "packaging" / "server" / "setup.py").read_text(encoding="utf-8")
    manifest = json.loads((REPO / "extension" / "manifest.json").read_text(encoding="utf-8"))
    assert version("kindshield") == cfg_version, "installed metadata is stale: pip install -e . again"
    assert kindshield.__version__ == kindshield_server.__version__ == cfg_version
    assert manifest["version"] == cfg_version


def _pyproject(which: str) -> dict:
    return tomllib.loads((REPO / "packaging" / which / "pyproject.toml").read_text(encoding="utf-8"))


def _lines(section: str, key: str) -> list[str]:
    text = CFG[section][key]
    return [line.strip() for line in text.strip().splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_two_distributions_pin_what_setup_cfg_pins():
    """packaging/sdk and packaging/server (the published wheels) declare exactly the development
    install's requirements: the SDK install_requires + [async], the server the [server] extra."""
    sdk, server = _pyproject("sdk")["project"], _pyproject("server")["project"]
    assert sdk["name"] == "kindshield" and server["name"] == "kindshield-server"
    assert sdk["dependencies"] == _lines("options", "install_requires")
    assert sdk["optional-dependencies"] == {"async": _lines("options.extras_require", "async")}
    assert server["dependencies"] == _lines("options.extras_require", "server")
    assert server["optional-dependencies"]["postgres"] == _lines("options.extras_require", "postgres")
    assert sdk["scripts"] == {"kindshield": "kindshield.cli:main"}
    assert server["scripts"] == {"kindshield-server": "kindshield_server.cli:main"}
    assert sdk["requires-python"] == server["requires-python"] == CFG["options"]["python_requires"].strip()
    # one pinned build backend, the dev extra's
    for which in ("sdk", "server"):
        assert _pyproject(which)["build-system"]["requires"] == [
            line for line in _lines("options.extras_require", "dev") if line.startswith("setuptools")]
    # the server's package data is the development install's
    cfg_data = {k.strip(): sorted(v.strip() for v in CFG["options.package_data"][k].split(","))
                for k in ("kindshield_server", "kindshield_models")}
    data = _pyproject("server")["tool"]["setuptools"]["package-data"]
    assert {k: sorted(v) for k, v in data.items()} == cfg_data


def test_python_requires_matches_the_code():
    assert CFG["options"]["python_requires"].strip() == ">=3.11"   # config.py uses tomllib (3.11+)
    assert "tomllib" in (REPO / "server" / "config.py").read_text(encoding="utf-8")


def test_sdk_imports_are_declared():
    assert _undeclared("sdk", "install_requires", "async") == set()
    # aiohttp only for the AsyncClient (the async extra): the sync SDK and the CLI need requests only
    importers = {p.name for p in (REPO / "sdk").rglob("*.py") if "import aiohttp" in p.read_text(encoding="utf-8")}
    assert importers == {"_async.py"}
    assert "aiohttp" not in _requirements("install_requires") and "aiohttp" in _requirements("async")


def test_server_imports_are_declared():
    assert _undeclared("server", "install_requires", "server") == set()


def test_bench_imports_are_declared():
    # bench scripts run from a checkout with scripts/test.sh's extras (torch for the encoder bench,
    # playwright for the content-script bench, psycopg for the scale-out bench)
    assert _undeclared("bench", "install_requires", "server", "postgres", "bench", "train", "dev") == set()


def test_redis_only_where_its_code_is():
    # the server imports redis (pile-on windows, rate limits) whenever KINDSHIELD_REDIS_URL is set
    assert "redis" in _requirements("server")
    assert "redis" not in _requirements("postgres")
