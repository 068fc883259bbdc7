"""Quiz: a short intake in steps, then a result screen (lib/quiz.py scores it).

While she answers, a compact summary stays in sight at the bottom of the screen and changes with every
answer; nothing above the question she tapped moves (the safety advice shows in that summary, and in full
first on the result screen). After the last step, or whenever she taps "see my result", the result screen
shows everything. A returning participant lands on her last saved result.

Her answers live in ``st.session_state["quiz_answers"]`` (not only in the widgets, whose values
Streamlit drops when a step is not shown), so they survive moving between steps and pages.
Anonymous visitors take the whole quiz; saving parks the answers for the sign-up or log-in
(lib/store/pending.py), and the entry script attaches them to the account afterwards.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib import clock, locales, quiz, quiz_service, signals, ui
from lib.ui import store_trouble
from lib.ui.signal_block import render_signal_block

ANSWERS = "quiz_answers"
STEP = "quiz_step"
SAVED = "quiz_saved_answers"
PENDING = "pending_quiz_token"  # read by the Account page, which puts it into the account forms
PARKED = "quiz_parked_answers"
FROM_SAVED = "quiz_from_saved"
TOP_CONTRIBUTORS = 3  # possible contributors shown before "show all"
SUMMARY_KEY = "quiz_summary"

tr = ui.tr()
lang = ui.lang()
ss = st.session_state
steps = quiz.steps()
uid = ui.user_id()
store = ui.store()
if ANSWERS not in ss and uid is not None:
    # Back for another look: start from her last saved answers (she can change any, or start again).
    latest = quiz_service.latest(store, uid)
    if latest is not None:
        ss[ANSWERS] = quiz.clean_answers(latest["answers"])
        ss[SAVED] = quiz.clean_answers(latest["answers"])
        ss[FROM_SAVED] = latest["taken_at"]
        ss[STEP] = len(steps)  # her last result first; the questions are one tap away
answers = ss.setdefault(ANSWERS, quiz.empty_answers())
RESULT = len(steps)  # the step index of the result screen
step_i = min(max(int(ss.get(STEP, 0)), 0), RESULT)


def _local(taken_at: str) -> str:
    """A saved result's moment in her time zone."""
    return locales.date_time(dt.datetime.fromisoformat(taken_at).astimezone(clock.zone(ui.timezone())), lang)


def _start_again() -> None:
    ss.pop(FROM_SAVED, None)
    for key in list(ss.keys()):
        if key.startswith(("quiz_q_", "quiz_sig_")):
            del ss[key]
    ss[ANSWERS] = quiz.empty_answers()
    ss[STEP] = 0
    ss["_quiz_scroll_top"] = True


def _go_to(step: int) -> None:
    ss[STEP] = min(max(step, 0), RESULT)
    ss["_quiz_scroll_top"] = True


def _go(delta: int) -> None:
    _go_to(min(max(int(ss.get(STEP, 0)), 0), RESULT) + delta)


def _questions(step: dict) -> None:
    """The step's questions; every answer goes into ``answers`` at once."""
    if step["id"] == "signals":
        st.caption(tr("quiz.signals_intro"))
        given = render_signal_block("quiz_sig", lang, defaults=answers["signals"])
        answers["signals"] = {sid: int(v) for sid, v in given.items() if v is not None}
        return
    for q in quiz.questions(step["id"]):
        labels = quiz.option_labels(q, lang)
        current = answers["questions"].get(q["id"])
        value = st.radio(
            quiz.question_text(q, lang),
            q["options"],
            index=q["options"].index(current) if current in q["options"] else None,
            format_func=lambda o, labels=labels: labels[o],
            horizontal=True,
            help=quiz.question_help(q, lang),
            key=f"quiz_q_{q['id']}",
        )
        if value is None:
            answers["questions"].pop(q["id"], None)
        else:
            answers["questions"][q["id"]] = value


