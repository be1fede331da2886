"""Exit codes, the usage error, and the API client every command opens."""
from __future__ import annotations

import argparse
from typing import Dict

from .._client import Client

#: Success.
EXIT_OK = 0
#: The check asked for failed (toxic text with ``--fail-on-toxic``, broken
#: report chain, server not ready).
EXIT_CHECK_FAILED = 1
#: Bad arguments or unusable input.
EXIT_USAGE = 2
#: The server rejected the request or failed.
EXIT_API_ERROR = 3
#: Authentication or permission error.
EXIT_AUTH = 4
#: Could not connect, or timed out.
EXIT_CONNECTION = 5
#: Interrupted by the user.
EXIT_INTERRUPTED = 130

#: Every exit code and its meaning.
EXIT_CODES: Dict[int, str] = {
    EXIT_OK: "success",
    EXIT_CHECK_FAILED: "check failed (toxic text with --fail-on-toxic, broken report chain, server not ready)",
    EXIT_USAGE: "usage error (bad arguments, no input, unreadable file)",
    EXIT_API_ERROR: "the server rejected the request or failed",
    EXIT_AUTH: "authentication or permission error",
    EXIT_CONNECTION: "could not reach the server, or it did not answer in time",
    EXIT_INTERRUPTED: "interrupted",
}


class UsageError(Exception):
    """A problem with the command line or its input (exit code 2)."""


def make_client(args: argparse.Namespace) -> Client:
    import os

    from .. import _constants as C

    subject = getattr(args, "subject", None) or os.environ.get(C.ENV_SUBJECT) or None
    try:
        return Client(
            base_url=args.url, api_key=args.api_key, timeout=args.timeout, max_retries=args.max_retries,
            subject=subject,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
