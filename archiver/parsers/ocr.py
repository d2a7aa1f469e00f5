"""OCR of one page image with Tesseract (pytesseract), orientation detection, and a bounded page pool.

Every Tesseract process is started with ``OMP_THREAD_LIMIT=1`` (Debian's OpenMP build is several times
slower without it when pages run in parallel) and holds one slot of a semaphore shared by every
extraction process, so ``--jobs`` bounds the Tesseract processes on the machine, not per file.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import pytesseract
from PIL import Image, ImageOps, ImageStat

from ..config import OcrConfig
from ..errors import TimedOut
from ..textnorm import cjk_ratio

os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by every tesseract child process

T = TypeVar("T")
R = TypeVar("R")

MAX_TESSERACT_SIDE = 32000  # Tesseract/Leptonica refuse larger images


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float  # mean word confidence, 0–100 (0 when nothing was read)
    rotated: int = 0  # degrees the page was turned before reading
    languages: str = ""


class OcrSlots:
    """A limit on concurrent Tesseract processes; a multiprocessing semaphore when shared across processes."""

    def __init__(self, semaphore=None, size: int = 1):
        self._sem = semaphore if semaphore is not None else threading.BoundedSemaphore(size)

    def __enter__(self):
        self._sem.acquire()
        return self

    def __exit__(self, *exc):
        self._sem.release()


def prepare(img: Image.Image) -> Image.Image:
    """Grayscale for Tesseract; white-on-transparent text is read from its alpha channel."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        alpha = rgba.getchannel("A")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=alpha)
        gray = flat.convert("L")
        if ImageStat.Stat(gray).stddev[0] < 8 and ImageStat.Stat(alpha).stddev[0] > 30:
            return ImageOps.invert(alpha)
        return gray
    if img.mode == "L":
        return img
    if img.mode == "1":
        return img.convert("L")
    return img.convert("RGB").convert("L")


def fit_for_tesseract(img: Image.Image) -> Image.Image:
    if max(img.size) <= MAX_TESSERACT_SIDE:
        return img
    scale = MAX_TESSERACT_SIDE / max(img.size)
    return img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))))


def _read(path: str, lang: str, timeout: float) -> OcrResult:
    try:
        data = pytesseract.image_to_data(
            path, lang=lang, config="--psm 3", timeout=timeout, output_type=pytesseract.Output.DICT
        )
    except RuntimeError as e:  # pytesseract raises RuntimeError on its own timeout
        if "timeout" in str(e).lower():
            raise TimedOut(timeout) from e
        raise
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs: list[float] = []
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        conf = float(data["conf"][i])
        if conf >= 0:
            confs.append(conf)
    text_lines, last_block = [], None
    for (block, par, _line), words in lines.items():
        if last_block is not None and (block, par) != last_block:
            text_lines.append("")
        text_lines.append(" ".join(words))
        last_block = (block, par)
    conf = sum(confs) / len(confs) if confs else 0.0
    return OcrResult("\n".join(text_lines), conf, 0, lang)


def _osd_rotation(path: str, timeout: float) -> int:
    """Degrees to turn the page clockwise-counter as Tesseract's OSD says; 0 when it cannot tell."""
    try:
        osd = pytesseract.image_to_osd(
            path, config="--psm 0 -c min_characters_to_try=5", timeout=timeout, output_type=pytesseract.Output.DICT
        )
    except (pytesseract.TesseractError, RuntimeError):
        return 0
    if float(osd.get("orientation_conf", 0)) < 1.0:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _score(r: OcrResult) -> float:
    chars = sum(1 for c in r.text if not c.isspace())
    return r.confidence * min(1.0, chars / 20)


def ocr_image(img: Image.Image, cfg: OcrConfig, slots: OcrSlots) -> OcrResult:
    """Read one page. Tries OSD rotation and the fallback language only when the first read is poor."""
    img = fit_for_tesseract(prepare(img))
    timeout = cfg.page_timeout_seconds
    with tempfile.TemporaryDirectory(prefix="archiver-ocr-") as tmp:
        path = os.path.join(tmp, "page.pgm")  # uncompressed: no PNG encoding cost per page
        img.save(path)
        with slots:
            best = _read(path, cfg.languages, timeout)
        if best.confidence < cfg.min_confidence_for_upright or len(best.text.strip()) < 10:
            with slots:
                rotate = _osd_rotation(path, timeout)
            if rotate:
                turned = os.path.join(tmp, "turned.pgm")
                img.rotate(-rotate, expand=True).save(turned)
                with slots:
                    r = _read(turned, cfg.languages, timeout)
                r = OcrResult(r.text, r.confidence, rotate, r.languages)
                if _score(r) > _score(best):
                    best, path = r, turned
        if cfg.fallback_languages and cjk_ratio(best.text) < 0.1 and best.confidence < 85:
            with slots:
                r = _read(path, cfg.fallback_languages, timeout)
            r = OcrResult(r.text, r.confidence, best.rotated, r.languages)
            if _score(r) > _score(best):
                best = r
    return best


def bounded_map(fn: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """Map in a thread pool, in order, with at most ``workers + 1`` items in flight (bounded memory)."""
    if workers <= 1:
        for item in items:
            yield fn(item)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            while len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
