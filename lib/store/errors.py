"""What can go wrong in a store, in words that do not depend on the backend.

Services catch these, never a driver's own exception class and never by matching an error's text:
a PostgreSQL backend raises the same types for the same situations.
"""

from __future__ import annotations


class StoreError(Exception):
    """Any failure of the store itself (not of her input)."""


class AlreadyExists(StoreError):
    """A row with the same unique key is there already (a taken username, a second active challenge)."""


class InvalidRow(StoreError):
    """A value the schema refuses (out of range, missing, or pointing at a row that does not exist)."""


class StoreBusy(StoreError):
    """The store could not take the write in time (too many saves at once); nothing was written."""


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full; nothing was written."""


class StoreReadOnly(StoreError):
    """The database, its WAL or SHM file or its folder cannot be written; nothing was written."""


class StoreDamaged(StoreError):
    """The database file is damaged (its integrity check failed): the app only reads until it is restored."""


class StoreUnavailable(StoreError):
    """The database could not be read or written for another reason of the host (an I/O error)."""


def cause(exc: BaseException) -> str:
    """One word for what went wrong, for her message and the log: busy, full, readonly, damaged or unavailable."""
    for kind, word in ((StoreBusy, "busy"), (StoreFull, "full"), (StoreReadOnly, "readonly"),
                       (StoreDamaged, "damaged")):
        if isinstance(exc, kind):
            return word
    return "unavailable"
