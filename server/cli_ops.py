"""Operator commands of ``kindshield-server`` (kept apart from cli.py's serve/keys/migrate):

    kindshield-server users list [--name NAME] [--json]
    kindshield-server users export ID|NAME [--out FILE.zip]
    kindshield-server users delete ID|NAME --yes
    kindshield-server cleanup                       apply the retention settings once
    kindshield-server heads export [--out FILE]     the chain-heads digest, to keep off this machine
    kindshield-server verify --all [--heads FILE] [--json]
    kindshield-server check-config                  validate settings, reach the database, Redis, model
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

COMMANDS = {"users", "cleanup", "heads", "verify", "check-config"}


def add_parsers(sub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    users = sub.add_parser("users", help="export or delete a user's data (data-subject requests)")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    lst = users_sub.add_parser("list", help="users with their ids")
    common(lst)
    lst.add_argument("--name", help="only this user")
    lst.add_argument("--json", action="store_true")
    exp = users_sub.add_parser("export", help="write everything stored for a user as one ZIP archive")
    common(exp)
    exp.add_argument("user", metavar="ID|NAME")
    exp.add_argument("--out", metavar="FILE", help="archive path (default kindshield-user-ID.zip)")
    dele = users_sub.add_parser("delete", help="delete everything stored for a user (cannot be undone)")
    common(dele)
    dele.add_argument("user", metavar="ID|NAME")
    dele.add_argument("--yes", action="store_true", help="confirm the deletion")

    cleanup = sub.add_parser("cleanup", help="delete records older than the retention settings, once")
    common(cleanup)
    cleanup.add_argument("--json", action="store_true")

    heads = sub.add_parser("heads", help="the chain-heads digest that `verify --all --heads` checks against")
    heads_sub = heads.add_subparsers(dest="heads_command", required=True)
    hexp = heads_sub.add_parser("export", help="print (or write) the digest of every chain head")
    common(hexp)
    hexp.add_argument("--out", metavar="FILE")

    verify = sub.add_parser("verify", help="re-hash every report chain and the erasure chain")
    common(verify)
    verify.add_argument("--all", action="store_true", required=True, help="every user's chain (required)")
    verify.add_argument("--heads", metavar="FILE", help="a digest from `heads export`: detects truncation")
    verify.add_argument("--json", action="store_true")

    check = sub.add_parser("check-config", help="validate the settings and reach every configured dependency")
    common(check)


def _fail(message: str) -> int:
    print(f"kindshield-server: error: {message}", file=sys.stderr, flush=True)
    return 1


def _store(config):
    from .store import Store

    store = Store(config)
    store.migrate()
    return store


def _user_id(store, ref: str) -> int | None:
    from .store import lifecycle

    with store.read() as conn:
        if ref.isdigit() and lifecycle.user_row(conn, int(ref)) is not None:
            return int(ref)
        uid = lifecycle.user_id_by_name(conn, ref)
        return uid if uid is not None and lifecycle.user_row(conn, uid) is not None else None


def cmd_users(args, config) -> int:
    from .services import retention, userdata
    from .store import lifecycle

    store = _store(config)
    try:
        if args.users_command == "list":
            from sqlalchemy import select

            from .store.schema import users
            q = select(users.c.id, users.c.name, users.c.created_at).order_by(users.c.id).where(
                users.c.name.not_like(lifecycle.ERASED_PREFIX + "%"))
            if args.name:
                q = q.where(users.c.name == args.name)
            with store.read() as conn:
                rows = conn.execute(q).all()
            if args.json:
                print(json.dumps([{"id": r.id, "name": r.name, "created_at": r.created_at.isoformat()} for r in rows],
                                 indent=2))
            else:
                print(f"{'ID':>6} {'NAME':30} CREATED (UTC)")
                for r in rows:
                    print(f"{r.id:>6} {r.name:30} {r.created_at.isoformat(timespec='seconds')}")
            return 0
        uid = _user_id(store, args.user)
        if uid is None:
            return _fail(f"no user {args.user!r} (see `kindshield-server users list`)")
        now = retention.now_for(store, config)
        if args.users_command == "export":
            data = userdata.build_archive(store, config, uid, now)
            out = Path(args.out or f"kindshield-user-{uid}.zip")
            out.write_bytes(data or b"")
            print(f"Wrote {out} ({len(data or b'')} bytes) for user {uid}.")
            return 0
        if args.users_command == "delete":
            if not args.yes:
                return _fail("deletion cannot be undone: add --yes (export first with `users export`)")
            from .store import windows

            result = userdata.erase_user(store, config, uid, requested_by="cli", now=now,
                                         redis_client=windows.make_redis_client(config))
            deleted = ", ".join(f"{k}={v}" for k, v in sorted(result["deleted"].items()))
            print(f"Deleted user {uid}: {deleted}. Erasure record #{result['erasure']['seq']} "
                  f"sha256={result['erasure']['sha256']}.")
            return 0
    finally:
        store.dispose()
    return 2


def cmd_cleanup(args, config) -> int:
    from .services import retention

    store = _store(config)
    try:
        done = retention.run_once(store, config)
    finally:
        store.dispose()
    if args.json:
        print(json.dumps(done))
    else:
        print("Retention applied: " + (", ".join(f"{k}={v}" for k, v in done.items()) or "nothing configured") + ".")
    return 0


def cmd_heads(args, config) -> int:
    from .services import integrity, retention

    store = _store(config)
    try:
        doc = integrity.export_heads(store, config.receipt_secret, retention.now_for(store, config))
    finally:
        store.dispose()
    text = json.dumps(doc, indent=1, sort_keys=True)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"Wrote {args.out}: {len(doc['chains'])} chains, digest {doc['digest']}.")
    else:
        print(text)
    return 0


def cmd_verify(args, config) -> int:
    from .services import integrity

    heads = None
    if args.heads:
        try:
            heads = integrity.load_heads(args.heads)
        except (OSError, ValueError) as exc:
            return _fail(f"cannot read {args.heads}: {exc}")
    store = _store(config)
    try:
        result = integrity.verify_all(store, heads, config.receipt_secret)
    finally:
        store.dispose()
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        state = "OK" if result["ok"] else "FAILED"
        print(f"{state}: {result['chains']} report chains, {result['records']} records, "
              f"{result['erasures']} erasures{', checked against ' + args.heads if heads else ' (no --heads: truncation of a whole chain end is not detectable)'}.")
        for p in result["problems"]:
            who = f"user {p['user_id']}" if "user_id" in p else ("erasure chain" if p.get("erasures") else "heads file")
            print(f"  {who}: {p['reason']}")
    return 0 if result["ok"] else 1


def cmd_check_config(args, config) -> int:
    from .config_check import check_dependencies

    problems = check_dependencies(config)
    for line in problems:
        print(f"kindshield-server: error: {line}", file=sys.stderr)
    if problems:
        return 1
    print("Configuration OK: settings valid, database, Redis and model reachable.")
    return 0


def dispatch(args, config) -> int:
    return {"users": cmd_users, "cleanup": cmd_cleanup, "heads": cmd_heads, "verify": cmd_verify,
            "check-config": cmd_check_config}[args.command](args, config)
