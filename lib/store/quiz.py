"""Saved quiz results: one row per time she saved the intake quiz (answers and what was computed)."""

from __future__ import annotations

import json

from lib import clock


def _decode(row) -> dict:
    answers = json.loads(row["answers"])
    return {
        "id": row["id"],
        "taken_at": row["taken_at"],
        "question_set_version": row["question_set_version"],
        "answers": answers,
        "signals": {k: int(v) for k, v in (answers.get("signals") or {}).items() if v is not None},
        "signal_score": row["signal_score"],
        "signal_band": row["signal_band"],
        "mds": row["mds"],
        "contributors": json.loads(row["contributors"]),
        "safety_flags": json.loads(row["safety_flags"]),
    }


class QuizMixin:
    def save_quiz_result(self, user_id: int, result) -> int:
        """Store a scored quiz (a ``lib.quiz.QuizResult`` or its ``to_dict()``) for her; return its id.

        Everything is kept as computed at the time, with the question set's version, so a later change
        of weights or questions never rewrites what she saw.
        """
        data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        taken_at = clock.iso_now()
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO quiz_results (user_id, taken_at, question_set_version, answers, signal_score,"
                " signal_band, mds, contributors, safety_flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    int(user_id),
                    taken_at,
                    str(data["version"]),
                    json.dumps(data["answers"]),
                    data.get("signal_score"),
                    data.get("signal_band"),
                    data.get("mds"),
                    json.dumps(data.get("contributors") or []),
                    json.dumps(data.get("safety_flags") or []),
                ),
            )
            return int(cur.lastrowid)

    def latest_quiz_result(self, user_id: int) -> dict | None:
        """Her most recent saved quiz, or None when she has none.

        The dict has:
        - ``id`` (int), ``taken_at`` (ISO UTC timestamp), ``question_set_version`` (str);
        - ``answers``: ``{"questions": {question_id: option_id}, "signals": {signal_id: 0-4}}``;
        - ``signals``: ``{signal_id: 0-4}`` for the answered signals only (the frequency positions of
          content/signals.toml: 0 never ... 4 almost every day) — ready as ``defaults`` for
          ``lib.ui.signal_block.render_signal_block``;
        - ``signal_score`` (0-100 or None), ``signal_band`` ("few"/"some"/"many" or None), ``mds`` (0-5);
        - ``contributors``: the ranked list as computed (dicts with ``id``, ``kind``, ``weight``,
          ``strength``, ``score``, ``learn``, ``mds_points``);
        - ``safety_flags``: the raised safety flag ids (see ``[[safety]]`` in content/quiz.toml).
        """
        with self.read() as conn:
            row = conn.execute(
                "SELECT * FROM quiz_results WHERE user_id = ? ORDER BY taken_at DESC, id DESC LIMIT 1",
                (int(user_id),),
            ).fetchone()
        return _decode(row) if row is not None else None

    def quiz_history(self, user_id: int, limit: int = 50) -> list[dict]:
        """Her saved quizzes, newest first, each as ``latest_quiz_result`` describes."""
        with self.read() as conn:
            rows = conn.execute(
                "SELECT * FROM quiz_results WHERE user_id = ? ORDER BY taken_at DESC, id DESC LIMIT ?",
                (int(user_id), int(limit)),
            ).fetchall()
        return [_decode(r) for r in rows]
