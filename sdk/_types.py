"""Typed, immutable results (and inputs) of the Kindshield API.

Every result is a frozen dataclass built with ``from_dict`` from the server's
JSON; ``to_dict`` gives JSON-ready data back (``from_dict(x.to_dict()) == x``).
Both go through one converter driven by the fields and their type hints
(``_convert``); a class writes its own only for what the types cannot say.
Fields the server sends that this SDK version does not know are kept in
``raw`` (excluded from equality and ``repr``), so nothing is lost when the
server grows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Dict, Iterator, Literal, Mapping, Optional, Sequence, Tuple, Union, overload

from ._convert import (
    JsonMixin,
    format_time,
    from_json,
    frozen,
    json_field,
    parse_time,
    plain,
    raw_field,
    to_json,
)

#: Fixed values, as :data:`typing.Literal` types (a type checker catches a misspelt value).
Language = Literal["auto", "en", "zh"]
Severity = Literal["none", "low", "medium", "high"]
ShieldAction = Literal["deliver", "fold", "block"]
MessageKind = Literal["dm", "comment", "reply", "mention"]
Relation = Literal["stranger", "follower", "following", "mutual", "contact"]
Audience = Literal["everyone", "followers", "mutuals", "contacts", "nobody"]
Sensitivity = Literal["relaxed", "standard", "strict"]
LockdownState = Literal["active", "expired", "ended_early"]
ReportStatus = Literal["filed", "sent_to_platform", "resolved"]
NudgeOutcome = Literal["edited", "posted_anyway", "discarded"]
ReportFormat = Literal["json", "csv"]

__all__ = [
    "Language", "Severity", "ShieldAction", "MessageKind", "Relation", "Audience", "Sensitivity", "LockdownState",
    "ReportStatus", "NudgeOutcome", "ReportFormat",
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

# the converter (one for every class: fields and type hints decide) and its helpers, under the
# names the rest of the SDK uses
_EMPTY: Mapping[str, Any] = MappingProxyType({})
_frozen = frozen
_parse_time = parse_time
_format_time = format_time
_plain = plain
_raw_field = raw_field


# ---------------------------------------------------------------- analysis


@dataclass(frozen=True)
class Span(JsonMixin):
    """A stretch of the text that drove its score: ``text[start:end]``.

    Offsets are Python string indices (code points) into the text as sent.
    """

    start: int
    end: int
    score: float = json_field(absent=0.0)


@dataclass(frozen=True)
class Labels(JsonMixin):
    """Probabilities (0–1) for each of the model's six labels."""

    toxic: float = 0.0
    insult: float = 0.0
    threat: float = 0.0
    identity_attack: float = 0.0
    obscene: float = 0.0
    targeted_person: float = 0.0

    def top(self) -> Tuple[str, float]:
        """The highest-scoring label and its probability."""
        return max(self.to_dict().items(), key=lambda item: item[1])

    def above(self, threshold: float) -> Tuple[str, ...]:
        """Names of the labels whose probability is at least ``threshold``."""
        return tuple(name for name, value in self.to_dict().items() if value >= threshold)


@dataclass(frozen=True)
class ModelInfo(JsonMixin):
    """Which model produced a result."""

    name: str = json_field(absent="")
    version: str = json_field(absent="")


@dataclass(frozen=True)
class ItemError(JsonMixin):
    """Why one item of a batch has no score: the server could not analyse that
    text (it logged the failure without the text); the other items of the
    request were scored as usual.

    Attributes:
        code: A stable machine-readable code, e.g. ``"analysis_failed"``.
        message: A short human-readable explanation.
    """

    code: str = json_field(absent="")
    message: str = ""


