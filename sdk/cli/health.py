"""``kindshield health``."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import EXIT_CHECK_FAILED, EXIT_OK, make_client
from .output import print_json
from .parser import Parents


def cmd_health(args: argparse.Namespace) -> int:
    """``kindshield health``."""
    with make_client(args) as client:
        health = client.health()
    if args.json:
        print_json(health.to_dict())
    else:
        sys.stdout.write(f"alive: {'yes' if health.alive else 'no'}\nready: {'yes' if health.ready else 'no'}\n")
    return EXIT_OK if health.ok else EXIT_CHECK_FAILED


def register(sub: Any, parents: Parents) -> None:
    """Add this group's subcommand(s) to ``sub``."""
    common, as_json = parents.common, parents.as_json
    p = sub.add_parser("health", parents=[common, as_json], help="is the server alive and ready?")
    p.set_defaults(func=cmd_health)
