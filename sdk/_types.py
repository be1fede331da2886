"""Typed, immutable results (and inputs) of the Kindshield API.

Every result is a frozen dataclass built with ``from_dict`` from the server's
JSON; ``to_dict`` gives JSON-ready data back (``from_dict(x.to_dict()) == x``).
Fields the server sends that this SDK version does not know are kept in
``raw`` (excluded from equality and ``repr``), so nothing is lost when the
server grows.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from types import MappingProxyType
from typing import Any, Dict, Iterator, Mapping, Optional, Sequence, Tuple, Union, overload

__all__ = [
    "LABELS",
    "Span",
    "Labels",
    "ModelInfo",
    "ItemError",
    "AnalysisResult",
    "Analysis",
    "Precheck",
    "ShieldMessage",
    "ShieldReason",
    "ShieldDecision",
    "ShieldResult",
    "ProtectionSettings",
    "Lockdown",
    "Protection",
    "Notice",
    "ReportReceipt",
    "Report",
    "StatusChange",
    "ChainVerification",
    "DayStats",
    "Stats",
    "Health",
]

#: The six label names the model scores, in the server's order.
LABELS: Tuple[str, ...] = ("toxic", "insult", "threat", "identity_attack", "obscene", "targeted_person")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


# ---------------------------------------------------------------- helpers


def _frozen(mapping: Optional[Mapping[str, Any]]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


def _parse_time(value: Any) -> Optional[datetime]:
    """ISO 8601 (``Z`` allowed) -> aware datetime; ``None`` stays ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def _format_time(value: Optional[datetime]) -> Optional[str]:
    if value is None:
        return None
    if value.tzinfo is not None and value.utcoffset() == timezone.utc.utcoffset(None):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _opt_float(value: Any) -> Optional[float]:
    return None if value is None else float(value)


def _opt_int(value: Any) -> Optional[int]:
    return None if value is None else int(value)


def _opt_str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _plain(value: Any) -> Any:
    """Mapping proxies / tuples -> dicts / lists, recursively (for JSON)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _raw(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return _frozen(data)


def _raw_field() -> Any:
    return field(default_factory=lambda: _EMPTY, compare=False, repr=False)


# ---------------------------------------------------------------- analysis


@dataclass(frozen=True)
class Span:
    """A stretch of the text that drove its score: ``text[start:end]``.

    Offsets are Python string indices (code points) into the text as sent.
    """

    start: int
    end: int
    score: float

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Span":
        """Build from the server's ``{"start", "end", "score"}``."""
        return cls(start=int(data["start"]), end=int(data["end"]), score=float(data.get("score", 0.0)))

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {"start": self.start, "end": self.end, "score": self.score}


@dataclass(frozen=True)
class Labels:
    """Probabilities (0–1) for each of the model's six labels."""

    toxic: float = 0.0
    insult: float = 0.0
    threat: float = 0.0
    identity_attack: float = 0.0
    obscene: float = 0.0
    targeted_person: float = 0.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Labels":
        """Build from the server's ``labels`` object (unknown labels ignored)."""
        return cls(**{name: float(data.get(name, 0.0)) for name in LABELS})

    def to_dict(self) -> Dict[str, float]:
        """``{label: probability}`` in the server's order."""
        return {name: getattr(self, name) for name in LABELS}

    def top(self) -> Tuple[str, float]:
        """The highest-scoring label and its probability."""
        return max(self.to_dict().items(), key=lambda item: item[1])

    def above(self, threshold: float) -> Tuple[str, ...]:
        """Names of the labels whose probability is at least ``threshold``."""
        return tuple(name for name, value in self.to_dict().items() if value >= threshold)


@dataclass(frozen=True)
class ModelInfo:
    """Which model produced a result."""

    name: str
    version: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ModelInfo":
        """Build from the server's ``model`` object."""
        return cls(name=str(data.get("name", "")), version=str(data.get("version", "")))

    def to_dict(self) -> Dict[str, str]:
        """JSON-ready form."""
        return {"name": self.name, "version": self.version}


