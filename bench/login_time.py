"""How long one login takes: argon2id verification plus the store (throttle check, user, new session).

Run: ``python -m bench.login_time`` (or ``python bench/login_time.py``). Prints a table and writes
``bench/login_results.json``. Measured: the median of 20 logins through ``lib.auth.log_in``; the same
through the HTTP route (CSRF check, form parsing, cookie, redirect); one bare hash with our parameters
and, for comparison, with argon2-cffi's defaults; and a group of participants logging in at once from one
address, to show that the bound on simultaneous hashes holds (peak memory for hashing = bound x memory
cost) and that none of them is refused.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOGINS = 20
BURST = 30
PASSWORD = "paars fiets regen zolder"
OUT = ROOT / "bench" / "login_results.json"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _median_ms(fn, n: int) -> tuple[float, float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return _ms(statistics.median(samples)), _ms(min(samples)), _ms(max(samples))


def run(n: int = LOGINS) -> dict:
    tmp = tempfile.mkdtemp(prefix="bench-login-")
    from lib import settings

    settings.install(settings.Settings(database=Path(tmp) / "bench.db"))
    from argon2 import PasswordHasher
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from lib import auth
    from lib.store import open_store
    from lib.web import auth_web

    store = open_store()
    assert auth.sign_up(store, username="bench", password=PASSWORD, consent=True).ok

    def one_login():
        assert auth.log_in(store, username="bench", password=PASSWORD, address="192.0.2.1").ok

    one_login()  # warm-up (imports, first connection)
    login = _median_ms(one_login, n)

    async def page(request):
        return HTMLResponse("ok")

    app = Starlette(routes=[Route("/", page), *auth_web.routes()], middleware=auth_web.middleware())
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        client.get("/")
        csrf = client.cookies.get(auth_web.CSRF_COOKIE)

        def one_http_login():
            r = client.post(auth_web.LOGIN, data={"csrf": csrf, "username": "bench", "password": PASSWORD},
                            headers={"origin": "http://testserver"})
            assert r.status_code == 303 and r.headers["location"] == "/", r.headers

        one_http_login()
        http = _median_ms(one_http_login, n)

    ours = _median_ms(lambda: auth.hash_password(PASSWORD), n)
    default = PasswordHasher()
    library_default = _median_ms(lambda: default.hash(PASSWORD), n)

    # A burst: BURST logins at once; at most MAX_CONCURRENT_HASHES hash at the same moment.
    running = peak = 0
    lock = threading.Lock()
    real_hasher = auth._hasher

    class CountingHasher:
        def __getattr__(self, name):
            return getattr(real_hasher, name)

        def verify(self, *args):
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            try:
                return real_hasher.verify(*args)
            finally:
                with lock:
                    running -= 1

    auth._hasher = CountingHasher()
    # A group session: BURST participants log in at the same moment from one practice's network.
    for i in range(BURST):
        assert auth.sign_up(store, username=f"group{i}", password=PASSWORD, consent=True).ok
    refused = []

    def group_login(i):
        if not auth.log_in(store, username=f"group{i}", password=PASSWORD, address="192.0.2.1").ok:
            refused.append(i)

    start = time.perf_counter()
    threads = [threading.Thread(target=group_login, args=(i,)) for i in range(BURST)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    burst_total = time.perf_counter() - start
    auth._hasher = real_hasher

    return {
        "argon2": {"type": "argon2id", "time_cost": auth.ARGON2_TIME_COST,
                   "memory_kib": auth.ARGON2_MEMORY_KIB, "parallelism": auth.ARGON2_PARALLELISM,
                   "max_concurrent_hashes": auth.MAX_CONCURRENT_HASHES},
        "logins": n,
        "login_ms": {"median": login[0], "min": login[1], "max": login[2]},
        "http_login_ms": {"median": http[0], "min": http[1], "max": http[2]},
        "hash_ms_ours": ours[0],
        "hash_ms_library_default": library_default[0],
        "library_default": {"time_cost": default.time_cost, "memory_kib": default.memory_cost,
                            "parallelism": default.parallelism},
        "burst": {"logins": BURST, "peak_concurrent_hashes": peak, "total_ms": _ms(burst_total),
                  "refused": len(refused)},
        "cpu_count": os.cpu_count(),
    }


def main() -> None:
    result = run()
    a = result["argon2"]
    print(f"argon2id: t={a['time_cost']}, m={a['memory_kib'] // 1024} MiB, p={a['parallelism']}; "
          f"at most {a['max_concurrent_hashes']} hashes at once ({result['cpu_count']} CPUs)")
    print(f"{'measure':<44}{'median ms':>10}{'min':>8}{'max':>8}")
    for label, key in (("log_in(): verify + store", "login_ms"), ("POST /session/login (route)", "http_login_ms")):
        m = result[key]
        print(f"{label:<44}{m['median']:>10}{m['min']:>8}{m['max']:>8}")
    d = result["library_default"]
    print(f"{'one hash, our parameters':<44}{result['hash_ms_ours']:>10}")
    label = f"one hash, library default (m={d['memory_kib'] // 1024} MiB, p={d['parallelism']})"
    print(f"{label:<44}{result['hash_ms_library_default']:>10}")
    b = result["burst"]
    print(f"{b['logins']} participants logging in at once from one address: {b['total_ms']} ms in all, "
          f"peak {b['peak_concurrent_hashes']} hashes at the same time, {b['refused']} refused")
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written: {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
