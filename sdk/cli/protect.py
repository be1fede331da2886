"""``kindshield protect on|off|status|set``."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .. import _constants as C
from .._errors import NotFoundError
from .common import EXIT_OK, make_client
from .output import clean, fmt_left, fmt_time, print_json
from .parser import Parents


def _print_protection(p: Any) -> None:
    lockdown = p.lockdown
    if p.active and lockdown is not None:
        sys.stdout.write(
            f"One-click protection: ON until {fmt_time(lockdown.until)} ({fmt_left(lockdown.remaining_seconds)})\n"
        )
    else:
        sys.stdout.write("One-click protection: off\n")
    s = p.settings
    sys.stdout.write(f"Who may comment:  {s.who_may_comment}\n")
    sys.stdout.write(f"Who may message:  {s.who_may_message}\n")
    sys.stdout.write(f"Sensitivity:      {s.sensitivity}\n")
    sys.stdout.write(f"Allowed senders:  {len(s.allow_senders)}\n")
    sys.stdout.write(f"Reclaimed terms:  {', '.join(clean(t) for t in s.reclaimed_terms) or '-'}\n")
    sys.stdout.write(f"Hide swearing:    {'yes' if s.hide_swearing else 'no (only hostility is hidden)'}\n")


def cmd_protect(args: argparse.Namespace) -> int:
    """``kindshield protect on|off|status|set``."""
    with make_client(args) as client:
        if args.action == "on":
            protection = client.protection.one_click(hours=args.hours)
            if args.json:
                print_json(protection.to_dict())
            else:
                sys.stdout.write(f"One-click protection is on until {fmt_time(protection.until)}.\n")
            return EXIT_OK
        if args.action == "off":
            try:
                protection = client.protection.end()
            except NotFoundError:
                protection = client.protection.get()
                if not args.json:
                    sys.stdout.write("One-click protection was not on.\n")
                    return EXIT_OK
            if args.json:
                print_json(protection.to_dict())
            else:
                sys.stdout.write("One-click protection is off.\n")
            return EXIT_OK
        if args.action == "set":
            protection = client.protection.update(
                who_may_comment=args.comments, who_may_message=args.messages, sensitivity=args.sensitivity,
                allow_senders=args.allow_sender, reclaimed_terms=args.reclaim, hide_swearing=args.hide_swearing,
            )
        else:
            protection = client.protection.get()
    if args.json:
        print_json(protection.to_dict())
    else:
        _print_protection(protection)
    return EXIT_OK


def register(sub: Any, parents: Parents) -> None:
    """Add this group's subcommand(s) to ``sub``."""
    common, as_json = parents.common, parents.as_json
    p = sub.add_parser("protect", parents=[common], help="one-click protection and settings")
    psub = p.add_subparsers(dest="action", metavar="ACTION")
    psub.required = True
    q = psub.add_parser("on", parents=[common, as_json], help="turn on one-click protection")
    q.add_argument("--hours", type=int, choices=C.ONE_CLICK_HOURS, default=72,
                   help="how long (default: 72)")
    psub.add_parser("off", parents=[common, as_json], help="end one-click protection now")
    psub.add_parser("status", parents=[common, as_json], help="show protection and settings")
    q = psub.add_parser("set", parents=[common, as_json], help="change settings")
    audiences = ("everyone", "followers", "mutuals", "contacts", "nobody")
    q.add_argument("--comments", choices=audiences, help="who may comment")
    q.add_argument("--messages", choices=audiences, help="who may message")
    q.add_argument("--sensitivity", choices=("relaxed", "standard", "strict"))
    q.add_argument("--allow-sender", action="append", metavar="ID",
                   help="always deliver this sender (repeat; replaces the list)")
    q.add_argument("--reclaim", action="append", metavar="TERM",
                   help="a term you reclaim (repeat; replaces the list)")
    swearing = q.add_mutually_exclusive_group()
    swearing.add_argument("--hide-swearing", dest="hide_swearing", action="store_true", default=None,
                          help="also fold swearing aimed at no one (off by default)")
    swearing.add_argument("--show-swearing", dest="hide_swearing", action="store_false",
                          help="fold only hostility, not swearing (the default)")
    p.set_defaults(func=cmd_protect)
