"""kindshield-server: serve | keys create/list/revoke | migrate.

    kindshield-server [serve] [--host 127.0.0.1] [--port 8731] [--data-dir DIR] ...
    kindshield-server keys create --name NAME [--admin] [--user USER] [--rate-limit "60 per minute"] [--offline]
    kindshield-server keys list [--json]
    kindshield-server keys revoke NAME
    kindshield-server migrate

Every flag also reads from its KINDSHIELD_* environment variable (flags win).
"""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from typing import Sequence

from . import cli_ops
from .config import load_config

PROG = "kindshield-server"
# waitress refuses bodies beyond this before the app sees them; below it the app answers its own
# JSON 413 per route (1 MiB, 8 MiB for reports)
MAX_WIRE_BODY = 64 * 1024 * 1024
COMMANDS = {"serve", "keys", "migrate", "-h", "--help", *cli_ops.COMMANDS}
log = logging.getLogger("kindshield")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", dest="config_file", metavar="FILE", help="TOML file with settings (KINDSHIELD_CONFIG)")
    p.add_argument("--data-dir", metavar="DIR", help="where the SQLite database lives (KINDSHIELD_DATA_DIR)")
    p.add_argument("--database-url", metavar="URL", help="SQLAlchemy URL, e.g. postgresql+psycopg://... "
                                                         "(KINDSHIELD_DATABASE_URL)")
    p.add_argument("--log-level", metavar="LEVEL", help="DEBUG, INFO, WARNING (KINDSHIELD_LOG_LEVEL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Kindshield server")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the HTTP server (default)")
    _common(serve)
    serve.add_argument("--host", help="address to bind (KINDSHIELD_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (KINDSHIELD_PORT, default 8731)")
    serve.add_argument("--redis-url", metavar="URL", help="Redis for rate limits (KINDSHIELD_REDIS_URL)")
    serve.add_argument("--model-dir", metavar="DIR", help="ONNX model folder (KINDSHIELD_MODEL_DIR)")
    serve.add_argument("--threads", dest="model_threads", type=int, help="model threads (KINDSHIELD_MODEL_THREADS)")
    serve.add_argument("--server-threads", type=int, help="HTTP worker threads (KINDSHIELD_SERVER_THREADS, default 8)")
    serve.add_argument("--rate-limit", metavar="LIMIT", help='per-key limit, e.g. "600 per minute" '
                                                             "(KINDSHIELD_RATE_LIMIT)")
    serve.add_argument("--cors-origins", metavar="ORIGINS", help="comma-separated exact origins, e.g. "
                                                                 "chrome-extension://<id> (KINDSHIELD_CORS_ORIGINS)")

    keys = sub.add_parser("keys", help="manage API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="create a key and print it once")
    _common(create)
    create.add_argument("--name", required=True, help="a unique name for the key")
    create.add_argument("--user", help="the user the key belongs to (default: a user named like the key)")
    create.add_argument("--admin", action="store_true", help="the key may see instance-wide figures")
    create.add_argument("--rate-limit", dest="key_rate_limit", metavar="LIMIT",
                        help='this key\'s own limit, e.g. "60 per minute"')
    create.add_argument("--platform", action="store_true",
                        help="a platform key: acts for the platform's own users named in Kindshield-Subject")
    create.add_argument("--offline", action="store_true",
                        help="write the key even though no running server uses this SQLite database "
                             "(e.g. before the first start); without it such a write is refused")
    lst = keys_sub.add_parser("list", help="list keys (names and prefixes, never the keys)")
    _common(lst)
    lst.add_argument("--json", action="store_true")
    revoke = keys_sub.add_parser("revoke", help="revoke a key by name")
    _common(revoke)
    revoke.add_argument("name")

    migrate = sub.add_parser("migrate", help="upgrade the database schema and exit")
    _common(migrate)
    migrate.add_argument("--to", metavar="REVISION", default="head",
                         help="upgrade or downgrade to this revision (default head; `--list` shows them)")
    migrate.add_argument("--list", action="store_true", help="list the revisions and exit")
    cli_ops.add_parsers(sub, _common)
    return parser


def _config(args: argparse.Namespace):
    names = ("data_dir", "database_url", "log_level", "host", "port", "redis_url", "model_dir",
             "model_threads", "rate_limit", "cors_origins", "server_threads")
    overrides = {n: getattr(args, n, None) for n in names}
    from .config_check import unknown_names, validate

    try:
        config = load_config(overrides, config_file=getattr(args, "config_file", None))
        if args.command != "check-config":   # check-config lists every problem itself
            validate(config)
    except (ValueError, OSError) as exc:
        raise SystemExit(_fail(str(exc).splitlines()[0], 2)) from None
    if args.command in ("serve", "check-config"):
        for warning in unknown_names():
            print(f"{PROG}: warning: {warning}", file=sys.stderr, flush=True)
    return config


def _fail(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr, flush=True)
    return code


def _open_store(config):
    from .store import Store

    store = Store(config)
    store.migrate()
    return store


def _where(config) -> str:
    """The database a command writes to, as a person can check it (no password)."""
    from sqlalchemy.engine import make_url

    db = config.sqlite_path
    if db is not None:
        return str(db)
    return make_url(config.sqlalchemy_url).render_as_string(hide_password=True)


def cmd_keys(args: argparse.Namespace) -> int:
    from . import auth, running

    config = _config(args)
    used = running.in_use(config) if args.keys_command == "create" else None
    where = _where(config)
    if used is False and not args.offline:
        # checked before the store opens: opening would create (and migrate) a new database
        return _fail(f"no running Kindshield server uses the database {where}; nothing written. Name the "
                     "server's database with --data-dir or --database-url (KINDSHIELD_DATA_DIR, "
                     "KINDSHIELD_DATABASE_URL), or pass --offline to write the key there anyway "
                     "(e.g. before the server's first start).")
    try:
        store = _open_store(config)
    except Exception as exc:  # noqa: BLE001
        return _fail(f"cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    try:
        if args.keys_command == "create":
            try:
                key = auth.create_key(store, args.name, admin=args.admin, user=args.user,
                                      rate_limit=args.key_rate_limit,
                                      scopes=("platform",) if getattr(args, "platform", False) else ())
            except ValueError as exc:
                return _fail(str(exc))
            print(key, flush=True)
            kind = "admin " if args.admin else ("platform " if getattr(args, "platform", False) else "")
            if used:
                state = "the running server uses this database: the key works now"
            elif used is False:
                state = ("no running server uses this database: the key works once a server is started "
                         f"on it (--data-dir {config.data_dir} or the same --database-url)")
            else:
                state = "a server must use this database to accept it"
            print(f"Created {kind}key {args.name!r} in {where} ({state}). It is shown only once; store it now.",
                  file=sys.stderr)
            return 0
        if args.keys_command == "list":
            rows = auth.list_keys(store)
            if args.json:
                print(json.dumps([{**r, "created_at": r["created_at"].isoformat(),
                                   "revoked_at": r["revoked_at"].isoformat() if r["revoked_at"] else None}
                                  for r in rows], indent=2))
            else:
                print(f"{'NAME':24} {'USER':20} {'PREFIX':12} {'ADMIN':5} {'STATUS':8} CREATED (UTC)")
                for r in rows:
                    status = "revoked" if r["revoked_at"] else "active"
                    print(f"{r['name']:24} {r['user']:20} {r['prefix']:12} {'yes' if r['is_admin'] else 'no':5} "
                          f"{status:8} {r['created_at']:%Y-%m-%d %H:%MZ}")
            return 0
        if args.keys_command == "revoke":
            if auth.revoke_key(store, args.name):
                print(f"Revoked key {args.name!r} in {where}.")
                return 0
            return _fail(f"no active key named {args.name!r}")
    finally:
        store.dispose()
    return 2


def cmd_migrate(args: argparse.Namespace) -> int:
    from .store import Store, migrate_to, revisions

    config = _config(args)
    if args.list:
        for rev, message in revisions():
            print(f"{rev}  {message}")
        return 0
    store = Store(config)
    try:
        before, after, applied = migrate_to(store.engine, args.to)
    except ValueError as exc:
        return _fail(str(exc))
    except Exception as exc:  # noqa: BLE001
        return _fail(f"migration failed: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        store.dispose()
    for step in applied:
        print(f"Applied: {step}")
    if applied:
        print(f"Database migrated from revision {before or 'none (empty)'} to {after}.")
    else:
        print(f"Database already at revision {after}; nothing to apply.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    config = _config(args)
    try:
        from .model import ModelLoadError
    except ImportError as exc:
        return _fail(f"the model package cannot be imported: {exc}")
    from . import auth
    from .app import create_app
    from .store import get_store  # noqa: F401

    try:
        app = create_app(config)
    except ModelLoadError as exc:
        return _fail(f"cannot load the model: {exc}")
    except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            return _fail(f"cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        raise

    from . import running

    running.hold(config)   # `keys create` checks that a server uses the database it writes to
    store = app.extensions["kindshield.store"]
    if config.create_first_key and not auth.list_keys(store):
        key = auth.create_key(store, "default", admin=True)
        print(f"No API keys yet; created admin key 'default' (shown once, store it now):\n{key}", flush=True)

    from .api import pairing  # the one-time code that connects a browser without copying a key

    if pairing.EXTENSION_KEY in app.extensions:
        print(pairing.startup_message(app), flush=True)

    # waitress: a production WSGI server in pure Python (also on Windows and macOS, where gunicorn
    # does not run); it writes no request lines (they could carry ?key=), the app logs its own.
    from waitress.server import create_server

    try:
        server = create_server(app, host=config.host, port=config.port, threads=config.server_threads,
                               ident="kindshield", max_request_body_size=MAX_WIRE_BODY,
                               # with trusted proxies the app's ProxyFix reads them (observability.py)
                               clear_untrusted_proxy_headers=not config.trusted_proxies)
    except OSError as exc:
        return _fail(f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}")

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    log.info("Kindshield listening on http://%s:%s (waitress, %d threads; database: %s)", config.host,
             server.effective_port, config.server_threads, store.dialect)
    try:
        server.run()
    except KeyboardInterrupt:
        log.info("shutting down")
    finally:
        server.close()
        store.dispose()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        argv = ["serve", *argv]
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "keys":
        return cmd_keys(args)
    if args.command == "migrate":
        return cmd_migrate(args)
    if args.command in cli_ops.COMMANDS:
        return cli_ops.dispatch(args, _config(args))
    build_parser().print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
