"""Logging with the standard ``logging`` module, under the ``magnesium`` logger.

What is logged: logins and their failures, sign-ups, password changes and resets, saves (a day, a
quiz, a challenge and its tests), exports and deletions, refused forms, and every unexpected error
with its traceback. What is never logged: a password, a token, a reset code or any hash of them, a
typed username that did not log in (it may be a password typed in the wrong field), and any health
value (ratings, answers, notes, goals, scores). A participant appears only by her id.

An unexpected error gets a short reference (``ref=7F3A9C``): the log has the traceback under it and
she sees it in a friendly message, so the practitioner can find what went wrong when she reports it.
"""

from __future__ import annotations

import logging
import secrets
import sys

ROOT = "magnesium"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_NAME = "magnesium-stderr"


def get(area: str) -> logging.Logger:
    """The logger for one area of the app (``magnesium.auth``, ``magnesium.challenge``, ...)."""
    return logging.getLogger(f"{ROOT}.{area}")


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (not the one at start), so a replaced
    standard error (a test runner's capture, a daemon's redirect) never meets a closed stream."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure(level: int = logging.INFO) -> None:
    """Send the app's log to standard error (once per process; the server calls it at start)."""
    root = logging.getLogger(ROOT)
    root.setLevel(level)
    if not any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        handler = _StderrHandler()
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)


def new_reference() -> str:
    """A short reference for one unexpected error: six characters she can read out or type."""
    return secrets.token_hex(3).upper()


def unexpected(logger: logging.Logger, exc: BaseException, where: str) -> str:
    """Log ``exc`` with its traceback under a new reference, and return the reference."""
    ref = new_reference()
    logger.error("unexpected error in %s ref=%s", where, ref, exc_info=(type(exc), exc, exc.__traceback__))
    return ref
