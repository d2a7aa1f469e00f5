"""A real `archiver watch` process for tests: start, wait for conditions, stop with a signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT


class WatchProcess:
    def __init__(self, home: Path, *extra: str):
        self.home = home
        self._starts_before = self._starts()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "archiver", "watch", "--home", str(home), "--json", *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _starts(self) -> int:
        log = self.home / "archiver.log"
        return log.read_text(encoding="utf-8").count("INFO archiver.watch watching") if log.exists() else 0

    def wait_ready(self, timeout: float = 30) -> None:
        wait_for(lambda: self._starts() > self._starts_before, timeout=timeout, what="watcher start")

    def stop(self, sig=signal.SIGTERM, timeout: float = 60) -> tuple[int, dict | None, str]:
        self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, (json.loads(out) if out.strip() else None), err

    def kill(self) -> None:
        self.proc.kill()
        self.proc.communicate(timeout=30)

    def alive(self) -> bool:
        return self.proc.poll() is None


def wait_for(condition, timeout: float = 60, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def inbox_files(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.rglob("*") if p.is_file())


def catalog_counts(home: Path) -> dict:
    import sqlite3

    con = sqlite3.connect(home / "catalog.sqlite")
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("documents", "sources", "failures")}
    finally:
        con.close()


def sources_by_sha(home: Path) -> dict[str, list[str]]:
    import sqlite3

    con = sqlite3.connect(home / "catalog.sqlite")
    try:
        rows = con.execute("select d.sha256, s.path from documents d join sources s on s.document_id = d.id").fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for sha, path in rows:
        out.setdefault(sha, []).append(path)
    return out


def env_without_color() -> dict:
    return {k: v for k, v in os.environ.items()}
