"""The options both clients take (``base_url``, ``api_key``, ``timeout``, ``max_retries``,
``deadline``, ``headers``, ``subject``), read from the arguments and the environment and checked
in one place, so :class:`kindshield.Client` and :class:`kindshield.AsyncClient` accept and refuse
exactly the same values."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Tuple, Union

from . import _constants as C
from ._errors import KindshieldError

__all__ = ["Timeout", "TimeoutTypes", "ClientOptions", "client_options", "check_subject", "coerce_timeout"]


@dataclass(frozen=True)
class Timeout:
    """Connect and read timeouts, in seconds. Both are always set.

    ``connect`` bounds opening the connection; ``read`` bounds each wait for
    response bytes (so a stalled server is given up on after ``read``
    seconds).
    """

    connect: float = C.DEFAULT_CONNECT_TIMEOUT
    read: float = C.DEFAULT_READ_TIMEOUT

    def __post_init__(self) -> None:
        for name in ("connect", "read"):
            value = getattr(self, name)
            if value is None or not value > 0:
                raise ValueError(f"Timeout.{name} must be a positive number of seconds, not {value!r}")

    def as_tuple(self) -> Tuple[float, float]:
        """``(connect, read)`` as :mod:`requests` takes it."""
        return (self.connect, self.read)


#: What ``timeout=`` accepts: a :class:`Timeout`, one number (the read
#: timeout; connect stays at its default unless the number is smaller), or a
#: ``(connect, read)`` pair.
TimeoutTypes = Union[Timeout, float, int, Tuple[float, float]]


def coerce_timeout(value: Optional[TimeoutTypes]) -> Timeout:
    if value is None:
        env = os.environ.get(C.ENV_TIMEOUT)
        if env:
            try:
                value = float(env)
            except ValueError:
                raise KindshieldError(f"{C.ENV_TIMEOUT} must be a number of seconds, not {env!r}") from None
        else:
            return Timeout()
    if isinstance(value, Timeout):
        return value
    if isinstance(value, tuple):
        connect, read = value
        return Timeout(float(connect), float(read))
    seconds = float(value)
    return Timeout(connect=min(C.DEFAULT_CONNECT_TIMEOUT, seconds), read=seconds)


def check_subject(subject: Optional[str]) -> Optional[str]:
    if subject is None:
        return None
    if not isinstance(subject, str) or not subject or len(subject) > C.MAX_SUBJECT_CHARS or \
            any(not (0x20 < ord(c) < 0x7F) for c in subject):
        raise ValueError(f"subject must be 1-{C.MAX_SUBJECT_CHARS} printable ASCII characters without spaces "
                         f"(the platform's user id), not {subject!r}")
    return subject


def check_deadline(deadline: Optional[float]) -> Optional[float]:
    if deadline is None:
        return None
    if isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or not deadline > 0:
        raise ValueError(f"deadline must be a positive number of seconds, not {deadline!r}")
    return float(deadline)


@dataclass(frozen=True)
class ClientOptions:
    """Checked options of one client."""

    base_url: str
    api_key: Optional[str]
    timeout: Timeout
    max_retries: int
    deadline: Optional[float]
    headers: Dict[str, str]
    subject: Optional[str]


def client_options(
    base_url: Optional[str],
    api_key: Optional[str],
    timeout: Optional[TimeoutTypes],
    max_retries: int,
    deadline: Optional[float],
    headers: Optional[Mapping[str, str]],
    subject: Optional[str],
) -> ClientOptions:
    """Both clients' constructor arguments, with the environment's defaults, checked."""
    url = base_url or os.environ.get(C.ENV_BASE_URL) or C.DEFAULT_BASE_URL
    if "://" not in url:
        raise KindshieldError(f"base_url must start with http:// or https://, not {url!r}")
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be an integer >= 0, not {max_retries!r}")
    merged: Dict[str, str] = {"User-Agent": C.USER_AGENT, "Accept": "application/json"}
    if headers:
        merged.update(headers)
    return ClientOptions(
        base_url=url.rstrip("/"),
        api_key=api_key if api_key is not None else (os.environ.get(C.ENV_API_KEY) or None),
        timeout=coerce_timeout(timeout),
        max_retries=max_retries,
        deadline=check_deadline(deadline),
        headers=merged,
        subject=check_subject(subject),
    )


def deadline_end(deadline: Optional[float]) -> Optional[float]:
    """The :func:`time.monotonic` instant a call started now must end by (``None``: no deadline)."""
    return None if deadline is None else time.monotonic() + deadline


def remaining(end: Optional[float]) -> Optional[float]:
    return None if end is None else end - time.monotonic()
