"""The server is local, but it is a server: every request must prove it comes from the page
that `contractgen web` opened.

- Host: only the loopback address and port the server is bound to (against DNS rebinding).
- Token: a random per-run token, in the printed URL once, then in a cookie (HttpOnly,
  SameSite=Strict); without it every request gets 403.
- CSRF: every POST carries a second random token (form field `_csrf` or header
  `X-CSRF-Token`), and an `Origin` header, when sent, must be the server's own.
- No CORS headers at all; a strict Content-Security-Policy (scripts only from the page's own
  files, no network requests elsewhere), no caching, no referrer to other sites.
- Bodies are bounded (answers files are bounded like `contractgen` bounds files on disk).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from ..questionnaire.rawyaml import MAX_FILE_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "contractgen_zugang"
CSRF_FIELD = "_csrf"
CSRF_HEADER = "x-csrf-token"
TOKEN_PARAMETER = "token"
MAX_BODY = MAX_FILE_BYTES + 64 * 1024          # one answers file plus the form around it
MAX_FIELDS = 2000
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; frame-src 'self'; connect-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),   # no referrer to anywhere else
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
FORBIDDEN = "Zugriff verweigert: Diese Seite öffnet nur die Adresse, die „contractgen web“ ausgibt."
BAD_HOST = "Zugriff verweigert: unbekannte Adresse (Host) – nur {allowed} ist erlaubt."
BAD_CSRF = ("Die Anfrage kam nicht von dieser Seite (CSRF-Schutz). Bitte die Seite neu laden "
            "und es noch einmal versuchen.")
INTERNAL = ("Interner Fehler in contractgen (nicht in Ihren Angaben). Bitte melden; "
            "CONTRACTGEN_DEBUG=1 zeigt Details im Terminal.")
TOO_LARGE = ("Die Anfrage ist zu groß: erlaubt sind höchstens {limit} Bytes (eine Antwortdatei "
             "darf höchstens {file} Bytes groß sein).")


@dataclass
class Secrets:
    """The run's secrets and the addresses it answers on."""

    host: str
    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        names = {self.host, "127.0.0.1", "localhost"} if self.host == "127.0.0.1" else {self.host}
        return tuple(f"{name}:{self.port}" for name in sorted(names))

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(f"http://{host}" for host in self.allowed_hosts)

    def url(self) -> str:
        return f"http://{self.host}:{self.port}/?{TOKEN_PARAMETER}={self.token}"


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def _headers(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in scope.get("headers", ()):
        name = key.decode("latin-1").lower()
        if name in out:                    # a repeated Host (or cookie) header is suspicious
            out[name] = out[name] + "\n" + value.decode("latin-1")
        else:
            out[name] = value.decode("latin-1")
    return out


def _cookie(headers: dict[str, str], name: str) -> str | None:
    for part in headers.get("cookie", "").replace("\n", ";").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


async def _plain(send: Send, status: int, text: str,
                 extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()), *HEADERS, *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware in front of the whole app (static files too)."""

    def __init__(self, app: ASGIApp, secrets_: Secrets) -> None:
        self.app = app
        self.secrets = secrets_

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return                                     # no websockets
        headers = _headers(scope)
        s = self.secrets
        if headers.get("host") not in s.allowed_hosts:
            await _plain(send, 403, BAD_HOST.format(allowed=s.allowed_hosts[0]))
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        from_url = (query.get(TOKEN_PARAMETER) or [None])[-1]
        if not (_same(_cookie(headers, COOKIE), s.token) or _same(from_url, s.token)):
            await _plain(send, 403, FORBIDDEN)
            return
        method = scope.get("method", "GET")
        if method == "GET" and _same(from_url, s.token):
            # the token leaves the address bar and the history at once: cookie, then redirect
            cookie = f"{COOKIE}={s.token}; Path=/; HttpOnly; SameSite=Strict"
            await _plain(send, 303, "Weiter zur Seite.", [(b"location", b"/"),
                                                           (b"set-cookie", cookie.encode())])
            return
        if method not in ("GET", "HEAD", "POST"):
            await _plain(send, 405, "Diese Methode ist nicht erlaubt.", [(b"allow", b"GET, POST")])
            return
        if method == "POST":
            origin = headers.get("origin")
            if origin is not None and origin not in s.origins:
                await _plain(send, 403, BAD_CSRF)
                return
            try:
                length = int(headers.get("content-length", "0") or 0)
            except ValueError:
                length = MAX_BODY + 1
            if length > MAX_BODY:
                await _plain(send, 413, TOO_LARGE.format(limit=_dots(MAX_BODY),
                                                         file=_dots(MAX_FILE_BYTES)))
                return
            body = await _read_body(receive)
            if body is None:
                await _plain(send, 413, TOO_LARGE.format(limit=_dots(MAX_BODY),
                                                         file=_dots(MAX_FILE_BYTES)))
                return
            if not _same(headers.get(CSRF_HEADER), s.csrf) and not _csrf_in_body(
                    headers.get("content-type", ""), body, s.csrf):
                await _plain(send, 403, BAD_CSRF)
                return
            receive = _replay(body)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                names = {key.lower() for key, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as error:  # noqa: BLE001 - no traceback reaches the user or the browser
            import os
            import sys
            import traceback

            if os.environ.get("CONTRACTGEN_DEBUG"):
                traceback.print_exc()
            sys.stderr.write(f"contractgen web: interner Fehler ({type(error).__name__}) bei "
                             f"{scope.get('method')} {scope.get('path')}. Bitte melden; "
                             "CONTRACTGEN_DEBUG=1 zeigt Details.\n")
            if not started:
                await _plain(send, 500, INTERNAL)


def _dots(number: int) -> str:
    return f"{number:,}".replace(",", ".")


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body, or None once it grows past MAX_BODY (a client may lie about its length)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _csrf_in_body(content_type: str, body: bytes, expected: str) -> bool:
    """The `_csrf` field of a urlencoded or multipart form (read before the app parses it)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            values = parse_qs(body.decode("latin-1"), max_num_fields=MAX_FIELDS).get(CSRF_FIELD, [])
        except ValueError:                 # more fields than any form of the page has
            return False
        return any(_same(v, expected) for v in values)
    if kind == "multipart/form-data":
        marker = f'name="{CSRF_FIELD}"'.encode()
        start = body.find(marker)
        if start < 0:
            return False
        value_start = body.find(b"\r\n\r\n", start)
        value_end = body.find(b"\r\n", value_start + 4)
        if value_start < 0 or value_end < 0:
            return False
        return _same(body[value_start + 4:value_end].decode("latin-1"), expected)
    return False
