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
