"""Challenge: start (baseline week or right away) with the pre-test, start magnesium, post-test, end early."""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from lib import account_service, locales, progress_view, quiz_service, reminders, report, ui, wording
from lib import challenge as rules
from lib import challenge_service as svc
from lib.signals import rating_columns, signals
from lib.ui import confirmation, guard, store_trouble, theme
from lib.ui.signal_block import render_signal_block

tr = ui.tr()
lang = ui.lang()
FLASH = "challenge_flash"
QUIZ_RECENT_DAYS = 14  # the quiz asks about the past two weeks, like the pre-test


def fmt(day) -> str:
    return progress_view.format_date(day, lang)


def amount_text(value) -> str:
    if value is None:
        return "–"
    return locales.number(value, lang)


def is_recent(result: dict, today: dt.date) -> bool:
    """A saved quiz stands for "the past two weeks" only while it is at most two weeks old."""
    taken = result.get("taken_at")
    try:
        return bool(taken) and (today - rules.as_date(taken)).days <= QUIZ_RECENT_DAYS
    except ValueError:
        return False


WARM_WATER_METHODS = ("foot_bath", "bath_flakes")


# -- no challenge running: history and the start form ------------------------------------------------
def history(store, uid: int) -> None:
    earlier = [c for c in svc.challenges(store, uid) if c["status"] != rules.ACTIVE]
    if not earlier:
        return
    if earlier[0]["status"] == rules.ENDED_NO_POSTTEST:
        st.info(tr("challenge.closed_no_post"), icon=":material/event_busy:")
    with st.expander(tr("challenge.history_title")):
        for c in earlier:
            st.markdown("- " + tr("challenge.history_line", start=fmt(c["start_date"]),
                                  method=ui.method_name(c["method"], tr), status=tr(f"challenge.status_{c['status']}")))
    st.page_link("pages/progress.py", label=tr("challenge.see_progress"), icon=":material/monitoring:")


def _use_quiz(answers: dict) -> None:
    for sig in signals():
        if answers.get(sig.id) is not None:
            st.session_state[f"pre_{sig.id}"] = int(answers[sig.id])
    st.session_state["challenge_reused"] = True


TRIED = "start_tried"  # she pressed Start once with something missing: each field now says what it needs
SCROLL = "start_scroll"  # right after that press: bring the first field with a problem into view
AUTO_AMOUNT = "start_amount_auto"  # the amount the form filled in for the method (not typed by her)
# Where each of the start form's problems is shown (lib.validation's field names).
FIELD_SLOTS = ("start_date", "method", "amount_unit", "planned_amount", "goal", "primary_outcome", "signals")


def required(label: str) -> str:
    """A required field's label: marked with a star (explained at the top of the form)."""
    return f"{label} *"


def _suggest_amount() -> None:
    """The method changed: fill in its usual amount, unless she typed one of her own."""
    ss = st.session_state
    current, auto = ss.get("start_amount"), ss.get(AUTO_AMOUNT)
    if current is None or current == auto:
        suggested = rules.SUGGESTED_AMOUNT.get(ss.get("start_method"))
        ss["start_amount"] = suggested
        ss[AUTO_AMOUNT] = suggested


def start_day_label(day: dt.date, today: dt.date) -> str:
    text = locales.date_full(day, lang)
    return tr("challenge.start_date_today", date=text) if day == today else text


def _problem_slot(field: str, problems: dict) -> None:
    """The problem of one field, right under it (a keyed container, so it can be scrolled to)."""
    problem = problems.get(field)
    if problem is not None:
        with st.container(key=f"start_err_{field}"):
            st.error(problem.message(tr), icon=":material/error:")


SCROLL_SCRIPT = """<script>
(function () {
  var slots = %s;
  for (var i = 0; i < slots.length; i++) {
    var el = document.querySelector(".st-key-start_err_" + slots[i]);
    if (el) { el.scrollIntoView({block: "center"}); return; }
  }
})();
</script>"""


