"""The ``kindshield`` command line.

::

    kindshield analyze "you are wonderful" "你真是个废物"
    kindshield analyze -f comments.txt --json > scores.json
    cat comments.txt | kindshield analyze --fail-on-toxic
    kindshield protect on --hours 24 | off | status
    kindshield notices [--ack ID]
    kindshield report file --text "..." --url https://... [--screenshot shot.png]
    kindshield report list | get ID | export --format csv | verify
    kindshield stats [--days 30]
    kindshield offenders [--status flagged|reviewed|cleared|all] | lookup SENDER_ID | review ID --outcome warned
    kindshield keys create NAME --scope platform | list | revoke NAME | rotate NAME   (admin key)
    kindshield --subject USER_ID protect on        (a platform key acting for one of its users)
    kindshield health

The server and key come from ``--url`` / ``--api-key`` (before or after the command) or the
environment (``KINDSHIELD_URL``, ``KINDSHIELD_API_KEY``; ``--subject`` / ``KINDSHIELD_SUBJECT``
for platform keys). ``report file`` takes ``--url`` for where the content was seen: name the
server before the command or with ``--server``.

Exit codes (:data:`EXIT_CODES`):

===  ============================================================
0    success
1    the check asked for failed: ``analyze --fail-on-toxic`` found a toxic
     text, ``report verify`` found a broken chain, ``health`` not ready
2    usage error: bad arguments, no input, unreadable file
3    the server rejected the request or failed (4xx other than 401/403, 5xx)
4    authentication or permission error (401, 403)
5    could not reach the server, or it did not answer in time
130  interrupted (Ctrl-C)
===  ============================================================

Modules: ``common`` (exit codes, usage errors, the client), ``output`` (terminal tables, JSON,
progress), ``input`` (texts from arguments, files and stdin), one module per command group
(``analyze``, ``protect``, ``notices``, ``reports``, ``stats``, ``offenders``, ``health``),
``parser`` (the argument parser, from each group's ``register``) and ``run`` (``main``).
"""
from __future__ import annotations

from .common import (
    EXIT_API_ERROR,
    EXIT_AUTH,
    EXIT_CHECK_FAILED,
    EXIT_CODES,
    EXIT_CONNECTION,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,  # noqa: F401  (re-exported, as before the split)
)
from .output import (  # noqa: F401  (re-exported, as before the split)
    PROGRESS_THRESHOLD,
    Progress,
    clean,
    display_width,
    pad,
    table,
    truncate,
)
from .parser import build_parser  # noqa: F401  (re-exported: documentation and tests build it)
from .run import main

__all__ = [
    "main",
    "EXIT_OK",
    "EXIT_CHECK_FAILED",
    "EXIT_USAGE",
    "EXIT_API_ERROR",
    "EXIT_AUTH",
    "EXIT_CONNECTION",
    "EXIT_INTERRUPTED",
    "EXIT_CODES",
]
