"""Who may feed the repeat-offender signal, and which sender ids may count.

The signal flags a sender and tells the platform's webhook about it, so the ids behind it must
be ones the sender cannot be framed with:

* **Trusted keys only.**  An ordinary user's key (the browser extension) reports whatever the
  page shows; five such keys could frame anyone by display name.  Only keys the operator names
  in ``offender_trusted_keys`` (``KINDSHIELD_OFFENDER_TRUSTED_KEYS=platform-a,platform-b``) feed
  the signal.  :func:`key_feeds_offenders` is the single place to extend when keys gain kinds
  (e.g. "platform" keys): return True for them there.
* **Countable ids only** (:func:`countable_sender_id`): never empty, never a placeholder
  (``unknown``, ``anonymous``, ``匿名``...), never a display name with spaces.  The extension
  sends a stable id (``https://site/profile/...`` or ``site:1234``) or no id at all.

Pile-on windows and shielding decisions do not depend on either: they protect the recipient
from what reaches them, whoever reports it.
"""
from __future__ import annotations

import re
import unicodedata

from flask import current_app

#: ids that name nobody in particular (compared case-folded, without surrounding punctuation)
PLACEHOLDER_IDS = frozenset({
    "unknown", "unknown user", "anonymous", "anonymous user", "anon", "anonym", "guest", "user", "someone",
    "somebody", "nobody", "deleted", "deleted user", "deleted account", "removed", "null", "none", "nil",
    "undefined", "nan", "n/a", "na", "unnamed", "no name", "noname", "private", "hidden", "system", "0",
    "匿名", "匿名用户", "匿名網友", "匿名网友", "未知", "未知用户", "用户", "游客", "訪客", "访客", "网友", "網友",
    "已注销", "已注銷", "该账号已注销", "神秘人", "无名氏", "某人",
})
_STRIP = " \t\r\n\"'`[](){}<>.,:;!?-_*#@/\\|~"


def countable_sender_id(raw: str | None) -> bool:
    """May this sender id count towards the repeat-offender signal?"""
    if raw is None:
        return False
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return False
    bare = text.casefold().strip(_STRIP)
    if not bare or bare in PLACEHOLDER_IDS:
        return False
    # "weibo:unknown", "https://site/u/anonymous": a namespaced placeholder is still a placeholder
    tail = re.split(r"[:/]", bare)[-1].strip(_STRIP)
    if not tail or tail in PLACEHOLDER_IDS:
        return False
    # a display name ("Jane Doe"), never a platform's id or a profile URL
    if re.search(r"\s", text):
        return False
    return True


def trusted_key_names() -> frozenset[str]:
    cfg = current_app.config["KINDSHIELD"]
    return frozenset(n.strip() for n in getattr(cfg, "offender_trusted_keys", ()) if n.strip())


def key_feeds_offenders(user) -> bool:
    """Does this request's key feed the repeat-offender signal?  ``user``: auth.CurrentUser."""
    if user is None:
        return False
    # Platform keys are provisioned by the operator for a known service that knows its own
    # users' ids (issue 33), so their items count like those of a key named as trusted.
    from ..platform import is_platform_key

    return is_platform_key(user) or user.key_name in trusted_key_names()
