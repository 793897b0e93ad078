"""The stable name of a simulated device: a symlink to its pty, as udev's by-id links.

A pty's number (``/dev/pts/N``) is free again once every side has closed it, and the
next pty opened anywhere on the machine may take it (the suite on several workers
opens dozens). A host that keeps reopening the old number after an unplug could reach
another simulated device; a host configured with the link finds nothing there.
"""

from __future__ import annotations

from pathlib import Path


def point_link(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` in one step (a host never sees it half made)."""
    new = link.with_name(link.name + ".new")
    new.unlink(missing_ok=True)
    new.symlink_to(target)
    new.replace(link)


def remove_link(link: Path | None) -> None:
    """The device is unplugged: its name goes, as udev removes it."""
    if link is not None:
        link.unlink(missing_ok=True)


__all__ = ["point_link", "remove_link"]
