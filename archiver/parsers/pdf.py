"""PDF: the text layer per page with pdfplumber; pages without a usable layer rendered with pdfium and OCRed.

pdfium opens more damaged files than pdfminer (leading junk, broken xref) and decides encryption; when
pdfplumber cannot open a file that pdfium can, pdfium's own text layer is used instead, so the file
still archives with whatever text can honestly be read. Pages are closed as we go.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator

import pdfplumber
import pypdfium2 as pdfium

from ..errors import CorruptFile, PasswordProtected, TooLarge
from ..records import Extracted, PageText
from ..textnorm import normalise
from .base import ExtractContext
from .ocr import OcrResult, bounded_map, ocr_image

log = logging.getLogger(__name__)

_CID = re.compile(r"\(cid:\d+\)")
PDFIUM_PASSWORD_ERROR = 4
MAX_RENDER_PIXELS = 40_000_000
MAX_RENDER_SIDE = 12_000


def is_usable_text(text: str) -> bool:
    """False for an empty layer, ``(cid:N)`` runs, and mojibake (GBK bytes read as Latin-1)."""
    s = text.strip()
    if not s:
        return False
    if sum(len(m) for m in _CID.findall(s)) > 0.3 * len(s):
        return False
    chars = [c for c in s if not c.isspace()]
    odd = sum(1 for c in chars if "\u0080" <= c <= "\u00ff" or c == "\ufffd")
    return odd <= 0.3 * len(chars)


def has_doubled_glyphs(chars: list[dict]) -> bool:
    """True when glyphs are drawn again at (almost) the same place, as fake-bold text is."""
    seen: set[tuple[str, int, int]] = set()
    doubled = 0
    for c in chars:
        if c["text"].isspace():
            continue
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen:
            doubled += 1
            if doubled >= 3:
                return True
        seen.add(key)
    return False


def _open_pdfium(path: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)  # tries the empty password itself
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == PDFIUM_PASSWORD_ERROR:
            raise PasswordProtected() from e
        detail = {3: "not a valid PDF structure", 2: "file could not be opened"}.get(
            getattr(e, "err_code", None), "unreadable PDF structure"
        )
        raise CorruptFile("PDF", detail) from e


def _open_plumber(path: str):
    try:
        return pdfplumber.open(path)
    except Exception as e:  # pdfminer raises many unrelated types for damaged files
        log.debug("pdfplumber cannot open %s (%s); using pdfium's text layer", path, e)
        return None


def _close_plumber(plumber) -> None:
    if plumber is None:
        return
    try:
        plumber.close()
    except Exception:  # closing walks the page tree, which may be what was broken
        plumber.stream.close()


def _plumber_text(plumber, index: int) -> tuple[str, float]:
    """Text of one page and the share of the page covered by images."""
    page = plumber.pages[index]
    try:
        # Fake-bold PDFs draw every glyph twice; deduplicating costs as much as extracting, so only then.
        text = (page.dedupe_chars() if has_doubled_glyphs(page.chars) else page).extract_text() or ""
        area = float(page.width * page.height) or 1.0
        covered = sum(abs(float((i["x1"] - i["x0"]) * (i["bottom"] - i["top"]))) for i in page.images)
        return text, min(1.0, covered / area)
    finally:
        page.close()


def _pdfium_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_bounded() or ""
    finally:
        textpage.close()


def _render(page: pdfium.PdfPage, dpi: int):
    w, h = page.get_size()
    scale = dpi / 72
    if w > 0 and h > 0:
        scale = min(scale, math.sqrt(MAX_RENDER_PIXELS / (w * h)), MAX_RENDER_SIDE / max(w, h))
    if w * scale < 1 or h * scale < 1:
        return None
    return page.render(scale=scale, may_draw_forms=True, grayscale=True).to_pil()  # OCR reads gray


def parse_pdf(ctx: ExtractContext) -> Extracted:
    path = str(ctx.path)
    doc = _open_pdfium(path)
    try:
        count = len(doc)
        if count > ctx.limits.max_pdf_pages:
            raise TooLarge(f"{count} pages (limit {ctx.limits.max_pdf_pages})")
        plumber = _open_plumber(path)
        try:
            pages = list(bounded_map(lambda job: _finish(job, ctx), _page_jobs(doc, plumber, count, ctx), ctx.jobs))
        finally:
            _close_plumber(plumber)
    finally:
        doc.close()
    return Extracted(mime="application/pdf", pages=tuple(pages))


def _page_jobs(doc, plumber, count: int, ctx: ExtractContext) -> Iterator[tuple]:
    """Runs in the caller's thread (pdfium and pdfminer are not thread-safe): text or a rendered image."""
    try:
        plumber_pages = len(plumber.pages) if plumber is not None else 0
    except Exception as e:  # page tree pdfminer cannot walk: pdfium reads it
        log.debug("pdfplumber cannot list pages (%s)", e)
        plumber_pages = 0
    for i in range(count):
        ctx.check_deadline()
        text, image_cover = "", 0.0
        if plumber is not None and i < plumber_pages:
            try:
                text, image_cover = _plumber_text(plumber, i)
            except Exception as e:  # a page pdfminer cannot interpret; pdfium may
                log.debug("page %d: pdfplumber failed (%s)", i + 1, e)
        scanned_with_stamp = len(text.strip()) < 20 and image_cover > 0.5
        if is_usable_text(text) and not scanned_with_stamp:
            yield ("text", i + 1, text)  # pdfium's page is not even loaded: most pages end here
            continue
        page = doc[i]
        try:
            if not is_usable_text(text):
                text = _pdfium_text(page)
            scanned_with_stamp = len(text.strip()) < 20 and image_cover > 0.5
            if is_usable_text(text) and not scanned_with_stamp:
                yield ("text", i + 1, text)
            else:
                yield ("ocr", i + 1, _render(page, ctx.ocr.dpi))
        finally:
            page.close()


def _finish(job: tuple, ctx: ExtractContext) -> PageText:
    kind, number, payload = job
    if kind == "text":
        return PageText(number, payload, normalise(payload), "text_layer")
    if payload is None:
        return PageText(number, "", "", "ocr", 0.0)
    result: OcrResult = ocr_image(payload, ctx.ocr, ctx.slots)
    return PageText(number, result.text, normalise(result.text), "ocr", round(result.confidence, 1))
