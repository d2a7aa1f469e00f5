"""The inbox watcher: stable-file tracking, start-up and periodic scans, a worker pool, clean shutdown.

A file is taken only when it is stable: size and mtime unchanged for ``settle_seconds`` and no local
process holding it open for writing (a ``closed`` event shortens the wait but is never proof on its
own: scanners and SMB copies close a file more than once). Filesystem events only say "look here";
the periodic rescan is the safety net for everything events miss (network shares, overflowed queues).
A file leaves the inbox only after `Ingestor.ingest` has committed it, or has been moved to failed/
with an ``.error.txt`` beside it.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .audit import now_iso
from .core import Archive
from .names import free_name, is_ignored_name
from .pipeline import Arrival, FileChanged
from .records import IngestResult

log = logging.getLogger(__name__)
TICK = 0.1
CLOSED_SETTLE = 0.3
MAX_INTERNAL_RETRIES = 3


@dataclass
class _Candidate:
    size: int
    mtime_ns: int
    changed_at: float
    closed_at: float = 0.0
    attempts: int = 0
    not_before: float = 0.0


def is_open_for_writing(path: Path) -> bool:
    """Best effort on Linux: does any local process hold ``path`` open for writing?"""
    proc = Path("/proc")
    if not proc.is_dir():
        return False
    target = str(path)
    me = str(os.getpid())
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit() or pid_dir.name == me:
            continue
        try:
            for fd in (pid_dir / "fd").iterdir():
                try:
                    if os.readlink(fd) != target:
                        continue
                    flags = (pid_dir / "fdinfo" / fd.name).read_text().split("flags:")[1].split()[0]
                except (OSError, IndexError):
                    continue
                if int(flags, 8) & (os.O_WRONLY | os.O_RDWR):
                    return True
        except OSError:
            continue
    return False


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: InboxWatcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write", "deleted"):
            return
        path = (
            Path(os.fsdecode(event.dest_path or event.src_path))
            if event.event_type == "moved"
            else Path(os.fsdecode(event.src_path))
        )
        if event.is_directory:
            if event.event_type in ("created", "moved"):
                self.watcher.request_scan()
            return
        self.watcher.touch(path, closed=event.event_type == "closed")


@dataclass
class WatchStats:
    archived: int = 0
    duplicate: int = 0
    failed: int = 0
    results: list[IngestResult] = field(default_factory=list)


class InboxWatcher:
    def __init__(
        self,
        archive: Archive,
        inbox: Path | None = None,
        polling: bool | None = None,
        jobs: int | None = None,
        on_result=None,
        stop_event: threading.Event | None = None,
    ):
        self.archive = archive
        cfg = archive.cfg
        self.inbox = (inbox or cfg.inbox).resolve()
        self.polling = cfg.inbox_cfg.polling if polling is None else polling
        self.settle = cfg.inbox_cfg.settle_seconds
        self.rescan_every = cfg.inbox_cfg.rescan_seconds
        self.jobs = jobs or cfg.jobs
        self.on_result = on_result
        self.stats = WatchStats()
        self._candidates: dict[Path, _Candidate] = {}
        self._in_flight: set[Path] = set()
        self._lock = threading.Lock()
        self._stop = stop_event or threading.Event()
        self._scan_requested = threading.Event()
        self._excluded = {p.resolve() for p in (cfg.failed, cfg.processed, cfg.store, cfg.index)}

    # ------------------------------------------------------------------ events in
    def touch(self, path: Path, closed: bool = False) -> None:
        if is_ignored_name(path.name) or self._is_excluded(path):
            return
        now = time.monotonic()
        with self._lock:
            if path in self._in_flight:
                return
            c = self._candidates.get(path)
            if c is None:
                self._candidates[path] = _Candidate(-1, -1, now, now if closed else 0.0)
            elif closed:
                c.closed_at = now

    def request_scan(self) -> None:
        self._scan_requested.set()

    def _is_excluded(self, path: Path) -> bool:
        try:
            rel_parts = path.relative_to(self.inbox).parts
        except ValueError:
            return True
        if any(part.startswith(".") for part in rel_parts[:-1]):
            return True
        return any(path == ex or ex in path.parents for ex in self._excluded)

    def scan(self) -> None:
        for dirpath, dirnames, filenames in os.walk(self.inbox):
            d = Path(dirpath)
            dirnames[:] = [n for n in dirnames if not n.startswith(".") and not self._is_excluded(d / n)]
            for name in filenames:
                self.touch(d / name)

    # ------------------------------------------------------------------ the loop
    def stop(self, *_args) -> None:
        self._stop.set()

    def run(self, until_idle: float | None = None) -> WatchStats:
        """Watch until stopped (SIGINT/SIGTERM, or `until_idle` seconds with nothing to do, for tests)."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        ingestor = self.archive.ingestor(self.jobs)
        observer = (
            PollingObserver(timeout=self.archive.cfg.inbox_cfg.poll_interval_seconds) if self.polling else Observer()
        )
        observer.schedule(_Handler(self), str(self.inbox), recursive=True)
        observer.start()
        log.info("watching %s (%s)", self.inbox, "polling" if self.polling else "native events")
        self.scan()
        last_scan = idle_since = time.monotonic()
        futures: dict[Future, Path] = {}
        with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="ingest") as pool:
            try:
                while not self._stop.is_set():
                    now = time.monotonic()
                    if self._scan_requested.is_set() or now - last_scan >= self.rescan_every:
                        self._scan_requested.clear()
                        self.scan()
                        last_scan = now
                    for path in self._ready(now, free=self.jobs - len(futures)):
                        futures[pool.submit(self._process, ingestor, path)] = path
                    for f in [f for f in futures if f.done()]:
                        futures.pop(f)
                    if futures or self._candidates:
                        idle_since = now
                    elif until_idle is not None and now - idle_since >= until_idle:
                        break
                    self._stop.wait(TICK)
            finally:
                log.info("stopping: finishing %d file(s) in hand", len(futures))
                observer.stop()
        observer.join(5)
        return self.stats

    def _ready(self, now: float, free: int) -> list[Path]:
        """Candidates that have been stable long enough, at most ``free`` of them."""
        ready: list[Path] = []
        with self._lock:
            items = list(self._candidates.items())
        for path, c in items:
            if len(ready) >= free:
                break
            if now < c.not_before:
                continue
            try:
                st = path.stat()
            except FileNotFoundError:
                with self._lock:
                    self._candidates.pop(path, None)
                continue
            except OSError:
                continue
            if not path.is_file():
                with self._lock:
                    self._candidates.pop(path, None)
                continue
            if (st.st_size, st.st_mtime_ns) != (c.size, c.mtime_ns):
                c.size, c.mtime_ns, c.changed_at = st.st_size, st.st_mtime_ns, now
                continue
            quiet = now - c.changed_at
            wait = min(self.settle, CLOSED_SETTLE) if c.closed_at > c.changed_at else self.settle
            if quiet < wait or is_open_for_writing(path):
                continue
            with self._lock:
                self._candidates.pop(path, None)
                self._in_flight.add(path)
            ready.append(path)
        return ready

    def _folder_hint(self, path: Path) -> str | None:
        rel = path.parent.relative_to(self.inbox)
        return None if str(rel) == "." else rel.as_posix()

    def _process(self, ingestor, path: Path) -> None:
        try:
            try:
                result = ingestor.ingest(Arrival(path, "inbox", self._folder_hint(path)))
            except FileChanged:
                log.info("%s changed while being read; waiting for it to settle", path.name)
                self._requeue(path, delay=0)
                return
            except FileNotFoundError:
                log.info("%s vanished from the inbox before it was archived", path)
                return
            if result.status in ("archived", "duplicate"):
                self._leave_inbox(path)
            else:
                self._move_to_failed(ingestor, path, result)
            self._record(result)
        except Exception:
            log.exception("internal error on %s; it stays in the inbox and will be retried", path)
            self._requeue(path, delay=5, internal=True)
        finally:
            with self._lock:
                self._in_flight.discard(path)

    def _requeue(self, path: Path, delay: float, internal: bool = False) -> None:
        with self._lock:
            c = self._candidates.setdefault(path, _Candidate(-1, -1, time.monotonic()))
            c.not_before = time.monotonic() + delay
            if internal:
                c.attempts += 1
                c.not_before = time.monotonic() + delay * c.attempts
                if c.attempts > MAX_INTERNAL_RETRIES:
                    log.error("%s failed %d times with an internal error; leaving it in the inbox", path, c.attempts)
                    self._candidates.pop(path, None)

    def _record(self, result: IngestResult) -> None:
        with self._lock:
            setattr(self.stats, result.status, getattr(self.stats, result.status) + 1)
            self.stats.results.append(result)
        if self.on_result:
            self.on_result(result)

    # ------------------------------------------------------------------ leaving the inbox
    def _leave_inbox(self, path: Path) -> None:
        cfg = self.archive.cfg
        if cfg.inbox_cfg.after_ingest == "move":
            dest = free_name(cfg.processed / path.relative_to(self.inbox))
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), dest)
        else:
            path.unlink(missing_ok=True)

    def _move_to_failed(self, ingestor, path: Path, result: IngestResult) -> None:
        cfg = self.archive.cfg
        dest = free_name(cfg.failed / path.relative_to(self.inbox))
        dest.parent.mkdir(parents=True, exist_ok=True)
        note = dest.with_name(dest.name + ".error.txt")
        zh, _, en = (result.error or "").partition(" / ")
        note.write_text(
            "此文件未能归档 / This file could not be archived\n\n"
            f"文件 / File: {path.name}\n来源 / From: {path}\n时间 / Time: {now_iso()}\n"
            f"错误代码 / Code: {result.error_code}\n\n原因：{zh}\nReason: {en or zh}\n\n"
            "处理方法：修复或替换文件后，将其重新放入收件箱即可再次归档。\n"
            "What to do: fix or replace the file and drop it into the inbox again.\n",
            encoding="utf-8",
        )
        shutil.move(str(path), dest)
        ingestor.note_moved(path, dest)
        log.warning("failed: %s → %s (%s)", path.name, dest, result.error_code)


def stop_on_signals() -> threading.Event:
    """SIGINT/SIGTERM set the returned event: the watcher finishes the files in hand and exits."""
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    return stop
