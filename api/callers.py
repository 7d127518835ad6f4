"""Who is asking: a caller is identified by the bearer token it sends, looked up in the users file
the administrator keeps (settings.users_file), or by the admin token (settings.admin_token). No
token is the public.

The users file is JSON or TOML (by its suffix) and holds hashes, never tokens, so a copy of it
lets no one in:

    [[users]]                       # JSON: {"users": [{"name": ..., "role": ..., "token_sha256": ...}]}
    name = "Cllr A. Example"
    role = "member"                 # public | member | officer | admin
    token_sha256 = "<sha256 hex of the token>"   # printf %s "$TOKEN" | sha256sum

It is read again when it changes, so a user is added or removed without a restart. A file that
cannot be read at start stops the service; one broken later refuses every token in it (503)
until it is mended, rather than keep letting in someone just removed."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fastapi import Header, HTTPException

log = logging.getLogger(__name__)
Role = Literal["public", "member", "officer", "admin"]
ROLES = ("public", "member", "officer", "admin")
# Exempt papers go to members and officers (and the administrator who loads them), never to the public.
SEES_RESTRICTED = frozenset({"member", "officer", "admin"})
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role

    @property
    def sees_restricted(self) -> bool:
        return self.role in SEES_RESTRICTED


PUBLIC = Caller("public", "public")


class UsersFileError(ValueError):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_users(path: Path) -> dict[str, Caller]:
    """The users in `path`, by token hash. Raises UsersFileError saying what is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsersFileError(f"users file {path} cannot be read: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8")) if path.suffix.lower() == ".toml" else json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise UsersFileError(f"users file {path} is not valid {path.suffix.lstrip('.').upper() or 'JSON'}: {exc}") from exc
    entries = data.get("users", []) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise UsersFileError(f"users file {path}: `users` must be a list")
    users: dict[str, Caller] = {}
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise UsersFileError(f"users file {path}: user {n} is not a table of name, role and token_sha256")
        name, role, digest = entry.get("name"), entry.get("role"), str(entry.get("token_sha256", "")).strip().lower()
        if not isinstance(name, str) or not name.strip():
            raise UsersFileError(f"users file {path}: user {n} has no name")
        if role not in ROLES:
            raise UsersFileError(f"users file {path}: user {name!r} has role {role!r}; roles are {', '.join(ROLES)}")
        if not SHA256_HEX.match(digest):
            raise UsersFileError(f"users file {path}: user {name!r} needs token_sha256, the 64 hex digits of the token's SHA-256")
        if digest in users:
            raise UsersFileError(f"users file {path}: users {users[digest].name!r} and {name!r} have the same token")
        users[digest] = Caller(name.strip(), role)
    return users


class Callers:
    """Turns an Authorization header into a Caller."""

    def __init__(self, users_file: Path | None, admin_token: str = ""):
        self.path = Path(users_file) if users_file else None
        self.admin_token = admin_token
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._users: dict[str, Caller] = {}
        self._error: str | None = None
        if self.path is not None:
            self._users = read_users(self.path)  # at start, a broken file stops the service
            self._stamp = self._file_stamp()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
            return stat.st_mtime_ns, stat.st_size
        except OSError:
            return None

    def users(self) -> dict[str, Caller]:
        """The users, read again if the file has changed since it was last read."""
        if self.path is None:
            return {}
        stamp = self._file_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    self._users, self._error = read_users(self.path), None
                except UsersFileError as exc:
                    log.error("%s; tokens in it are refused until it is mended", exc)
                    self._users, self._error = {}, str(exc)
            if self._error:
                raise HTTPException(503, "the users file cannot be read: ask the administrator")
            return self._users

    def admin_enabled(self) -> bool:
        try:
            return bool(self.admin_token) or any(c.role == "admin" for c in self.users().values())
        except HTTPException:
            return bool(self.admin_token)

    def identify(self, token: str) -> Caller | None:
        """The caller holding `token`, or None for a token no one holds."""
        if self.admin_token and secrets.compare_digest(token.encode("utf-8"), self.admin_token.encode("utf-8")):
            return Caller("admin", "admin")
        if self.path is None:
            return None
        digest = token_hash(token)
        found = None
        for known, caller in self.users().items():  # every entry compared, in constant time each
            if secrets.compare_digest(known, digest):
                found = caller
        return found

    def dependency(self):
        """A FastAPI dependency giving the request's Caller. No Authorization header, or one of
        another scheme (a proxy's Basic login), is the public; a bearer token no one holds is
        refused (401), so a member with a mistyped token is told, not quietly shown less."""

        def caller(authorization: str | None = Header(default=None, description="Bearer <token> (none: the public)")) -> Caller:
            scheme, _, token = (authorization or "").partition(" ")
            if scheme.lower() != "bearer":
                return PUBLIC
            found = self.identify(token.strip())
            if found is None:
                raise HTTPException(401, "the token is not recognised; sign in again or ask the administrator",
                                    headers={"WWW-Authenticate": "Bearer"})
            return found

        return caller
