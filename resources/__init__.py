"""Data shipped with the kiosk: default settings, catalogues, styles, translations."""

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A file or folder under ``resources/``, wherever the package is installed."""
    node: Traversable = files(__name__)
    for part in parts:
        node = node.joinpath(part)
    return node
