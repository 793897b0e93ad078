"""Declarative base and the column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import JSON, DateTime, MetaData, String, TypeDecorator, inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    make_transient_to_detached,
    mapped_column,
)
from sqlalchemy.orm.util import identity_key
from sqlalchemy.types import TypeEngine

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant on every backend (SQLite has no time zones of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant = cast(datetime, value)
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)


class JSONDocument(TypeDecorator[Any]):
    """JSON, stored as JSONB on PostgreSQL. The PostgreSQL type is looked up when a
    PostgreSQL engine first uses the column, so a process on SQLite never imports that
    dialect (a tenth of a command's start, issue 8)."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


JSONType = JSONDocument()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


RowT = TypeVar("RowT", bound=Base)


class BranchScoped:
    """Every table carries the branch id, so branches can roll up into one database."""

    branch_id: Mapped[str] = mapped_column(String(32), index=True)


def as_loaded(session: Session, cls: type[RowT], values: dict[str, Any]) -> RowT:
    """The row of ``cls`` that ``values`` describe (every column, by attribute name),
    persistent in ``session`` as if a query had just loaded it: no statement is run
    and nothing is left to flush. If the session holds that row already, that object
    is returned, as a query would return it.

    For the hot path of the queue (a row just inserted by one Core statement, rows
    cached by value): the ORM's constructor and flush cost more than the statement.

    Raises:
        ValueError: a column is missing from ``values``.
    """
    mapper = inspect(cls)
    missing = {attr.key for attr in mapper.column_attrs} - values.keys()
    if missing:
        raise ValueError(f"{cls.__name__} needs every column; missing {sorted(missing)}")
    key = identity_key(cls, tuple(values[mapper.get_property_by_column(column).key]
                                  for column in mapper.primary_key))
    held = session.identity_map.get(key)
    if held is not None:
        return held
    row = cast(RowT, mapper.class_manager.new_instance())
    row.__dict__.update(values)  # loaded values, as the ORM's loader sets them: no history
    make_transient_to_detached(row)
    session.add(row)  # it has its identity already: persistent, no INSERT
    return row
