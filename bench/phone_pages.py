"""Speed she feels on a phone: each page at 390x844 in headless Chromium, from a tap to its main content.

One participant halfway through her magnesium days (a baseline week and seven magnesium days logged,
today not yet) is logged in on ``streamlit run server.py``. For each page she taps its link in the menu
(from Home; for Home itself from Learn) and the time runs from the tap (the browser's own click event)
until the page's main content is there: its title, the script run finished, nothing stale or still
loading, and for Progress every chart drawn, for the daily log its eight rating scales. Home's next
step ("fill in today's log") is timed the same way and compared with the menu's link to the same page.

The reference: ``bench/reference_page.py`` (a form of eight widgets and a 365-point chart), opened the
same way, by a tap on a menu link (``bench/reference_nav.py``) until its chart is drawn, on its own
server, alternating with the app's pages in the same run. Figures are medians; the ratio is the app's
median over the reference's. Targets: every page ≤ 1.5x, Progress ≤ 2x, Home's next step ≤ 1.2x the menu.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PHONE = {"width": 390, "height": 844}
BAR = 1.5
BAR_PROGRESS = 2.0
BAR_BUTTON = 1.2
TZ = "Europe/Amsterdam"

# Ready when the page's title is there, the script run has finished and nothing is stale or still
# loading; ``extra`` is the page's own main content.
READY = """([title, extra]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  const main = document.querySelector('[data-testid="stMain"]');
  const h1 = main && main.querySelector('h1');
  if (!h1 || !h1.innerText.includes(title)) return false;
  if (main.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  if (extra === 'charts') {
    const charts = [...main.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    if (!charts.length || !charts.every(c => c.querySelector('svg, canvas'))) return false;
  } else if (extra === 'ratings') {
    if (main.querySelectorAll('.st-key-log_ratings [role="radiogroup"]').length !== 8) return false;
  } else if (extra === 'next') {
    if (!main.querySelector('.st-key-home_next a')) return false;
  }
  return performance.now();
}"""
ARM = """() => { window.__tapped = null;
  document.addEventListener('click', () => { window.__tapped = performance.now(); }, {capture: true, once: true}); }"""


def _prepare(db: Path, today: dt.date) -> int:
    """Her account and a challenge: baseline week and magnesium days 1-7 logged, today (day 8) not yet."""
    from lib.store import Store
    from tests import factories

    store = Store(db)
    uid = store.create_user("bench.phone", display_name="Bench", lang="nl", health_consent=True,
                            timezone=TZ)
    factories.store_participant(store, uid, end=today + dt.timedelta(days=6), finished=False)
    with store.write() as conn:  # the days from today on have not happened yet
        conn.execute("DELETE FROM daily_logs WHERE user_id = ? AND day >= ?", (uid, today.isoformat()))
    return uid


def _tap(page, link, title: str, extra: str = "") -> float:
    """Tap ``link`` and wait for the page titled ``title``; milliseconds from the tap to its content."""
    page.evaluate(ARM)
    link.click()
    done = page.wait_for_function(READY, arg=[title, extra], polling="raf", timeout=120_000).json_value()
    tapped = page.evaluate("window.__tapped")
    return float(done) - float(tapped)


def run(rounds: int = 7, *, log=print) -> dict:
    from playwright.sync_api import sync_playwright

    from bench.concurrent import Server
    from lib import auth, clock, i18n, page_table
    from lib.store import Store
    from tests.browser.harness import CHROMIUM_ARGS, SESSION_COOKIE, chromium_executable, open_app

    tmp = Path(tempfile.mkdtemp(prefix="bench-phone-"))
    db = tmp / "app.db"
    today = clock.today(TZ)
    uid = _prepare(db, today)
    token = auth.start_session(Store(db), uid)
    titles = {row.url_path: i18n.t(f"{row.url_path}.title", "nl")
              for row in page_table.PAGES}
    labels = {row.url_path: i18n.t(row.title_key, "nl") for row in page_table.PAGES}
    extras = {"home": "next", "log": "ratings", "progress": "charts"}
    app = Server(ROOT / "server.py", db, tmp / "app.log").start()
    ref = Server(ROOT / "bench" / "reference_nav.py", tmp / "unused.db", tmp / "ref.log").start()
    times: dict[str, list[float]] = {p: [] for p in titles}
    times["home_button"] = []
    reference: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS)
            actx = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id=TZ, has_touch=True)
            actx.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": app.url}])
            rctx = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id=TZ, has_touch=True)
            a, r = actx.new_page(), rctx.new_page()
            open_app(a, app)
            open_app(r, ref)

            def menu(path: str):
                return a.locator(".st-key-mg_nav").get_by_role("link", name=labels[path], exact=True)

            def app_to(path: str) -> float:
                return _tap(a, menu(path), titles[path], extras.get(path, ""))

            def reference_once() -> None:
                reference.append(_tap(r, r.get_by_role("link", name="Reference", exact=True), "Reference",
                                      "charts"))
                _tap(r, r.get_by_role("link", name="Start", exact=True), "Start")

            # One untimed round first: every page's code and the scales' lazy parts are loaded once.
            for path in titles:
                app_to(path)
            reference_once()
            reference.clear()
            for i in range(rounds):
                for path in titles:
                    app_to("learn" if path == "home" else "home")  # from where she usually comes
                    times[path].append(app_to(path))
                    reference_once()
                app_to("home")
                times["home_button"].append(_tap(a, a.locator(".st-key-home_next a"), titles["log"], "ratings"))
                reference_once()
                if log:
                    log(f"  phone pages: round {i + 1} of {rounds}")
            browser.close()
    finally:
        app.stop()
        ref.stop()
    ref_ms = statistics.median(reference)
    out_pages = {}
    for path, values in times.items():
        if path == "home_button":
            continue
        ms = statistics.median(values)
        bar = BAR_PROGRESS if path == "progress" else BAR
        out_pages[path] = {"label": labels[path], "ms": round(ms, 1), "ratio": round(ms / ref_ms, 2), "bar": bar,
                           "ok": ms / ref_ms <= bar, "samples": [round(v, 1) for v in values]}
    button = statistics.median(times["home_button"])
    menu_ms = out_pages["log"]["ms"]
    return {
        "viewport": PHONE, "rounds": rounds, "reference_ms": round(ref_ms, 1),
        "reference_samples": [round(v, 1) for v in reference], "pages": out_pages,
        "home_button": {"ms": round(button, 1), "menu_ms": menu_ms, "ratio": round(button / menu_ms, 2),
                        "bar": BAR_BUTTON, "ok": button / menu_ms <= BAR_BUTTON,
                        "samples": [round(v, 1) for v in times["home_button"]]},
    }


def rows(r: dict, mark) -> list[tuple]:
    """The browser table's rows: (figure, measured, reference, ratio, target, met)."""
    ref = f"{r['reference_ms']:.0f} ms"
    out = []
    for path, p in r["pages"].items():
        what = "charts drawn" if path == "progress" else "main content"
        out.append((f"phone: {p['label']} from the menu to its {what}", f"{p['ms']:.0f} ms", ref,
                    f"{p['ratio']:.2f}x", f"≤ {p['bar']}x", mark(p["ok"])))
    b = r["home_button"]
    out.append(("phone: Home's next step to the daily log (vs the menu's link)", f"{b['ms']:.0f} ms",
                f"{b['menu_ms']:.0f} ms", f"{b['ratio']:.2f}x", f"≤ {b['bar']}x", mark(b["ok"])))
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(rounds=3), indent=2))
