"""The error tree of the core.

Every error a customer or a member of staff can cause carries its message in Chinese
and in English. The base and the kinds a driver can raise live in ``printers.errors``
(the drivers sit below the core and must not import it); they are re-exported here, so
``KioskError`` is the one base everything above catches. The CLI maps the classes to
its exit codes (see ``kiosk.cli``).
"""

from __future__ import annotations

from printers.errors import BilingualError, ConfigError, DeviceError, UsageError

KioskError = BilingualError
"""Base of every error the core and the drivers raise on purpose."""

__all__ = ["ConfigError", "DeviceError", "KioskError", "NotFound", "RuleRefused",
           "UsageError"]


class RuleRefused(KioskError):
    """A business rule refuses the request (closed service, daily cap, pause rule...)."""


class NotFound(UsageError):
    """The ticket, counter or job named does not exist."""
