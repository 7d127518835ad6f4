"""Safe-by-default HTTP: security headers on every response, relative redirects, a cap on
request bodies and strict JSON.

All are plain ASGI middleware (no BaseHTTPMiddleware), so a body is refused before any route
or form parser reads it, and file responses stream through untouched."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urlsplit

# The pages load only their own script and style files: no inline code, no other origins.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# FastAPI's Swagger UI page starts itself with an inline script; it gets that and nothing else
# (its script and style files are served from this service by fastapi-offline, not a CDN).
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect")


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        policy = DOCS_CSP if scope["path"] in DOCS_PATHS else CSP

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(b"content-security-policy", policy.encode()),
                         (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer"),
                         (b"x-frame-options", b"DENY")]
                # A route may set its own policy (the original PDF needs the browser's viewer).
                headers += [(name, value) for name, value in extra if name not in present]
                headers = [(name, _relative(value) if name.lower() == b"location" else value) for name, value in headers]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def _relative(location: bytes) -> bytes:
    """An absolute Location made relative. Starlette's trailing-slash redirect builds its URL from
    the request's Host header, which the client controls; this service never sends a reader to
    another site, so only the path and query are kept."""
    if b"//" not in location:
        return location
    try:
        parts = urlsplit(location.decode("latin-1"))
    except ValueError:
        return b"/"
    path = "/" + parts.path.lstrip("/")  # never "//host": that is another site again
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


async def _refuse(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, whether the client declares the length
    or streams it. `upload_limit` applies to the upload route instead."""

    def __init__(self, app, limit: int, upload_limit: int, upload_path: str = "/api/documents"):
        self.app, self.limit, self.upload_limit, self.upload_path = app, limit, upload_limit, upload_path

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        limit = self.upload_limit if (scope["method"] == "POST" and scope["path"] == self.upload_path) else self.limit
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                return await _refuse(send, 400, "Content-Length is not a number")
            if too_big:
                return await _refuse(send, 413, f"the request body is larger than {limit} bytes")
        # Read the whole body (it is small by now) so a stream without a length is capped too.
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                return await _refuse(send, 413, f"the request body is larger than {limit} bytes")
            if not message.get("more_body", False):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


# Lone UTF-16 surrogates, which JSON can spell as "\ud800" but no UTF-8 text can hold.
SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 32  # no request of this service nests anywhere near this deep


class _NotStrict(ValueError):
    pass


def _reject_constant(name: str):
    raise _NotStrict(f"{name} is not a JSON value (only finite numbers are)")


def _finite(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):  # 1e999 parses as infinity
        raise _NotStrict(f"{literal[:20]} is too large a number")
    return value


def _short_int(literal: str) -> int:
    if len(literal.lstrip("-")) > 30:  # no field takes such a number; Python refuses 4,300 digits
        raise _NotStrict(f"a number of {len(literal)} digits is too long")
    return int(literal)


def strict_json_problem(body: bytes) -> str | None:
    """Why `body` is not strict JSON in UTF-8 (NaN or Infinity, invalid UTF-8, a lone surrogate,
    absurd nesting), or None when it is. The routes then parse it as usual."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the request body is not valid UTF-8 (byte {exc.start})"
    if text.startswith("\ufeff"):
        return "the request body starts with a byte order mark; send UTF-8 JSON without one"
    depth = peak = 0
    for ch in re.sub(r'"(?:[^"\\]|\\.)*"', "", text):  # brackets outside strings only
        if ch in "[{":
            depth += 1
            peak = max(peak, depth)
        elif ch in "]}":
            depth -= 1
    if peak > MAX_DEPTH:
        return f"the request body nests more than {MAX_DEPTH} levels deep"
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite, parse_int=_short_int)
    except _NotStrict as exc:
        return f"the request body is not strict JSON: {exc}"
    except json.JSONDecodeError as exc:
        return f"the request body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return "the request body nests too deeply"
    except ValueError as exc:  # anything else the parser refuses
        return f"the request body is not valid JSON: {exc}"
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                return "the request body holds invalid Unicode: a lone surrogate (such as \\ud800) is not a character"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _is_json(content_type: bytes | None) -> bool:
    # FastAPI reads a body without a content type as JSON too.
    if not content_type:
        return True
    media = content_type.split(b";")[0].strip().lower()
    return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))


class StrictJSON:
    """Refuses a JSON body with 400 and a sentence saying why unless it is strict JSON in UTF-8:
    Python's parser takes NaN and Infinity and "\\ud800", which no route can use and whose
    validation errors cannot even be written back as JSON. Sits inside BodyLimit; a JSON body
    over `limit` bytes (the upload route's larger cap lets one through) is refused unread."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        if not _is_json(dict(scope.get("headers", [])).get(b"content-type")):
            return await self.app(scope, receive, send)
        messages, chunks = [], []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if sum(map(len, chunks)) > self.limit:
                return await _refuse(send, 413, f"a JSON request body is larger than {self.limit} bytes")
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = strict_json_problem(body) if body else None  # no body at all: the route says what it needs
        if problem:
            return await _refuse(send, 400, problem)

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)
