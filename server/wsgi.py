"""WSGI entry point for production servers (one model per worker process, loaded once at import):

    KINDSHIELD_DATA_DIR=/var/lib/kindshield \\
    gunicorn --workers 4 --threads 4 --bind 0.0.0.0:8731 --timeout 120 'kindshield_server.wsgi:app'

Do not use ``--preload`` (the ONNX session must be created in each worker, not forked).
Configuration comes from KINDSHIELD_* variables.  Create keys first with
``kindshield-server keys create --name NAME --offline`` (``--offline``: no server runs yet); run ``kindshield-server migrate`` once per upgrade
(workers also migrate at start, under a lock).
"""
from __future__ import annotations

import logging
import sys

from . import running
from .app import create_app
from .model import ModelLoadError

try:
    app = create_app()
except ValueError as exc:   # config_check.ConfigError: one line; exit 3 makes gunicorn stop, not respawn
    print(f"kindshield-server: error: {str(exc).splitlines()[0]}", file=sys.stderr, flush=True)
    raise SystemExit(3) from None
except ModelLoadError as exc:
    logging.getLogger("kindshield").error("cannot load the model: %s", exc)
    print(f"kindshield-server: error: cannot load the model: {exc}", file=sys.stderr, flush=True)
    raise SystemExit(1) from None

running.hold(app.config["KINDSHIELD"])   # `keys create` checks that a server uses the database it writes to
