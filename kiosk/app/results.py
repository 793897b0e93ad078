"""The one convention that turns typed results into JSON.

Every result of :mod:`kiosk.app` is a frozen dataclass deriving :class:`Result`. Its
fields hold only JSON-ready values: ``str``, ``int``, ``float``, ``bool``, ``None``,
tuples of them, ``dict[str, ...]`` of them, and nested ``Result``\\ s. Times are already
ISO 8601 strings with the branch's offset, dates ``YYYY-MM-DD``. :meth:`Result.to_json`
is ``dataclasses.asdict`` with tuples as lists, so the JSON key of a value is its field
name (or, where that would be a Python keyword, ``field(metadata=json_key("from"))``);
a field marked ``field(metadata=NOT_JSON)`` (an exception a caller may re-raise) is
left out. The CLI prints ``to_json()`` with ``--json``; a screen reads the fields.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

NOT_JSON = {"json": False}


def json_key(name: str) -> dict[str, str]:
    """Field metadata: the field's JSON key is ``name`` (``from_`` → ``"from"``)."""
    return {"json_key": name}


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python data (see the module's convention)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.metadata.get("json_key", f.name): plain(getattr(value, f.name))
                for f in fields(value) if f.metadata.get("json", True)}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


class Result:
    """Base of every typed result: ``to_json()`` by the module's convention."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        data = plain(self)
        assert isinstance(data, dict)
        return data


__all__ = ["NOT_JSON", "Result", "json_key", "plain"]
