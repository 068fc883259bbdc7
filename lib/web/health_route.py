"""``GET /health``: the app's own health check for hosts and load balancers (lib/store/health.py: the
SQLite backend checks its own file).

200 ``ok`` when a participant's save could succeed now; 503 with the names of the failed checks
otherwise, and one actionable line in the log (path, error, free bytes, file modes). The body names
no path: the details are for the host's log, not for whoever asks.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from lib import logs
from lib import settings as app_settings
from lib.store import health

PATH = "/health"
log = logs.get("health")


async def health_endpoint(request: Request) -> PlainTextResponse:
    report = await run_in_threadpool(health.check, app_settings.current().database)
    headers = {"Cache-Control": "no-store"}
    if report.ok:
        return PlainTextResponse("ok\n", headers=headers)
    log.error(report.log_line())
    return PlainTextResponse(f"unhealthy: {', '.join(report.problems)}\n", status_code=503, headers=headers)


def routes() -> list[Route]:
    return [Route(PATH, health_endpoint, methods=["GET", "HEAD"])]