def start_form(store, uid: int, today: dt.date) -> None:
    # First of all, before any choice: the quiz's safety advice. It does not expire, and a result saved
    # before a flag existed still raises it (lib.quiz.saved_safety_flags).
    ui.safety_advice(quiz_service.safety_flags(store, uid), intro_key="challenge.safety_again",
                     link_key="challenge.safety_read")
    ss = st.session_state
    if "start_amount" not in ss:  # the first visit: the default method's usual amount
        ss.setdefault("start_method", rules.METHODS[0])
        _suggest_amount()
    # After a press with something missing, every run checks again, so each message goes once it is fixed.
    form = {"with_baseline": ss.get("start_baseline", True), "start_date": ss.get("start_date", today),
            "method": ss.get("start_method"), "amount_unit": ss.get("start_unit"),
            "planned_amount": ss.get("start_amount"), "goal": ss.get("start_goal", ""),
            "primary_outcome": ss.get("start_primary", "overall")}
    pre = {sig.id: ss.get(f"pre_{sig.id}") for sig in signals()}
    problems = {}
    if ss.get(TRIED):
        for p in svc.start_problems(form, pre, today):
            problems.setdefault(p.field, p)
    st.subheader(tr("challenge.choose_title"), anchor=False)
    st.caption(tr("challenge.required_note"))
    with_baseline = st.radio(tr("challenge.choose_title"), [True, False], key="start_baseline",
                             format_func=lambda b: tr("challenge.choose_baseline") if b else tr("challenge.choose_now"),
                             label_visibility="collapsed")
    st.caption(tr("challenge.choose_why"))
    # A list of the days the rules allow, written out in her language: Streamlit's date field names its parts
    # in English ("day, Startdatum") to a screen reader, whatever the page's language.
    start = st.selectbox(required(tr("challenge.start_date")), rules.start_days(today), key="start_date",
                         help=tr("challenge.start_date_help"), format_func=lambda d: start_day_label(d, today),
                         placeholder=tr("common.choose_one"))
    _problem_slot("start_date", problems)
    method = st.selectbox(required(tr("challenge.method")), list(rules.METHODS),
                          format_func=lambda m: ui.method_name(m, tr), key="start_method", on_change=_suggest_amount,
                          placeholder=tr("common.choose_one"))
    _problem_slot("method", problems)
    chosen_unit = None
    if method == "other":
        chosen_unit = st.selectbox(required(tr("challenge.unit")), list(rules.UNITS), key="start_unit",
                                   format_func=lambda u: tr(f"challenge.unit_{u}"), placeholder=tr("common.choose_one"))
        _problem_slot("amount_unit", problems)
    unit = rules.unit_for(method, chosen_unit) or "grams"
    if method in WARM_WATER_METHODS:
        st.caption(tr("challenge.warm_water"))
    amount = st.number_input(required(tr("challenge.amount", unit=tr(f"challenge.unit_{unit}"))), value=None,
                             step=1.0, format=rules.amount_format(unit),
                             key="start_amount", help=tr("challenge.amount_help"))
    if method in rules.SUGGESTED_AMOUNT and amount == rules.SUGGESTED_AMOUNT[method]:
        st.caption(tr("challenge.amount_suggested"))
    _problem_slot("planned_amount", problems)
    goal = st.text_input(tr("challenge.goal"), help=tr("challenge.goal_help"), key="start_goal")
    _problem_slot("goal", problems)
    primary = st.selectbox(tr("challenge.primary"), ["overall", *rating_columns()], key="start_primary",
                           format_func=lambda o: tr("challenge.primary_overall") if o == "overall"
                           else wording.rating_name(o, lang), help=tr("challenge.primary_help"),
                           placeholder=tr("common.choose_one"))
    _problem_slot("primary_outcome", problems)

    st.subheader(required(tr("challenge.pretest_title")), anchor=False)
    saved = quiz_service.latest(store, uid)
    if saved and saved.get("signals") and is_recent(saved, today):
        taken = saved.get("taken_at")
        st.button(tr("challenge.reuse_quiz", date=fmt(taken) if taken else "quiz"), key="start_reuse",
                  icon=":material/content_copy:", on_click=_use_quiz, args=(saved["signals"],))
        if st.session_state.get("challenge_reused"):
            st.caption(tr("challenge.reused"))
    st.caption(tr("challenge.pretest_intro"))
    _problem_slot("signals", problems)
    answers = render_signal_block("pre", lang)
    if problems:  # by the button too: what stops the start, the fields themselves are marked above
        st.error(tr("challenge.invalid_above"), icon=":material/arrow_upward:")
    if ss.pop(SCROLL, False) and problems:
        slots = [f for f in FIELD_SLOTS if f in problems]
        st.html(SCROLL_SCRIPT % json.dumps(slots), unsafe_allow_javascript=True)
    if st.button(tr("challenge.start_button"), type="primary", key="start_submit", icon=":material/flag:"):
        form = {"with_baseline": with_baseline, "start_date": start, "method": method, "amount_unit": chosen_unit,
                "planned_amount": amount, "goal": goal, "primary_outcome": primary}
        if svc.start_problems(form, answers, today):
            # Shown at each field on the next run, the first one brought into view.
            ss[TRIED] = True
            ss[SCROLL] = True
            st.rerun()
        # A store failure: her message by cause, and what she filled in stays (lib/ui/store_trouble.py).
        saved, res = store_trouble.try_save(lambda: svc.start_challenge(store, uid, form, answers, today),
                                            where="the challenge start")
        if saved and res.ok:
            st.session_state[FLASH] = tr("challenge.started")
            for key in ("challenge_reused", TRIED, AUTO_AMOUNT):
                st.session_state.pop(key, None)
            st.rerun()
        if saved:
            ui.show_problems(res.problems, "challenge.invalid")


