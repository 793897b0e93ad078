"""A virtual X display (Xvfb) for tests and for the demo on a machine with no screen.

No Qt here: the display is started before any Qt process that uses it.

    with VirtualDisplay(1920, 1080) as display:
        subprocess.run([...], env=display.env())

Xvfb picks a free display number itself (``-displayfd``) and writes it once it
accepts connections, so there is no guessing and no race with another Xvfb.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from types import TracebackType
from typing import IO

START_TIMEOUT_S = 20.0


class DisplayError(RuntimeError):
    """Xvfb is missing or did not start."""


def xvfb_available() -> bool:
    return shutil.which("Xvfb") is not None


class VirtualDisplay:
    """An Xvfb server with ``screens`` monitors of ``width`` x ``height`` side by side on
    one desktop, as a PC with a touchscreen and a lobby TV (RandR monitors, which Qt
    lists as separate screens, first to last, followed by the whole desktop as one more;
    needs ``xrandr`` for more than one)."""

    def __init__(self, width: int = 1920, height: int = 1080, *, screens: int = 1,
                 depth: int = 24) -> None:
        self.width, self.height, self.screens, self.depth = width, height, screens, depth
        self.number: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def name(self) -> str:
        if self.number is None:
            raise DisplayError("the virtual display is not running")
        return f":{self.number}"

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for a Qt process on this display (xcb platform)."""
        env = dict(os.environ if base is None else base)
        env["DISPLAY"] = self.name
        env["QT_QPA_PLATFORM"] = "xcb"
        return env

    def start(self) -> VirtualDisplay:
        if not xvfb_available():
            raise DisplayError("Xvfb is not installed (Debian package xvfb; "
                               "scripts/setup.sh installs it)")
        # Xvfb's messages go to a file, not a pipe: a full pipe would stall the server.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        read_fd, write_fd = os.pipe()
        command = ["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp", "-noreset",
                   "-screen", "0", f"{self.width * self.screens}x{self.height}x{self.depth}"]
        try:
            self._process = subprocess.Popen(command, pass_fds=(write_fd,),
                                             stdout=subprocess.DEVNULL,
                                             stderr=self._log)
        finally:
            os.close(write_fd)
        try:
            self.number = self._read_number(read_fd)
        except DisplayError:
            self.stop()
            raise
        finally:
            os.close(read_fd)
        if self.screens > 1:
            self._split_monitors()
        return self

    def _split_monitors(self) -> None:
        env = self.env()
        mm_w, mm_h = self.width * 254 // 960, self.height * 254 // 960  # 96 dpi
        try:
            for index in range(self.screens):
                geometry = f"{self.width}/{mm_w}x{self.height}/{mm_h}+{index * self.width}+0"
                subprocess.run(["xrandr", "--setmonitor", f"screen{index}", geometry, "none"],
                               env=env, check=True, capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            self.stop()
            raise DisplayError(f"could not split the display into monitors: {exc}") from exc

    def _read_number(self, fd: int) -> int:
        deadline = time.monotonic() + START_TIMEOUT_S
        data = b""
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise DisplayError("Xvfb did not report a display within "
                                   f"{START_TIMEOUT_S:.0f} s")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 16)
            if not chunk:  # Xvfb exited
                assert self._log is not None
                self._log.seek(0)
                err = self._log.read().decode(errors="replace")
                raise DisplayError(f"Xvfb exited before it was ready: {err.strip()[-500:]}")
            data += chunk
        return int(data.strip())

    def stop(self) -> None:
        process, self._process = self._process, None
        log, self._log = self._log, None
        if log is not None:
            log.close()
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.number = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> VirtualDisplay:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
