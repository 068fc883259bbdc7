"""What the Account and Home pages do with her profile, without Streamlit (log-in, sign-up and passwords
are ``lib.auth``, reached through the routes in ``lib/web/``)."""

from __future__ import annotations

from lib.store import StoreInterface


def profile(store: StoreInterface, uid: int) -> dict | None:
    return store.get_user(uid)


def display_name(store: StoreInterface, uid: int) -> str | None:
    user = store.get_user(uid)
    return (user or {}).get("display_name") or None


def set_lang(store: StoreInterface, uid: int, lang: str) -> None:
    store.set_user_lang(uid, lang)


def set_timezone(store: StoreInterface, uid: int, tz: str) -> None:
    store.set_user_timezone(uid, tz)


def set_sharing(store: StoreInterface, uid: int, share: bool) -> None:
    store.set_share_with_practitioner(uid, share)


def give_consent(store: StoreInterface, uid: int) -> None:
    store.set_health_consent(uid)