@dataclass(frozen=True)
class ItemError:
    """Why one item of a batch has no score: the server could not analyse that
    text (it logged the failure without the text); the other items of the
    request were scored as usual.

    Attributes:
        code: A stable machine-readable code, e.g. ``"analysis_failed"``.
        message: A short human-readable explanation.
    """

    code: str
    message: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ItemError":
        """Build from the server's per-item ``error`` object."""
        return cls(code=str(data.get("code", "")), message=str(data.get("message") or ""))

    def to_dict(self) -> Dict[str, str]:
        """JSON-ready form."""
        return {"code": self.code, "message": self.message}


def _opt_error(data: Mapping[str, Any]) -> Optional[ItemError]:
    err = data.get("error")
    return ItemError.from_dict(err) if isinstance(err, Mapping) else None


@dataclass(frozen=True)
class AnalysisResult:
    """The model's verdict on one text.

    Attributes:
        text: The text as it was sent (filled in by the SDK; the server never
            echoes text back).
        toxic: Whether the text crossed the server's threshold for its language.
        score: Probability of the ``toxic`` label, 0–1.
        severity: ``"none"``, ``"low"``, ``"medium"`` or ``"high"``.
        labels: Probability of each of the six labels.
        language: Detected (or requested) language, e.g. ``"en"`` or ``"zh"``.
        spans: The stretches that drove the score (only with ``explain=True``).
        error: Set (and the text unscored: ``toxic`` False, ``score`` 0) when
            the server could not analyse this one text; see :attr:`ok`.
    """

    text: str
    toxic: bool
    score: float
    severity: str
    labels: Labels
    language: str
    spans: Tuple[Span, ...] = ()
    error: Optional[ItemError] = None
    raw: Mapping[str, Any] = _raw_field()

    @property
    def ok(self) -> bool:
        """Whether the text was scored (``error`` is ``None``)."""
        return self.error is None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], text: Optional[str] = None) -> "AnalysisResult":
        """Build from one element of the server's ``results`` (``text`` is
        taken from the argument, else from ``data["text"]`` if present)."""
        error = _opt_error(data)
        if error is not None:   # this one text failed on the server; its batch mates did not
            return cls(text=text if text is not None else str(data.get("text", "")), toxic=False, score=0.0,
                       severity="none", labels=Labels(), language=str(data.get("language", "")), error=error,
                       raw=_raw({k: v for k, v in data.items() if k != "text"}))
        return cls(
            text=text if text is not None else str(data.get("text", "")),
            toxic=bool(data["toxic"]),
            score=float(data["score"]),
            severity=str(data.get("severity", "none")),
            labels=Labels.from_dict(data.get("labels") or {}),
            language=str(data.get("language", "")),
            spans=tuple(Span.from_dict(s) for s in data.get("spans") or ()),
            raw=_raw({k: v for k, v in data.items() if k != "text"}),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form: the server's fields plus ``text``."""
        if self.error is not None:
            return {"text": self.text, "error": self.error.to_dict()}
        return {
            "text": self.text,
            "toxic": self.toxic,
            "score": self.score,
            "severity": self.severity,
            "labels": self.labels.to_dict(),
            "language": self.language,
            "spans": [s.to_dict() for s in self.spans],
        }

    def span_texts(self) -> Tuple[str, ...]:
        """The text of each span (``text[start:end]``)."""
        return tuple(self.text[s.start:s.end] for s in self.spans)


@dataclass(frozen=True)
class Analysis(Sequence[AnalysisResult]):
    """Everything :meth:`kindshield.Client.analyze` returned: one
    :class:`AnalysisResult` per input text, in input order, and the model.

    It behaves as a read-only sequence of results::

        analysis = client.analyze(["hello", "you idiot"])
        analysis[1].toxic
        [r.text for r in analysis if r.toxic]
    """

    results: Tuple[AnalysisResult, ...]
    model: ModelInfo

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], texts: Optional[Sequence[str]] = None) -> "Analysis":
        """Build from the server's ``{"results", "model"}``; ``texts`` (the
        request's texts, same order) fill in each result's ``text``."""
        items = list(data.get("results") or ())
        if texts is not None and len(texts) != len(items):
            raise ValueError(f"server returned {len(items)} results for {len(texts)} texts")
        return cls(
            results=tuple(
                AnalysisResult.from_dict(item, None if texts is None else texts[i])
                for i, item in enumerate(items)
            ),
            model=ModelInfo.from_dict(data.get("model") or {}),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form (``{"results": [...], "model": {...}}``)."""
        return {"results": [r.to_dict() for r in self.results], "model": self.model.to_dict()}

    @property
    def any_toxic(self) -> bool:
        """Whether at least one text is toxic."""
        return any(r.toxic for r in self.results)

    @property
    def errors(self) -> Tuple[AnalysisResult, ...]:
        """Only the results the server could not score (``error`` set), in input order."""
        return tuple(r for r in self.results if r.error is not None)

    @property
    def toxic_results(self) -> Tuple[AnalysisResult, ...]:
        """Only the toxic results, in input order."""
        return tuple(r for r in self.results if r.toxic)

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[AnalysisResult]:
        return iter(self.results)

    @overload
    def __getitem__(self, index: int) -> AnalysisResult: ...

    @overload
    def __getitem__(self, index: slice) -> Tuple[AnalysisResult, ...]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[AnalysisResult, Tuple[AnalysisResult, ...]]:
        return self.results[index]


@dataclass(frozen=True)
class Precheck:
    """The writer-side check (:meth:`kindshield.Client.precheck`).

    Attributes:
        nudge: Whether to show the writer a gentle "are you sure?" prompt.
        nudge_id: Pass it to :meth:`kindshield.Client.record_outcome` once the
            writer decided; ``None`` when there is no nudge.
        message: The short suggestion to show, in the text's language.
        labels: Label probabilities of the text.
        spans: The words the suggestion points at.
        language: Language of the message (``"en"`` or ``"zh"``).
        flagged: The labels at or above their threshold (why it nudged).
        error: Set when the server could not analyse the text (then no nudge).
    """

    nudge: bool
    nudge_id: Optional[str]
    message: Optional[str]
    labels: Labels
    spans: Tuple[Span, ...] = ()
    language: Optional[str] = None
    flagged: Tuple[str, ...] = ()
    error: Optional[ItemError] = None
    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Precheck":
        """Build from the server's precheck answer."""
        return cls(
            nudge=bool(data.get("nudge")),
            nudge_id=_opt_str(data.get("nudge_id")),
            message=_opt_str(data.get("message")),
            labels=Labels.from_dict(data.get("labels") or {}),
            spans=tuple(Span.from_dict(s) for s in data.get("spans") or ()),
            language=_opt_str(data.get("language")),
            flagged=tuple(str(x) for x in data.get("flagged") or ()),
            error=_opt_error(data),
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "flagged": list(self.flagged),
            "nudge": self.nudge,
            "nudge_id": self.nudge_id,
            "message": self.message,
            "labels": self.labels.to_dict(),
            "spans": [s.to_dict() for s in self.spans],
            "language": self.language,
            **({"error": self.error.to_dict()} if self.error is not None else {}),
        }


# ---------------------------------------------------------------- shielding


@dataclass(frozen=True)
class ShieldMessage:
    """One inbound item for :meth:`kindshield.Client.shield` (plain dicts in
    the server's shape are accepted too).

    Attributes:
        id: Your id for the item; decisions come back with it.
        text: The message or comment text.
        kind: ``"dm"``, ``"comment"``, ``"reply"`` or ``"mention"``.
        sender_id: The sender's id on your platform (hashed by the server
            before anything about it is kept).
        relation: The sender's relation to the recipient: ``"stranger"``,
            ``"follower"``, ``"following"``, ``"mutual"`` or ``"contact"``.
        sent_at: When it was sent (defaults to the server's now).
    """

    id: str
    text: str
    kind: str = "comment"
    sender_id: str = ""
    relation: str = "stranger"
    sent_at: Optional[datetime] = None

    def to_dict(self) -> Dict[str, Any]:
        """The server's message shape."""
        out: Dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "sender": {"id": self.sender_id, "relation": self.relation},
        }
        if self.sent_at is not None:
            out["sent_at"] = _format_time(self.sent_at)
        return out


