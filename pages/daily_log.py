"""Daily log: one short form per day; a day that already has an entry is only replaced after she confirms."""

from __future__ import annotations

import datetime as dt
import zlib

import streamlit as st

from lib import challenge as rules
from lib import challenge_service as svc
from lib import locales, log_changes, progress_view, ui, wording
from lib.signals import by_rating, rating_columns
from lib.ui import confirmation, guard, rating_scales, store_trouble

tr = ui.tr()
lang = ui.lang()
PENDING = "log_pending"  # {"day": iso, "raw": {...}} while a replace waits for her answer
FLASH = "log_flash"  # what to confirm after a save, shown once
PROBLEMS = "log_problems"  # what was wrong with the last Save, shown once
DAY_CHOICE = "log_day"  # the day she chose (a date); the picker's own key changes with what is logged
DAY_PICKER = "log_day_pick_"  # the picker widget's key: this prefix and a digest of the logged days


def day_label(day: dt.date, today: dt.date) -> str:
    """The day's short name in the picker: "Vandaag" or "9 maart", which fits a phone at any text size."""
    if day == today:
        text = tr("log.day_today")
        return text[:1].upper() + text[1:]
    return locales.day_month(day, lang)


def day_state(day: dt.date, logged: set[str]) -> str:
    """The line under the picker: the chosen day in full and whether it is logged."""
    mark = tr("log.day_logged") if day.isoformat() in logged else tr("log.day_open")
    return tr("log.day_state", day=progress_view.format_date(day, lang), state=mark)


def day_picker(days: list[dt.date], today: dt.date, logged: set[str]) -> dt.date:
    """Which day she fills in, by a short name; the line under it says whether that day is logged (in the
    option text it was cut off on a phone with large text). The widget's key carries which days are logged,
    so right after a save the picker is drawn anew. Her choice lives in ``DAY_CHOICE``.
    No typing: on a phone that would only open the keyboard."""
    chosen = st.session_state.get(DAY_CHOICE)
    index = days.index(chosen) if chosen in days else 0
    state = zlib.crc32(",".join(sorted(d for d in logged if dt.date.fromisoformat(d) in days)).encode())
    day = st.selectbox(tr("log.day"), days, index=index, format_func=lambda d: day_label(d, today),
                       key=f"{DAY_PICKER}{state:08x}", filter_mode=None,
                       placeholder=tr("common.choose_one"))
    st.session_state[DAY_CHOICE] = day
    st.caption(day_state(day, logged))
    return day


def show_saved(flash: dict) -> None:
    day = progress_view.format_date(flash["day"], lang)
    text = tr("log.replaced" if flash["replaced"] else "log.saved", day=day)
    # Announced, and the keyboard's focus lands on it (lib/ui/confirmation.py).
    confirmation.show(text, tr.plural("log.streak", flash["streak"]),
                      flash.get("countdown") or tr("log.days_left_none"))  # says what it counts


def remember_saved(res) -> None:
    st.session_state.pop(PENDING, None)
    st.session_state[FLASH] = {"day": res.day, "replaced": res.replaced, "streak": res.streak,
                               "days_left": res.days_left,
                               "countdown": wording.countdown(res.challenge, ui.today(), lang)
                               if res.challenge and res.days_left else ""}


def after_save(res) -> None:
    remember_saved(res)
    st.rerun()


def ratings_key(day: dt.date) -> str:
    return f"{RATINGS_KEY}_{day.isoformat()}"


def form_values(day: dt.date, phase: str, ratings: dict) -> dict:
    """What the form holds for that day, read from its widgets' state; ``ratings`` as the scales show them."""
    ss = st.session_state
    sfx = day.isoformat()
    raw: dict = {"day": day}
    if phase == rules.MAGNESIUM:
        raw["applied"] = ss.get(f"log_applied_{sfx}")
        raw["method"] = ss.get(f"log_method_{sfx}")
        raw["amount"] = ss.get(f"log_amount_{sfx}")
    else:
        raw["applied"] = False
    raw.update(ratings)
    for field, key in (("relaxation_minutes", "relaxation"), ("coffee_cups", "coffee"),
                       ("alcohol_glasses", "alcohol"), ("note", "note")):
        raw[field] = ss.get(f"log_{key}_{sfx}")
    return raw


def on_save(store, uid: int, today: dt.date, day: dt.date, phase: str, ratings: dict) -> bool:
    """Save pressed (in the page's run, see lib/ui/store_trouble.py); True: rerun, so the page she then sees
    shows the saved day. Only for the login the form was drawn for, if it is still the one logged in
    (lib/ui/guard.py). A store failure propagates: her message by cause, and the form keeps her entry."""
    if guard.acting_user(uid) is None:
        return True
    raw = form_values(day, phase, ratings)
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


