"""API keys and the current user.

A key looks like ``ks_`` + 43 URL-safe characters (256 random bits).  The database keeps its
first 11 characters (``prefix``, for look-up and display) and the SHA-256 of the whole key;
the hash is compared with :func:`hmac.compare_digest`.  Keys are never logged.

In a route::

    from kindshield_server.auth import require_auth, current_user

    @blp.route("/v1/things")
    @require_auth                      # or @require_auth(admin=True), @require_auth(query_key=True)
    def things():
        user = current_user()          # CurrentUser(id, name, is_admin, key_id, key_name, rate_limit)
        ...
"""
from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import hmac
import secrets
import threading
import time
from typing import Any, Callable

from flask import current_app, g, request
from sqlalchemy import func, select

from .errors import ApiError, forbidden, unauthorized, unavailable
from .store import Store, utcnow
from .store.schema import api_keys, users

KEY_PREFIX = "ks_"
PREFIX_LEN = 11  # "ks_" + 8 characters
_MAX_KEY_LEN = 200


@dataclasses.dataclass(frozen=True)
class CurrentUser:
    id: int
    name: str
    is_admin: bool
    key_id: int
    key_name: str
    rate_limit: str | None = None
    scopes: tuple[str, ...] = ()            # extra key scopes: "platform" (platform.py)
    platform_user_id: int | None = None     # set when a platform key acts for a subject (then id is the subject's)


# ---------------------------------------------------------------------------
# key management (used by the CLI and by tests)

def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(store: Store, name: str, *, admin: bool = False, user: str | None = None,
               rate_limit: str | None = None, scopes: tuple[str, ...] | list[str] = ()) -> str:
    """Create a key called ``name`` for user ``user`` (default: a user called ``name``,
    created if missing).  Returns the key; only its hash is stored."""
    name = name.strip()
    if not name:
        raise ValueError("key name must not be empty")
    if rate_limit:
        from limits import parse_many

        parse_many(rate_limit)  # raises ValueError on a bad limit string
    from .platform import EXTRA_SCOPES, key_scopes

    unknown = set(scopes) - set(EXTRA_SCOPES)
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(sorted(unknown))} (known: {', '.join(EXTRA_SCOPES)})")
    user_name = (user or name).strip()
    if user_name.startswith("~erased-"):   # store/lifecycle.py: the rows left of erased users
        raise ValueError("user names starting with '~erased-' are reserved")
    with store.begin() as conn:
        if conn.execute(select(api_keys.c.id).where(api_keys.c.name == name)).first():
            raise ValueError(f"a key named {name!r} already exists")
        row = conn.execute(select(users.c.id).where(users.c.name == user_name)).first()
        if row:
            user_id = row.id
        else:
            user_id = conn.execute(users.insert().values(name=user_name, created_at=utcnow())).inserted_primary_key[0]
        for _ in range(5):
            key = generate_key()
            prefix = key[:PREFIX_LEN]
            if not conn.execute(select(api_keys.c.id).where(api_keys.c.prefix == prefix)).first():
                break
        key_id = conn.execute(api_keys.insert().values(
            user_id=user_id, name=name, prefix=prefix, key_hash=hash_key(key), is_admin=bool(admin),
            rate_limit=rate_limit or None, created_at=utcnow(), revoked_at=None,
        )).inserted_primary_key[0]
        for scope in sorted(set(scopes)):
            conn.execute(key_scopes.insert().values(key_id=key_id, scope=scope))
    return key


def rotate_key(store: Store, name: str) -> str | None:
    """Give the active key ``name`` a new secret (same user, scopes and limits); the old secret
    stops working at once on this worker and within ``auth_cache_seconds`` on the others.
    Returns the new key, or None when there is no active key of that name."""
    with store.begin() as conn:
        row = conn.execute(select(api_keys.c.id).where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))).first()
        if row is None:
            return None
        for _ in range(5):
            key = generate_key()
            prefix = key[:PREFIX_LEN]
            if not conn.execute(select(api_keys.c.id).where(api_keys.c.prefix == prefix)).first():
                break
        conn.execute(api_keys.update().where(api_keys.c.id == row.id).values(prefix=prefix, key_hash=hash_key(key)))
    return key


def list_keys(store: Store) -> list[dict[str, Any]]:
    with store.read() as conn:
        rows = conn.execute(
            select(api_keys.c.name, api_keys.c.prefix, api_keys.c.is_admin, api_keys.c.rate_limit,
                   api_keys.c.created_at, api_keys.c.revoked_at, users.c.name.label("user"))
            .join(users, users.c.id == api_keys.c.user_id).order_by(api_keys.c.id)
        ).all()
    from .platform import key_scopes

    with store.read() as conn:
        scopes: dict[str, list[str]] = {}
        for r in conn.execute(select(api_keys.c.name, key_scopes.c.scope)
                              .join(key_scopes, key_scopes.c.key_id == api_keys.c.id)):
            scopes.setdefault(r.name, []).append(r.scope)
    return [{**dict(r._mapping), "scopes": sorted(scopes.get(r.name, []))} for r in rows]


