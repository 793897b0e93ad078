"""The core and the drivers never depend on Qt: the CLI, the tests and a headless
server use them without a display; and the drivers never depend on the core. Checked
both in the source and at run time (the import contracts of `lint-imports` check the
whole layering statically)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_FREE = ("kiosk", "printers")


def python_files() -> list[Path]:
    return [p for pkg in QT_FREE for p in sorted((ROOT / pkg).rglob("*.py"))]


def test_no_source_file_in_the_core_or_drivers_imports_qt() -> None:
    offenders = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6")]
    assert python_files(), "no source files found"
    assert offenders == []


def importable_modules(packages: tuple[str, ...] = QT_FREE) -> list[str]:
    modules = []
    for path in [p for pkg in packages for p in sorted((ROOT / pkg).rglob("*.py"))]:
        rel = path.relative_to(ROOT).with_suffix("")
        if rel.parts[-1] in ("env", "__main__") or "versions" in rel.parts:
            continue  # Alembic scripts run only inside Alembic; __main__ runs the CLI
        modules.append(".".join(p for p in rel.parts if p != "__init__"))
    assert modules, "no modules found"
    return modules


def loaded_after_importing(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` a fresh interpreter holds after importing ``modules``."""
    code = ("import importlib, json, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    loaded: list[str] = json.loads(result.stdout)
    return [m for m in loaded if m.split(".")[0] in packages]


def test_importing_every_core_module_loads_no_qt() -> None:
    assert loaded_after_importing(importable_modules(), ("PySide6", "shiboken6")) == []


def test_importing_every_driver_module_loads_nothing_of_the_core() -> None:
    assert loaded_after_importing(importable_modules(("printers",)), ("kiosk", "ui")) == []
