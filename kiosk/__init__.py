"""Lobby Kiosk core: domain, database, queue engine and CLI. Never imports Qt."""

__version__ = "0.1.0"
