"""Daily log: one short form per day; a day that already has an entry is only replaced after she confirms."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib import challenge as rules
from lib import challenge_service as svc
from lib import log_changes, progress_view, ui, wording
from lib.signals import by_rating, rating_columns
from lib.ui import guard, store_trouble

tr = ui.tr()
lang = ui.lang()
PENDING = "log_pending"  # {"day": iso, "raw": {...}} while a replace waits for her answer
FLASH = "log_flash"  # what to confirm after a save, shown once
PROBLEMS = "log_problems"  # what was wrong with the last Save, shown once


def day_label(day: dt.date, today: dt.date, logged: set[str]) -> str:
    text = progress_view.format_date(day, lang)
    if day == today:
        text = f"{tr('log.day_today')}, {text}"
    mark = tr("log.day_logged") if day.isoformat() in logged else tr("log.day_open")
    return f"{text} · {mark}"


def show_saved(flash: dict) -> None:
    day = progress_view.format_date(flash["day"], lang)
    text = tr("log.replaced" if flash["replaced"] else "log.saved", day=day)
    st.success(text, icon=":material/check_circle:")
    st.markdown(tr.plural("log.streak", flash["streak"]))
    st.markdown(flash.get("countdown") or tr("log.days_left_none"))  # says what it counts


def remember_saved(res) -> None:
    st.session_state.pop(PENDING, None)
    st.session_state[FLASH] = {"day": res.day, "replaced": res.replaced, "streak": res.streak,
                               "days_left": res.days_left,
                               "countdown": wording.countdown(res.challenge, ui.today(), lang)
                               if res.challenge and res.days_left else ""}


def after_save(res) -> None:
    remember_saved(res)
    st.rerun()


def form_values(day: dt.date, phase: str) -> dict:
    """What the form holds for that day, read from its widgets' state."""
    ss = st.session_state
    sfx = day.isoformat()
    raw: dict = {"day": day}
    if phase == rules.MAGNESIUM:
        raw["applied"] = ss.get(f"log_applied_{sfx}")
        raw["method"] = ss.get(f"log_method_{sfx}")
        raw["amount"] = ss.get(f"log_amount_{sfx}")
    else:
        raw["applied"] = False
    for column in rating_columns():
        raw[column] = ss.get(f"log_{column}_{sfx}")
    for field, key in (("relaxation_minutes", "relaxation"), ("coffee_cups", "coffee"),
                       ("alcohol_glasses", "alcohol"), ("note", "note")):
        raw[field] = ss.get(f"log_{key}_{sfx}")
    return raw


def on_save(store, uid: int, today: dt.date, day: dt.date, phase: str) -> bool:
    """Save pressed (in the page's run, see lib/ui/store_trouble.py); True: rerun, so the page she then sees
    shows the saved day. Only for the login the form was drawn for, if it is still the one logged in
    (lib/ui/guard.py). A store failure propagates: her message by cause, and the form keeps her entry."""
    if guard.acting_user(uid) is None:
        return True
    raw = form_values(day, phase)
    res = svc.save_log(store, uid, raw, today)
    if res.status == "saved":
        remember_saved(res)
    elif res.status == "confirm":
        st.session_state[PENDING] = {"day": res.day, "raw": raw, "entry": res.entry}
    else:
        st.session_state[PROBLEMS] = res.problems
    return True


def confirm_block(store, uid: int, today: dt.date, pending: dict, existing: dict | None) -> None:
    st.warning(f"**{tr('log.confirm_title')}** — {tr('log.confirm_intro')}", icon=":material/warning:")
    st.html(log_changes.changes_html(existing or {}, pending["entry"], lang))  # only what changes, "6 → 8"
    a, b = st.columns(2)
    if a.button(tr("log.confirm_replace"), type="primary", key="log_replace", icon=":material/published_with_changes:"):
        ok, res = store_trouble.try_save(lambda: svc.save_log(store, uid, pending["raw"], today, replace=True),
                                         where="the daily log's replace")
        if ok:
            if res.status == "saved":
                after_save(res)
            ui.show_problems(res.problems, "log.invalid")
    if b.button(tr("log.confirm_keep"), key="log_keep"):
        st.session_state.pop(PENDING, None)
        st.session_state[FLASH + "_kept"] = pending["day"]
        st.rerun()


