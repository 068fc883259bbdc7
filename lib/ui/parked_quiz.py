"""A quiz taken on this device before she logged in: asked about, never attached behind her back.

The quiz parks anonymous answers under a random token that travels through the account forms and
arrives as the ``mg_pending`` cookie (lib/web/auth_web.py). On a shared computer that cookie can be a
stranger's (it outlives a failed log-in by up to an hour), so a logged-in participant is asked: "a quiz
taken on this device at 14:05: add it to your account?". Her answer posts to ``/session/pending``,
which saves it to her account or deletes it, and clears the cookie either way.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import streamlit as st

from lib import locales, ui
from lib.ui import login
from lib.web import account_forms, auth_web

NOTICE = "notice"


def parked_time(parked_at: str, tz: str) -> str:
    """The hour and minute the quiz was parked, on her clock ("14:05")."""
    try:
        zone = zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return locales.time_short(dt.datetime.fromisoformat(parked_at).astimezone(zone), ui.lang())


def show(store, uid: int | None, page_path: str = "") -> None:
    """The question while a parked quiz waits for her; the outcome after she answered."""
    tr = ui.tr()
    notice = st.query_params.get(NOTICE)
    if notice in auth_web.PENDING_NOTICES:
        if notice == "quiz_attached":
            st.success(tr("quiz.save.attached"), icon=":material/check:")
            st.page_link("pages/quiz.py", label=tr("quiz.save.see_quiz"), icon=":material/quiz:")
        else:
            st.info(tr("account.pending.declined"), icon=":material/delete:")
        del st.query_params[NOTICE]  # shown once: a reload does not repeat it
    if uid is None:
        return
    parked_at = store.pending_quiz_parked_at(login.pending_cookie())
    if parked_at is None:
        return
    with st.container(border=True):
        st.markdown(tr("account.pending.question", time=parked_time(parked_at, ui.timezone())))
        nxt = page_path if page_path in auth_web.NEXT_PAGES else ""
        st.html(account_forms.pending_forms(tr, login.csrf_token(), nxt=nxt))