def _scroll_to_top() -> None:
    if ss.pop("_quiz_scroll_top", False):
        # After "next", "back" or "see my result" a phone would stay scrolled down at the buttons: start
        # the new screen at its top (Streamlit scrolls its main area, not the document).
        st.html("<script>document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0);"
                "window.scrollTo(0, 0);</script>", unsafe_allow_javascript=True, width=1)


# -- the compact summary, in sight while she answers ---------------------------------------------------------
def _summary_style() -> str:
    """Sticky at the bottom of the screen, on the page's own background (light or dark theme)."""
    background = st.get_option("theme.backgroundColor")
    if not background:
        try:
            dark = st.context.theme.type == "dark"
        except Exception:  # noqa: BLE001 - no browser context (tests)
            dark = False
        background = "#0e1117" if dark else "#ffffff"
    return f"""<style>
div:has(> .st-key-{SUMMARY_KEY}), .st-key-{SUMMARY_KEY} {{ position: sticky; bottom: 0; z-index: 50; }}
.st-key-{SUMMARY_KEY} {{ background: {background}; border-top: 2px solid rgba(128, 128, 128, .35);
  padding: .4rem 0 .5rem 0; gap: .2rem; box-shadow: 0 -6px 10px -8px rgba(0, 0, 0, .25); }}
.st-key-{SUMMARY_KEY} p {{ font-size: .85rem; line-height: 1.3; margin-bottom: 0; }}
</style>"""


def _summary(result) -> None:
    """Three short lines: safety (if any), possible contributors, the two scores; and the way to the result."""
    st.html(_summary_style())
    with st.container(key=SUMMARY_KEY):
        lines = [f"**{tr('quiz.summary.title')}** · "
                 + (tr("quiz.summary.open", n=result.open_questions, total=result.total_questions)
                    if result.open_questions else tr("quiz.all_answered"))]
        if result.safety_flags:
            lines.append(f":red[**{tr('quiz.safety.title')}**] · {tr('quiz.summary.safety_more')}")
        possible = [c for c in result.contributors if c.kind != quiz.MDS]
        if possible:
            names = ", ".join(quiz.contributor_text(c.id, "name", lang) for c in possible[:TOP_CONTRIBUTORS])
            more = len(possible) - TOP_CONTRIBUTORS
            lines.append(tr("quiz.summary.contributors", names=names)
                         + (f" {tr('quiz.summary.more', n=more)}" if more > 0 else ""))
        else:
            lines.append(tr("quiz.feedback.contributors_none"))
        score = (tr("quiz.summary.signals", score=locales.number(result.signal_score, lang),
                    band=tr(f"quiz.feedback.band_{result.signal_band}"))
                 if result.signal_score is not None else tr("quiz.summary.signals_none"))
        mds = (tr("quiz.summary.mds", mds=result.mds, known=result.mds_items_known)
               if result.mds_items_known else tr("quiz.summary.mds_none"))
        lines.append(f"{score} · {mds}")
        st.markdown("  \n".join(lines))
        if step_i < RESULT - 1:
            st.button(tr("quiz.see_result"), key="quiz_to_result", on_click=_go_to, args=(RESULT,),
                      type="tertiary", icon=":material/assignment:")


# -- the result screen ----------------------------------------------------------------------------------------
def _contributor(i: int, c) -> None:
    st.markdown(f"{i}\\. **{quiz.contributor_text(c.id, 'name', lang)}**  \n"
                f"{quiz.contributor_text(c.id, 'why', lang)}")
    st.page_link("pages/learn.py", label=tr("quiz.feedback.read_more"), query_params={"section": c.learn},
                 icon=":material/menu_book:")


