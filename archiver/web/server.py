"""Starting the web server: the signing key, the first admin account, uvicorn on the configured address."""

from __future__ import annotations

import logging
import os
import secrets
import sys
from pathlib import Path

from ..core import Archive

log = logging.getLogger(__name__)
SECRET_NAME = "web-secret.key"
FIRST_LOGIN_NAME = "first-admin-login.txt"


def secret_key(home: Path) -> str:
    """The session-signing key: made once per archive home, readable only by its owner."""
    path = home / SECRET_NAME
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def first_admin(archive: Archive) -> tuple[str, str] | None:
    """Create ``admin`` when there are no accounts; its password goes to a 0600 file and is printed once."""
    created = archive.accounts.ensure_first_admin()
    if created is None:
        return None
    path = archive.cfg.home / FIRST_LOGIN_NAME
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"user: {created[0]}\npassword: {created[1]}\n")
    return created


def serve(home: Path, host: str | None = None, port: int | None = None) -> int:
    import uvicorn

    from .app import create_app

    archive = Archive.open(home)
    host = host or archive.cfg.web.host
    port = port or archive.cfg.web.port
    created = first_admin(archive)
    app = create_app(archive, secret_key(home))
    print(f">> web interface: http://{host}:{port}/", file=sys.stderr)
    if created:
        print(
            f">> first login / 首次登录: user {created[0]}  password {created[1]}\n"
            f"   (also in {home / FIRST_LOGIN_NAME}; add accounts with `archiver users add`)",
            file=sys.stderr,
        )
    elif (home / FIRST_LOGIN_NAME).exists():
        print(f">> first admin login: see {home / FIRST_LOGIN_NAME}", file=sys.stderr)
    try:
        uvicorn.run(
            app, host=host, port=port, log_level="warning", access_log=False, server_header=False, lifespan="off"
        )
    finally:
        archive.close()
    return 0
