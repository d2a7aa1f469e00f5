"""Process coordination in the archive home: ingesting processes share a lock; recovery takes it alone."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path


class WriterLock:
    """A shared flock held for the life of an ingesting process (released by the kernel on kill -9)."""

    def __init__(self, home: Path):
        (home / "locks").mkdir(exist_ok=True)
        self._fd = os.open(home / "locks" / "writer.lock", os.O_RDWR | os.O_CREAT, 0o644)
        self._held = False

    def acquire_with_recovery(self, recover: Callable[[], None]) -> None:
        """Run ``recover`` if no other ingesting process is alive, then hold the lock shared."""
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # another process is ingesting; it recovered when it started
        else:
            recover()
        fcntl.flock(self._fd, fcntl.LOCK_SH)
        self._held = True

    def release(self) -> None:
        if self._held:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            self._held = False
        os.close(self._fd)
