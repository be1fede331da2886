"""Attack-reproduction tests: each starts a real server (tests/conftest.py's helpers) and checks
that an attack from issue 34 no longer succeeds."""
from __future__ import annotations

from procs import root_conftest

start_server = root_conftest().start_server
