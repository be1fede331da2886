"""``kindshield notices``."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .common import EXIT_OK, make_client
from .output import fmt_time, print_json, table
from .parser import Parents


def _prefers_chinese() -> bool:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.lower().startswith("zh")
    return False


def cmd_notices(args: argparse.Namespace) -> int:
    """``kindshield notices``."""
    with make_client(args) as client:
        for notice_id in args.ack or ():
            client.notices.ack(notice_id)
        notices = client.notices.list(unacked_only=args.unread)
    if args.json:
        print_json([n.to_dict() for n in notices])
        return EXIT_OK
    if not notices:
        sys.stdout.write("No notices.\n")
        return EXIT_OK
    zh = _prefers_chinese()
    rows = [
        [n.id, fmt_time(n.created_at), n.type, "yes" if n.acked else "no",
         (n.message_zh if zh and n.message_zh else n.message) or n.title or ""]
        for n in notices
    ]
    table(rows, ["ID", "WHEN", "TYPE", "READ", "MESSAGE"], stretch=4)
    return EXIT_OK


def register(sub: Any, parents: Parents) -> None:
    """Add this group's subcommand(s) to ``sub``."""
    common, as_json = parents.common, parents.as_json
    p = sub.add_parser("notices", parents=[common, as_json], help="list risk notices")
    p.add_argument("--ack", action="append", metavar="ID", help="acknowledge this notice first (repeatable)")
    p.add_argument("--unread", action="store_true", help="only notices not yet acknowledged")
    p.set_defaults(func=cmd_notices)