# The eight ratings: tap scales 0-10, nothing preset, each labelled with its two anchors once in small print
# (lib/ui/rating_scales.py). Their key is per day, so another day never inherits what she tapped.
RATINGS_KEY = "log_ratings"


def rating_label(sig) -> str:
    """The rating's name and what 0 and 10 mean: "Energy (0 = exhausted, 10 = full of energy)"."""
    return tr("log.rating_label", name=sig.text("rating", lang), anchors=sig.text("scale", lang).split(" · ")[0])


def plan_summary(challenge: dict, defaults: dict, sfx: str) -> str:
    """The folded method and amount in one line: "Magnesium oil (spray), 10 sprays"."""
    ss = st.session_state
    method = ss.get(f"log_method_{sfx}", defaults.get("method") or challenge.get("method"))
    amount = ss.get(f"log_amount_{sfx}", defaults.get("amount"))
    unit = rules.unit_for(method, challenge.get("amount_unit")) or "grams"
    text = ui.method_name(method, tr, tr("log.empty"))
    if amount is not None:
        text += f", {locales.number(amount, lang)} {tr(f'challenge.unit_{unit}').lower()}"
    return tr("log.plan_summary", plan=text)


def log_form(store, uid: int, today: dt.date, challenge: dict, day: dt.date, existing: dict | None) -> None:
    """The day's form. Not an ``st.form``: every tap reaches the server at once and lives in the session, so
    a phone that was locked for a while and reconnects finds what she tapped (and the widgets' keys are per
    day, so another day never inherits it)."""
    phase = rules.phase_of(challenge, day)
    defaults = svc.log_defaults(challenge, existing)
    signals = by_rating()
    sfx = day.isoformat()
    if phase == rules.MAGNESIUM:
        applied_default = defaults.get("applied")
        st.radio(tr("log.applied"), [True, False], horizontal=True, key=f"log_applied_{sfx}",
                 index=None if applied_default is None else (0 if applied_default else 1),
                 format_func=lambda v: tr("log.yes") if v else tr("log.no"))
        method = defaults.get("method") or challenge.get("method")
        with st.expander(plan_summary(challenge, defaults, sfx), icon=":material/spa:"):
            # A list to tap rather than a drop-down: each name stays whole, whatever the text size.
            st.radio(tr("log.method"), list(rules.METHODS), key=f"log_method_{sfx}",
                     index=rules.METHODS.index(method) if method in rules.METHODS else 0,
                     format_func=lambda m: ui.method_name(m, tr, tr("log.empty")))
            chosen = st.session_state.get(f"log_method_{sfx}", method)
            unit = rules.unit_for(chosen, challenge.get("amount_unit")) or "grams"
            st.number_input(tr("log.amount", unit=tr(f"challenge.unit_{unit}")), value=defaults.get("amount"),
                            step=1.0, format=rules.amount_format(unit), key=f"log_amount_{sfx}")
    else:
        st.caption(tr("log.baseline_note"))
    with st.container(key=RATINGS_KEY):
        st.caption(tr("log.ratings_note"))
        ratings = rating_scales.show(ratings_key(day), [(c, rating_label(signals[c])) for c in rating_columns()],
                                     defaults)
    with st.expander(tr("log.section_more"), icon=":material/more_horiz:"):
        st.number_input(tr("log.relaxation"), value=defaults.get("relaxation_minutes"), step=5,
                        key=f"log_relaxation_{sfx}")
        c1, c2 = st.columns(2)
        c1.number_input(tr("log.coffee"), value=defaults.get("coffee_cups"), step=1, key=f"log_coffee_{sfx}")
        c2.number_input(tr("log.alcohol"), value=defaults.get("alcohol_glasses"), step=1, key=f"log_alcohol_{sfx}")
        st.text_area(tr("log.note"), value=defaults.get("note") or "", help=tr("log.note_help"),
                     key=f"log_note_{sfx}")
    store_trouble.save_button(tr("log.save"), lambda: on_save(store, uid, today, day, phase, ratings),
                              where="the daily log", type="primary", icon=":material/save:", width="stretch",
                              key="log_save", in_form=False)
    problems = st.session_state.pop(PROBLEMS, None)
    if problems:
        ui.show_problems(problems, "log.invalid")


def main() -> None:
    st.title(tr("log.title"), anchor=False)
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
    day = day_picker(days, today, logged)
    missed = rules.missed_days(challenge, logged, today)
    if missed:
        st.caption(tr("log.missed", days=", ".join(progress_view.format_date(d, lang) for d in missed)))
    b = rules.baseline_day(challenge, day)
    # "How was today?" or "How was 2 March?": the question is about the day she picked.
    st.subheader(tr("log.how_today") if day == today
                 else tr("log.how_day", day=locales.day_month(day, lang)), anchor=False)
    st.caption(tr("log.where_baseline", n=b) if b is not None
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