def log_form(store, uid: int, today: dt.date, challenge: dict, day: dt.date, existing: dict | None) -> None:
    phase = rules.phase_of(challenge, day)
    defaults = svc.log_defaults(challenge, existing)
    signals = by_rating()
    sfx = day.isoformat()
    with st.form(f"daily_log_{sfx}", border=False):
        if phase == rules.MAGNESIUM:
            st.subheader(tr("log.section_magnesium"))
            applied_default = defaults.get("applied")
            st.radio(tr("log.applied"), [True, False], horizontal=True, key=f"log_applied_{sfx}",
                     index=None if applied_default is None else (0 if applied_default else 1),
                     format_func=lambda v: tr("log.yes") if v else tr("log.no"))
            method = defaults.get("method") or challenge.get("method")
            st.selectbox(tr("log.method"), list(rules.METHODS), key=f"log_method_{sfx}",
                         index=rules.METHODS.index(method) if method in rules.METHODS else 0,
                         format_func=lambda m: ui.method_name(m, tr, tr("log.empty")))
            unit = rules.unit_for(method, challenge.get("amount_unit")) or "grams"
            st.number_input(tr("log.amount", unit=tr(f"challenge.unit_{unit}")), value=defaults.get("amount"),
                            step=1.0, key=f"log_amount_{sfx}")
        else:
            st.caption(tr("log.baseline_note"))
        st.subheader(tr("log.section_ratings"))
        for column in rating_columns():
            sig = signals[column]
            value = defaults.get(column)
            st.slider(f"{sig.text('rating', lang)} — {sig.text('scale', lang)}", 0, 10,
                      value=5 if value is None else int(value), key=f"log_{column}_{sfx}")
        st.subheader(tr("log.section_more"))
        st.number_input(tr("log.relaxation"), value=defaults.get("relaxation_minutes"), step=5,
                        key=f"log_relaxation_{sfx}")
        c1, c2 = st.columns(2)
        c1.number_input(tr("log.coffee"), value=defaults.get("coffee_cups"), step=1, key=f"log_coffee_{sfx}")
        c2.number_input(tr("log.alcohol"), value=defaults.get("alcohol_glasses"), step=1, key=f"log_alcohol_{sfx}")
        st.text_area(tr("log.note"), value=defaults.get("note") or "", help=tr("log.note_help"),
                     key=f"log_note_{sfx}")
        store_trouble.save_button(tr("log.save"), lambda: on_save(store, uid, today, day, phase),
                                  where="the daily log", type="primary", icon=":material/save:")
    problems = st.session_state.pop(PROBLEMS, None)
    if problems:
        ui.show_problems(problems, "log.invalid")


def main() -> None:
    st.title(tr("log.title"))
    st.caption(tr("log.intro"))
    uid = ui.require_login()
    if uid is None:
        return
    store = ui.store()
    today = ui.today()
    challenge = svc.log_target(store, uid, today)
    if challenge is None:
        st.info(tr("log.no_challenge"), icon=":material/flag:")
        st.page_link("pages/challenge.py", label=tr("log.go_challenge"), icon=":material/flag:")
        return
    flash = st.session_state.pop(FLASH, None)
    kept = st.session_state.pop(FLASH + "_kept", None)
    if kept:
        st.info(tr("log.kept", day=progress_view.format_date(kept, lang)))

    days = rules.allowed_log_days(challenge, today)
    logged = svc.logged_days(store, uid, challenge["id"])
    day = st.selectbox(tr("log.day"), days, format_func=lambda d: day_label(d, today, logged), key="log_day")
    missed = rules.missed_days(challenge, logged, today)
    if missed:
        st.caption(tr("log.missed", days=", ".join(progress_view.format_date(d, lang) for d in missed)))
    b = rules.baseline_day(challenge, day)
    st.markdown(tr("log.where_baseline", n=b) if b is not None
                else tr("log.where_day", n=rules.day_number(challenge, day)))
    existing = svc.day_entry(store, uid, day)
    pending = st.session_state.get(PENDING)
    if pending and pending["day"] == day.isoformat():
        confirm_block(store, uid, today, pending, existing)
        return
    st.session_state.pop(PENDING, None)
    if existing:
        st.info(tr("log.already"), icon=":material/edit_calendar:")
    log_form(store, uid, today, challenge, day, existing)
    if flash:  # under the form, where she pressed Save
        show_saved(flash)


main()