def _feedback(result) -> None:
    """Everything her answers show: the safety advice first, then the possible contributors, the signals and
    the MDS. The practitioner's possible contributors and the validated score (MDS) stay apart: the top three
    possible contributors, strongest first, the rest folded; the MDS items under the MDS."""
    if result.open_questions:
        st.caption(tr("quiz.open_left", n=result.open_questions, total=result.total_questions))
    else:
        st.caption(tr("quiz.all_answered"))
    ui.safety_advice(result.safety_flags)
    possible = [c for c in result.contributors if c.kind != quiz.MDS]
    mds_items = [c for c in result.contributors if c.kind == quiz.MDS]

    st.markdown(f"**{tr('quiz.feedback.contributors_title')}**")
    if not possible:
        st.write(tr("quiz.feedback.contributors_none"))
    for i, c in enumerate(possible[:TOP_CONTRIBUTORS], start=1):
        _contributor(i, c)
    if len(possible) > TOP_CONTRIBUTORS:
        with st.expander(tr("quiz.feedback.show_all", n=len(possible))):
            for i, c in enumerate(possible[TOP_CONTRIBUTORS:], start=TOP_CONTRIBUTORS + 1):
                _contributor(i, c)
    if possible:
        st.caption(tr("quiz.feedback.tags_note"))

    st.markdown(f"**{tr('quiz.feedback.signals_title')}**")
    if result.signal_score is None:
        st.write(tr("quiz.feedback.signals_none"))
    else:
        score_text = locales.number(result.signal_score, lang)
        st.write(tr("quiz.feedback.signal_score", score=score_text,
                    band=tr(f"quiz.feedback.band_{result.signal_band}"), n=result.signals_answered))
        if result.top_signals:
            by_id = {s.id: s for s in signals.signals()}
            names = ", ".join(by_id[sid].text("short", lang).lower() for sid in result.top_signals)
            st.write(tr("quiz.feedback.top_signals", names=names))

    st.markdown(f"**{tr('quiz.feedback.mds_title')}**")
    if not result.mds_items_known:
        st.write(tr("quiz.feedback.mds_unknown"))  # nothing answered: not known yet, never "low"
    elif result.mds_items_known < quiz.MDS_ITEMS:
        st.write(tr("quiz.feedback.mds_partial", mds=result.mds, known=result.mds_items_known))
    else:
        st.write(tr("quiz.feedback.mds_value", mds=result.mds,
                    band=tr(f"quiz.feedback.mds_band_{result.mds_band}"), known=result.mds_items_known))
    for c in mds_items:
        st.markdown(f"- **{quiz.contributor_text(c.id, 'name', lang)}** "
                    f":green-badge[{tr('quiz.feedback.tag_mds')}]  \n{quiz.contributor_text(c.id, 'why', lang)}")
        st.page_link("pages/learn.py", label=tr("quiz.feedback.read_more"), query_params={"section": c.learn},
                     icon=":material/menu_book:")
    if result.mds_uncertain:
        st.caption(tr("quiz.feedback.mds_uncertain", upper=result.mds + result.mds_uncertain))
    st.caption(tr("quiz.feedback.mds_meaning"))
    with st.expander(tr("quiz.feedback.mds_technical_title")):
        st.write(tr("quiz.feedback.mds_technical"))
    st.info(tr("quiz.feedback.no_diagnosis"), icon=":material/info:")


