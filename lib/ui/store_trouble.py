"""What she sees when the store has a problem (a page helper with Streamlit).

- A failed save keeps what she typed: the form stays filled in, the menu stays, and a message in her
  language says what happened and what to do, worded by cause (busy, full, read-only, damaged, other).
  A busy database has already been retried for a few seconds by the store (lib/store/base.py) while
  "Saving…" showed under the button.
- A read that fails shows a friendly message in place, with a reference the practitioner finds in the
  log (lib/logs.py), and the rest of the app (the menu, the language switch) stays.
- While the database is in read-only mode (it failed its integrity check) every page says so.

Saves are done in the page's own run, right where the button is, never in a widget callback: a browser
that reconnects to a restarted server sends its click to a new session that has not drawn the form
yet, and Streamlit drops the callback of a widget it does not know (the click itself still arrives,
so a save done where the button returns True is done the first time).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lib import logs
from lib.store import StoreError
from lib.store.errors import cause

log = logs.get("store")


def _tr():
    from lib import ui  # lib.ui imports this module lazily too

    return ui.tr()


def log_failure(exc: BaseException, where: str) -> str:
    """One log line for a store failure seen by a participant, under a new reference; the reference."""
    ref = logs.new_reference()
    kind = cause(exc)
    if kind == "busy":
        log.warning("store busy in %s ref=%s: %s", where, ref, exc)
    else:
        log.error("store %s in %s ref=%s: %s", kind, where, ref, exc, exc_info=(type(exc), exc, exc.__traceback__))
    return ref


def save_message(exc: BaseException, ref: str) -> str:
    """Her message for a save that failed (her words, by cause)."""
    return _tr()(f"trouble.not_saved_{cause(exc)}", ref=ref)


def show_failed_save(exc: BaseException, where: str) -> None:
    st.error(save_message(exc, log_failure(exc, where)), icon=":material/cloud_off:")


def read_failed(exc: BaseException, where: str = "a page") -> bool:
    """A failed read, in place: a friendly message with the reference (and the log line). True, as an
    ``on_script_error`` handler returns."""
    st.error(_tr()("trouble.read_failed", ref=log_failure(exc, where)), icon=":material/cloud_off:")
    return True


def save_button(label: str, save: Callable[[], bool], *, where: str, in_form: bool = True, **button_kwargs) -> None:
    """A form's submit button (``in_form=False``: a plain button under widgets that are not in a form) whose
    press saves in this run: "Saving…" while the store works; then a rerun when ``save`` returns True (the
    page shows what was saved), or her message by cause when the store failed, with the form still filled in."""
    press = st.form_submit_button if in_form else st.button
    if not press(label, **button_kwargs):
        return
    try:
        with st.spinner(_tr()("trouble.saving")):
            done = save()
    except StoreError as exc:
        show_failed_save(exc, where)
        return
    if done:
        st.rerun()


def try_save(save: Callable[[], object], *, where: str) -> tuple[bool, object]:
    """``save()`` with "Saving…" shown; (True, its result), or (False, None) after her message by cause."""
    try:
        with st.spinner(_tr()("trouble.saving")):
            return True, save()
    except StoreError as exc:
        show_failed_save(exc, where)
        return False, None


def read_only_notice(store) -> None:
    """On every page while the database only reads (lib/store/base.py): nothing she saves would stay."""
    try:
        why = store.damaged()
    except StoreError:
        why = None
    if why:
        st.warning(_tr()("trouble.read_only_notice"), icon=":material/lock_clock:")


def resolve_login(resolve: Callable[[], int | None]) -> int | None:
    """Who is logged in; a store that cannot be read just now shows its message, and she is treated as
    logged out for this run (the menu and the language switch still appear)."""
    try:
        return resolve()
    except StoreError as exc:
        read_failed(exc, "the login")
        return None