def revoke_key(store: Store, name: str) -> bool:
    with store.begin() as conn:
        res = conn.execute(api_keys.update().where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
    return res.rowcount > 0


def count_active_keys(store: Store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(api_keys).where(api_keys.c.revoked_at.is_(None))).scalar_one()


# ---------------------------------------------------------------------------
# verification, with a short in-process cache (and a stale fallback when the DB is down)

class KeyVerifier:
    def __init__(self, store: Store, cache_seconds: float = 10.0, stale_seconds: float = 3600.0) -> None:
        self.store = store
        self.cache_seconds = cache_seconds
        self.stale_seconds = stale_seconds
        self._cache: dict[str, tuple[float, CurrentUser]] = {}   # key hash -> (verified at, user)
        self._lock = threading.Lock()

    def verify(self, key: str) -> CurrentUser | None:
        """The key's user, or None for an unknown/revoked key.  Raises 503 ApiError when the
        database is unreachable and the key is not in the (stale) cache."""
        if not key.startswith(KEY_PREFIX) or len(key) > _MAX_KEY_LEN or len(key) <= PREFIX_LEN:
            return None
        digest = hash_key(key)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(digest)
        if hit and now - hit[0] < self.cache_seconds:
            return hit[1]
        try:
            user = self._lookup(key, digest)
        except Exception as exc:
            from sqlalchemy.exc import SQLAlchemyError

            if not isinstance(exc, SQLAlchemyError):
                raise
            if hit and now - hit[0] < self.stale_seconds:
                return hit[1]
            raise unavailable("The key store is unavailable; retry shortly.", 2, "database_unavailable") from None
        with self._lock:
            if user is None:
                self._cache.pop(digest, None)
            else:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[digest] = (now, user)
        return user

    def forget_user(self, user_id: int) -> None:
        """Drop this process's cached keys of ``user_id`` (after their data was deleted); other
        processes drop theirs within ``auth_cache_seconds``."""
        with self._lock:
            for digest in [d for d, (_, u) in self._cache.items() if u.id == user_id]:
                del self._cache[digest]

    def _lookup(self, key: str, digest: str) -> CurrentUser | None:
        with self.store.read() as conn:
            row = conn.execute(
                select(api_keys.c.id, api_keys.c.name, api_keys.c.key_hash, api_keys.c.is_admin,
                       api_keys.c.rate_limit, api_keys.c.revoked_at, users.c.id.label("user_id"),
                       users.c.name.label("user_name"))
                .join(users, users.c.id == api_keys.c.user_id)
                .where(api_keys.c.prefix == key[:PREFIX_LEN])
            ).first()
        if row is None:
            hmac.compare_digest(digest, digest)  # same work either way
            return None
        if not hmac.compare_digest(row.key_hash, digest) or row.revoked_at is not None:
            return None
        from .platform import load_scopes

        with self.store.read() as conn:
            scopes = load_scopes(conn, row.id)
        return CurrentUser(id=row.user_id, name=row.user_name, is_admin=bool(row.is_admin),
                           key_id=row.id, key_name=row.name, rate_limit=row.rate_limit, scopes=scopes)

    def forget(self) -> None:
        """Drop the cache (after a key was revoked or rotated through the API)."""
        with self._lock:
            self._cache.clear()


# ---------------------------------------------------------------------------
# request side

VERIFIER_KEY = "kindshield.keys"


def presented_key(allow_query: bool = True) -> str | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return ""  # present but malformed
    if allow_query:
        key = request.args.get("key")
        if key:
            return key
    return None


def _resolve(allow_query: bool) -> CurrentUser | None:
    cache = g.setdefault("_ks_auth", {})
    if allow_query in cache:
        return cache[allow_query]
    key = presented_key(allow_query)
    user = current_app.extensions[VERIFIER_KEY].verify(key) if key else None
    cache[allow_query] = user
    return user


def peek_user() -> CurrentUser | None:
    """The user for the credential on this request (header or ?key=), or None; never raises
    (used to pick the rate-limit bucket before the route runs)."""
    try:
        return _resolve(True)
    except ApiError:
        return None


def authenticate(*, admin: bool = False, query_key: bool = False) -> CurrentUser:
    user = _resolve(query_key)
    if user is None:
        key = presented_key(query_key)
        if key is None:
            raise unauthorized("Missing API key: send 'Authorization: Bearer <key>'.")
        raise unauthorized("Invalid or revoked API key.")
    if admin and not user.is_admin:
        raise forbidden("This route needs an admin key.")
    from .platform import act_for_subject

    user = act_for_subject(user)   # a platform key acting for one of its users (Kindshield-Subject)
    g.current_user = user
    return user


def require_auth(fn: Callable | None = None, *, admin: bool = False, query_key: bool = False):
    """Decorator: 401 without a valid key, 403 when ``admin`` is required and the key is not."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            authenticate(admin=admin, query_key=query_key)
            return view(*args, **kwargs)

        wrapper._kindshield_auth = {"admin": admin, "query_key": query_key}  # type: ignore[attr-defined]
        # OpenAPI: security requirement and the auth/limit error responses (flask-smorest doc info)
        apidoc = copy.deepcopy(getattr(view, "_apidoc", {}))
        manual = apidoc.setdefault("manual_doc", {})
        security = [{"bearerAuth": []}] + ([{"keyQuery": []}] if query_key else [])
        manual.setdefault("security", security)
        responses = manual.setdefault("responses", {})
        responses.setdefault(401, "UNAUTHORIZED")
        if admin:
            responses.setdefault(403, "FORBIDDEN")
        responses.setdefault(429, "TOO_MANY_REQUESTS")
        responses.setdefault(503, "SERVICE_UNAVAILABLE")
        wrapper._apidoc = apidoc  # type: ignore[attr-defined]
        return wrapper

    return decorate(fn) if fn is not None else decorate


def current_user() -> CurrentUser:
    """The authenticated user of this request (after @require_auth)."""
    user = g.get("current_user")
    if user is None:
        raise RuntimeError("current_user() outside a @require_auth route")
    return user


def init_app(app, store: Store, config) -> None:
    app.extensions[VERIFIER_KEY] = KeyVerifier(store, cache_seconds=config.auth_cache_seconds)
    from . import platform

    platform.init_app(app, store)