@dataclass(frozen=True)
class ShieldReason:
    """One rule that contributed to a shielding decision.

    Attributes:
        rule: The rule's name, e.g. ``"allow_list"``, ``"hostile_fold"``,
            ``"hostile_block"``, ``"audience"``, ``"lockdown_stranger"``,
            ``"lockdown_hostile"``, ``"reclaimed_term"`` or ``"default"``.
        detail: A short human-readable explanation.
        labels: The labels the rule looked at, if any.
        action: The action this rule alone asked for.
    """

    rule: str
    detail: str = ""
    labels: Tuple[str, ...] = ()
    action: str = "deliver"

    @classmethod
    def from_dict(cls, data: Union[Mapping[str, Any], str]) -> "ShieldReason":
        """Build from one of the server's reasons (a plain string becomes the
        rule name)."""
        if isinstance(data, str):
            return cls(rule=data)
        return cls(
            rule=str(data.get("rule", "")),
            detail=str(data.get("detail") or ""),
            labels=tuple(str(x) for x in data.get("labels") or ()),
            action=str(data.get("action") or "deliver"),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {"rule": self.rule, "labels": list(self.labels), "action": self.action, "detail": self.detail}


@dataclass(frozen=True)
class ShieldDecision:
    """What to do with one shielded item.

    Attributes:
        id: The item's id, as sent.
        action: ``"deliver"``, ``"fold"`` or ``"block"``.
        reasons: The rules (and labels) behind the action.
        score: The model's toxicity score for the item's text.
        labels: The item's label probabilities, when the server sends them.
        error: Set when the server could not analyse this item's text (then
            only the rules that need no text decided it).
    """

    id: str
    action: str
    reasons: Tuple[ShieldReason, ...] = ()
    score: Optional[float] = None
    labels: Optional[Labels] = None
    error: Optional[ItemError] = None
    raw: Mapping[str, Any] = _raw_field()

    @property
    def delivered(self) -> bool:
        """Whether the item should be shown normally."""
        return self.action == "deliver"

    @property
    def rules(self) -> Tuple[str, ...]:
        """The names of the rules in ``reasons``."""
        return tuple(r.rule for r in self.reasons)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ShieldDecision":
        """Build from one element of the server's ``decisions``."""
        return cls(
            id=str(data["id"]),
            action=str(data["action"]),
            reasons=tuple(ShieldReason.from_dict(r) for r in data.get("reasons") or ()),
            score=_opt_float(data.get("score")),
            labels=Labels.from_dict(data["labels"]) if isinstance(data.get("labels"), Mapping) else None,
            error=_opt_error(data),
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        out: Dict[str, Any] = {
            "id": self.id,
            "action": self.action,
            "reasons": [r.to_dict() for r in self.reasons],
            "score": self.score,
        }
        if self.labels is not None:
            out["labels"] = self.labels.to_dict()
        if self.error is not None:
            out["error"] = self.error.to_dict()
        return out


@dataclass(frozen=True)
class ShieldResult(Sequence[ShieldDecision]):
    """What :meth:`kindshield.Client.shield` returned: one
    :class:`ShieldDecision` per message, in order (it behaves as a read-only
    sequence of them), plus what the batch changed.

    Attributes:
        decisions: The decisions, in input order.
        lockdown_active: Whether a one-click lockdown was on.
        notices: Ids of risk notices this batch raised (a pile-on).
    """

    decisions: Tuple[ShieldDecision, ...]
    lockdown_active: Optional[bool] = None
    notices: Tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ShieldResult":
        """Build from the server's ``{"decisions", "lockdown_active", "notices"}``."""
        active = data.get("lockdown_active")
        return cls(
            decisions=tuple(ShieldDecision.from_dict(d) for d in data.get("decisions") or ()),
            lockdown_active=None if active is None else bool(active),
            notices=tuple(str(n) for n in data.get("notices") or ()),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "decisions": [d.to_dict() for d in self.decisions],
            "lockdown_active": self.lockdown_active,
            "notices": list(self.notices),
        }

    def by_id(self) -> Dict[str, ShieldDecision]:
        """``{message id: decision}``."""
        return {d.id: d for d in self.decisions}

    def __len__(self) -> int:
        return len(self.decisions)

    def __iter__(self) -> Iterator[ShieldDecision]:
        return iter(self.decisions)

    @overload
    def __getitem__(self, index: int) -> ShieldDecision: ...

    @overload
    def __getitem__(self, index: slice) -> Tuple[ShieldDecision, ...]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[ShieldDecision, Tuple[ShieldDecision, ...]]:
        return self.decisions[index]


# ---------------------------------------------------------------- protection


@dataclass(frozen=True)
class ProtectionSettings:
    """A user's fine-grained protection settings.

    Attributes:
        who_may_comment: ``"everyone"``, ``"followers"``, ``"mutuals"``,
            ``"contacts"`` or ``"nobody"``.
        who_may_message: Same choices, for direct messages.
        sensitivity: ``"relaxed"``, ``"standard"`` or ``"strict"``.
        allow_senders: Sender ids whose messages are always delivered.
        reclaimed_terms: Terms the user reclaims (never counted as abuse).
    """

    who_may_comment: str = "everyone"
    who_may_message: str = "everyone"
    sensitivity: str = "standard"
    allow_senders: Tuple[str, ...] = ()
    reclaimed_terms: Tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ProtectionSettings":
        """Build from the server's settings object."""
        return cls(
            who_may_comment=str(data.get("who_may_comment", "everyone")),
            who_may_message=str(data.get("who_may_message", "everyone")),
            sensitivity=str(data.get("sensitivity", "standard")),
            allow_senders=tuple(str(s) for s in data.get("allow_senders") or ()),
            reclaimed_terms=tuple(str(s) for s in data.get("reclaimed_terms") or ()),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "who_may_comment": self.who_may_comment,
            "who_may_message": self.who_may_message,
            "sensitivity": self.sensitivity,
            "allow_senders": list(self.allow_senders),
            "reclaimed_terms": list(self.reclaimed_terms),
        }


@dataclass(frozen=True)
class Lockdown:
    """A one-click lockdown (current or last).

    Attributes:
        active: Whether it protects right now.
        state: ``"active"``, ``"expired"`` or ``"ended_early"``.
        duration_hours: The length asked for (24, 72, 168 or 720).
        started_at: When it was turned on.
        until: When it ends (ended) by itself.
        ended_at: When it stopped, once it has.
        reminder_at: When the "ends soon" reminder falls due.
        remaining_seconds: Seconds of protection left.
    """

    active: bool
    state: str
    duration_hours: Optional[int] = None
    started_at: Optional[datetime] = None
    until: Optional[datetime] = None
    ended_at: Optional[datetime] = None
    reminder_at: Optional[datetime] = None
    remaining_seconds: Optional[int] = None
    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Lockdown":
        """Build from the server's lockdown object."""
        state = data.get("state")
        active = bool(data.get("active", state == "active"))
        return cls(
            active=active,
            state=str(state if state is not None else ("active" if active else "inactive")),
            duration_hours=_opt_int(data.get("duration_hours")),
            started_at=_parse_time(data.get("started_at")),
            until=_parse_time(data.get("until")),
            ended_at=_parse_time(data.get("ended_at")),
            reminder_at=_parse_time(data.get("reminder_at")),
            remaining_seconds=_opt_int(data.get("remaining_seconds")),
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "active": self.active,
            "state": self.state,
            "duration_hours": self.duration_hours,
            "started_at": _format_time(self.started_at),
            "until": _format_time(self.until),
            "ended_at": _format_time(self.ended_at),
            "reminder_at": _format_time(self.reminder_at),
            "remaining_seconds": self.remaining_seconds,
        }


@dataclass(frozen=True)
class Protection:
    """A user's protection: settings plus the current (or last) lockdown.

    ``active`` is the quick answer to "is one-click protection on now?" and
    ``until`` says when it ends.
    """

    settings: ProtectionSettings
    lockdown: Optional[Lockdown] = None
    raw: Mapping[str, Any] = _raw_field()

    @property
    def active(self) -> bool:
        """Whether a one-click lockdown protects the user right now."""
        flag = self.raw.get("lockdown_active")
        if flag is not None:
            return bool(flag)
        return self.lockdown is not None and self.lockdown.active

    @property
    def until(self) -> Optional[datetime]:
        """When the active lockdown ends (``None`` if none is active)."""
        return self.lockdown.until if self.active and self.lockdown else None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Protection":
        """Build from the server's protection object (settings either nested
        under ``"settings"`` or at the top level)."""
        settings = data.get("settings")
        if not isinstance(settings, Mapping):
            settings = data
        lockdown = data.get("lockdown")
        if not isinstance(lockdown, Mapping) and "until" in data and "active" in data:
            lockdown = data  # a one-click answer: the lockdown itself
        return cls(
            settings=ProtectionSettings.from_dict(settings),
            lockdown=Lockdown.from_dict(lockdown) if isinstance(lockdown, Mapping) else None,
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "settings": self.settings.to_dict(),
            "lockdown": self.lockdown.to_dict() if self.lockdown else None,
            "lockdown_active": self.active,
        }


# ---------------------------------------------------------------- notices


@dataclass(frozen=True)
class Notice:
    """A risk notice for the user (pile-on warning, lockdown reminder, recap).

    Attributes:
        id: Pass to :meth:`kindshield.resources.Notices.ack`.
        type: E.g. ``"pile_on"``, ``"lockdown_reminder"``, ``"lockdown_recap"``.
        title: A short heading.
        message: The notice text (English).
        message_zh: The notice text in Chinese, when the server gives one.
        created_at: When it was raised.
        acked_at: When it was acknowledged (``None`` while unread).
        recommended_action: E.g. ``"one_click_protection"``, if any.
        data: Everything else the notice carries (evidence counts, the
            recommended duration, the lockdown's id, ...).
    """

    id: str
    type: str
    title: Optional[str] = None
    message: Optional[str] = None
    message_zh: Optional[str] = None
    created_at: Optional[datetime] = None
    acked_at: Optional[datetime] = None
    recommended_action: Optional[str] = None
    data: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False)
    raw: Mapping[str, Any] = _raw_field()

    @property
    def acked(self) -> bool:
        """Whether the user has acknowledged the notice."""
        return self.acked_at is not None or bool(self.raw.get("acked"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Notice":
        """Build from one of the server's notices (its payload either flat or
        nested under ``payload`` / ``data``)."""
        inner = data.get("payload") if isinstance(data.get("payload"), Mapping) else data.get("data")
        inner = inner if isinstance(inner, Mapping) else {}
        merged = {**inner, **{k: v for k, v in data.items() if k not in ("payload", "data")}}
        known = {"id", "type", "kind", "title", "message", "message_zh", "created_at", "acked", "acked_at",
                 "recommended_action"}
        acked_at = _parse_time(merged.get("acked_at"))
        return cls(
            id=str(data["id"]),
            type=str(merged.get("type") or merged.get("kind") or ""),
            title=_opt_str(merged.get("title")),
            message=_opt_str(merged.get("message")),
            message_zh=_opt_str(merged.get("message_zh")),
            created_at=_parse_time(merged.get("created_at")),
            acked_at=acked_at,
            recommended_action=_opt_str(merged.get("recommended_action")),
            data=_frozen({k: v for k, v in merged.items() if k not in known}),
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "message": self.message,
            "message_zh": self.message_zh,
            "created_at": _format_time(self.created_at),
            "acked_at": _format_time(self.acked_at),
            "recommended_action": self.recommended_action,
            "data": _plain(self.data),
        }


# ---------------------------------------------------------------- reports


@dataclass(frozen=True)
class ReportReceipt:
    """The server's receipt for a filed report (a link in the hash chain).

    Attributes:
        id: The report's id.
        received_at: When the server stored it.
        sha256: This record's hash (covers content, screenshot hash and
            ``prev_sha256``).
        prev_sha256: The previous record's hash (all zeros for the first).
        seq: The record's position in the user's chain (1-based).
        status: The report's status (``"filed"`` for a new report).
    """

    id: str
    received_at: Optional[datetime]
    sha256: str
    prev_sha256: Optional[str] = None
    seq: Optional[int] = None
    status: Optional[str] = None
    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ReportReceipt":
        """Build from the server's ``201`` answer."""
        return cls(
            id=str(data["id"]),
            received_at=_parse_time(data.get("received_at")),
            sha256=str(data.get("sha256", "")),
            prev_sha256=_opt_str(data.get("prev_sha256")),
            seq=_opt_int(data.get("seq")),
            status=_opt_str(data.get("status")),
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "received_at": _format_time(self.received_at),
            "sha256": self.sha256,
            "prev_sha256": self.prev_sha256,
            "seq": self.seq,
            "status": self.status,
        }


@dataclass(frozen=True)
class StatusChange:
    """One step in a report's status history (a linked record in the chain).

    Attributes:
        status: ``"sent_to_platform"`` or ``"resolved"``.
        at: When it was recorded.
        note: The note given with the change.
        sha256: The status record's hash.
        id: The status record's id.
    """

    status: str
    at: Optional[datetime] = None
    note: Optional[str] = None
    sha256: Optional[str] = None
    id: Optional[str] = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "StatusChange":
        """Build from one element of a report's ``status_history``."""
        return cls(
            status=str(data.get("status", "")),
            at=_parse_time(data.get("at")),
            note=_opt_str(data.get("note")),
            sha256=_opt_str(data.get("sha256")),
            id=_opt_str(data.get("id")),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {"status": self.status, "at": _format_time(self.at), "note": self.note, "sha256": self.sha256,
                "id": self.id}


@dataclass(frozen=True)
class Report:
    """A stored report with its evidence.

    Attributes:
        id: The report's id.
        seq: Its position in the user's hash chain (1-based).
        status: ``"filed"``, ``"sent_to_platform"`` or ``"resolved"``.
        text: The abusive content, verbatim.
        url: Where it was seen.
        author: The author's handle.
        platform: The platform it was seen on.
        seen_at: When the user saw it.
        context: Surrounding context (only from :meth:`kindshield.Reports.get`).
        category: The report's category (``"harassment"``, ``"threat"``, ...).
        note: The user's note (only from :meth:`kindshield.Reports.get`).
        public: Whether the user offered the case for the transparency page.
        received_at: When the server stored it.
        sha256: The record's hash in the chain.
        prev_sha256: The previous record's hash.
        has_screenshot: Whether a screenshot is attached.
        screenshot_sha256: The screenshot's hash, if there is one.
        screenshot: The PNG bytes (only from :meth:`kindshield.Reports.get`).
        status_history: The status changes, oldest first (only from ``get``).
    """

    id: str
    seq: Optional[int] = None
    status: Optional[str] = None
    text: Optional[str] = None
    url: Optional[str] = None
    author: Optional[str] = None
    platform: Optional[str] = None
    seen_at: Optional[datetime] = None
    context: Optional[str] = None
    category: Optional[str] = None
    note: Optional[str] = None
    public: bool = False
    received_at: Optional[datetime] = None
    sha256: Optional[str] = None
    prev_sha256: Optional[str] = None
    has_screenshot: bool = False
    screenshot_sha256: Optional[str] = None
    screenshot: Optional[bytes] = field(default=None, repr=False)
    status_history: Tuple[StatusChange, ...] = ()
    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Report":
        """Build from one of the server's report objects (the screenshot comes
        as base64)."""
        shot = data.get("screenshot")
        screenshot = base64.b64decode(shot) if isinstance(shot, str) and shot else None
        shot_hash = _opt_str(data.get("screenshot_sha256"))
        return cls(
            id=str(data["id"]),
            seq=_opt_int(data.get("seq")),
            status=_opt_str(data.get("status")),
            text=_opt_str(data.get("text")),
            url=_opt_str(data.get("url")),
            author=_opt_str(data.get("author")),
            platform=_opt_str(data.get("platform")),
            seen_at=_parse_time(data.get("seen_at")),
            context=_opt_str(data.get("context")),
            category=_opt_str(data.get("category")),
            note=_opt_str(data.get("note")),
            public=bool(data.get("public", False)),
            received_at=_parse_time(data.get("received_at")),
            sha256=_opt_str(data.get("sha256")),
            prev_sha256=_opt_str(data.get("prev_sha256")),
            has_screenshot=bool(data.get("has_screenshot", screenshot is not None or shot_hash is not None)),
            screenshot_sha256=shot_hash,
            screenshot=screenshot,
            status_history=tuple(StatusChange.from_dict(h) for h in data.get("status_history") or ()),
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form (the screenshot as base64)."""
        return {
            "id": self.id,
            "seq": self.seq,
            "status": self.status,
            "text": self.text,
            "url": self.url,
            "author": self.author,
            "platform": self.platform,
            "seen_at": _format_time(self.seen_at),
            "context": self.context,
            "category": self.category,
            "note": self.note,
            "public": self.public,
            "received_at": _format_time(self.received_at),
            "sha256": self.sha256,
            "prev_sha256": self.prev_sha256,
            "has_screenshot": self.has_screenshot,
            "screenshot_sha256": self.screenshot_sha256,
            "screenshot": base64.b64encode(self.screenshot).decode("ascii") if self.screenshot else None,
            "status_history": [h.to_dict() for h in self.status_history],
        }


@dataclass(frozen=True)
class ChainVerification:
    """Result of checking the report hash chain.

    Attributes:
        ok: ``True`` if every record's hash still matches its content.
        checked: How many records were checked.
        first_bad: Id of the first record that no longer matches, if any.
        first_bad_seq: Its position in the chain (1-based), if the server says.
        reason: Why it does not check out, if the server says.
    """

    ok: bool
    checked: int
    first_bad: Optional[str] = None
    first_bad_seq: Optional[int] = None
    reason: Optional[str] = None
    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ChainVerification":
        """Build from the server's ``{"ok", "checked", "first_bad"}``."""
        return cls(
            ok=bool(data["ok"]),
            checked=int(data.get("checked", 0)),
            first_bad=_opt_str(data.get("first_bad")),
            first_bad_seq=_opt_int(data.get("first_bad_seq")),
            reason=_opt_str(data.get("reason")),
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad": self.first_bad,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason,
        }


# ---------------------------------------------------------------- stats / health


@dataclass(frozen=True)
class DayStats:
    """Counts for one day (UTC).

    ``counts`` maps each counter (``analysed``, ``flagged``, ``folded``,
    ``blocked``, ``nudges_shown``, ``nudges_heeded``, ``notices``,
    ``lockdowns``, ``reports``, ...) to its value; ``day[name]`` reads one
    (0 when absent).
    """

    date: date
    counts: Mapping[str, int]

    def __getitem__(self, name: str) -> int:
        return int(self.counts.get(name, 0))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DayStats":
        """Build from ``{"date": "YYYY-MM-DD", <counter>: n, ...}`` (counters
        possibly nested under ``"counts"``)."""
        raw_date = data.get("date", data.get("day"))
        nested = data.get("counts")
        counts: Mapping[str, Any] = nested if isinstance(nested, Mapping) else {
            k: v for k, v in data.items() if k not in ("date", "day")
        }
        return cls(
            date=date.fromisoformat(str(raw_date)[:10]),
            counts=_frozen({k: int(v) for k, v in counts.items() if isinstance(v, (int, float))}),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form (``{"date": ..., <counter>: n, ...}``)."""
        return {"date": self.date.isoformat(), **dict(self.counts)}


@dataclass(frozen=True)
class Stats:
    """Per-day counts and totals (:meth:`kindshield.Client.stats`).

    Attributes:
        days: One :class:`DayStats` per day, oldest first.
        totals: Each counter summed over ``days``.
        scope: ``"user"`` for an ordinary key, ``"instance"`` for an admin key
            (when the server says).
    """

    days: Tuple[DayStats, ...]
    totals: Mapping[str, int]
    scope: Optional[str] = None
    raw: Mapping[str, Any] = _raw_field()

    def total(self, name: str) -> int:
        """One total (0 when absent)."""
        return int(self.totals.get(name, 0))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Stats":
        """Build from the server's stats object."""
        days = tuple(sorted((DayStats.from_dict(d) for d in data.get("days") or ()), key=lambda d: d.date))
        totals = data.get("totals")
        if not isinstance(totals, Mapping):
            summed: Dict[str, int] = {}
            for day in days:
                for key, value in day.counts.items():
                    summed[key] = summed.get(key, 0) + value
            totals = summed
        return cls(
            days=days,
            totals=_frozen({k: int(v) for k, v in totals.items() if isinstance(v, (int, float))}),
            scope=_opt_str(data.get("scope")),
            raw=_raw(data),
        )

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {"days": [d.to_dict() for d in self.days], "totals": dict(self.totals), "scope": self.scope}


@dataclass(frozen=True)
class Health:
    """Whether the server is alive and ready (:meth:`kindshield.Client.health`).

    Attributes:
        alive: ``GET /healthz`` answered 200.
        ready: ``GET /readyz`` answered 200 (model loaded, database reachable).
        details: What ``/readyz`` said (checks, model version, ...).
    """

    alive: bool
    ready: bool
    details: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False)

    @property
    def ok(self) -> bool:
        """Alive and ready."""
        return self.alive and self.ready

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {"alive": self.alive, "ready": self.ready, "details": _plain(self.details)}