# -- a challenge is running ----------------------------------------------------------------------
def where(challenge: dict, today: dt.date) -> None:
    stage, n = rules.position(challenge, today)
    key = {"baseline": "challenge.status_baseline", "day": "challenge.status_day"}.get(stage, "challenge.status_post")
    st.subheader(tr(key, n=n), anchor=False)
    unit = challenge.get("amount_unit") or rules.unit_for(challenge["method"]) or "grams"
    st.markdown(tr("challenge.plan", method=ui.method_name(challenge["method"], tr),
                   amount=amount_text(challenge.get("planned_amount")), unit=tr(f"challenge.unit_{unit}")))
    st.caption(wording.countdown(challenge, today, lang))
    if challenge.get("goal"):
        st.text(tr("challenge.goal_line", goal=challenge["goal"]))  # her words: plain text, never Markdown
    st.page_link("pages/daily_log.py", label=tr("challenge.log_link"), icon=":material/edit_note:")


def _start_magnesium_on(store, uid: int, day: dt.date, today: dt.date) -> None:
    saved, res = store_trouble.try_save(lambda: svc.start_magnesium(store, uid, day, today),
                                        where="the magnesium start")
    if saved and res.ok:
        st.session_state[FLASH] = tr("challenge.mg_started", date=fmt(day))
        st.rerun()
    if saved:
        ui.show_problems(res.problems, "challenge.invalid")


def magnesium_start(store, uid: int, challenge: dict, today: dt.date) -> None:
    """In the baseline week: when magnesium day 1 is, in words that match her plan, and her choice of it."""
    if not rules.in_baseline(challenge, today):
        return
    st.subheader(tr("challenge.mg_title"), anchor=False)
    day_one = rules.magnesium_day_one(challenge)
    if challenge.get("magnesium_start"):  # she chose: her day, never "if you do nothing"
        st.info(tr("challenge.mg_chosen", date=fmt(day_one)), icon=":material/event_available:")
        return
    options = rules.magnesium_start_options(challenge, today)
    if not options:
        st.caption(tr("challenge.mg_wait", date=fmt(day_one)))
        return
    if rules.asks_to_start_magnesium(challenge, today):
        st.warning(tr("challenge.mg_ask"), icon=":material/notifications_active:")
    else:
        st.info(tr("challenge.mg_can"), icon=":material/check_circle:")
    st.caption(tr("challenge.mg_by_itself", date=fmt(day_one)))
    # One button per day she may choose (today, tomorrow or both): a choice of one is no choice.
    for day in options:
        label = tr("challenge.mg_start_today" if day == today else "challenge.mg_start_tomorrow", date=fmt(day))
        if st.button(label, type="primary" if day == options[0] else "secondary", key=f"mg_submit_{day.isoformat()}",
                     icon=":material/spa:", width="stretch"):
            _start_magnesium_on(store, uid, day, today)


def post_test(store, uid: int, challenge: dict, today: dt.date) -> None:
    st.subheader(tr("challenge.post_title"), anchor=False)
    if not rules.post_test_open(challenge, today):
        opens = rules.magnesium_day_one(challenge) + dt.timedelta(days=rules.POST_TEST_FIRST_DAY - 1)
        st.caption(tr("challenge.post_wait", date=fmt(opens)))
        return
    st.caption(tr("challenge.post_intro"))
    answers = render_signal_block("post", lang)
    if st.button(tr("challenge.post_button"), type="primary", key="post_submit", icon=":material/task_alt:"):
        saved, res = store_trouble.try_save(lambda: svc.take_post_test(store, uid, answers, today),
                                            where="the post-test")
        if saved and res.ok:
            st.session_state.pop(NEW_ROUND, None)
            st.rerun()  # the finish screen
        if saved:
            ui.show_problems(res.problems, "challenge.invalid")


def calendar_file(uid: int, challenge: dict, today: dt.date) -> None:
    st.subheader(tr("challenge.ics_title"), anchor=False)
    moved = reminders.outdated(challenge)
    if moved:
        # Said plainly: which dates in the file she has are now wrong, and the new file right here.
        lines = [tr(f"challenge.ics_moved_{what}", old=fmt(old), new=fmt(new)) for what, (old, new) in moved.items()]
        st.warning(tr("challenge.ics_outdated") + "\n\n" + "\n".join(f"- {line}" for line in lines)
                   + "\n\n" + tr("challenge.ics_replace"), icon=":material/event_busy:")
    elif reminders.downloaded(challenge):
        st.caption(tr("challenge.ics_current"))
    st.caption(tr("challenge.ics_help"))
    tz = ui.timezone()
    # Built when she clicks, from her plan as it is then, for her live login only (lib/ui/guard.py).
    open_store, challenge_id = ui.store_factory(), challenge["id"]
    guard.download_button(tr("challenge.ics_button_new" if moved else "challenge.ics_button"),
                          lambda: svc.calendar_file(open_store, uid, challenge_id, lang, tz, today),
                          file_name=reminders.file_name(challenge), mime="text/calendar", icon=":material/event:",
                          key="ics_download")


