"""Platform keys: one service key acting for many of the platform's own users ("subjects").

A key with the ``platform`` scope names the user it acts for in the ``Kindshield-Subject``
request header.  A header rather than a body field or a path segment because:

* every route with a recipient or an owner takes it the same way (GET and DELETE have no body;
  /v1/shield's body is a list of messages, /v1/protection a settings object), so no schema
  changes and no route duplicates;
* it is read once, in authentication, before any route code runs: a route cannot forget it;
* it stays out of URLs, so out of access logs, proxies' logs and browser history.

The raw subject id is never stored, logged or counted: it is turned into an HMAC-SHA256
pseudonym keyed by the instance secret (``sender_hash_secret``, the one that keys sender
pseudonyms; domain-separated) and by the platform's own user id, so equal ids of two platforms
are different subjects.  Each subject gets a user row of its own (``users.name`` is
``subject:<platform user id>:<pseudonym>``, linked in ``platform_subjects``), so protection
settings, lockdowns, pile-on windows, notices, nudge outcomes, reports and daily counters are
per subject exactly as they are per user, and isolated from other subjects and other platforms.

A platform key without the header acts as the platform's own account, except on the routes in
:data:`SUBJECT_ROUTES` (they have a recipient or an owner), where it is 400 ``subject_required``
so a missing header cannot mix all of a platform's users into one.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import threading
from typing import TYPE_CHECKING, Any

from flask import current_app, request
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .errors import ApiError, bad_request
from .store import Store, utcnow
from .store.schema import key_scopes, platform_subjects, users

if TYPE_CHECKING:  # pragma: no cover
    from .auth import CurrentUser

#: Key scopes beyond ordinary user keys (admin keys keep their own flag, ``api_keys.is_admin``).
PLATFORM_SCOPE = "platform"
EXTRA_SCOPES = (PLATFORM_SCOPE,)
#: What the key management API accepts.
ALL_SCOPES = ("user", "admin", PLATFORM_SCOPE)

SUBJECT_HEADER = "Kindshield-Subject"
MAX_SUBJECT_CHARS = 200
PSEUDONYM_CHARS = 32
#: Routes that act for a recipient or an owner: a platform key must name the subject.
SUBJECT_ROUTES = ("/v1/shield", "/v1/protection", "/v1/notices", "/v1/reports", "/v1/precheck")
CACHE_KEY = "kindshield.platform_subjects"


def is_platform_key(user: "CurrentUser | None") -> bool:
    """Whether the request's key is a platform key (whether or not it names a subject).

    Platform keys are provisioned by an operator for a known service, so other features may
    treat their traffic as trusted (e.g. the repeat-offender signal counting only trusted keys)."""
    return user is not None and PLATFORM_SCOPE in getattr(user, "scopes", ())


def subject_pseudonym(platform_user_id: int, subject: str, secret: str) -> str:
    """The stored form of a platform's user id: keyed by the instance secret and the platform."""
    message = b"platform-subject\x00" + str(int(platform_user_id)).encode() + b"\x00" + subject.encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()[:PSEUDONYM_CHARS]


def subject_user_name(platform_user_id: int, pseudonym: str) -> str:
    return f"subject:{int(platform_user_id)}:{pseudonym}"


def read_subject_header() -> str | None:
    """The ``Kindshield-Subject`` header, checked: 1-200 printable ASCII characters, no spaces."""
    raw = request.headers.get(SUBJECT_HEADER)
    if raw is None:
        return None
    if not raw or len(raw) > MAX_SUBJECT_CHARS or any(not (0x20 < ord(c) < 0x7F) for c in raw):
        raise bad_request(f"{SUBJECT_HEADER} must be 1-{MAX_SUBJECT_CHARS} printable ASCII characters without "
                          "spaces (the platform's own user id).", {"header": SUBJECT_HEADER}, code="invalid_subject")
    return raw


def load_scopes(conn: Any, key_id: int) -> tuple[str, ...]:
    return tuple(sorted(r.scope for r in conn.execute(select(key_scopes.c.scope)
                                                      .where(key_scopes.c.key_id == key_id))))


class SubjectDirectory:
    """Finds (or creates) the user row of a platform's subject; caches pseudonym -> user id."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[str, int] = {}
        self._lock = threading.Lock()

    def user_id(self, platform_user_id: int, pseudonym: str) -> int:
        name = subject_user_name(platform_user_id, pseudonym)
        with self._lock:
            hit = self._cache.get(name)
        if hit is not None:
            return hit
        user_id = self._find(name)
        if user_id is None:
            try:
                with self.store.begin() as conn:
                    user_id = conn.execute(users.insert().values(name=name, created_at=utcnow())) \
                        .inserted_primary_key[0]
                    conn.execute(platform_subjects.insert().values(
                        user_id=user_id, platform_user_id=int(platform_user_id), created_at=utcnow()))
            except IntegrityError:   # another worker created it at the same moment
                user_id = self._find(name)
                if user_id is None:
                    raise
        with self._lock:
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[name] = int(user_id)
        return int(user_id)

    def _find(self, name: str) -> int | None:
        with self.store.read() as conn:
            row = conn.execute(select(users.c.id).where(users.c.name == name)).first()
        return None if row is None else int(row.id)


def act_for_subject(user: "CurrentUser") -> "CurrentUser":
    """The user this request acts for: the key's own, or (platform keys with the header) the
    named subject's.  403 for a subject header on a key without the platform scope."""
    subject = read_subject_header()
    if subject is None:
        if is_platform_key(user) and request.path.startswith(SUBJECT_ROUTES):
            raise bad_request(f"A platform key must name the user it acts for in the {SUBJECT_HEADER} header.",
                              {"header": SUBJECT_HEADER}, code="subject_required")
        return user
    if not is_platform_key(user):
        raise ApiError(403, "subject_not_allowed",
                       f"Only keys with the '{PLATFORM_SCOPE}' scope may act for a {SUBJECT_HEADER}.")
    from .services.offenders import sender_secret

    pseudonym = subject_pseudonym(user.id, subject, sender_secret())
    directory: SubjectDirectory = current_app.extensions[CACHE_KEY]
    subject_id = directory.user_id(user.id, pseudonym)
    return dataclasses.replace(user, id=subject_id, name=subject_user_name(user.id, pseudonym), is_admin=False,
                               platform_user_id=user.id)


def subject_ids(conn: Any, platform_user_id: int) -> list[int]:
    return [int(r.user_id) for r in conn.execute(select(platform_subjects.c.user_id)
                                                 .where(platform_subjects.c.platform_user_id == platform_user_id))]


def count_subjects(conn: Any, platform_user_id: int) -> int:
    return int(conn.execute(select(func.count()).select_from(platform_subjects)
                            .where(platform_subjects.c.platform_user_id == platform_user_id)).scalar_one())


def init_app(app: Any, store: Store) -> None:
    app.extensions[CACHE_KEY] = SubjectDirectory(store)
