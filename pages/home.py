"""Home: where she is in her challenge and the one next step; for visitors, what the challenge is."""

from __future__ import annotations

import streamlit as st

from lib import account_service, progress_view, ui, wording
from lib import challenge_service as svc

tr = ui.tr()

# The one next step, and the page it leads to.
NEXT_PAGE = {
    "quiz": "pages/quiz.py",
    "start": "pages/challenge.py",
    "log_today": "pages/daily_log.py",
    "start_magnesium": "pages/challenge.py",
    "post_test": "pages/challenge.py",
    "progress": "pages/progress.py",
    "finished": "pages/challenge.py",  # the finish screen: her result, her PDF, what next
}
NEXT_ICON = {
    "quiz": ":material/quiz:", "start": ":material/flag:", "log_today": ":material/edit_note:",
    "start_magnesium": ":material/spa:", "post_test": ":material/task_alt:", "progress": ":material/monitoring:",
    "finished": ":material/emoji_events:",
}


def where_she_is(status: svc.Status) -> None:
    """Where she is and, right under it, her one next step: both on the first screen of a phone."""
    if status.stage == "baseline":
        st.subheader(tr("home.where_baseline", n=status.number), anchor=False)
    elif status.stage == "day":
        st.subheader(tr("home.where_day", n=status.number), anchor=False)
    elif status.stage == "post":
        st.subheader(tr("home.where_post", n=status.number), anchor=False)
    elif status.stage == "finished":  # where she stands after the finish, not a blank start
        finished()
    else:
        st.subheader(tr("home.where_none"), anchor=False)
    next_button(status.next_action)
    if status.stage not in ("baseline", "day", "post"):
        return
    if status.stage in ("baseline", "day"):
        if status.today_logged:
            st.success(tr("home.today_logged"), icon=":material/check_circle:")
        else:
            st.info(tr("home.today_open"), icon=":material/edit_note:")
    if status.ask_magnesium:
        st.warning(tr("home.ask_magnesium"), icon=":material/notifications_active:")
    if status.post_open:
        st.info(tr("home.post_open"), icon=":material/task_alt:")
    facts = []
    if status.streak:
        facts.append(tr.plural("home.streak", status.streak))
    if status.stage in ("baseline", "day"):  # the count-down says what it counts
        facts.append(wording.countdown(status.challenge, ui.today(), tr.lang))
    if facts:
        st.caption(" · ".join(facts))


def finished() -> None:
    """Her finished challenge in a few words: the date, her headline result and the two tests."""
    fin = svc.finished(ui.store(), ui.user_id(), tr.lang, ui.today())
    if fin is None:
        st.subheader(tr("home.where_none"), anchor=False)
        return
    st.subheader(tr("home.where_finished", date=progress_view.format_date(fin.ended_on, tr.lang)), anchor=False)
    st.markdown(fin.headline)
    if fin.tests:
        st.caption(fin.tests)


# The next step is a link drawn as the page's primary button: it opens its page as the menu does, in one
# step (a button would first run Home again and then switch, which on a phone took seconds longer).
_NEXT_STYLE = """<style>
.st-key-home_next [data-testid="stPageLink"] a {{ background: {color}; border-radius: .5rem; min-height: 2.75rem;
  justify-content: center; padding: .5rem 1rem; margin: 0; }}
.st-key-home_next [data-testid="stPageLink"] a:hover {{ filter: brightness(.9); }}
.st-key-home_next [data-testid="stPageLink"] a:focus-visible {{ outline: 3px solid {color}; outline-offset: 2px; }}
.st-key-home_next [data-testid="stPageLink"] a * {{ color: #FFFFFF !important; font-weight: 600; }}
</style>"""


def next_button(action: str) -> None:
    label = tr("home.go_quiz") if action == "quiz" else tr(f"home.next_{action}")
    st.html(_NEXT_STYLE.format(color=st.get_option("theme.primaryColor") or "#0072B2"))
    with st.container(key="home_next"):
        st.page_link(NEXT_PAGE[action], label=label, icon=NEXT_ICON[action], width="stretch")


def main() -> None:
    uid = ui.user_id()
    store = ui.store()
    status = svc.status(store, uid, ui.today())
    st.title(tr("home.title"), anchor=False)
    if uid is not None:
        name = account_service.display_name(store, uid)
        if name:
            st.text(tr("home.hello", name=name))  # her words: plain text, never Markdown
        where_she_is(status)
        st.divider()
        st.write(tr("home.lead"))
    else:
        # A visitor: what this is in one paragraph, then the one next step, on the first screen of a phone.
        st.write(tr("home.lead"))
        next_button(status.next_action)
        c1, c2 = st.columns(2)
        c1.page_link("pages/learn.py", label=tr("home.go_learn"), icon=":material/menu_book:")
        c2.page_link("pages/challenge.py", label=tr("home.go_challenge"), icon=":material/flag:")
    st.subheader(tr("home.how_title"), anchor=False)
    for i in range(1, 5):
        st.markdown(f"**{i}.** {tr(f'home.step{i}')}")
    st.info(tr("home.honest"), icon=":material/science:")


main()
