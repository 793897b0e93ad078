"""The errors a document layout or a device driver raises on purpose.

Every one carries its message in Chinese and in English, so the CLI, the kiosk screens
and the counter terminal show the same words. The core (``kiosk.errors``) re-exports
this tree as ``KioskError`` and adds its business-rule kinds; the CLI maps the classes
to its exit codes (see ``kiosk.cli``).
"""

from __future__ import annotations


class BilingualError(Exception):
    """Base of every error the drivers and the core raise on purpose."""

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


class UsageError(BilingualError):
    """The request itself is malformed: unknown code, bad value, missing argument."""


class ConfigError(BilingualError):
    """A settings or catalogue file is malformed; nothing was changed."""


class DeviceError(BilingualError):
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
