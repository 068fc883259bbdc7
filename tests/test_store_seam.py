"""The store seam: one factory, one interface, neutral errors; nothing outside lib/store knows SQLite."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from lib.settings import Settings
from lib.store import AlreadyExists, InvalidRow, Store, StoreInterface, open_store
from tests.fake_store import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
# SQLite's own command-line tool (a file copy) may name the SQLite store; nothing else outside lib/store may.
SQLITE_TOOLS = {"lib/backup.py"}


def _python_files():
    for folder in ("lib", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not rel.startswith("lib/store/"):
                yield rel, path
    yield "streamlit_app.py", ROOT / "streamlit_app.py"
    yield "server.py", ROOT / "server.py"


@pytest.mark.parametrize(("rel", "path"), list(_python_files()), ids=lambda v: v if isinstance(v, str) else "")
def test_no_page_or_service_names_sqlite_or_builds_a_store_itself(rel, path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported |= {f"{node.module}.{a.name}" for a in node.names} | {node.module or ""}
    assert "sqlite3" not in imported and "sqlite_utils" not in imported, rel
    if rel not in SQLITE_TOOLS:
        assert "lib.store.Store" not in imported, f"{rel}: open the store with lib.store.open_store()"


def test_the_factory_opens_the_store_the_settings_name(tmp_path):
    store = open_store(Settings(database=tmp_path / "a" / "b.db"))
    assert isinstance(store, StoreInterface)
    assert (tmp_path / "a" / "b.db").exists()


def test_both_backends_offer_every_method_of_the_interface_with_the_same_parameters():
    wanted = {n for n in dir(StoreInterface) if not n.startswith("_")}
    assert len(wanted) > 40
    for backend in (Store, MemoryStore):
        for name in wanted:
            ours = inspect.signature(getattr(StoreInterface, name))
            theirs = inspect.signature(getattr(backend, name))
            assert list(theirs.parameters) == list(ours.parameters), f"{backend.__name__}.{name}"


@pytest.mark.parametrize("backend", ["sqlite", "memory"])
def test_the_same_situation_raises_the_same_error_on_every_backend(tmp_path, backend):
    store = Store(tmp_path / "e.db") if backend == "sqlite" else MemoryStore()
    uid = store.create_user("anna")
    with pytest.raises(AlreadyExists):
        store.create_user("anna")
    store.create_challenge(uid, start_date="2026-03-01", with_baseline=False, method="oil_spray")
    with pytest.raises(AlreadyExists):
        store.create_challenge(uid, start_date="2026-03-02", with_baseline=False, method="oil_spray")
    with pytest.raises(InvalidRow):
        store.upsert_daily_log(uid, "2026-03-02", {"phase": "magnesium", "applied": 1, "sleep_quality": 11})
    assert store.daily_logs(uid) == []


def test_no_sqlite_error_class_is_re_exported():
    import lib.store
    import lib.store.users

    for module in (lib.store, lib.store.users):
        assert not any(getattr(v, "__module__", "") == "sqlite3" for v in vars(module).values()), module
