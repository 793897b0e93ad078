"""What stops a kiosk PC from working, each with the fix to show the technician.

- the kiosk user is not in group ``dialout`` (it cannot open the serial ports);
- ``brltty`` or ``ModemManager`` runs (both grab USB-serial adapters as they are
  plugged in) or holds one of the station's ports right now;
- no CJK font (the screens and the PDFs would show boxes instead of Chinese);
- no voice engine (``espeak-ng`` with its Mandarin voice) or no audio device;
- the receipt printer's paper width does not match its profile (asked as
  ``GS I 67``, the model name, matched against the widths of known models; a model
  we do not know is "unknown": the fix says to print the width test page).

Each check is a :class:`Check` (``ok``, ``problem`` or ``unknown``), never an
exception: one check failing to run is itself reported.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.devices.ports import kiosk_user

PORT_GRABBERS = ("brltty", "ModemManager")
MANDARIN_VOICE = "cmn-latn-pinyin"

# Model names (GS I 67) and their printable width in dots (203 dpi).
MODEL_DOTS: dict[str, int] = {
    "TM-T88": 512, "TM-T82": 512, "TM-T20": 576, "TM-M30": 576, "TM-T81": 512,
    "XP-58": 384, "XP-80": 576, "XP-Q800": 576, "GP-5890": 384, "GP-80": 576,
    "SPRT-POS88": 576, "SP-POS58": 384,
}


@dataclass(frozen=True)
class Check:
    """One check: ``state`` ok / problem / unknown, what was found and the fix, both
    in Chinese and English (the fix empty when ``ok``)."""

    name: str
    state: str
    found_zh: str
    found_en: str
    fix_zh: str = ""
    fix_en: str = ""


def check_dialout(user: str | None = None) -> Check:
    """The kiosk user is in ``dialout`` (the group udev gives serial ports)."""
    user = user or kiosk_user()
    fix = (f"sudo usermod -aG dialout {user}（或运行 sudo kiosk install），然后重新登录",
           f"sudo usermod -aG dialout {user} (or run sudo kiosk install), then log in again")
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        return Check("dialout", "problem", f"用户 {user} 不存在", f"user {user} does not exist",
                     "sudo kiosk install（创建 kiosk 用户）", "sudo kiosk install (creates the "
                     "kiosk user)")
    if account.pw_uid == 0:
        return Check("dialout", "ok", f"{user} 为 root，可打开所有串口",
                     f"{user} is root and may open every serial port")
    try:
        dialout = grp.getgrnam("dialout")
    except KeyError:
        return Check("dialout", "problem", "本机没有 dialout 组", "this PC has no group dialout",
                     *fix)
    if user in dialout.gr_mem or account.pw_gid == dialout.gr_gid:
        return Check("dialout", "ok", f"{user} 属于 dialout 组", f"{user} is in group dialout")
    return Check("dialout", "problem", f"{user} 不属于 dialout 组，无法打开串口",
                 f"{user} is not in group dialout and cannot open the serial ports", *fix)


def _processes(proc: Path) -> list[tuple[int, str]]:
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            found.append((int(entry.name), (entry / "comm").read_text().strip()))
        except OSError:
            continue
    return found


def _holds(proc: Path, pid: int, devices: set[str]) -> list[str]:
    held = []
    try:
        for fd in (proc / str(pid) / "fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target in devices:
                held.append(target)
    except OSError:
        pass
    return sorted(set(held))


def check_port_grabbers(ports: Sequence[str], proc: Path = Path("/proc")) -> Check:
    """No ``brltty`` or ``ModemManager`` runs; above all, none holds one of ``ports``."""
    devices = {os.path.realpath(p) for p in ports if "://" not in p}
    running = [(pid, name) for pid, name in _processes(proc) if name in PORT_GRABBERS]
    if not running:
        return Check("port_grabbers", "ok", "brltty 与 ModemManager 均未运行",
                     "neither brltty nor ModemManager is running")
    names = sorted({name for _, name in running})
    fix_zh = "；".join(_fix(n)[0] for n in names)
    fix_en = "; ".join(_fix(n)[1] for n in names)
    holding = [(pid, name, dev) for pid, name in running
               for dev in _holds(proc, pid, devices)]
    if holding:
        said = ", ".join(f"{name} (pid {pid}) holds {dev}" for pid, name, dev in holding)
        said_zh = "，".join(f"{name}（进程 {pid}）占用 {dev}" for pid, name, dev in holding)
        return Check("port_grabbers", "problem", said_zh, said, fix_zh, fix_en)
    return Check("port_grabbers", "problem",
                 f"{'、'.join(names)} 正在运行，插入 USB 串口时会抢占端口",
                 f"{' and '.join(names)} running: it grabs USB-serial adapters as they are "
                 "plugged in", fix_zh, fix_en)


def _fix(name: str) -> tuple[str, str]:
    if name == "brltty":
        return ("sudo apt-get purge brltty（盲文终端服务，本机不需要）",
                "sudo apt-get purge brltty (a braille display service this PC does not need)")
    return ("sudo systemctl disable --now ModemManager", "sudo systemctl disable --now "
            "ModemManager")


def check_cjk_font() -> Check:
    """fontconfig knows a Chinese font (the screens and the PDFs need one)."""
    fix = ("sudo apt-get install fonts-wqy-microhei", "sudo apt-get install fonts-wqy-microhei")
    if shutil.which("fc-list") is None:
        return Check("cjk_font", "problem", "未安装 fontconfig（fc-list）",
                     "fontconfig (fc-list) is not installed",
                     "sudo apt-get install fontconfig fonts-wqy-microhei",
                     "sudo apt-get install fontconfig fonts-wqy-microhei")
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                         timeout=30, check=False).stdout
    families = sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
    if not families:
        return Check("cjk_font", "problem", "没有中文字体，屏幕和 PDF 将显示方框",
                     "no Chinese font: screens and PDFs would show boxes", *fix)
    return Check("cjk_font", "ok", f"中文字体：{families[0]}", f"Chinese font: {families[0]}")


def check_voice_engine(program: str = "espeak-ng") -> Check:
    """espeak-ng is installed with its Mandarin voice."""
    from printers.speech.espeak import Espeak

    engine = Espeak(program)
    fix = ("sudo apt-get install espeak-ng", "sudo apt-get install espeak-ng")
    if not engine.available():
        return Check("voice_engine", "problem", "未安装语音引擎 espeak-ng",
                     "no voice engine: espeak-ng is not installed", *fix)
    try:
        voices = engine.voices()
    except Exception as exc:  # noqa: BLE001 - a check reports, it never raises
        return Check("voice_engine", "problem", f"espeak-ng 无法运行：{exc}",
                     f"espeak-ng does not run: {exc}", *fix)
    if MANDARIN_VOICE not in voices:
        return Check("voice_engine", "problem", "espeak-ng 缺少普通话语音",
                     f"espeak-ng has no Mandarin voice ({MANDARIN_VOICE})",
                     "sudo apt-get install --reinstall espeak-ng-data",
                     "sudo apt-get install --reinstall espeak-ng-data")
    return Check("voice_engine", "ok", "语音引擎 espeak-ng（含普通话）",
                 "voice engine espeak-ng with its Mandarin voice")


def check_audio(cards: Path = Path("/proc/asound/cards")) -> Check:
    """A sound server with an output (what the screens play through), else at least
    a sound card the kernel sees."""
    sinks: list[str] = []
    if shutil.which("pactl") is not None:
        try:
            out = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True,
                                 text=True, timeout=10, check=False)
            if out.returncode == 0:
                sinks = [line.split("\t")[1] for line in out.stdout.splitlines()
                         if "\t" in line]
        except (OSError, subprocess.TimeoutExpired):
            sinks = []
    if sinks:
        return Check("audio", "ok", f"音频输出：{sinks[0]}", f"audio output: {sinks[0]}")
    try:
        listed = [line for line in cards.read_text().splitlines() if line[:3].strip().isdigit()]
    except OSError:
        listed = []
    if listed:
        return Check("audio", "problem", "有声卡但没有声音服务器输出",
                     "a sound card but no sound server output",
                     "检查 pulseaudio/pipewire 是否为 kiosk 用户运行",
                     "check that pulseaudio/pipewire runs for the kiosk user")
    return Check("audio", "problem", "没有音频设备，叫号无法播音",
                 "no audio device: calls cannot be announced",
                 "连接音箱或 USB 声卡，然后 aplay -l 检查", "plug in speakers or a USB sound card, "
                 "then check with aplay -l")


def check_paper_width(model: str | None, profile_name: str, profile_dots: int) -> Check:
    """The width the printer's model prints against its profile's width."""
    test = (f"打印宽度测试页（kiosk printer test --profile {profile_name}），检查标尺是否完整",
            f"print the test page (kiosk printer test --profile {profile_name}) and check the "
            "ruler is whole")
    if not model:
        return Check("paper_width", "unknown", "打印机未报告型号，无法核对纸宽",
                     "the printer does not report its model: paper width not checked", *test)
    dots = next((d for name, d in MODEL_DOTS.items() if model.upper().startswith(name)), None)
    if dots is None:
        return Check("paper_width", "unknown", f"未知型号 {model}，无法核对纸宽",
                     f"unknown model {model}: paper width not checked", *test)
    if dots != profile_dots:
        better = {384: "generic-58", 512: "generic-80-512", 576: "generic-80"}[dots]
        return Check("paper_width", "problem",
                     f"{model} 打印宽度 {dots} 点，配置 {profile_name} 为 {profile_dots} 点",
                     f"{model} prints {dots} dots wide but profile {profile_name} is "
                     f"{profile_dots}", f"改用配置 {better}",
                     f"choose profile {better} (kiosk devices set printer --profile {better})")
    return Check("paper_width", "ok", f"{model}：{dots} 点，与配置一致",
                 f"{model}: {dots} dots, as the profile")


__all__ = ["MODEL_DOTS", "PORT_GRABBERS", "Check", "check_audio", "check_cjk_font",
           "check_dialout", "check_paper_width", "check_port_grabbers", "check_voice_engine"]
