"""Stopping the processes tests and benchmarks start (servers, PostgreSQL, Redis)."""
from __future__ import annotations

import subprocess


def stop_process(proc: subprocess.Popen, grace: float = 15) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``grace`` seconds; always reaped."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def root_conftest():
    """The repository's tests/conftest.py (free_port, base_env, run_cli, start_server, ...),
    the module pytest loaded if it did, else loaded once under its own name: the conftest.py
    files of tests/ and tests/sdk/ are both top-level modules called ``conftest``, so
    ``from conftest import ...`` can reach the wrong one."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent / "conftest.py"
    for mod in list(sys.modules.values()):
        if getattr(mod, "__file__", None) and Path(mod.__file__).resolve() == path:
            return mod
    spec = importlib.util.spec_from_file_location("kindshield_tests_conftest", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up in sys.modules
    spec.loader.exec_module(mod)
    return mod
