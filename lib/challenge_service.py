"""What the challenge pages do, without Streamlit: start, log a day, start magnesium, post-test, end.

Pages pass the logged-in participant's id (from the session), her "today" (her time zone, or the
moved clock) and the raw form values; these functions validate with ``lib.validation``, apply the
rules of ``lib.challenge`` and write through the store. Invalid input writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lib import challenge as rules
from lib import clock, logs, reminders, validation
from lib.signals import signal_score
from lib.store import AlreadyExists
from lib.validation import Problem

log = logs.get("challenge")


@dataclass
class Result:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    challenge_id: int | None = None


@dataclass
class LogResult:
    status: str  # "saved", "confirm" (the day has an entry: ask first) or "invalid"
    problems: list[Problem] = field(default_factory=list)
    day: str | None = None
    entry: dict | None = None  # the cleaned entry (to save after confirmation)
    existing: dict | None = None  # what was there
    replaced: bool = False
    streak: int = 0
    days_left: int = 0
    challenge: dict | None = None  # the challenge the day was saved to (for the count-down)


@dataclass
class Status:
    challenge: dict | None
    stage: str  # "visitor", "none", "finished" (her newest challenge is completed), "baseline", "day", "post"
    number: int | None = None
    today_logged: bool = False
    post_open: bool = False
    can_start_magnesium: bool = False
    ask_magnesium: bool = False
    days_left: int = 0
    streak: int = 0
    next_action: str = "quiz"  # quiz, start, log_today, start_magnesium, post_test, progress, finished


def current(store, uid: int, today: dt.date) -> dict | None:
    """Her active challenge; one past day 21 without a post-test is closed first (and None returned)."""
    challenge = store.active_challenge(uid)
    if challenge is not None and rules.overdue(challenge, today):
        store.close_challenge(uid, challenge["id"], rules.ENDED_NO_POSTTEST)
        log.info("challenge closed without post-test: user=%s challenge=%s", uid, challenge["id"])
        return None
    return challenge


def log_target(store, uid: int, today: dt.date) -> dict | None:
    """The challenge the daily log writes to (the active one, or a just-finished one still taking missed days)."""
    active = current(store, uid, today)
    if active is not None:
        return active
    return rules.log_challenge(store.challenges(uid), today)


# -- start ---------------------------------------------------------------------------------------
def start_challenge(store, uid: int, form: dict, pre_answers: dict, today: dt.date) -> Result:
    """Start a challenge with its pre-test; both are checked first, then written in one transaction."""
    active = current(store, uid, today)
    clean, problems = validation.check_start(form, today, has_active=active is not None)
    answers, test_problems = validation.check_signal_answers(pre_answers or {})
    problems += test_problems
    if problems:
        log.info("start refused: user=%s problems=%s", uid, _keys(problems))
        return Result(False, problems)
    score, _n = signal_score(answers)
    try:
        cid = store.create_challenge(
            uid, start_date=clean["start_date"], with_baseline=clean["with_baseline"], method=clean["method"],
            planned_amount=clean["planned_amount"], amount_unit=clean["amount_unit"], goal=clean["goal"],
            pre_test=answers, pre_score=score, primary_outcome=clean["primary_outcome"],
        )
    except AlreadyExists:  # the store's one-active-challenge rule: a second tab started one
        log.info("start refused: user=%s already has an active challenge", uid)
        return Result(False, [Problem("challenge", "already_active")])
    log.info("challenge started with its pre-test: user=%s challenge=%s", uid, cid)
    return Result(True, challenge_id=cid)


def start_problems(form: dict, pre_answers: dict, today: dt.date) -> list[Problem]:
    """What is still wrong with the start form and its pre-test (nothing is written): the page shows each
    at its field while she corrects them."""
    _clean, problems = validation.check_start(form, today, has_active=False)
    return problems + validation.check_signal_answers(pre_answers or {})[1]


def start_magnesium(store, uid: int, day, today: dt.date) -> Result:
    challenge = current(store, uid, today)
    if challenge is None:
        return Result(False, [Problem("challenge", "no_challenge")])
    chosen, problems = validation.check_magnesium_start(challenge, day, today)
    if problems:
        return Result(False, problems)
    store.set_magnesium_start(uid, challenge["id"], chosen.isoformat())
    log.info("magnesium day 1 chosen: user=%s challenge=%s day=%s", uid, challenge["id"], chosen.isoformat())
    return Result(True, challenge_id=challenge["id"])


def take_post_test(store, uid: int, answers: dict, today: dt.date) -> Result:
    """The post-test (day 14 to 21): stored, and the challenge closes as completed in the same transaction."""
    challenge = current(store, uid, today)
    if challenge is None:
        return Result(False, [Problem("challenge", "no_challenge")])
    if not rules.post_test_open(challenge, today):
        return Result(False, [Problem("post_test", "post_test_closed",
                                      {"first": rules.POST_TEST_FIRST_DAY, "last": rules.POST_TEST_LAST_DAY})])
    clean, problems = validation.check_signal_answers(answers or {})
    if problems:
        return Result(False, problems)
    score, _n = signal_score(clean)
    store.save_assessment(uid, challenge["id"], "post", clean, score, close_challenge_as=rules.COMPLETED)
    log.info("post-test saved, challenge completed: user=%s challenge=%s", uid, challenge["id"])
    return Result(True, challenge_id=challenge["id"])


def calendar_file(open_store, uid: int, challenge_id: int, lang: str, tz: str | None, today: dt.date) -> bytes:
    """Her calendar file, built from her plan as it is now (when she clicks), and its dates kept so the
    page can tell her later when the plan moved away from the file."""
    store = open_store()
    challenge = next((c for c in store.challenges(uid) if c["id"] == challenge_id), None)
    if challenge is None:
        raise LookupError("not her challenge")
    blob = reminders.build_ics(challenge, lang, tz, today=today)
    store.set_calendar_file(uid, challenge_id, reminders.record(challenge, clock.iso_now()))
    log.info("calendar file downloaded: user=%s challenge=%s", uid, challenge_id)
    return blob


def end_early(store, uid: int, today: dt.date) -> Result:
    challenge = current(store, uid, today)
    if challenge is None:
        return Result(False, [Problem("challenge", "no_challenge")])
    store.close_challenge(uid, challenge["id"], rules.ENDED_EARLY)
    log.info("challenge ended early: user=%s challenge=%s", uid, challenge["id"])
    return Result(True, challenge_id=challenge["id"])


# -- the daily log -------------------------------------------------------------------------------
def save_log(store, uid: int, raw: dict, today: dt.date, *, replace: bool = False) -> LogResult:
    """Validate and save one day. A day that already has an entry is only replaced with ``replace=True``."""
    challenge = log_target(store, uid, today)
    clean, problems = validation.check_log(raw, challenge, today)
    if problems:
        log.info("day refused: user=%s problems=%s", uid, _keys(problems))
        return LogResult("invalid", problems)
    day = clean.pop("day")
    if clean["phase"] == rules.MAGNESIUM and challenge.get("with_baseline") and not challenge.get("magnesium_start"):
        # She never chose: the day after baseline day 7 became magnesium day 1. Fix it in the record.
        store.set_magnesium_start(uid, challenge["id"], rules.magnesium_day_one(challenge).isoformat())
    saved, existing = store.save_daily_log(uid, day, clean, replace=replace)
    if not saved:
        log.info("day has an entry, asking before replacing: user=%s day=%s", uid, day)
        return LogResult("confirm", day=day, entry=clean, existing=existing)
    log.info("day %s: user=%s day=%s", "replaced" if existing is not None else "saved", uid, day)
    logged = store.log_days(uid)
    return LogResult("saved", day=day, entry=clean, existing=existing, replaced=existing is not None,
                     streak=rules.streak(logged, today), days_left=rules.days_left(challenge, today),
                     challenge=challenge)


def _keys(problems: list[Problem]) -> list[str]:
    """Which rules were broken (their codes), never what she typed."""
    return [p.key for p in problems]


def log_defaults(challenge: dict, existing: dict | None) -> dict:
    """What the form shows: her entry for that day, else the plan's method and amount."""
    if existing:
        return dict(existing)
    return {"applied": None, "method": challenge.get("method"), "amount": challenge.get("planned_amount")}


