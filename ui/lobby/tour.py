"""Screenshot tour of the lobby display (``bash scripts/screenshots.sh display``): a
morning's board from demo data, a new call flashing, the reconnecting sign; at
1920x1080 also the same board at 3840x2160 (the runner's sizes stop at 1080p). No
large-text shots: the board is sized for the hall and ignores that setting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.app import AppContext
from kiosk.app.counters import call_next, open_counter, pause_counter
from kiosk.app.display import set_display_notice
from kiosk.app.staff import console
from kiosk.app.tickets import take_ticket
from ui.lobby.window import LobbyDisplay
from ui.screenshots import Camera, settle

MONDAY_MORNING = "2026-11-23T10:24:00+08:00"
TAKEN = ["claims"] * 9 + ["enquiry"] * 6 + ["policy_change"] * 3 + ["payments"] * 2 + [
    "vip"] * 2 + ["new_business"] * 2 + ["complaints"]


@contextmanager
def _at(instant: str) -> Iterator[None]:
    before = os.environ.get("KIOSK_NOW")
    os.environ["KIOSK_NOW"] = instant
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("KIOSK_NOW", None)
        else:
            os.environ["KIOSK_NOW"] = before


def demo_branch(app: AppContext) -> None:
    """Tickets of a busy morning, six counters, one paused, a notice."""
    for service in TAKEN:
        take_ticket(app, service)
    staff = console(app)
    for counter in range(1, 7):
        if counter != 2:
            open_counter(app, staff, counter, f"S0{counter}")
    for counter in (4, 1, 5, 3, 4, 6, 1, 5):
        call_next(app, staff, counter)
    pause_counter(app, staff, 3, reason="break")
    set_display_notice(app, "今日下午 15:00 后理赔业务暂停受理，敬请谅解 · Claims are not "
                            "accepted after 3 pm today. Thank you for your understanding.")


def tour(camera: Camera) -> None:
    if camera.variant.large:
        return  # the board ignores the touch screens' large text (ui.lobby.style): same shots
    with _at(MONDAY_MORNING):
        app = AppContext.open(f"sqlite:///{camera.workdir / 'display.db'}", station="TV-1")
        try:
            demo_branch(app)
            window = LobbyDisplay(app, refresh_ms=3_600_000)
            camera.show(window)
            camera.take("board")
            window.board.show_call("C004", 5, "call")
            camera.take("call-flash")
            window.board.set_reconnecting(True)
            camera.take("reconnecting")
            window.board.set_reconnecting(False)
            if camera.size == (1920, 1080) and not camera.variant.large:
                window.resize(3840, 2160)
                settle()
                path = camera.out_dir / (f"ui-{camera.tour}-board-"
                                         f"{camera.variant.slug.replace('1920x1080', '3840x2160')}"
                                         ".png")
                if not window.grab().save(str(path)):
                    raise OSError(f"could not write {path}")
                camera.taken.append(path)
            window.shutdown()
        finally:
            app.close()
