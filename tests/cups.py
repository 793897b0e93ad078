"""A throw-away CUPS scheduler for the A4 tests: ``cupsd`` in a temp folder on a free
loopback port, with a queue whose backend copies each job into a folder the test
reads back. ``lp`` reaches it through ``CUPS_SERVER``, exactly as a kiosk PC's ``lp``
reaches the branch's print server. As root the scheduler runs its backends as the
``lp`` user (CUPS refuses root); otherwise as the current user."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.pg import free_port

_BACKEND = """#!/bin/sh
# Test backend: without arguments describe itself, else copy the job to the folder
# named by the device URI (kiosktest:/path/to/folder).
if [ $# -eq 0 ]; then echo 'direct kiosktest "Unknown" "Kiosk test output"'; exit 0; fi
out="${DEVICE_URI#kiosktest:}"
if [ -n "$6" ]; then cp "$6" "$out/job-$1.pdf"; else cat > "$out/job-$1.pdf"; fi
"""


class CupsServer:
    def __init__(self) -> None:
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        if not Path(cupsd).exists() or shutil.which("lp") is None:
            raise RuntimeError("cupsd or lp not found: run scripts/setup.sh (installs the "
                               "Debian packages cups-daemon and cups-client)")
        self.cupsd = cupsd
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        self.out = self.root / "out"
        self.port = free_port()
        self.server = f"127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        root = self.root
        for sub in ("spool", "cache", "state", "log", "ppd", "bin/backend", "out"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        (root / "bin" / "daemon").symlink_to("/usr/lib/cups/daemon")
        backend = root / "bin" / "backend" / "kiosktest"
        backend.write_text(_BACKEND)
        backend.chmod(0o755)
        root.chmod(0o755)
        self.out.chmod(0o777)
        if os.geteuid() == 0:
            user, group = "lp", "lp"
        else:
            user = pwd.getpwuid(os.getuid()).pw_name
            group = grp.getgrgid(os.getgid()).gr_name
        logs = "\n".join(f"{name} {root}/log/{name.lower()}"
                         for name in ("ErrorLog", "AccessLog", "PageLog"))
        (root / "cupsd.conf").write_text(f"""Listen {self.server}
LogLevel warn
{logs}
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""")
        (root / "cups-files.conf").write_text(f"""ServerRoot {root}
ServerBin {root}/bin
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/spool
{logs}
User {user}
Group {group}
SystemGroup root
Sandboxing relaxed
""")
        self._process = subprocess.Popen(
            [self.cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s",
             str(root / "cups-files.conf")], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not self._answers():
            if time.monotonic() > deadline or self._process.poll() is not None:
                self._process.kill()
                raise RuntimeError(f"cupsd did not start; see the log in {root}/log (kept)")
            time.sleep(0.05)

    @property
    def env(self) -> dict[str, str]:
        return {"CUPS_SERVER": self.server}

    def _answers(self) -> bool:
        done = subprocess.run(["lpstat", "-r"], env={**os.environ, **self.env},
                              capture_output=True, text=True, check=False)
        return "is running" in done.stdout

    def add_queue(self, name: str) -> None:
        subprocess.run(["lpadmin", "-p", name, "-E", "-v", f"kiosktest:{self.out}",
                        "-m", "raw"], env={**os.environ, **self.env}, check=True,
                       capture_output=True)

    def printed(self) -> list[Path]:
        return sorted(self.out.glob("job-*.pdf"))

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        shutil.rmtree(self.root, ignore_errors=True)
