"""Who is asking, and may they: signed session cookies, roles, CSRF tokens, throttled logins.

Every route declares the least role it needs with ``Depends(require("records"))``; `route_role` reads that
back, so the permission tests can walk every route the app has.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ..accounts import LoginRefused, LoginThrottled, role_allows

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
IP_FREE_FAILURES = 10  # per address, on top of the per-account slowdown (guessing many user names)


@dataclass(frozen=True)
class WebUser:
    username: str
    role: str

    def can(self, needed: str) -> bool:
        return role_allows(self.role, needed)


class LoginRequired(Exception):
    pass


class Forbidden(Exception):
    def __init__(self, needed: str):
        super().__init__(needed)
        self.needed = needed


class CsrfFailed(Exception):
    pass


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


async def check_csrf(request: Request) -> None:
    """Unsafe methods must carry the session's token: a form field ``csrf`` or the ``X-CSRF-Token`` header."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise CsrfFailed()


def current_user(request: Request) -> WebUser:
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    name, epoch, since = request.session.get("u"), request.session.get("e"), request.session.get("t", 0)
    archive = request.app.state.archive
    if not name or time.time() - since > archive.cfg.web.session_seconds:
        raise LoginRequired()
    row = archive.accounts.session_user(name, epoch)
    if row is None:
        request.session.clear()
        raise LoginRequired()
    request.state.user = WebUser(row["username"], row["role"])
    return request.state.user


def require(role: str):
    def dependency(user: Annotated[WebUser, Depends(current_user)]) -> WebUser:
        if not user.can(role):
            raise Forbidden(role)
        return user

    dependency.role = role  # read by the route registry and the permission tests
    return dependency


def start_session(request: Request, username: str, password: str) -> dict:
    """Log in (pages and API alike): the address's and the account's slowdowns, then a fresh session —
    nothing carried over from before login but the language (no session fixation). Raises LoginRefused
    or LoginThrottled."""
    ip = request.client.host if request.client else "?"
    throttle = request.app.state.ip_throttle
    if throttle.wait(ip) > 0:
        raise LoginThrottled(throttle.wait(ip))
    try:
        row = request.app.state.archive.accounts.authenticate(username.strip(), password)
    except LoginThrottled:
        raise
    except LoginRefused:
        throttle.failed(ip)
        raise
    throttle.succeeded(ip)
    lang = request.session.get("lang", "zh")
    request.session.clear()
    request.session.update({"u": row["username"], "e": row["epoch"], "t": time.time(), "lang": lang})
    csrf_token(request)
    return row


class IpThrottle:
    """Failed logins per client address: past a few, each attempt must wait longer (in memory, per process)."""

    def __init__(self):
        self.failures: dict[str, tuple[int, float]] = {}

    def wait(self, ip: str) -> float:
        _count, until = self.failures.get(ip, (0, 0.0))
        return max(0.0, until - time.time())

    def failed(self, ip: str) -> None:
        count, _ = self.failures.get(ip, (0, 0.0))
        count += 1
        delay = 0.0 if count < IP_FREE_FAILURES else min(300.0, 2.0 ** (count - IP_FREE_FAILURES))
        self.failures[ip] = (count, time.time() + delay)

    def succeeded(self, ip: str) -> None:
        self.failures.pop(ip, None)


def route_role(route) -> str | None:
    """The role a route requires (None: open, such as the login page)."""
    stack = list(getattr(route, "dependant", None).dependencies) if hasattr(route, "dependant") else []
    while stack:
        dep = stack.pop()
        if getattr(dep.call, "role", None):
            return dep.call.role
        stack.extend(dep.dependencies)
    return None
