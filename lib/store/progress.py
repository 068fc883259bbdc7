"""Read-only queries for the Progress page: everything of one participant in as few reads as possible."""

from __future__ import annotations

import functools
import json

from lib.signals import rating_columns


@functools.cache
def _logs_fingerprint_sql(ratings: tuple[str, ...]) -> str:
    return (
        "SELECT count(*), max(updated_at), total(applied), total(length(note)), "
        + ", ".join(f"total({c} * {i + 1})" for i, c in enumerate(ratings))
        + ", total(relaxation_minutes), total(coffee_cups), total(alcohol_glasses), total(amount) "
        "FROM daily_logs WHERE user_id = ?"
    )


class ProgressMixin:
    def progress_state(self, user_id: int) -> tuple[list[dict], tuple]:
        """Her challenges (newest first) and a fingerprint of everything the Progress page shows.

        Why: a rerun with nothing changed then needs no read of her logged days at all; the page
        reads them (``progress_data``) only when the fingerprint is new. The fingerprint's first item
        is the number of her logged days.
        """
        with self.read() as conn:
            challenges = [dict(r) for r in conn.execute(
                "SELECT * FROM challenges WHERE user_id = ? ORDER BY start_date DESC, id DESC", (user_id,))]
            # updated_at is to the second: the sums catch a second edit within the same second.
            logs = tuple(conn.execute(_logs_fingerprint_sql(rating_columns()), (user_id,)).fetchone())
            tests = tuple(tuple(r) for r in conn.execute(
                "SELECT challenge_id, kind, taken_at FROM assessments WHERE user_id = ? ORDER BY challenge_id, kind",
                (user_id,)))
        chs = tuple((c["id"], c["status"], c["magnesium_start"], c["start_date"], c["with_baseline"])
                    for c in challenges)
        return challenges, (logs[0], logs, chs, tests)

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
