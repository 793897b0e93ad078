"""The branch's administration: setting up the database, the branch settings (export,
import), the claim catalogue versions, and the end of the business day.

Files are validated in full before the database is touched; a file for another branch
is refused (it would add a second branch beside this one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.app.context import AppContext
from kiosk.app.errors import database_errors
from kiosk.app.results import Result
from kiosk.branch.info import current_branch_id, load_branch
from kiosk.branch.settings import BranchConfig, apply_config, dump_toml, export_document, load_toml
from kiosk.errors import UsageError
from kiosk.queue.lobby import Lobby


@dataclass(frozen=True)
class DatabaseReady(Result):
    """``schema``: the revisions applied (comma-separated); ``seeded``: the default (or
    given) settings were loaded into an empty database now; ``imported``: the settings
    file applied to a database that already had a branch."""

    schema: str
    seeded: bool
    imported: str | None


@dataclass(frozen=True)
class SettingsImported(Result):
    imported: str
    branch: str


@dataclass(frozen=True)
class SettingsText(Result):
    """The branch settings as TOML (the file ``settings import`` reads back)."""

    toml: str


@dataclass(frozen=True)
class CatalogueText(Result):
    """The claim catalogue in use as TOML, and its version."""

    toml: str
    version: str


@dataclass(frozen=True)
class CatalogueImported(Result):
    imported: str
    version: str
    types: int


@dataclass(frozen=True)
class CatalogueVersion(Result):
    version: str
    source: str
    imported_at: str | None
    in_use: bool


@dataclass(frozen=True)
class CatalogueVersions(Result):
    versions: tuple[CatalogueVersion, ...]


@dataclass(frozen=True)
class DayClosed(Result):
    expired: int
    rolled_up: int = 0
    """Final days of the last two months written into the KPI rollup (kiosk.reports)."""


def init_database(url: str | None = None, settings: Path | None = None) -> DatabaseReady:
    """Create or upgrade the database; seed ``settings`` (else the defaults) into an
    empty one. On a database that already has its branch, ``settings`` is imported as
    by :func:`import_settings` (same validation, same branch required), never ignored:
    ``kiosk init --settings FILE`` always leaves the branch with the file's settings."""
    from kiosk.migrate import current_revisions, ensure_ready

    config = load_toml(settings) if settings else None  # validated before any change
    app = AppContext.open(url, migrate=False)
    try:
        with database_errors(app.engine):
            seeded = ensure_ready(app.engine, config)
            revision = ",".join(sorted(current_revisions(app.engine)))
        imported = None
        if config is not None and not seeded and settings is not None:
            with app.write() as session:
                _apply_same_branch(session, config, str(settings))
            imported = str(settings)
    finally:
        app.close()
    return DatabaseReady(revision, seeded, imported)


def export_settings(app: AppContext) -> SettingsText:
    with app.read() as session:
        return SettingsText(dump_toml(export_document(session, current_branch_id(session))))


def import_settings(app: AppContext, path: Path) -> SettingsImported:
    """Validate the file in full, then apply it in one unit of work."""
    config = load_toml(path)
    with app.write() as session:
        _apply_same_branch(session, config, str(path))
    return SettingsImported(str(path), config.id)


def apply_settings(app: AppContext, config: BranchConfig) -> None:
    """Apply settings already parsed and validated (the demo's round-the-clock hours)."""
    with app.write() as session:
        _apply_same_branch(session, config, "the settings")


def _apply_same_branch(session: Session, config: BranchConfig, source: str) -> None:
    here = current_branch_id(session)
    if config.id != here:
        raise UsageError(
            f"{source} 是网点 {config.id} 的设置，本数据库属于网点 {here}",
            f"{source} holds the settings of branch {config.id}; this database belongs to "
            f"branch {here}", code="other_branch")
    apply_config(session, config)


def import_catalogue(app: AppContext, path: Path) -> CatalogueImported:
    """Validate a claim catalogue file in full and make it the version in use."""
    from kiosk.claims.catalogue import load_catalogue_file
    from kiosk.claims.catalogue_versions import store_catalogue

    catalogue = load_catalogue_file(str(path))
    with app.write() as session:
        store_catalogue(session, current_branch_id(session), catalogue.text, str(path),
                        clock.now())
    return CatalogueImported(str(path), catalogue.version, len(catalogue.types))


def export_catalogue(app: AppContext) -> CatalogueText:
    from kiosk.claims.catalogue_versions import active_catalogue

    with app.read() as session:
        catalogue = active_catalogue(session, current_branch_id(session))
    return CatalogueText(catalogue.text, catalogue.version)


def catalogue_versions(app: AppContext) -> CatalogueVersions:
    """Every stored version, oldest first; the last is in use (the shipped one alone
    when none was ever stored)."""
    from kiosk.claims.catalogue import SHIPPED_SOURCE
    from kiosk.claims.catalogue_versions import active_catalogue, stored_versions

    with app.read() as session:
        branch = load_branch(session)
        rows = stored_versions(session, branch.id)
        if not rows:
            return CatalogueVersions((CatalogueVersion(
                active_catalogue(session, branch.id).version, SHIPPED_SOURCE, None, True),))
        return CatalogueVersions(tuple(
            CatalogueVersion(r.version, r.source, branch.iso(r.imported_at),
                             i == len(rows) - 1) for i, r in enumerate(rows)))


def close_day(app: AppContext) -> DayClosed:
    """End of the business day: what still waits expires, the counters close; then the
    final days of the last two months not rolled up yet are written into the KPI
    rollup (one short transaction each; today is rolled up once it is over)."""
    from kiosk.app.reports import roll_up_recent

    with app.write() as session:
        expired = Lobby(session).close_day()
    return DayClosed(expired, roll_up_recent(app).written)


__all__ = ["CatalogueImported", "CatalogueText", "CatalogueVersion", "CatalogueVersions",
           "DatabaseReady", "DayClosed", "SettingsImported", "SettingsText", "apply_settings",
           "catalogue_versions", "close_day", "export_catalogue", "export_settings",
           "import_catalogue", "import_settings", "init_database"]
