"""The store: the only module that knows SQL. Pages call its methods; nothing else opens the file.

``Store()`` is cheap to create (the schema is migrated once per file per process), so a page makes
one per run. Every method that touches participant data takes the participant's id as its first
argument, and that id comes from the logged-in session, never from a widget or a URL.
"""

from __future__ import annotations

from lib.store.base import BaseStore, default_path
from lib.store.challenges import LOG_FIELDS, ChallengesMixin
from lib.store.guards import GuardsMixin
from lib.store.pending import PendingMixin
from lib.store.progress import ProgressMixin
from lib.store.quiz import QuizMixin
from lib.store.schema import RATING_COLUMNS
from lib.store.users import IntegrityError, UsersMixin


class Store(UsersMixin, GuardsMixin, PendingMixin, QuizMixin, ChallengesMixin, ProgressMixin, BaseStore):
    """SQLite-backed store. A second backend would implement the same public methods."""


__all__ = ["LOG_FIELDS", "RATING_COLUMNS", "IntegrityError", "Store", "default_path"]
