"""The argument parser: options every command shares, then each command group's ``register``."""
from __future__ import annotations

import argparse
from typing import Any, Dict, List, NamedTuple, Tuple

from .. import _constants as C
from .common import EXIT_CODES


class Parents(NamedTuple):
    """What each command group's ``register(sub, parents)`` builds its subparsers from."""

    common: argparse.ArgumentParser          # connection options (with --url)
    common_no_url: argparse.ArgumentParser   # connection options (``report file`` uses --url itself)
    as_json: argparse.ArgumentParser         # --json
    epilog: str                              # the exit codes


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return number


def days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= 365:
        raise argparse.ArgumentTypeError("must be between 1 and 365")
    return number


#: What an option not given anywhere on the command line means.
GLOBAL_DEFAULTS: Dict[str, Any] = {
    "url": None, "api_key": None, "subject": None, "timeout": None, "max_retries": C.DEFAULT_MAX_RETRIES, "json": False,
}


class _TopParser(argparse.ArgumentParser):
    """The top-level parser: fills in :data:`GLOBAL_DEFAULTS` for the options given neither before nor
    after the subcommand (given in both places, the one after the subcommand wins)."""

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Tuple[argparse.Namespace, List[str]]:
        parsed, rest = super().parse_known_args(args, namespace)
        for name, value in GLOBAL_DEFAULTS.items():
            if not hasattr(parsed, name):
                setattr(parsed, name, value)
        return parsed, rest


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    # Options every command takes, before or after its name. (`report file`
    # uses --url for where the content was seen, so there the server address
    # must come before the command or from the environment.)
    # Every connection option defaults to SUPPRESS everywhere, and the defaults are filled in once
    # after parsing (_TopParser): argparse shares a parent's Action objects between the parsers built
    # from it, so a default set on one parser would also be written by the subcommand's parser and
    # wipe out the same option given before the subcommand.
    def connection_options(with_url: bool) -> argparse.ArgumentParser:
        options = argparse.ArgumentParser(add_help=False)
        group = options.add_argument_group("connection")
        server_help = f"server address (default: ${C.ENV_BASE_URL} or {C.DEFAULT_BASE_URL})"
        if with_url:
            group.add_argument("--url", "--server", dest="url", default=argparse.SUPPRESS, metavar="URL",
                               help=server_help)
        else:  # `report file` takes --url for where the content was seen; --server names the server
            group.add_argument("--server", dest="url", default=argparse.SUPPRESS, metavar="URL",
                               help=server_help)
        group.add_argument("--api-key", default=argparse.SUPPRESS, metavar="KEY",
                           help=f"API key (default: ${C.ENV_API_KEY})")
        group.add_argument("--timeout", type=_positive_float, default=argparse.SUPPRESS, metavar="SECONDS",
                           help=f"read timeout (default: ${C.ENV_TIMEOUT} or {C.DEFAULT_READ_TIMEOUT:g})")
        group.add_argument("--subject", default=argparse.SUPPRESS, metavar="USER_ID",
                           help=f"with a platform key: the platform's user to act for (default: ${C.ENV_SUBJECT})")
        group.add_argument("--max-retries", type=int, default=argparse.SUPPRESS, metavar="N",
                           help=f"retries on connection errors, 429 and 502/503/504 "
                                f"(default: {C.DEFAULT_MAX_RETRIES})")
        return options

    common = connection_options(True)
    common_no_url = connection_options(False)
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                         help="print JSON instead of a table")

    epilog = "exit codes:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES.items())
    parser = _TopParser(
        prog="kindshield", parents=[connection_options(True), as_json],
        description="Kindshield command line: analyse text, manage protection, notices and reports.",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kindshield {C.VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=argparse.ArgumentParser)
    sub.required = True

    parents = Parents(common, common_no_url, as_json, epilog)
    from . import analyze, health, keys, notices, offenders, protect, reports, stats

    for group in (analyze, protect, notices, reports, stats, offenders, keys, health):
        group.register(sub, parents)
    return parser
