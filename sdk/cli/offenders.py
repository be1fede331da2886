"""``kindshield offenders [--status S] | lookup SENDER_ID | review ID --outcome O`` (admin key)."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from .common import EXIT_OK, make_client
from .output import fmt_time, print_json, table
from .parser import Parents, days


def _print_offenders(offenders: Sequence[Any]) -> None:
    if not offenders:
        sys.stdout.write("No senders.\n")
        return
    rows = [[o.id, o.status, str(o.recipients), str(o.hostile_items), o.max_severity,
             ", ".join(f"{k} {v}" for k, v in o.labels.items()), fmt_time(o.last_seen),
             o.reviews[0].outcome if o.reviews else ""]
            for o in offenders]
    table(rows, ["ID", "STATUS", "RECIPIENTS", "ITEMS", "SEVERITY", "LABELS", "LAST SEEN", "REVIEW"],
          right=(2, 3))


def cmd_offenders(args: argparse.Namespace) -> int:
    """``kindshield offenders [--status S] | lookup SENDER_ID | review ID --outcome O`` (admin key)."""
    with make_client(args) as client:
        if args.action == "lookup":
            offenders = [client.admin.offenders.lookup(args.sender_id, days=args.days)]
        elif args.action == "review":
            result = client.admin.offenders.review(args.id, args.outcome, note=args.note)
            if args.json:
                print_json(result.to_dict())
            else:
                sys.stdout.write(f"recorded {result.review.outcome} for {result.offender.id} "
                                 f"(status: {result.offender.status})\n")
            return EXIT_OK
        else:
            offenders = client.admin.offenders.list(status=args.status, days=args.days, limit=args.limit)
    if args.json:
        print_json(offenders[0].to_dict() if args.action == "lookup" else [o.to_dict() for o in offenders])
        return EXIT_OK
    _print_offenders(offenders)
    return EXIT_OK


def register(sub: Any, parents: Parents) -> None:
    """Add this group's subcommand(s) to ``sub``."""
    common, as_json = parents.common, parents.as_json
    p = sub.add_parser("offenders", parents=[common, as_json],
                       help="repeat offenders: list, look up by sender id, record a review (admin key)")
    p.add_argument("--status", choices=("flagged", "reviewed", "cleared", "all"), default="flagged",
                   help="which senders to list (default: flagged)")
    p.add_argument("--days", type=days, default=30, help="period of the counts (default: 30)")
    p.add_argument("--limit", type=int, default=100, help="at most this many (default: 100)")
    p.set_defaults(func=cmd_offenders, action=None)
    osub = p.add_subparsers(dest="action", metavar="ACTION")
    q = osub.add_parser("lookup", parents=[common, as_json], help="a sender's record by the platform's raw id")
    q.add_argument("sender_id", metavar="SENDER_ID")
    q = osub.add_parser("review", parents=[common, as_json], help="record what you decided about a sender")
    q.add_argument("id", metavar="ID", help="the offender id (pseudonym) from the list")
    q.add_argument("--outcome", required=True, choices=("no_action", "warned", "muted", "suspended"))
    q.add_argument("--note", help="a note kept with the review")
