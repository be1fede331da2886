"""One converter between the server's JSON and the SDK's frozen dataclasses, driven by each
dataclass's fields and type hints (private: the public names are the classes in ``_types``).

``from_json(cls, data)`` builds an instance field by field:

* a field's JSON key is its name; a missing (or ``null``) key gives the field's default, or
  the ``absent`` value given with :func:`json_field`; a missing required field without one is a ``KeyError``;
* ``str``/``int``/``float``/``bool`` are cast; ``datetime`` parses ISO 8601 (``Z`` allowed),
  ``date`` the first ten characters, ``bytes`` base64;
* ``Optional[X]`` converts when present; ``Tuple[X, ...]`` converts each element;
  ``Mapping[...]`` becomes a read-only mapping; a dataclass uses its own ``from_dict``
  (``{}`` when a required one is missing; ``None`` for an optional one that is not an object);
* the field named ``raw`` keeps the whole object (unknown keys included).

``to_json(obj)`` is the reverse: JSON-ready values in field order (or the class's
``_json_order``), without ``raw`` (and without ``omit_none`` fields while they are ``None``).
"""
from __future__ import annotations

import base64
import dataclasses
import sys
import typing
from collections import abc
from datetime import date, datetime, timezone
from types import MappingProxyType
from typing import Any, Dict, Mapping, Optional, Tuple

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_MISSING = dataclasses.MISSING
_HINTS: Dict[type, Dict[str, Any]] = {}


def frozen(mapping: Optional[Mapping[str, Any]]) -> Mapping[str, Any]:
    """A read-only copy of ``mapping`` (``None`` -> empty)."""
    return MappingProxyType(dict(mapping or {}))


def raw_field() -> Any:
    """The ``raw`` field: the server's whole object, excluded from equality and ``repr``."""
    return dataclasses.field(default_factory=lambda: _EMPTY, compare=False, repr=False)


def json_field(*, absent: Any = _MISSING, omit_none: bool = False, **kwargs: Any) -> Any:
    """A dataclass field with conversion options: ``absent`` is the value when the server leaves
    the key out (for a field the constructor requires); with ``omit_none`` :func:`to_json` leaves
    the field out while it is ``None``.  Other arguments go to :func:`dataclasses.field`."""
    metadata: Dict[str, Any] = {"omit_none": omit_none}
    if absent is not _MISSING:
        metadata["absent"] = absent
    return dataclasses.field(metadata=metadata, **kwargs)


def parse_time(value: Any) -> Optional[datetime]:
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


def format_time(value: Optional[datetime]) -> Optional[str]:
    if value is None:
        return None
    if value.tzinfo is not None and value.utcoffset() == timezone.utc.utcoffset(None):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def plain(value: Any) -> Any:
    """Mapping proxies / tuples -> dicts / lists, recursively (for JSON)."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _hints(cls: type) -> Dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
        _HINTS[cls] = hints
    return hints


def _optional_of(tp: Any) -> Any:
    """``X`` for ``Optional[X]``, else None."""
    if typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
    return None


def _load(tp: Any, value: Any) -> Any:
    inner = _optional_of(tp)
    if inner is not None:
        if value is None:
            return None
        if dataclasses.is_dataclass(inner) and not isinstance(value, Mapping):
            return None
        return _load(inner, value)
    origin = typing.get_origin(tp)
    if origin is tuple:
        (item, *_rest) = typing.get_args(tp)
        return tuple(_load(item, v) for v in value or ())
    if isinstance(origin, type) and issubclass(origin, abc.Mapping):
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is int:
            return frozen({str(k): int(v) for k, v in (value or {}).items() if isinstance(v, (int, float))})
        return frozen(value)
    if dataclasses.is_dataclass(tp):
        return tp.from_dict(value or {})
    if tp is datetime:
        return parse_time(value)
    if tp is date:
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if tp is bytes:
        return base64.b64decode(value) if isinstance(value, str) and value else None
    if tp in (str, int, float, bool):
        return tp(value)
    return value


def from_json(cls: type, data: Mapping[str, Any], /, **given: Any) -> Any:
    """An instance of the dataclass ``cls`` from the server's object ``data``; ``given``
    fields are taken as they are (already converted)."""
    hints = _hints(cls)
    values: Dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.name in given:
            values[f.name] = given[f.name]
            continue
        if f.name == "raw":
            values["raw"] = frozen(data)
            continue
        value = data.get(f.name)
        if value is None:
            if "absent" in f.metadata:
                values[f.name] = f.metadata["absent"]
                continue
            if f.default is not _MISSING or f.default_factory is not _MISSING:
                continue   # the field's own default
            if dataclasses.is_dataclass(hints[f.name]):
                values[f.name] = hints[f.name].from_dict({})
                continue
            if f.name not in data:
                raise KeyError(f.name)
        values[f.name] = _load(hints[f.name], value)
    return cls(**values)


def _dump(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "to_dict") and dataclasses.is_dataclass(value):
        return value.to_dict()
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii") if value else None
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    if isinstance(value, Mapping):
        return plain(value)
    return value


def to_json(obj: Any) -> Dict[str, Any]:
    """The JSON-ready form of the dataclass instance ``obj`` (``raw`` left out)."""
    out: Dict[str, Any] = {}
    fields = dataclasses.fields(obj)
    order = getattr(type(obj), "_json_order", None)   # a class may put its keys in another order
    if order:
        fields = sorted(fields, key=lambda f: order.index(f.name) if f.name in order else len(order))
    for f in fields:
        if f.name == "raw":
            continue
        value = getattr(obj, f.name)
        if value is None and f.metadata.get("omit_none"):
            continue
        out[f.name] = _dump(value)
    return out


class JsonMixin:
    """``from_dict`` / ``to_dict`` through the converter, for dataclasses that need nothing else."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]):  # type: ignore[no-untyped-def]
        """Build from the server's JSON object (unknown keys kept in ``raw`` where there is one)."""
        return from_json(cls, data)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return to_json(self)

    @property
    def meta(self) -> Any:
        """The answer this result came from, a :class:`kindshield.ResponseMeta` (request id to
        quote to an operator, response headers such as ``X-RateLimit-Remaining``); for a call
        split into several requests, the last one. ``None`` for a result built locally."""
        return getattr(self, "_kindshield_meta", None)


__all__: Tuple[str, ...] = ()
