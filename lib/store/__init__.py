"""The store: the only package that knows SQL. Services and pages use its interface, nothing else.

``open_store()`` opens the store the settings name (lib/settings.py); it is the one place a store is
made, and cheap (the schema is migrated once per file per process), so a page opens one per run.
Threads and download builders receive ``open_store`` itself (a ``StoreFactory``), never a path.
Every method that touches participant data takes the participant's id as its first argument, and
that id comes from the logged-in session, never from a widget or a URL.

``Store`` is the SQLite backend; ``StoreInterface`` (lib/store/interface.py) names what any backend
offers, and lib/store/errors.py what it raises.
"""

from __future__ import annotations

from lib import settings as app_settings
from lib.store.base import BaseStore
from lib.store.challenges import ChallengesMixin
from lib.store.errors import AlreadyExists, InvalidRow, StoreBusy, StoreError
from lib.store.guards import GuardsMixin
from lib.store.interface import StoreFactory, StoreInterface, log_fields
from lib.store.pending import PendingMixin
from lib.store.progress import ProgressMixin
from lib.store.quiz import QuizMixin
from lib.store.users import UsersMixin


class Store(UsersMixin, GuardsMixin, PendingMixin, QuizMixin, ChallengesMixin, ProgressMixin, BaseStore):
    """The SQLite backend: one database file (``Store(path)``), opened per unit of work."""


def open_store(settings: app_settings.Settings | None = None) -> StoreInterface:
    """The store the settings name (this process's settings by default)."""
    chosen = settings if settings is not None else app_settings.current()
    return Store(chosen.database)


__all__ = [
    "AlreadyExists",
    "InvalidRow",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreFactory",
    "StoreInterface",
    "log_fields",
    "open_store",
]
