"""Read-only queries for the Progress page: everything of one participant in as few reads as possible."""

from __future__ import annotations

import json


class ProgressMixin:
    def progress_data(self, user_id: int) -> tuple[list[dict], list[dict], dict[int, dict[str, dict]]]:
        """Her challenges (newest first), all her logged days (date order) and all assessments, in one connection."""
        with self.read() as conn:
            challenges = [dict(r) for r in conn.execute(
                "SELECT * FROM challenges WHERE user_id = ? ORDER BY start_date DESC, id DESC", (user_id,))]
            logs = [dict(r) for r in conn.execute(
                "SELECT * FROM daily_logs WHERE user_id = ? ORDER BY day", (user_id,))]
            rows = conn.execute("SELECT * FROM assessments WHERE user_id = ?", (user_id,)).fetchall()
        return challenges, logs, _by_challenge(rows)


def _by_challenge(rows) -> dict[int, dict[str, dict]]:
    assessments: dict[int, dict[str, dict]] = {}
    for r in rows:
        d = dict(r)
        d["answers"] = json.loads(d["answers"])
        assessments.setdefault(int(d["challenge_id"]), {})[d["kind"]] = d
    return assessments
