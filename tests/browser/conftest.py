"""Fixtures for end-to-end tests: one server per test module, one browser per session."""

from __future__ import annotations

import pytest

from tests.browser.harness import ARTIFACTS_DIR as ARTIFACTS
from tests.browser.harness import CHROMIUM_ARGS, AppServer, chromium_executable


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        exe = chromium_executable()
        launched = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh app server with its own empty database, shared by the tests of one module."""
    folder = tmp_path_factory.mktemp("server")
    srv = AppServer(folder / "app.db")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def dated_server(tmp_path_factory, request):
    """A fresh app server whose "today" is the module's ``TODAY``, shared by the tests of that module."""
    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    with AppServer(folder / "app.db", today=request.module.TODAY.isoformat()) as srv:
        yield srv


@pytest.fixture
def page(browser, request):
    """A new browser context (no cookies) with a phone-sized or desktop viewport; console errors kept."""
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale="nl-NL", timezone_id="Europe/Amsterdam")
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep
