"""Two participants: neither can read the other's rows through any page or any store call."""

from __future__ import annotations

import inspect

import pytest

from lib import auth
from lib.store import Store
from tests.test_account_page import GOOD, _participant_with_data_everywhere

PAGES = ["pages/home.py", "pages/learn.py", "pages/quiz.py", "pages/challenge.py", "pages/daily_log.py",
         "pages/progress.py", "pages/account.py"]
ANNA_MARK, BEA_MARK = "anna-eigen-woord-4411", "bea-eigen-woord-9922"


@pytest.fixture
def two(store):
    anna = _participant_with_data_everywhere(store, "anna", note=ANNA_MARK)
    bea = _participant_with_data_everywhere(store, "bea", note=BEA_MARK)
    with store.write() as conn:  # their own marks in their names too
        conn.execute("UPDATE users SET display_name = ? WHERE id = ?", (ANNA_MARK, anna))
        conn.execute("UPDATE users SET display_name = ? WHERE id = ?", (BEA_MARK, bea))
    return anna, bea


def _rendered(at) -> str:
    return "\n".join(str(getattr(e, "proto", "")) for e in [*at.main, *at.sidebar])


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_the_other_participants_data(app, two, page):
    anna, bea = two
    for me, mine, theirs in ((anna, ANNA_MARK, BEA_MARK), (bea, BEA_MARK, ANNA_MARK)):
        at = app(lang="nl", user_id=me, page=page)
        assert not at.exception, at.exception
        text = _rendered(at)
        assert theirs not in text, page
        if page == "pages/account.py":
            assert mine in text, "the check would see a name if one were shown"


def _user_methods():
    for name, fn in inspect.getmembers(Store, inspect.isfunction):
        params = list(inspect.signature(fn).parameters.values())[1:]
        required = [p for p in params if p.default is inspect.Parameter.empty and p.kind == p.POSITIONAL_OR_KEYWORD]
        if name.startswith("_") or not params or params[0].name != "user_id" or len(required) != 1:
            continue
        if name.startswith(("delete_", "set_", "create_")):
            continue  # writers: tested by their own scoping tests
        yield name


def test_every_store_read_keyed_on_her_id_returns_only_her_rows(store, two):
    anna, bea = two
    names = list(_user_methods())
    assert {"get_user", "export_user_data", "user_row_counts", "challenges", "daily_logs"} <= set(names), names
    for name in names:
        for me, mine, theirs in ((anna, ANNA_MARK, BEA_MARK), (bea, BEA_MARK, ANNA_MARK)):
            got = repr(getattr(store, name)(me))
            assert theirs not in got, name
    assert ANNA_MARK in repr(store.export_user_data(anna)), "the check would see her own rows"


def test_sql_looking_usernames_are_stored_as_given_and_harmless(store):
    name = "robert'); drop table users;--"
    result = auth.sign_up(store, username=name, password=GOOD, consent=True)
    assert result.ok, result.error
    assert store.user_by_username(name)["username"] == name
    assert auth.log_in(store, username=name, password=GOOD).ok
    assert store.table_counts()["users"] == 1
    assert isinstance(Store(store.path).get_user(result.user_id), dict)