# -- where she is --------------------------------------------------------------------------------
def status(store, uid: int | None, today: dt.date) -> Status:
    if uid is None:
        return Status(None, "visitor", next_action="quiz")
    challenge = current(store, uid, today)
    if challenge is None:
        done = store.challenges(uid)
        if done and done[0].get("status") == rules.COMPLETED:  # her newest one ended with its post-test
            return Status(done[0], "finished", next_action="finished")
        return Status(None, "none", next_action="start")
    stage, number = rules.position(challenge, today)
    logged = store.log_days(uid)
    today_logged = today.isoformat() in logged
    st = Status(
        challenge, stage, number, today_logged=today_logged,
        post_open=rules.post_test_open(challenge, today),
        can_start_magnesium=rules.can_start_magnesium(challenge, today),
        ask_magnesium=rules.asks_to_start_magnesium(challenge, today),
        days_left=rules.days_left(challenge, today),
        streak=rules.streak(logged, today),
    )
    if not today_logged and stage in ("baseline", "day"):
        st.next_action = "log_today"
    elif st.post_open:
        st.next_action = "post_test"
    elif st.can_start_magnesium or st.ask_magnesium:
        st.next_action = "start_magnesium"
    else:
        st.next_action = "progress"
    return st


@dataclass
class Finish:
    """Her finished challenge in plain words: what the finish screen and Home after it show."""
    challenge: dict
    ended_on: dt.date
    headline: str  # the primary outcome's verdict (lib/wording.py), in plain words
    tests: str | None  # the test before against the test after, in one sentence
    caveat: str
    shared: bool  # her practitioner may see her progress
    logged: int  # evenings she logged in this challenge
    days: int  # days the challenge had


