"""The error tree of the core.

Every error a customer or a member of staff can cause carries its message in Chinese
and in English, so the CLI, the kiosk screens and the counter terminal show the same
words. The CLI maps the classes to its exit codes (see ``kiosk.cli``).
"""

from __future__ import annotations


class KioskError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, zh: str, en: str, *, code: str = "error") -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.code = code

    def message(self, lang: str = "zh") -> str:
        """The message in the user's language (``zh`` or ``en``)."""
        return self.en if lang == "en" else self.zh

    def bilingual(self) -> str:
        """Both languages on one line, Chinese first."""
        return f"{self.zh} / {self.en}"


class UsageError(KioskError):
    """The request itself is malformed: unknown code, bad value, missing argument."""


class RuleRefused(KioskError):
    """A business rule refuses the request (closed service, daily cap, pause rule...)."""


class NotFound(UsageError):
    """The ticket, counter or job named does not exist."""


class ConfigError(KioskError):
    """A settings or catalogue file is malformed; nothing was changed."""


class DeviceError(KioskError):
    """A serial device failed. ``port`` and ``hint`` tell a technician where to look."""

    def __init__(self, zh: str, en: str, *, port: str = "", hint: str = "",
                 code: str = "device") -> None:
        super().__init__(zh, en, code=code)
        self.port = port
        self.hint = hint

    def bilingual(self) -> str:
        text = super().bilingual()
        if self.port:
            text += f" [port {self.port}]"
        if self.hint:
            text += f" — {self.hint}"
        return text
