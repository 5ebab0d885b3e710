"""A small panecast client for Python, on python-socketio (Debian: apt-get install python3-socketio
python3-websocket).

    from panecast_client import PanecastClient

    client = PanecastClient("http://127.0.0.1:3000", token="pc_...")
    client.on("agent:status", lambda s: print(s["pane"], s["previous"], "->", s["state"]))
    client.connect()
    client.subscribe_events(types=["agent.status", "pane.alert"])
    client.wait()

The wire protocol is documented in docs/protocol.md; payloads are plain dicts.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterable, Optional
from urllib.parse import urlparse

import socketio


def unpack_batch(batch: dict) -> list[tuple[str, Any]]:
    """The items of a `batch` push in the order a client applies them, under their protocol 1 names."""
    out: list[tuple[str, Any]] = []
    if "tmux" in batch:
        out.append(("tmux:state", {"state": batch["tmux"]}))
    if "topology" in batch:
        out.append(("topology:updated", {"topology": batch["topology"]}))
    out.extend(("pane:removed", {"pane": p}) for p in batch.get("removed", []))
    out.extend(("pane:updated", u) for u in batch.get("updates", []))
    if "sessions" in batch:
        out.append(("sessions", batch["sessions"]))
    out.extend(("agent:status", s) for s in batch.get("status", []))
    out.extend(("pane:alert", a) for a in batch.get("alerts", []))
    if "resources" in batch:
        out.append(("resources:updated", batch["resources"]))
    out.extend(("event", e) for e in batch.get("events", []))
    if "eventsMissed" in batch:
        out.append(("events:missed", batch["eventsMissed"]))
    out.extend(("doc:updated", d) for d in batch.get("docs", []))
    return out


class PanecastError(Exception):
    """An error answered by the server (`code` is one of the protocol's error codes)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class PanecastClient:
    """Connects to a panecast server with a token and follows its events.

    `url` may carry a base path (https://host/panecast). Handlers registered with `on()` receive
    "hello", "server:error" and every item of the server's `batch` pushes (protocol 2), under the
    names protocol 1 pushed them as: "tmux:state", "topology:updated", "pane:removed",
    "pane:updated", "sessions", "agent:status", "pane:alert", "resources:updated", "event",
    "events:missed", "doc:updated". Handlers registered for "batch" receive each batch whole.
    """

    def __init__(self, url: str, token: Optional[str] = None, *, verify_tls: bool = True, timeout: float = 10.0) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"url: expected http(s)://host[:port][/base], got {url!r}")
        self._origin = f"{parsed.scheme}://{parsed.netloc}"
        self._path = parsed.path.rstrip("/") + "/socket.io"
        self._token = token
        self._timeout = timeout
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=5, ssl_verify=verify_tls)
        self.hello: Optional[dict] = None
        self.sessions: Optional[dict] = None
        self._events_filter: Optional[dict] = None
        self._last_event: Optional[str] = None
        self._handlers: dict[str, list[Callable[[Any], None]]] = {}
        self._ready = threading.Event()
        self._settled = threading.Event()
        self._refusal: Optional[dict] = None

        @self.sio.on("connect_error")
        def _connect_error(data: Any) -> None:
            # The server says why: {"message": …, "data": {"code": "UNAUTHORIZED"}}.
            self._refusal = data if isinstance(data, dict) else {"message": str(data)}
            self._settled.set()

        @self.sio.on("hello")
        def _hello(data: dict) -> None:
            self.hello = data
            self._dispatch("hello", data)

        @self.sio.on("batch")
        def _batch(data: dict) -> None:
            self._dispatch("batch", data)
            for name, payload in unpack_batch(data):
                if name == "sessions":
                    self.sessions = payload
                elif name == "event":
                    self._last_event = payload.get("id", self._last_event)
                elif name == "events:missed" and self._events_filter is not None:
                    threading.Thread(target=self._resubscribe, daemon=True).start()
                self._dispatch(name, payload)
                if name == "sessions":
                    self._ready.set()

        @self.sio.on("connect")
        def _connect() -> None:
            self._settled.set()
            # After a reconnect, ask for what came after the last event seen.
            if self._events_filter is not None and self._last_event is not None:
                threading.Thread(target=self._resubscribe, daemon=True).start()

        self.sio.on("server:error", self._relay("server:error"))

    def on(self, event: str, handler: Callable[[Any], None]) -> "PanecastClient":
        """Calls `handler(payload)` for every `event` the server pushes."""
        self._handlers.setdefault(event, []).append(handler)
        return self

    def connect(self) -> None:
        """Connects and waits for the first `sessions` push. Raises PanecastError (UNAUTHORIZED, UNREACHABLE, …)."""
        try:
            # wait=False: we wait ourselves for "connect" or "connect_error", which says why it failed.
            self.sio.connect(
                self._origin,
                socketio_path=self._path,
                auth={"token": self._token} if self._token else None,
                transports=["websocket", "polling"],
                wait=False,
            )
        except socketio.exceptions.ConnectionError as err:
            raise PanecastError("UNREACHABLE", f"cannot reach {self._origin}{self._path}: {err}") from err
        if not self._settled.wait(self._timeout):
            self.sio.disconnect()
            raise PanecastError("TIMEOUT", "the server did not answer the connection")
        if self._refusal is not None:
            refusal = self._refusal
            self.sio.disconnect()
            code = (refusal.get("data") or {}).get("code", "REFUSED")
            raise PanecastError(code, refusal.get("message", "the server refused the connection"))
        if not self._ready.wait(self._timeout):
            raise PanecastError("TIMEOUT", "no sessions from the server")

    def subscribe(self, sessions: Optional[Iterable[str]] = None, panes: Optional[Iterable[str]] = None) -> dict:
        """Follows pane screens (all, or these sessions / pane ids): returns {topology, updates}; later
        changes arrive as "pane:updated", "topology:updated" and "pane:removed" items."""
        flt: dict = {}
        if sessions:
            flt["sessions"] = list(sessions)
        if panes:
            flt["panes"] = list(panes)
        return self._call("subscribe", {"filter": flt} if flt else {})

    def subscribe_events(self, types: Optional[Iterable[str]] = None, sessions: Optional[Iterable[str]] = None, since: Optional[str] = None) -> list[dict]:
        """Starts the event stream (filtered); returns the events replayed after `since`."""
        flt: dict = {}
        if types:
            flt["types"] = list(types)
        if sessions:
            flt["sessions"] = list(sessions)
        self._events_filter = flt
        req = dict(flt, since=since) if since else flt
        data = self._call("events:subscribe", req)
        events = data["events"]
        if events:
            self._last_event = events[-1]["id"]
        return events

    def send(self, pane: str, text: Optional[str] = None, *, keys: Optional[list[str]] = None, enter: bool = False, multiline: bool = False) -> dict:
        """Types to a pane (operator token). Returns {verified, attempts, keysSent, enterSent, bytes}.

        Text with line breaks needs multiline=True: each line may run as it arrives, Enter or not."""
        req: dict = {"pane": pane}
        if text:
            req["text"] = text
        if keys:
            req["keys"] = keys
        if enter:
            req["enter"] = True
        if multiline:
            req["multiline"] = True
        return self._call("pane:send", req)

    def wait(self) -> None:
        """Blocks until the connection ends (close() or Ctrl+C)."""
        self.sio.wait()

    def close(self) -> None:
        self.sio.disconnect()

    def _call(self, event: str, payload: dict) -> Any:
        reply = self.sio.call(event, payload, timeout=self._timeout)
        if isinstance(reply, dict) and "error" in reply:
            raise PanecastError(reply["error"].get("code", "ERROR"), reply["error"].get("message", ""))
        return reply["data"]

    def _resubscribe(self) -> None:
        try:
            flt = self._events_filter or {}
            req = dict(flt, since=self._last_event) if self._last_event else flt
            for e in self._call("events:subscribe", req)["events"]:
                self._last_event = e["id"]
                self._dispatch("event", e)
        except Exception:  # noqa: BLE001 - the next reconnect tries again
            pass

    def _relay(self, name: str) -> Callable[[Any], None]:
        return lambda data: self._dispatch(name, data)

    def _dispatch(self, name: str, data: Any) -> None:
        for handler in self._handlers.get(name, []):
            handler(data)
