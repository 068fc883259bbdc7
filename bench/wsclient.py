"""A participant without a browser: Streamlit's own websocket protocol, spoken from Python.

The browser's frontend opens ``/_stcore/stream`` (subprotocol ``streamlit``) and sends ``BackMsg``
protobufs (``rerun_script`` with the page and the widget values); the server answers with
``ForwardMsg`` protobufs (``new_session``, ``delta`` for every element, ``script_finished``). This
client does the same, with the login cookie on the handshake as a browser would send it, so the
server runs exactly the script and the callbacks a real participant's clicks would run.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field

import httpx
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

SESSION_COOKIE = "mg_session"
CSRF_COOKIE = "mg_csrf"


class ProtocolError(RuntimeError):
    pass


def log_in(base_url: str, username: str, password: str, *, client: httpx.Client | None = None) -> str:
    """POST the Account page's log-in form (with its double-submit CSRF token); return the login cookie."""
    csrf = secrets.token_urlsafe(16)
    own = client is None
    client = client or httpx.Client(timeout=60)
    try:
        response = client.post(
            f"{base_url}/session/login",
            data={"username": username, "password": password, "csrf": csrf, "next": ""},
            cookies={CSRF_COOKIE: csrf},
            follow_redirects=False,
        )
    finally:
        if own:
            client.close()
    token = response.cookies.get(SESSION_COOKIE)
    if response.status_code != 303 or not token:
        raise ProtocolError(f"log-in refused: {response.status_code} {response.headers.get('location')}")
    return token


async def alog_in(base_url: str, username: str, password: str, client: httpx.AsyncClient) -> str:
    csrf = secrets.token_urlsafe(16)
    client.cookies.clear()
    response = await client.post(
        f"{base_url}/session/login",
        data={"username": username, "password": password, "csrf": csrf, "next": ""},
        headers={"Cookie": f"{CSRF_COOKIE}={csrf}"},
        follow_redirects=False,
    )
    token = response.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    if response.status_code != 303 or not token:
        raise ProtocolError(f"log-in refused: {response.status_code} {response.headers.get('location')}")
    return token


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str] = field(default_factory=list)


@dataclass
class Session:
    """One open websocket: one Streamlit session, as one browser tab would have."""

    ws: object
    widgets: dict[str, Widget] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    page_hash: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page script hash

    @classmethod
    async def open(cls, base_url: str, cookies: dict[str, str] | None = None, timeout: float = 120) -> Session:
        url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        headers = {}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        ws = await asyncio.wait_for(
            websockets.connect(url, subprotocols=["streamlit"], additional_headers=headers,
                               max_size=2**24, open_timeout=timeout, ping_interval=None),
            timeout,
        )
        return cls(ws)

    async def rerun(self, page: str = "", widget_states: list[WidgetState] | None = None,
                    timeout: float = 120) -> None:
        """Run the script (``page``: its url path, "" for the default) and wait until it finished."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = ""
        cs.page_name = page
        if page and page in self.pages:
            cs.page_script_hash = self.pages[page]
        elif self.page_hash and not page:
            cs.page_script_hash = self.page_hash
        cs.context_info.timezone = "Europe/Amsterdam"
        cs.context_info.locale = "nl-NL"
        if widget_states:
            cs.widget_states.widgets.extend(widget_states)
        self.texts.clear()
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._until_finished(), timeout)
        if self.exceptions:
            raise ProtocolError("script raised: " + "; ".join(self.exceptions))

    async def _until_finished(self) -> None:
        while True:
            data = await self.ws.recv()
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                for p in fm.new_session.app_pages:
                    self.pages[p.url_pathname] = p.page_script_hash
                self.page_hash = fm.new_session.page_script_hash
            elif kind == "navigation":
                for p in fm.navigation.app_pages:
                    self.pages[p.url_pathname] = p.page_script_hash
                self.page_hash = fm.navigation.page_script_hash
            elif kind == "delta":
                self._note(fm.delta)
            # A script that called st.rerun() ends "early for rerun" and runs again at once.
            elif kind == "script_finished" and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return

    def _note(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        kind = el.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{el.exception.type}: {el.exception.message}")
            return
        if kind in ("markdown", "alert", "heading"):
            self.texts.append(getattr(el, kind).body)
            return
        inner = getattr(el, kind) if kind else None
        wid = getattr(inner, "id", "") if inner is not None else ""
        if wid:
            self.widgets[wid] = Widget(wid, kind, getattr(inner, "label", ""), list(getattr(inner, "options", [])))
            if kind == "button" and inner.is_form_submitter:
                self.widgets[wid].kind = "form_submit_button"

    def widget(self, kind: str, id_contains: str = "", label: str | None = None) -> Widget:
        for w in self.widgets.values():
            if w.kind == kind and id_contains in w.id and (label is None or w.label == label):
                return w
        raise ProtocolError(f"no {kind} with {id_contains!r} among {[w.id for w in self.widgets.values()]}")

    async def close(self) -> None:
        await self.ws.close()


def int_state(widget: Widget, value: int) -> WidgetState:
    ws = WidgetState()
    ws.id = widget.id
    ws.int_value = value
    return ws


def trigger(widget: Widget) -> WidgetState:
    """A button press."""
    ws = WidgetState()
    ws.id = widget.id
    ws.trigger_value = True
    return ws


def string_state(widget: Widget, value: str) -> WidgetState:
    ws = WidgetState()
    ws.id = widget.id
    ws.string_value = value
    return ws
