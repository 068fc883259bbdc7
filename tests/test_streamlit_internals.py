"""The one Streamlit internal the app touches is behind one guarded helper (lib/ui/streamlit_internals.py)."""

from __future__ import annotations

import logging

from streamlit.runtime.pages_manager import PagesManager

from lib.ui import streamlit_internals


def test_the_pages_folder_is_declared_navigation_only(monkeypatch):
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    assert streamlit_internals.pages_only_through_navigation() is True
    assert PagesManager.uses_pages_directory is False


def test_without_the_internal_the_server_still_starts_and_says_why(monkeypatch, caplog):
    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    with caplog.at_level(logging.WARNING):
        assert streamlit_internals.pages_only_through_navigation() is False
    assert "uses_pages_directory" in caplog.text and "1.67" in caplog.text