@dataclass(frozen=True)
class AnalysisResult(JsonMixin):
    """The model's verdict on one text.

    Attributes:
        text: The text as it was sent (filled in by the SDK; the server never
            echoes text back).
        toxic: Whether the text crossed the server's threshold for its language.
            This one field decides: blur, fold, block and nudge follow it.
        score: Probability of the ``toxic`` label, 0–1.
        kinds: When ``toxic``: the labels at or above their thresholds (what
            kind of hostility it is, e.g. ``("toxic", "threat")``); else empty.
        swearing: Swearing aimed at no one (``obscene`` over its threshold,
            not toxic). Hide it only for people who opted in (``hide_swearing``).
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
    severity: Severity = json_field(absent="none")
    labels: Labels
    language: str = json_field(absent="")
    spans: Tuple[Span, ...] = ()
    kinds: Tuple[str, ...] = ()
    swearing: bool = False
    error: Optional[ItemError] = json_field(default=None, omit_none=True)
    raw: Mapping[str, Any] = _raw_field()

    @property
    def ok(self) -> bool:
        """Whether the text was scored (``error`` is ``None``)."""
        return self.error is None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], text: Optional[str] = None) -> "AnalysisResult":
        """Build from one element of the server's ``results`` (``text`` is
        taken from the argument, else from ``data["text"]`` if present)."""
        text = text if text is not None else str(data.get("text", ""))
        raw = frozen({k: v for k, v in data.items() if k != "text"})
        error = data.get("error")
        if isinstance(error, Mapping):   # this one text failed on the server; its batch mates did not
            return cls(text=text, toxic=False, score=0.0, severity="none", labels=Labels(),
                       language=str(data.get("language", "")), error=ItemError.from_dict(error), raw=raw)
        return from_json(cls, data, text=text, raw=raw, error=None)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form: the server's fields plus ``text``."""
        if self.error is not None:
            return {"text": self.text, "error": self.error.to_dict()}
        return to_json(self)

    def span_texts(self) -> Tuple[str, ...]:
        """The text of each span (``text[start:end]``)."""
        return tuple(self.text[s.start:s.end] for s in self.spans)


@dataclass(frozen=True)
class Analysis(Sequence[AnalysisResult], JsonMixin):
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
        results = tuple(AnalysisResult.from_dict(item, None if texts is None else texts[i])
                        for i, item in enumerate(items))
        return from_json(cls, data, results=results)

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
class Precheck(JsonMixin):
    """The writer-side check (:meth:`kindshield.Client.precheck`).

    Attributes:
        nudge: Whether to show the writer a gentle "are you sure?" prompt.
        nudge_id: Pass it to :meth:`kindshield.Client.record_outcome` once the
            writer decided; ``None`` when there is no nudge.
        message: The short suggestion to show, in the text's language.
        labels: Label probabilities of the text.
        spans: The words the suggestion points at.
        language: Language of the message (``"en"`` or ``"zh"``).
        flagged: When it nudged: ``toxic`` and the labels at or above their
            thresholds; empty otherwise (swearing at no one never nudges).
        kind: The kind of hostility the nudge names (``"threat"``,
            ``"identity_attack"``, ``"insult"``, ``"obscene"`` or ``"toxic"``).
        error: Set when the server could not analyse the text (then no nudge).
    """

    nudge: bool = json_field(absent=False)
    nudge_id: Optional[str] = json_field(absent=None)
    message: Optional[str] = json_field(absent=None)
    labels: Labels
    spans: Tuple[Span, ...] = ()
    language: Optional[str] = None
    flagged: Tuple[str, ...] = ()
    kind: Optional[str] = None
    error: Optional[ItemError] = json_field(default=None, omit_none=True)
    raw: Mapping[str, Any] = _raw_field()

    _json_order = ("flagged",)   # to_dict's keys: why it nudged first, as before


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
    kind: MessageKind = "comment"
    sender_id: str = ""
    relation: Relation = "stranger"
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
class ShieldReason(JsonMixin):
    """One rule that contributed to a shielding decision.

    Attributes:
        rule: The rule's name, e.g. ``"allow_list"``, ``"hostile_fold"``,
            ``"hostile_block"``, ``"audience"``, ``"lockdown_stranger"``,
            ``"lockdown_hostile"``, ``"reclaimed_term"`` or ``"default"``.
        detail: A short human-readable explanation.
        labels: The labels the rule looked at, if any.
        action: The action this rule alone asked for.
    """

    rule: str = json_field(absent="")
    detail: str = ""
    labels: Tuple[str, ...] = ()
    action: ShieldAction = "deliver"

    _json_order = ("rule", "labels", "action", "detail")

    @classmethod
    def from_dict(cls, data: Union[Mapping[str, Any], str]) -> "ShieldReason":
        """Build from one of the server's reasons (a plain string becomes the
        rule name)."""
        if isinstance(data, str):
            return cls(rule=data)
        return from_json(cls, data)


@dataclass(frozen=True)
class ShieldDecision(JsonMixin):
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
    action: ShieldAction
    reasons: Tuple[ShieldReason, ...] = ()
    score: Optional[float] = None
    labels: Optional[Labels] = json_field(default=None, omit_none=True)
    error: Optional[ItemError] = json_field(default=None, omit_none=True)
    raw: Mapping[str, Any] = _raw_field()

    @property
    def delivered(self) -> bool:
        """Whether the item should be shown normally."""
        return self.action == "deliver"

    @property
    def rules(self) -> Tuple[str, ...]:
        """The names of the rules in ``reasons``."""
        return tuple(r.rule for r in self.reasons)


@dataclass(frozen=True)
class ShieldResult(Sequence[ShieldDecision], JsonMixin):
    """What :meth:`kindshield.Client.shield` returned: one
    :class:`ShieldDecision` per message, in order (it behaves as a read-only
    sequence of them), plus what the batch changed.

    Attributes:
        decisions: The decisions, in input order.
        lockdown_active: Whether a one-click lockdown was on.
        notices: Ids of risk notices this batch raised (a pile-on).
    """

    decisions: Tuple[ShieldDecision, ...] = json_field(absent=())
    lockdown_active: Optional[bool] = None
    notices: Tuple[str, ...] = ()

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
class ProtectionSettings(JsonMixin):
    """A user's fine-grained protection settings.

    Attributes:
        who_may_comment: ``"everyone"``, ``"followers"``, ``"mutuals"``,
            ``"contacts"`` or ``"nobody"``.
        who_may_message: Same choices, for direct messages.
        sensitivity: ``"relaxed"``, ``"standard"`` or ``"strict"``.
        allow_senders: Sender ids whose messages are always delivered.
        reclaimed_terms: Terms the user reclaims (never counted as abuse).
        hide_swearing: Fold swearing aimed at no one (off by default: only
            hostility is folded or blocked).
    """

    who_may_comment: Audience = "everyone"
    who_may_message: Audience = "everyone"
    sensitivity: Sensitivity = "standard"
    allow_senders: Tuple[str, ...] = ()
    reclaimed_terms: Tuple[str, ...] = ()
    hide_swearing: bool = False


@dataclass(frozen=True)
class Lockdown(JsonMixin):
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
    state: LockdownState
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
        return from_json(cls, data, active=active,
                         state=str(state if state is not None else ("active" if active else "inactive")))


@dataclass(frozen=True)
class Protection(JsonMixin):
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
        return from_json(cls, data, settings=ProtectionSettings.from_dict(settings),
                         lockdown=Lockdown.from_dict(lockdown) if isinstance(lockdown, Mapping) else None)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {**to_json(self), "lockdown_active": self.active}


# ---------------------------------------------------------------- notices


@dataclass(frozen=True)
class Notice(JsonMixin):
    """A risk notice for the user (pile-on warning, lockdown reminder, recap).

    Attributes:
        id: Pass to :meth:`kindshield.Notices.ack`.
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
        return from_json(cls, merged, id=str(data["id"]), type=str(merged.get("type") or merged.get("kind") or ""),
                         data=frozen({k: v for k, v in merged.items() if k not in known}), raw=frozen(data))


# ---------------------------------------------------------------- reports


@dataclass(frozen=True)
class ReportReceipt(JsonMixin):
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
    received_at: Optional[datetime] = json_field(absent=None)
    sha256: str = json_field(absent="")
    prev_sha256: Optional[str] = None
    seq: Optional[int] = None
    status: Optional[ReportStatus] = None
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class StatusChange(JsonMixin):
    """One step in a report's status history (a linked record in the chain).

    Attributes:
        status: ``"sent_to_platform"`` or ``"resolved"``.
        at: When it was recorded.
        note: The note given with the change.
        sha256: The status record's hash.
        id: The status record's id.
    """

    status: str = json_field(absent="")
    at: Optional[datetime] = None
    note: Optional[str] = None
    sha256: Optional[str] = None
    id: Optional[str] = None


@dataclass(frozen=True)
class Report(JsonMixin):
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
    status: Optional[ReportStatus] = None
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
        has_shot = (isinstance(shot, str) and bool(shot)) or data.get("screenshot_sha256") is not None
        return from_json(cls, data, has_screenshot=bool(data.get("has_screenshot", has_shot)))


@dataclass(frozen=True)
class ChainVerification(JsonMixin):
    """Result of checking the report hash chain.

    Attributes:
        ok: ``True`` if every record's hash still matches its content.
        checked: How many records were checked.
        first_bad: Id of the first record that no longer matches, if any.
        first_bad_seq: Its position in the chain (1-based), if the server says.
        reason: Why it does not check out, if the server says.
    """

    ok: bool
    checked: int = json_field(absent=0)
    first_bad: Optional[str] = None
    first_bad_seq: Optional[int] = None
    reason: Optional[str] = None
    raw: Mapping[str, Any] = _raw_field()


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
class Stats(JsonMixin):
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
        return from_json(cls, data, days=days,
                         totals=frozen({k: int(v) for k, v in totals.items() if isinstance(v, (int, float))}))


@dataclass(frozen=True)
class Health(JsonMixin):
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
