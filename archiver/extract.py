"""Runs a parser in a child process under the per-file time limit.

A parser may hang (pathological PDFs take minutes a page), use unbounded memory or crash in native
code; none of that may stall the inbox or take the watcher down. Each file is read in a fresh child
forked from a single-threaded fork server that has the parsers preloaded; the child leads its own
process group so a timeout kills it together with its Tesseract processes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from .config import Limits, OcrConfig
from .errors import ArchiverError, ExtractionError, TimedOut
from .records import Extracted

log = logging.getLogger(__name__)

_MP = multiprocessing.get_context("forkserver")
_MP.set_forkserver_preload(["archiver.parsers"])


@dataclass(frozen=True)
class ExtractSettings:
    ocr: OcrConfig
    limits: Limits
    jobs: int
    timeout: float


def _child(conn, path: str, kind: str, mime: str, encoding: str | None, settings: ExtractSettings, sem) -> None:
    os.setpgid(0, 0)
    logging.disable(logging.WARNING)  # parser libraries warn about every damaged file; we report ours
    from .parsers import PARSERS, ExtractContext
    from .parsers.ocr import OcrSlots

    ctx = ExtractContext(
        path=Path(path),
        mime=mime,
        ocr=settings.ocr,
        limits=settings.limits,
        slots=OcrSlots(sem),
        jobs=settings.jobs,
        deadline=time.monotonic() + settings.timeout,
        timeout=settings.timeout,
        text_encoding=encoding,
    )
    try:
        conn.send(("ok", PARSERS[kind](ctx)))
    except ArchiverError as e:
        conn.send(("error", e.code, e.en, e.zh))
    except MemoryError:
        conn.send(
            (
                "error",
                "too_large",
                "the file needs more memory than is safe to read it",
                "读取该文件所需内存超出安全限制",
            )
        )
    except BaseException as e:
        detail = f"{type(e).__name__}: {e}"[:300]
        conn.send(
            (
                "error",
                "corrupt",
                f"the file could not be read ({detail})",
                f"文件无法读取（{detail}）",
                traceback.format_exc(),
            )
        )
    finally:
        conn.close()


class Extractor:
    """Starts one child per file; at most ``jobs`` Tesseract processes run at once across children."""

    def __init__(self, settings: ExtractSettings):
        self.settings = settings
        self._sem = _MP.BoundedSemaphore(settings.jobs)

    def extract(self, path: Path, kind: str, mime: str, encoding: str | None = None) -> Extracted:
        receiver, sender = _MP.Pipe(duplex=False)
        sem = self._sem
        proc = _MP.Process(
            target=_child, args=(sender, str(path), kind, mime, encoding, self.settings, sem), daemon=True
        )
        proc.start()
        sender.close()
        try:
            if not receiver.poll(self.settings.timeout):
                self._kill(proc)
                # The killed child may have held OCR slots it will never release: start a fresh semaphore.
                self._sem = _MP.BoundedSemaphore(self.settings.jobs)
                raise TimedOut(self.settings.timeout)
            try:
                message = receiver.recv()
            except (EOFError, OSError) as e:
                proc.join(5)
                raise ExtractionError(
                    f"the reader crashed on this file (exit status {proc.exitcode}); it is probably damaged",
                    f"读取程序在处理该文件时崩溃（退出码 {proc.exitcode}），文件可能已损坏",
                ) from e
        finally:
            receiver.close()
            proc.join(5)
            if proc.is_alive():
                self._kill(proc)
        if message[0] == "ok":
            return message[1]
        if len(message) > 4:
            log.debug("parser error on %s:\n%s", path, message[4])
        raise ExtractionError.rebuild(message[1], message[2], message[3])

    @staticmethod
    def _kill(proc) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.join(5)
