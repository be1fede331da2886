"""Pairing a browser by a short one-time code, so nobody has to copy an API key.

    GET  /pair        an HTML page with the current code; answered only to this computer (loopback)
    POST /v1/pair     {"code": "ABCD-EFGH", "name"?: str} -> {"key", "name", "admin": false}

`kindshield-server serve` prints the code on start-up as well. A code is good for one pairing
and ``CODE_TTL_SECONDS``; ``MAX_WRONG_TRIES`` wrong codes burn it (the next view of /pair shows a
fresh one), so guessing is bounded by tries, not by the rate limit alone. The key it gives is a
new non-admin key of the instance's owner (the user of the oldest active admin key, the one the
first start creates), so the browser sees the same protection settings and reports as the owner.
Codes live in this process's memory: one server process (waitress, threads), as `serve` runs it.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time

from flask import Response, current_app, render_template, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from .. import auth
from ..errors import ApiError, forbidden, not_found
from ..limits import exempt
from ..store import get_store
from ..store.schema import api_keys, users
from . import ApiBlueprint, StrictSchema

blp = ApiBlueprint("pairing", __name__, description="Pair a browser with a one-time code")

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I/L: read aloud and typed without doubt
CODE_LENGTH = 8
CODE_TTL_SECONDS = 600
MAX_WRONG_TRIES = 5
EXTENSION_KEY = "kindshield.pairing"
LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
# a request that came through a proxy on this computer looks local by its address alone; waitress
# drops X-Forwarded-For/Forwarded from untrusted peers, so a proxy is caught here only by what is
# left (X-Real-IP, a public Host name). Behind a reverse proxy, block /pair in the proxy.
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def _normalize(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


class PairingCodes:
    """The one live code of this process (thread-safe)."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._code: str | None = None
        self._expires = 0.0
        self._wrong = 0

    def current(self) -> tuple[str, int]:
        """The live code (a new one when none is live) and its seconds left."""
        with self._lock:
            now = self._clock()
            if self._code is None or now >= self._expires:
                self._code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                self._expires = now + CODE_TTL_SECONDS
                self._wrong = 0
            return _display(self._code), int(self._expires - now)

    def redeem(self, typed: str) -> bool:
        """True once for the live code; a wrong code counts towards burning it."""
        with self._lock:
            if self._code is None or self._clock() >= self._expires:
                return False
            if hmac.compare_digest(_normalize(typed).encode(), self._code.encode()):
                self._code = None
                return True
            self._wrong += 1
            if self._wrong >= MAX_WRONG_TRIES:
                self._code = None
            return False


def codes() -> PairingCodes:
    if EXTENSION_KEY not in current_app.extensions:   # KINDSHIELD_PAIRING=0
        raise not_found("Pairing by code is turned off on this server.")
    return current_app.extensions[EXTENSION_KEY]


def init_app(app) -> None:
    if app.config["KINDSHIELD"].pairing:
        app.extensions[EXTENSION_KEY] = PairingCodes()


def startup_message(app) -> str:
    """The lines `serve` prints: where to pair and the code itself."""
    code, ttl = app.extensions[EXTENSION_KEY].current()
    return (f"To connect the Kindshield browser extension, type this code on its welcome page: {code}\n"
            f"(valid {ttl // 60} minutes, once; a new one is always on http://<this computer>/pair)")


def _owner_user_id(conn) -> int | None:
    row = conn.execute(select(api_keys.c.user_id).where(api_keys.c.is_admin.is_(True), api_keys.c.revoked_at.is_(None))
                       .order_by(api_keys.c.id).limit(1)).first()
    return row.user_id if row else None


def _asked_on_this_computer() -> bool:
    """Loopback peer, no proxy in between, and a loopback Host (a DNS-rebinding page would send its own name)."""
    if request.remote_addr not in LOOPBACK or any(h in request.headers for h in PROXY_HEADERS):
        return False
    host = (request.host or "").lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name in LOOPBACK_HOSTS


class PairRequestSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=4, max=32))
    name = fields.String(load_default="browser", validate=validate.Regexp(r"^[A-Za-z0-9 ._-]{1,40}$"))


class PairResponseSchema(Schema):
    key = fields.String(required=True, metadata={"description": "the new API key, shown only in this answer"})
    name = fields.String(required=True)
    admin = fields.Boolean(required=True)


@blp.route("/pair")
@exempt
def pair_page():
    """The pairing code, as a page for the person at this computer (loopback only)."""
    if not _asked_on_this_computer():
        raise forbidden("The pairing page is shown only on the computer the server runs on.")
    code, ttl = codes().current()
    resp = Response(render_template("pair.html", code=code, minutes=max(1, ttl // 60)), mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@blp.route("/v1/pair", methods=["POST"])
@blp.arguments(PairRequestSchema)
@blp.response(201, PairResponseSchema)
@blp.alt_response(403, response="FORBIDDEN")
def pair(body):
    """Exchange the one-time code for a new non-admin API key of the owner."""
    if not codes().redeem(body["code"]):
        raise ApiError(403, "pairing_code_invalid",
                       "That code is wrong or has expired. Open the server's /pair page for the current code.")
    store = get_store()
    with store.read() as conn:
        owner = _owner_user_id(conn)
        owner_name = None
        if owner is not None:
            owner_name = conn.execute(select(users.c.name).where(users.c.id == owner)).scalar_one()
    name = f"{body['name'].strip().replace(' ', '-')}-{secrets.token_hex(3)}"
    key = auth.create_key(store, name, admin=False, user=owner_name or "default")
    resp = {"key": key, "name": name, "admin": False}
    return resp