# -- the finish: her result, her PDF, sharing, what next ------------------------------------------------
NEW_ROUND = "finish_new_round"  # she chose to start a new round from the finish screen


def _on_share_finish(uid: int) -> None:
    share = bool(st.session_state.get("finish_share"))
    if guard.acting_user(uid) is None:
        return
    account_service.set_sharing(ui.store(), uid, share)


def finish_view(uid: int, fin: svc.Finish, today: dt.date) -> None:
    """After the post-test: the moment she finished, in plain words, and what she can do with it."""
    st.header(tr("challenge.finish_title"), anchor="finish")
    method = ui.method_name(fin.challenge["method"], tr)
    method = method[:1].lower() + method[1:]  # in the middle of a sentence
    st.caption(tr("challenge.finish_when", date=fmt(fin.ended_on), method=method))
    with st.container(border=True, key="finish_result"):
        st.subheader(tr("challenge.finish_result"), anchor=False)
        st.markdown(fin.headline)
        if fin.tests:
            st.markdown(fin.tests)
        if fin.days:
            st.caption(tr("challenge.finish_logged", logged=fin.logged, days=fin.days))
        st.caption(fin.caveat)
        st.page_link("pages/progress.py", label=tr("challenge.finish_progress"), icon=":material/monitoring:")

    st.subheader(tr("challenge.finish_pdf_title"), anchor=False)
    st.caption(tr("challenge.finish_pdf_help"))
    open_store, scope = ui.store_factory(), progress_view.challenge_scope(fin.challenge["id"])
    guard.download_button(tr("progress.download_pdf"), report.pdf_builder(open_store, uid, scope, lang, today),
                          file_name=f"magnesium-{fin.challenge['start_date']}-report.pdf", mime="application/pdf",
                          icon=":material/picture_as_pdf:", key="finish_pdf")

    st.subheader(tr("challenge.finish_share_title"), anchor=False)
    st.session_state.setdefault("finish_share", fin.shared)
    st.toggle(tr("account.share_label"), key="finish_share", on_change=_on_share_finish, args=(uid,),
              help=tr("account.share_help"))
    st.caption(tr("account.share_on") if st.session_state["finish_share"] else tr("challenge.finish_share_off"))

    st.subheader(tr("challenge.finish_next_title"), anchor=False)
    st.markdown(f"**{tr('challenge.finish_keep_title')}**")
    st.write(tr("challenge.finish_keep_text"))
    if st.button(tr("challenge.finish_keep_button"), key="finish_new", icon=":material/edit_note:", width="stretch"):
        st.session_state[NEW_ROUND] = True
        st.session_state["start_baseline"] = True
        st.rerun()
    st.markdown(f"**{tr('challenge.finish_later_title')}**")
    st.write(tr("challenge.finish_later_text"))


def end_early(store, uid: int, today: dt.date) -> None:
    with st.expander(tr("challenge.end_title")):
        st.caption(tr("challenge.end_text"))
        sure = st.checkbox(tr("challenge.end_confirm"), key="end_sure")
        clicked = theme.danger_zone("end").button(tr("challenge.end_button"), key="end_submit", disabled=not sure)
        if clicked and svc.end_early(store, uid, today).ok:
            st.session_state[FLASH] = tr("challenge.ended")
            st.rerun()


def main() -> None:
    st.title(tr("challenge.title"), anchor=False)
    st.caption(tr("challenge.intro"))
    flash = st.session_state.pop(FLASH, None)
    if flash:  # announced, and the keyboard's focus lands on it
        confirmation.show(flash)
    uid = ui.user_id()
    if uid is None:
        st.write(tr("challenge.login_intro"))
        ui.require_login()
        return
    store = ui.store()
    today = ui.today()
    challenge = svc.current(store, uid, today)
    if challenge is None:
        fin = svc.finished(store, uid, lang, today)
        if fin is not None:
            finish_view(uid, fin, today)
            if not st.session_state.get(NEW_ROUND):
                history(store, uid)
                return
            st.divider()
        else:
            history(store, uid)
        if svc.challenges(store, uid):
            st.subheader(tr("challenge.new_title"), anchor=False)
        start_form(store, uid, today)
        return
    where(challenge, today)
    magnesium_start(store, uid, challenge, today)
    post_test(store, uid, challenge, today)
    calendar_file(uid, challenge, today)
    end_early(store, uid, today)


main()