def _saving(result) -> None:
    st.subheader(tr("quiz.save.title"), anchor=False)
    answered_any = result.open_questions < result.total_questions or bool(answers["questions"])
    if uid is None:
        # A parked quiz whose answers changed since is stale: park again on the next click.
        if ss.get(PENDING) and ss.get(PARKED) != answers:
            ss.pop(PENDING, None)
            ss.pop(PARKED, None)
        st.info(tr("quiz.save.anon"), icon=":material/lock:")
        if st.button(tr("quiz.save.anon_button"), key="quiz_park", type="primary", icon=":material/person_add:",
                     disabled=not answered_any):
            if not ss.get(PENDING):
                ss[PENDING] = quiz_service.park(store, answers)
                ss[PARKED] = {"questions": dict(answers["questions"]), "signals": dict(answers["signals"])}
            st.switch_page("pages/account.py")
        if not answered_any:
            st.caption(tr("quiz.save.nothing_yet"))
        return
    if not quiz_service.may_save(store, uid):
        st.warning(tr("quiz.save.need_consent"))
        st.page_link("pages/account.py", label=tr("nav.account"), icon=":material/person:")
    elif ss.get(SAVED) == answers:
        st.success(tr("quiz.save.already_saved"), icon=":material/check:")
    elif st.button(tr("quiz.save.button"), key="quiz_save", type="primary", icon=":material/save:",
                   disabled=not answered_any):
        saved, _ = store_trouble.try_save(lambda: quiz_service.save(store, uid, result), where="the quiz")
        if saved:  # otherwise her message by cause, and her answers stay
            ss[SAVED] = {"questions": dict(answers["questions"]), "signals": dict(answers["signals"])}
            st.success(tr("quiz.save.saved"), icon=":material/check:")
    if not answered_any:
        st.caption(tr("quiz.save.nothing_yet"))


def _history() -> None:
    st.subheader(tr("quiz.history.title"), anchor=False)
    history = quiz_service.history(store, uid)
    if not history:
        st.write(tr("quiz.history.none"))
    for i, item in enumerate(history):
        when = _local(item["taken_at"])
        score = (locales.number(item["signal_score"], lang) if item["signal_score"] is not None
                 else tr("quiz.history.no_score"))
        line = tr("quiz.history.row", when=when, score=score, mds=item["mds"], n=len(item["contributors"]))
        older = history[i + 1] if i + 1 < len(history) else None
        if older is None:
            change = tr("quiz.history.first")
        else:
            if item["signal_score"] is not None and older["signal_score"] is not None:
                d_score = locales.signed(item["signal_score"] - older["signal_score"], lang)
            else:
                d_score = tr("quiz.history.no_score")
            change = tr("quiz.history.change", score=d_score, mds=locales.signed(item["mds"] - older["mds"], lang))
        st.markdown(f"- {line}  \n  {change}")


# -- the page -----------------------------------------------------------------------------------------------------
st.title(tr("quiz.title"), anchor=False)
if step_i < RESULT:
    step = steps[step_i]
    if step_i == 0:
        # Once, at the start: on a phone every line above the questions is a line to scroll past.
        st.write(tr("quiz.lead"))
    st.subheader(tr("quiz.step_of", n=step_i + 1, total=len(steps), title=quiz.step_title(step, lang)), anchor=False)
    st.progress((step_i + 1) / len(steps))
    _questions(step)
    back_col, next_col = st.columns(2)
    back_col.button(tr("quiz.back"), on_click=_go, args=(-1,), disabled=step_i == 0, key="quiz_back",
                    icon=":material/arrow_back:", width="stretch")
    last = step_i == len(steps) - 1
    next_col.button(tr("quiz.see_result") if last else tr("quiz.next"), on_click=_go, args=(1,),
                    key="quiz_result" if last else "quiz_next", type="primary",
                    icon=":material/assignment:" if last else ":material/arrow_forward:", width="stretch")
    _scroll_to_top()
    _summary(quiz.score(answers))
else:
    result = quiz.score(answers)
    st.subheader(tr("quiz.result.title"), anchor=False)
    if ss.get(FROM_SAVED) and ss.get(SAVED) == answers:
        st.caption(tr("quiz.from_saved", when=_local(ss[FROM_SAVED])))
    _feedback(result)
    a, b = st.columns(2)
    a.button(tr("quiz.result.change"), key="quiz_change", on_click=_go_to, args=(0,), icon=":material/edit:",
             width="stretch")
    if answers["questions"] or answers["signals"]:
        b.button(tr("quiz.start_again"), key="quiz_restart", on_click=_start_again, icon=":material/restart_alt:",
                 width="stretch")
    _scroll_to_top()
    st.divider()
    _saving(result)
    if uid is not None:
        _history()
