"""Versions of the claim catalogue in the database.

Versions live in ``claim_catalogue`` (one row per imported version, the TOML text as
imported); the newest row of the branch is the one in use. A database that has none
uses the shipped file, and stores it the first time a check is recorded, so every
stored check can name the text it was made against. A text is validated in full
(:func:`kiosk.claims.catalogue.parse_catalogue`) before anything is stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.claims.catalogue import SHIPPED_SOURCE, ClaimCatalogue, parse_catalogue, shipped_text
from kiosk.errors import RuleRefused
from kiosk.models import ClaimCatalogueVersion


def active_catalogue(session: Session, branch_id: str) -> ClaimCatalogue:
    """The catalogue in use: the newest stored version, else the shipped file."""
    row = session.scalar(select(ClaimCatalogueVersion)
                         .where(ClaimCatalogueVersion.branch_id == branch_id)
                         .order_by(ClaimCatalogueVersion.id.desc()).limit(1))
    if row is None:
        return parse_catalogue(shipped_text(), SHIPPED_SOURCE)
    return parse_catalogue(row.text, f"{row.source} (stored version {row.version})")


def catalogue_version(session: Session, branch_id: str, version: str) -> ClaimCatalogue | None:
    """A stored version by its name, for reading an old check against its own text."""
    row = session.scalar(select(ClaimCatalogueVersion).where(
        ClaimCatalogueVersion.branch_id == branch_id, ClaimCatalogueVersion.version == version))
    if row is None:
        return None
    return parse_catalogue(row.text, f"{row.source} (stored version {row.version})")


def ensure_stored(session: Session, branch_id: str, now: datetime) -> ClaimCatalogue:
    """The catalogue in use, storing the shipped file first if nothing is stored."""
    exists = session.scalar(select(ClaimCatalogueVersion.id)
                            .where(ClaimCatalogueVersion.branch_id == branch_id).limit(1))
    if exists is None:
        catalogue = parse_catalogue(shipped_text(), SHIPPED_SOURCE)
        try:
            with session.begin_nested():
                session.add(ClaimCatalogueVersion(branch_id=branch_id,
                                                  version=catalogue.version,
                                                  source=SHIPPED_SOURCE, text=catalogue.text,
                                                  imported_at=now))
        except IntegrityError:
            # Another terminal stored the shipped file at the same moment (on PostgreSQL;
            # SQLite's write lock serialises this): the row we wanted is there.
            return active_catalogue(session, branch_id)
        return catalogue
    return active_catalogue(session, branch_id)


def store_catalogue(session: Session, branch_id: str, text: str, source: str,
                    now: datetime) -> ClaimCatalogue:
    """Validate ``text`` and make it the catalogue in use.

    Re-importing the text of the version in use changes nothing. Any other text must
    carry a new ``version`` (also to bring back an older text): a version name always
    means one text, so stored checks stay readable against it.

    Raises:
        ConfigError: the text is malformed (nothing stored).
        RuleRefused: the version name is already used for a different text.
    """
    catalogue = parse_catalogue(text, source)
    # The shipped version was in use until now: keep it in the history.
    ensure_stored(session, branch_id, now)
    existing = session.scalar(select(ClaimCatalogueVersion).where(
        ClaimCatalogueVersion.branch_id == branch_id,
        ClaimCatalogueVersion.version == catalogue.version))
    if existing is not None:
        newest = session.scalar(select(func.max(ClaimCatalogueVersion.id)).where(
            ClaimCatalogueVersion.branch_id == branch_id))
        if existing.text == text and existing.id == newest:
            return catalogue
        raise RuleRefused(f"目录版本 {catalogue.version} 已导入过，请为此内容设置新的 version",
                          f"catalogue version {catalogue.version!r} was already imported; give "
                          f"this text a new version", code="version_exists")
    session.add(ClaimCatalogueVersion(branch_id=branch_id, version=catalogue.version,
                                      source=source[:200], text=text, imported_at=now))
    session.flush()
    return catalogue


def stored_versions(session: Session, branch_id: str) -> list[ClaimCatalogueVersion]:
    """Every stored version, oldest first (the last one is in use)."""
    return list(session.scalars(select(ClaimCatalogueVersion)
                                .where(ClaimCatalogueVersion.branch_id == branch_id)
                                .order_by(ClaimCatalogueVersion.id)))


__all__ = ["active_catalogue", "catalogue_version", "ensure_stored", "store_catalogue",
           "stored_versions"]
