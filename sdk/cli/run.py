"""``main``: parse, run the command, map errors to exit codes and messages."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Callable, Optional, Sequence

from .. import _constants as C
from .._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    KindshieldError,
    PermissionDeniedError,
)
from .common import EXIT_API_ERROR, EXIT_AUTH, EXIT_CONNECTION, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError
from .parser import build_parser


def _ensure_unicode_output() -> None:
    """Make sure Chinese (and any other) text can be printed: a stream whose
    encoding cannot encode it (ASCII, Latin-1) is switched to UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "中文…".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure: Optional[Callable[..., None]] = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(encoding="utf-8", errors="replace")


def _describe(error: KindshieldError, args: argparse.Namespace) -> str:
    if isinstance(error, APIError):
        text = f"{error.message} (HTTP {error.status} {error.code}"
        if error.request_id:
            text += f", request id {error.request_id}"
        text += ")"
        fields = error.details.get("fields") if isinstance(error.details, dict) else None
        if fields:
            text += f"\n  details: {json.dumps(fields, ensure_ascii=False)}"
        if isinstance(error, AuthenticationError):
            text += f"\n  hint: pass --api-key or set {C.ENV_API_KEY}"
        if error.retry_after is not None and error.status in (429, 503):
            text += f"\n  retry after {error.retry_after:g} s"
        return text
    if isinstance(error, APIConnectionError):
        url = args.url or os.environ.get(C.ENV_BASE_URL) or C.DEFAULT_BASE_URL
        hint = "" if isinstance(error, APITimeoutError) else (
            f"\n  hint: is the server running at {url}? (--url or ${C.ENV_BASE_URL})")
        return f"{error.message}{hint}"
    return error.message


def _error_json(error: BaseException) -> str:
    """The error as one JSON object (for ``--json``: scripts parse stderr too)."""
    body: dict = {"error": type(error).__name__, "message": getattr(error, "message", None) or str(error)}
    if isinstance(error, APIError):
        body.update(status=error.status, code=error.code, request_id=error.request_id, details=dict(error.details))
    return json.dumps(body, ensure_ascii=False)


def _fail(error: BaseException, args: argparse.Namespace, text: str, code: int) -> int:
    if getattr(args, "json", False):
        sys.stderr.write(_error_json(error) + "\n")
    else:
        sys.stderr.write(f"kindshield: error: {text}\n")
    return code


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code (see :data:`EXIT_CODES`)."""
    _ensure_unicode_output()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help / --version (0) or usage error (2)
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as exc:
        return _fail(exc, args, str(exc), EXIT_USAGE)
    except (AuthenticationError, PermissionDeniedError) as exc:
        return _fail(exc, args, _describe(exc, args), EXIT_AUTH)
    except APIError as exc:
        return _fail(exc, args, _describe(exc, args), EXIT_API_ERROR)
    except APIConnectionError as exc:
        return _fail(exc, args, _describe(exc, args), EXIT_CONNECTION)
    except KindshieldError as exc:
        return _fail(exc, args, str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        sys.stderr.write("\nkindshield: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error. Keep Python
        # from complaining while flushing at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
