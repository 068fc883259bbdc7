"""The app's own health check (/health): ok while a save could succeed, 503 with one actionable log line
when it could not (a held lock, a read-only file, a damaged file, a full disk), ok again once the fault
is removed."""

from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib.store import Store, health
from lib.store import base as store_base
from lib.web import health_route
from tests.test_store_faults import hold_write_lock, release


@pytest.fixture
def client(db_path):
    Store(db_path).create_user("anna")
    with TestClient(Starlette(routes=health_route.routes())) as c:
        yield c


def test_a_healthy_app_answers_ok(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.text == "ok\n"
    assert r.headers["cache-control"] == "no-store"


def test_a_write_lock_held_elsewhere_is_a_503_with_one_log_line_and_ok_once_released(client, db_path, caplog):
    holder = hold_write_lock(db_path)
    try:
        with caplog.at_level(logging.ERROR, logger="magnesium.health"):
            r = client.get("/health")
    finally:
        release(holder)
    assert r.status_code == 503 and "write" in r.text
    assert str(db_path) not in r.text  # details are for the host's log only
    lines = [rec.getMessage() for rec in caplog.records if rec.name == "magnesium.health"]
    assert len(lines) == 1
    line = lines[0]
    assert str(db_path) in line and "SQLITE_BUSY" in line and "free_bytes=" in line and "db=0o600" in line
    assert client.get("/health").status_code == 200


def test_a_damaged_file_is_a_503(client, db_path):
    store_base.mark_damaged(db_path, "injected")
    try:
        r = client.get("/health")
        assert r.status_code == 503 and "damaged" in r.text
    finally:
        store_base._damaged.clear()
    assert client.get("/health").status_code == 200


def test_too_little_free_disk_space_is_a_503(client, monkeypatch):
    monkeypatch.setattr(health, "MIN_FREE_BYTES", 1 << 62)
    monkeypatch.setattr(health.check, "__kwdefaults__", {"min_free_bytes": 1 << 62})
    r = client.get("/health")
    assert r.status_code == 503 and "disk" in r.text


def test_a_read_only_database_is_a_503_naming_its_mode(db_path, monkeypatch):
    Store(db_path).create_user("anna")
    real_access = health.os.access
    monkeypatch.setattr(health.os, "access", lambda p, m: False if str(p) == str(db_path) else real_access(p, m))
    report = health.check(db_path)
    assert not report.ok and "modes" in report.problems
    assert f"{db_path} is not writable" in report.log_line() and "db=0o600" in report.log_line()