def finished(store, uid: int, lang: str, today: dt.date) -> Finish | None:
    """Her newest challenge when it ended with its post-test (and no newer one has started), else None."""
    from lib import analysis, wording  # the analysis only when there is a finish to show

    challenges, logs, assessments = store.progress_data(uid)
    if not challenges or challenges[0].get("status") != rules.COMPLETED:
        return None
    challenge = challenges[0]
    mine = [r for r in logs if r.get("challenge_id") == challenge["id"]]
    ended = rules.as_date(challenge.get("ended_at") or today)
    comparison = analysis.compare_phases(mine, challenge, ended)
    prepost = analysis.pre_post(assessments.get(challenge["id"], {}))
    adh = analysis.adherence(mine, challenge, ended)
    tests = None
    if prepost is not None and prepost.total_improvement is not None:
        key = ("prepost_down" if prepost.total_improvement > 0 else
               "prepost_up" if prepost.total_improvement < 0 else "prepost_same")
        tests = wording.t(f"progress.summary.{key}", lang, pre=wording.fmt_num(prepost.total_pre, lang, 0),
                          post=wording.fmt_num(prepost.total_post, lang, 0))
    user = store.get_user(uid) or {}
    return Finish(challenge, ended, wording.headline(comparison, lang), tests,
                  wording.t("progress.summary.caveat", lang), bool(user.get("share_with_practitioner")),
                  adh.logged if adh else len(mine), adh.days if adh else 0)


def challenges(store, uid: int) -> list[dict]:
    """All her challenges, the running one included."""
    return store.challenges(uid)


def logged_days(store, uid: int, challenge_id: int) -> set[str]:
    return set(store.log_days(uid, challenge_id=challenge_id))


def day_entry(store, uid: int, day: dt.date) -> dict | None:
    return store.daily_log(uid, day.isoformat())
