"""``kindshield stats``."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .. import _constants as C
from .common import EXIT_OK, make_client
from .output import print_json, table
from .parser import Parents, days

_STAT_COLUMNS = (
    ("analysed", "ANALYSED"), ("flagged", "FLAGGED"), ("folded", "FOLDED"), ("blocked", "BLOCKED"),
    ("nudges_shown", "NUDGES"), ("nudges_heeded", "HEEDED"), ("notices", "NOTICES"),
    ("lockdowns", "LOCKDOWNS"), ("reports", "REPORTS"),
)


def cmd_stats(args: argparse.Namespace) -> int:
    """``kindshield stats``."""
    with make_client(args) as client:
        stats = client.stats(days=args.days, scope=args.scope)
    if args.json:
        print_json(stats.to_dict())
        return EXIT_OK
    rows = [[d.date.isoformat()] + [str(d[key]) for key, _ in _STAT_COLUMNS]
            for d in stats.days if args.all_days or any(d.counts.values())]
    rows.append(["TOTAL"] + [str(stats.total(key)) for key, _ in _STAT_COLUMNS])
    table(rows, ["DAY"] + [title for _, title in _STAT_COLUMNS], right=range(1, len(_STAT_COLUMNS) + 1))
    scope = f" ({stats.scope})" if stats.scope else ""
    sys.stdout.write(f"last {args.days} day{'s' if args.days != 1 else ''}{scope}\n")
    return EXIT_OK


def register(sub: Any, parents: Parents) -> None:
    """Add this group's subcommand(s) to ``sub``."""
    common, as_json = parents.common, parents.as_json
    p = sub.add_parser("stats", parents=[common, as_json], help="per-day counts")
    p.add_argument("--days", type=days, default=C.DEFAULT_STATS_DAYS, help="days to cover (default: 30)")
    p.add_argument("--all-days", action="store_true", help="also list days with nothing to count")
    p.add_argument("--scope", choices=("user", "instance"), help="instance-wide figures need an admin key")
    p.set_defaults(func=cmd_stats)
