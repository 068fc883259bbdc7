"""Where a screen ends and a rule begins, checked.

- Everything in ``lib/`` outside ``lib/ui/`` (Streamlit helpers) and ``lib/web/`` (Starlette routes and
  their HTML forms) imports neither Streamlit nor Starlette, not even through another module.
- No page imports ``lib.store`` or touches a store itself: pages call services, and only services (and the
  login code in ``lib/ui``/``lib/web``) know the store.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRONT = ("ui", "web")


def core_modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "lib").rglob("*.py")):
        rel = path.relative_to(ROOT / "lib")
        if rel.parts[0] in FRONT:
            continue
        parts = ("lib", *rel.with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_core_list_is_the_whole_core():
    names = core_modules()
    assert "lib.quiz" in names and "lib.store" in names and "lib.locales" in names
    assert not any(n.startswith(("lib.ui", "lib.web")) for n in names)


def test_the_core_imports_neither_streamlit_nor_starlette():
    code = ("import importlib, sys\n"
            f"for name in {core_modules()!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'starlette'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def _imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "lib").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_core_file_names_streamlit_or_starlette(path):
    if path.relative_to(ROOT / "lib").parts[0] in FRONT:
        return
    bad = {m for m in _imports(ast.parse(path.read_text())) if m.split(".")[0] in ("streamlit", "starlette")
           or m.startswith(("lib.ui", "lib.web"))}
    assert not bad, f"{path.name} imports {sorted(bad)}"


PAGES = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "streamlit_app.py"]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_page_imports_the_store(path):
    bad = {m for m in _imports(ast.parse(path.read_text())) if m == "lib.store" or m.startswith("lib.store.")}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_page_calls_the_store(path):
    """A page holds the store only to hand it to a service (lib/*_service.py); it calls none of its methods."""
    tree = ast.parse(path.read_text())
    used = sorted({(n.lineno, n.attr) for n in ast.walk(tree) if isinstance(n, ast.Attribute) and (
        (isinstance(n.value, ast.Name) and n.value.id in ("store", "_store"))
        or (isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Attribute)
            and n.value.func.attr == "store"))})
    assert not used, f"{path.name} calls the store: {used}"
