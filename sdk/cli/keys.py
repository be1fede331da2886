"""``kindshield keys create NAME [--scope user|admin|platform] | list | revoke NAME | rotate NAME`` (admin key)."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import EXIT_OK, make_client
from .output import fmt_time, print_json, table
from .parser import Parents


def cmd_keys(args: argparse.Namespace) -> int:
    """Manage API keys over the API (admin key)."""
    with make_client(args) as client:
        keys = client.admin.keys
        if args.action == "list":
            listed = keys.list()
            if args.json:
                print_json([k.to_dict() for k in listed])
            else:
                table([[k.name, k.user, k.prefix, ",".join(k.scopes), "active" if k.active else "revoked",
                        fmt_time(k.created_at)] for k in listed],
                      ["NAME", "USER", "PREFIX", "SCOPES", "STATUS", "CREATED"])
            return EXIT_OK
        if args.action == "create":
            key = keys.create(args.name, scopes=[args.scope], user=args.user, rate_limit=args.rate_limit)
        elif args.action == "rotate":
            key = keys.rotate(args.name)
        else:
            key = keys.revoke(args.name)
        if args.json:
            print_json(key.to_dict())
        elif key.key:
            sys.stdout.write(key.key + "\n")
            sys.stderr.write(f"{args.action}d key {key.name!r} ({', '.join(key.scopes)}) on {client.base_url}. "
                             "It is shown only once; store it now.\n")
        else:
            sys.stdout.write(f"revoked key {key.name!r}\n")
    return EXIT_OK


def register(sub: Any, parents: Parents) -> None:
    """Add this group's subcommand(s) to ``sub``."""
    common, as_json = parents.common, parents.as_json
    p = sub.add_parser("keys", parents=[common], help="API keys: create, list, revoke, rotate (admin key)")
    ksub = p.add_subparsers(dest="action", metavar="ACTION")
    ksub.required = True
    q = ksub.add_parser("create", parents=[common, as_json], help="create a key and print it once")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--scope", choices=("user", "admin", "platform"), default="user",
                   help="user (default), admin, or platform (acts for the platform's users with --subject)")
    q.add_argument("--user", help="the user the key belongs to (default: one named like the key)")
    q.add_argument("--rate-limit", metavar="LIMIT", help='the key\'s own limit, e.g. "600 per minute"')
    ksub.add_parser("list", parents=[common, as_json], help="list keys (never the keys themselves)")
    q = ksub.add_parser("revoke", parents=[common, as_json], help="revoke a key")
    q.add_argument("name", metavar="NAME")
    q = ksub.add_parser("rotate", parents=[common, as_json], help="a new secret for a key; prints it once")
    q.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_keys)
