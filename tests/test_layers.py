"""The layers of DESIGN.md: domain/, db/, services/ and reports/ never import Qt; domain/ not even SQLAlchemy."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import antq_desktop

PACKAGE_DIR = Path(antq_desktop.__file__).resolve().parent
NON_UI_LAYERS = ("domain", "db", "services", "reports")
EXISTING_LAYERS = [layer for layer in NON_UI_LAYERS if (PACKAGE_DIR / layer).is_dir()]


def _imported_modules(path: Path) -> set[str]:
    """Every absolute module name a file imports, wherever the import statement stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module", "__import__"
        ) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
    return names


def _top_level(name: str) -> str:
    return name.split(".")[0]


def _violations(layers, forbidden: str) -> list[str]:
    found = []
    for layer in layers:
        for path in sorted((PACKAGE_DIR / layer).rglob("*.py")):
            for name in sorted(_imported_modules(path)):
                if _top_level(name) == forbidden:
                    found.append(f"{path.relative_to(PACKAGE_DIR.parent)} imports {name}")
    return found


def test_the_core_layers_exist():
    assert {"domain", "db", "services"} <= set(EXISTING_LAYERS)


def test_no_core_module_imports_qt_statically():
    assert _violations(EXISTING_LAYERS, "PySide6") == []


def test_domain_imports_no_sqlalchemy_statically():
    assert _violations(["domain"], "sqlalchemy") == []


def test_static_check_sees_imports_inside_functions(tmp_path):
    """The checker itself: a lazy import inside a function counts as much as one at the top."""
    sample = tmp_path / "sample.py"
    sample.write_text(textwrap.dedent("""
        import os
        def show():
            from PySide6.QtWidgets import QMessageBox
            import importlib
            importlib.import_module("sqlalchemy.orm")
    """), encoding="utf-8")
    assert {"PySide6.QtWidgets", "os", "importlib", "sqlalchemy.orm"} <= _imported_modules(sample)


_IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys

layers = json.loads(sys.argv[1])
# Alembic's env.py is a script Alembic runs inside a migration, not a module to import on its own.
SCRIPTS = {"antq_desktop.db.migrations.env"}
imported = []
for layer in layers:
    package = importlib.import_module(f"antq_desktop.{layer}")
    imported.append(package.__name__)
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
        if info.name in SCRIPTS:
            continue
        importlib.import_module(info.name)
        imported.append(info.name)
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"imported": imported, "loaded": loaded}))
"""


def _import_in_fresh_interpreter(layers: list[str]) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERYTHING, json.dumps(layers)], capture_output=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr.decode("utf-8", "replace")
    return json.loads(completed.stdout)


def test_importing_every_core_module_loads_no_qt():
    result = _import_in_fresh_interpreter(EXISTING_LAYERS)
    modules = set(result["imported"])
    assert {"antq_desktop.domain.units", "antq_desktop.db.engine", "antq_desktop.services.units",
            "antq_desktop.db.migrations"} <= modules
    assert "PySide6" not in result["loaded"], "a module of " + ", ".join(EXISTING_LAYERS) + " imports Qt"
    assert "shiboken6" not in result["loaded"]


def test_importing_the_domain_loads_no_sqlalchemy():
    result = _import_in_fresh_interpreter(["domain"])
    assert "antq_desktop.domain.vntext" in result["imported"]
    assert "sqlalchemy" not in result["loaded"]
    assert "alembic" not in result["loaded"]
    assert "PySide6" not in result["loaded"]

