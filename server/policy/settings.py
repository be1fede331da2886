"""A user's protection settings (pure data + validation)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

AUDIENCES = ("everyone", "followers", "mutuals", "contacts", "nobody")
SENSITIVITIES = ("relaxed", "standard", "strict")
RELATIONS = ("stranger", "follower", "following", "mutual", "contact")
KINDS = ("dm", "comment", "reply", "mention")
#: kinds governed by the "who may message" setting; the rest follow "who may comment".
MESSAGE_KINDS = frozenset({"dm"})

#: Which sender relations each audience setting admits. "followers" admits
#: anyone with a follow link (people you follow are never less trusted than
#: people who follow you); "mutuals" needs a follow in both directions (or an
#: explicit contact); "contacts" only explicit contacts.
AUDIENCE_ADMITS: dict[str, frozenset[str]] = {
    "everyone": frozenset(RELATIONS),
    "followers": frozenset({"follower", "following", "mutual", "contact"}),
    "mutuals": frozenset({"mutual", "contact"}),
    "contacts": frozenset({"contact"}),
    "nobody": frozenset(),
}

MAX_ALLOW_SENDERS = 1000
MAX_RECLAIMED_TERMS = 200
MAX_TERM_LENGTH = 64
MAX_SENDER_ID_LENGTH = 256


class SettingsError(ValueError):
    """Invalid settings; ``field`` names the offending field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class ProtectionSettings:
    who_may_comment: str = "everyone"
    who_may_message: str = "everyone"
    sensitivity: str = "standard"
    allow_senders: tuple[str, ...] = ()
    reclaimed_terms: tuple[str, ...] = ()
    #: Fold swearing that attacks no one ("Fuck, I missed the bus"), like Instagram's
    #: Hidden Words. Off by default: only hostility (the toxic decision) is folded or blocked.
    hide_swearing: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "who_may_comment": self.who_may_comment,
            "who_may_message": self.who_may_message,
            "sensitivity": self.sensitivity,
            "allow_senders": list(self.allow_senders),
            "reclaimed_terms": list(self.reclaimed_terms),
            "hide_swearing": self.hide_swearing,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "ProtectionSettings":
        return DEFAULT_SETTINGS.updated(data or {})

    def updated(self, changes: Mapping[str, Any]) -> "ProtectionSettings":
        """Return a validated copy with ``changes`` applied (unknown keys rejected)."""
        known = {"who_may_comment", "who_may_message", "sensitivity", "allow_senders", "reclaimed_terms",
                 "hide_swearing"}
        for key in changes:
            if key not in known:
                raise SettingsError(str(key), "unknown field")
        values: dict[str, Any] = {}
        for key in ("who_may_comment", "who_may_message"):
            if key in changes:
                v = changes[key]
                if v not in AUDIENCES:
                    raise SettingsError(key, f"must be one of {', '.join(AUDIENCES)}")
                values[key] = v
        if "sensitivity" in changes:
            v = changes["sensitivity"]
            if v not in SENSITIVITIES:
                raise SettingsError("sensitivity", f"must be one of {', '.join(SENSITIVITIES)}")
            values["sensitivity"] = v
        if "hide_swearing" in changes:
            if not isinstance(changes["hide_swearing"], bool):
                raise SettingsError("hide_swearing", "must be true or false")
            values["hide_swearing"] = changes["hide_swearing"]
        if "allow_senders" in changes:
            values["allow_senders"] = _clean_list(
                "allow_senders", changes["allow_senders"], MAX_ALLOW_SENDERS, MAX_SENDER_ID_LENGTH, fold_case=False)
        if "reclaimed_terms" in changes:
            values["reclaimed_terms"] = _clean_list(
                "reclaimed_terms", changes["reclaimed_terms"], MAX_RECLAIMED_TERMS, MAX_TERM_LENGTH, fold_case=True)
        return replace(self, **values)

    def audience_for(self, kind: str) -> str:
        return self.who_may_message if kind in MESSAGE_KINDS else self.who_may_comment


def _clean_list(name: str, value: Any, max_items: int, max_len: int, *, fold_case: bool) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise SettingsError(name, "must be a list of strings")
    out: list[str] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            raise SettingsError(name, "must be a list of strings")
        item = item.strip()
        if not item:
            raise SettingsError(name, "entries must not be empty")
        if len(item) > max_len:
            raise SettingsError(name, f"entries must be at most {max_len} characters")
        key = item.casefold() if fold_case else item
        if key in seen:
            continue
        seen.add(key)
        out.append(key if fold_case else item)
    if len(out) > max_items:
        raise SettingsError(name, f"at most {max_items} entries")
    return tuple(out)


DEFAULT_SETTINGS = ProtectionSettings()
