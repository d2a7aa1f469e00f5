"""Page images for the web's document view, rendered from the stored original and cached by content hash."""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

from PIL import Image

PREVIEW_DPI = 110
MAX_SIDE = 1600
_pdfium = threading.Lock()  # pdfium is not thread-safe; the web server renders from a thread pool


class Previews:
    def __init__(self, cache_dir: Path, max_image_pixels: int):
        self.cache = cache_dir
        self.max_image_pixels = max_image_pixels

    def page(self, original: Path, sha256: str, mime: str, number: int) -> Path | None:
        """A PNG of page ``number`` (1-based), or None when the format has no page images (DOCX, e-mail, text)."""
        out = self.cache / sha256[:2] / f"{sha256}-{number}.png"
        if out.is_file():
            return out
        if mime == "application/pdf":
            image = self._pdf_page(original, number)
        elif mime.startswith("image/"):
            image = self._image_frame(original, number)
        else:
            return None
        if image is None:
            return None
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}")
        image.save(tmp, "PNG", optimize=False)
        os.replace(tmp, out)
        return out

    def _pdf_page(self, original: Path, number: int) -> Image.Image | None:
        import pypdfium2 as pdfium

        with _pdfium:
            pdf = pdfium.PdfDocument(str(original))
            try:
                if not 1 <= number <= len(pdf):
                    return None
                page = pdf[number - 1]
                try:
                    return page.render(scale=PREVIEW_DPI / 72, grayscale=False).to_pil()
                finally:
                    page.close()
            finally:
                pdf.close()

    def _image_frame(self, original: Path, number: int) -> Image.Image | None:
        Image.MAX_IMAGE_PIXELS = self.max_image_pixels
        with Image.open(original) as im:
            try:
                im.seek(number - 1)
            except EOFError:
                return None
            frame = im.convert("L") if im.mode in ("1", "L", "I;16", "I") else im.convert("RGB")
            return frame
