"""Local accounts for the web interface: argon2-hashed passwords, four roles, slowed-down failed logins.

Roles are cumulative: viewer (search, view) < records (upload, link, edit) < legal (holds, export)
< admin (disposal, users). What each web route needs is declared where the route is; this module only
answers "may this role do what that role may".
"""

from __future__ import annotations

import re
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from . import audit
from .catalog.models import User
from .errors import NotFound, UsageError

ROLES = ("viewer", "records", "legal", "admin")
ROLE_NAMES_ZH = {"viewer": "查阅", "records": "档案管理", "legal": "法务", "admin": "管理员"}
MIN_PASSWORD = 10
FREE_ATTEMPTS = 3  # then 2 s, 4 s, 8 s … up to MAX_DELAY between attempts
MAX_DELAY = 300.0
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))  # unknown users cost the same time as known ones


def role_allows(role: str, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


class LoginRefused(UsageError):
    code = "login_refused"


class LoginThrottled(UsageError):
    code = "login_throttled"

    def __init__(self, wait: float):
        secs = max(1, int(wait + 0.999))
        super().__init__(f"too many failed logins; try again in {secs} s", f"登录失败次数过多，请 {secs} 秒后再试")
        self.wait = secs


class Accounts:
    def __init__(self, archive):
        self.a = archive

    @staticmethod
    def _check_role(role: str) -> None:
        if role not in ROLES:
            raise UsageError(f"unknown role {role!r}; one of {', '.join(ROLES)}", f"未知角色 {role!r}")

    @staticmethod
    def _check_password(password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise UsageError(
                f"a password needs at least {MIN_PASSWORD} characters", f"密码至少需要 {MIN_PASSWORD} 个字符"
            )

    def count(self) -> int:
        with self.a.sessions() as s:
            return s.scalar(select(func.count()).select_from(User)) or 0

    def add(self, username: str, password: str, role: str) -> dict:
        if not USERNAME_RE.match(username):
            raise UsageError(
                "a user name is 2–64 letters, digits or . _ @ -", "用户名为 2–64 个字母、数字或 . _ @ - 字符"
            )
        self._check_role(role)
        self._check_password(password)
        with self.a.sessions.begin() as s:
            if s.get(User, username) is not None:
                raise UsageError(f"user {username!r} exists already", f"用户 {username!r} 已存在")
            s.add(User(username=username, password_hash=_hasher.hash(password), role=role, created_at=audit.now_iso()))
            audit.append(s, "user.add", None, {"user": username, "role": role})
        return {"username": username, "role": role}

    def ensure_first_admin(self) -> tuple[str, str] | None:
        """With no accounts at all, create ``admin`` with a random password and return the login once."""
        if self.count():
            return None
        password = secrets.token_urlsafe(12)
        self.add("admin", password, "admin")
        return "admin", password

    def list(self) -> list[dict]:
        with self.a.sessions() as s:
            return [
                {"username": u.username, "role": u.role, "disabled": u.disabled, "created_at": u.created_at}
                for u in s.execute(select(User).order_by(User.username)).scalars()
            ]

    def _get(self, s, username: str) -> User:
        u = s.get(User, username)
        if u is None:
            raise NotFound(f"no user {username!r}", f"找不到用户 {username!r}")
        return u

    def update(
        self, username: str, *, role: str | None = None, password: str | None = None, disabled: bool | None = None
    ) -> dict:
        with self.a.sessions.begin() as s:
            u = self._get(s, username)
            changed: dict = {}
            if role is not None:
                self._check_role(role)
                changed["role"] = [u.role, role]
                u.role = role
            if password is not None:
                self._check_password(password)
                u.password_hash = _hasher.hash(password)
                u.failed_logins, u.locked_until = 0, 0.0
                changed["password"] = "changed"
            if disabled is not None:
                changed["disabled"] = [u.disabled, disabled]
                u.disabled = disabled
            u.session_epoch = (u.session_epoch or 1) + 1  # signed-in sessions must log in again
            audit.append(s, "user.update", None, {"user": username, **changed})
            return {"username": u.username, "role": u.role, "disabled": u.disabled}

    def authenticate(self, username: str, password: str) -> dict:
        """Check a login. Each failure past the free attempts doubles the wait before the next one."""
        now = time.time()
        with self.a.sessions.begin() as s:  # the failure count must commit: refuse only after the block
            u = s.get(User, username)
            if u is None:
                _verify(_DUMMY_HASH, password)
                outcome: dict | UsageError = LoginRefused("wrong user name or password", "用户名或密码错误")
            elif u.locked_until > now:
                outcome = LoginThrottled(u.locked_until - now)
            elif u.disabled or not _verify(u.password_hash, password):
                u.failed_logins += 1
                if u.failed_logins >= FREE_ATTEMPTS:
                    u.locked_until = now + min(MAX_DELAY, 2.0 ** (u.failed_logins - FREE_ATTEMPTS + 1))
                audit.append(s, "user.login_failed", None, {"user": username, "failures": u.failed_logins})
                outcome = LoginRefused("wrong user name or password", "用户名或密码错误")
            else:
                if _hasher.check_needs_rehash(u.password_hash):
                    u.password_hash = _hasher.hash(password)
                u.failed_logins, u.locked_until = 0, 0.0
                audit.append(s, "user.login", None, {"user": username}, actor=username)
                outcome = {"username": u.username, "role": u.role, "epoch": u.session_epoch}
        if isinstance(outcome, UsageError):
            raise outcome
        return outcome

    def session_user(self, username: str, epoch: int) -> dict | None:
        """The account behind a session cookie, if it still exists, is enabled and the session is current."""
        with self.a.sessions() as s:
            u = s.get(User, username)
            if u is None or u.disabled or u.session_epoch != epoch:
                return None
            return {"username": u.username, "role": u.role}


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
