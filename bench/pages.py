"""Page cost: the AppTest rerun time of every page against ``bench/reference_page.py``.

Every page is prepared once (logged in as a participant with the data the page needs), then all
pages and the reference rerun in turn, round after round, so drift on a shared machine hits them
alike. The figure is each page's median over the reference's median. An empty page is timed too,
for scale: it is what Streamlit itself costs per rerun.

A page that is still a placeholder is skipped with a note, not timed.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENTRY = str(ROOT / "streamlit_app.py")
BAR = 2.0
BAR_PROGRESS_YEAR = 3.0
PLACEHOLDER = "Placeholder until its issue lands"


def is_placeholder(page: str) -> bool:
    return PLACEHOLDER in (ROOT / page).read_text(encoding="utf-8")


def _page(uid: int | None, page: str | None, lang: str = "nl"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.session_state["lang"] = lang
    if uid is not None:
        at.session_state["user_id"] = uid
    at.run()
    if page:
        at.switch_page(page).run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception}")
    return at


def _quiz_after_one_answer(uid: int):
    """The quiz with its first question answered (her feedback shows), rerun as it is."""
    at = _page(uid, "pages/quiz.py")
    question = next(w for w in at.radio if str(w.key or "").startswith("quiz_q_"))
    question.set_value(question.options[-1]).run()
    if at.exception:
        raise RuntimeError(f"quiz: {at.exception}")
    return at, None


def _daily_log_submit(uid: int, store):
    """The daily log: each round saves today's entry anew (her evening's submit, with the page it shows after)."""
    from lib import i18n
    from tests.page_text import rate

    at = _page(uid, "pages/daily_log.py")
    day = next(s for s in at.selectbox if s.key and s.key.startswith("log_day_pick_")).value.isoformat()
    label = i18n.t("log.save", "nl")

    def submit(a):
        with store.write() as conn:  # today not yet logged, as every evening
            conn.execute("DELETE FROM daily_logs WHERE user_id = ? AND day = ?", (uid, day))
        if any(w.key == f"log_applied_{day}" for w in a.radio):
            a.radio(key=f"log_applied_{day}").set_value(True)
        rate(a, day, sleep_quality=7)
        a.text_area(key=f"log_note_{day}").set_value("Rustige dag")
        next(b for b in a.button if b.label == label).click()

    submit(at)
    at.run()
    if at.exception or store.daily_log(uid, day) is None:
        raise RuntimeError(f"daily log: not saved {at.exception or ''}")
    return at, submit


def _start_challenge(store, uid: int) -> None:
    """An active challenge that started three days ago (magnesium from day one), as a participant would."""
    from lib import challenge_service as svc
    from lib import clock, signals

    today = clock.today()
    pre = {s.id: 2 for s in signals.signals()}
    res = svc.start_challenge(store, uid, {"with_baseline": False, "start_date": today - dt.timedelta(days=3),
                                           "method": "oil_spray", "planned_amount": 10, "goal": ""}, pre, today)
    if not res.ok:
        raise RuntimeError(f"could not start a challenge: {res.problems}")


def run(rounds: int = 30, *, log=print) -> dict:
    tmp = tempfile.mkdtemp(prefix="bench-pages-")
    from lib import settings

    settings.install(settings.Settings(database=Path(tmp) / "bench.db"))
    from streamlit.testing.v1 import AppTest

    from lib.store import open_store
    from tests import factories

    store = open_store()
    end = dt.date(2026, 11, 20)
    u_home = store.create_user("bench-home")
    u14 = store.create_user("bench-14")
    factories.store_participant(store, u14, end=end, finished=False)
    u365 = store.create_user("bench-365")
    factories.store_history(store, u365, end=end, days=365)
    u_quiz = store.create_user("bench-quiz")
    u_log = store.create_user("bench-log")
    _start_challenge(store, u_log)

    subjects: dict[str, tuple] = {}
    notes: dict[str, str] = {}
    ref = AppTest.from_file(str(ROOT / "bench" / "reference_page.py"), default_timeout=60)
    ref.run()
    empty = AppTest.from_string("", default_timeout=60)
    empty.run()
    subjects["reference"] = (ref, None)
    subjects["empty page"] = (empty, None)
    plan: list[tuple[str, Callable]] = [
        ("Home", lambda: (_page(u_home, None), None)),
        ("Learn", lambda: (_page(u_home, "pages/learn.py"), None)),
        ("Quiz after one answer", lambda: _quiz_after_one_answer(u_quiz)),
        ("Daily log submit", lambda: _daily_log_submit(u_log, store)),
        ("Progress 14 days", lambda: (_page(u14, "pages/progress.py"), None)),
        ("Progress 365 days", lambda: (_page(u365, "pages/progress.py"), None)),
    ]
    files = {"Quiz after one answer": "pages/quiz.py", "Daily log submit": "pages/daily_log.py"}
    for name, make in plan:
        if name in files and is_placeholder(files[name]):
            notes[name] = "skipped: the page is still a placeholder"
            continue
        try:
            subjects[name] = make()
        except Exception as exc:  # noqa: BLE001 - reported in the table, the rest still runs
            notes[name] = f"failed to prepare: {exc}"[:200]
    times: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(rounds):
        for name, (at, before) in subjects.items():
            if before is not None:
                before(at)
            start = time.perf_counter()
            at.run()
            times[name].append(time.perf_counter() - start)
            if at.exception:
                notes[name] = f"exception on rerun: {at.exception}"[:200]
    med = {name: statistics.median(ts) * 1000 for name, ts in times.items()}
    ref_ms = med["reference"]
    pages = {}
    for name, ms in med.items():
        if name == "reference":
            continue
        bar = None if name == "empty page" else (BAR_PROGRESS_YEAR if name == "Progress 365 days" else BAR)
        ratio = round(ms / ref_ms, 2)
        pages[name] = {"ms": round(ms, 2), "ratio": ratio, "bar": bar,
                       "ok": None if bar is None else ratio <= bar}
    logged = {"Progress 14 days": len(store.daily_logs(u14)), "Progress 365 days": len(store.daily_logs(u365))}
    return {"rounds": rounds, "reference_ms": round(ref_ms, 2), "pages": pages, "notes": notes,
            "logged_days": logged}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
