"""Images (PNG, JPEG, TIFF — every frame —, BMP, WebP, GIF): EXIF rotation honoured, then OCR per frame."""

from __future__ import annotations

from collections.abc import Iterator

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ..errors import CorruptFile, TooLarge
from ..records import Extracted, PageText
from ..textnorm import normalise
from .base import ExtractContext
from .ocr import bounded_map, ocr_image


def _frames(img: Image.Image, ctx: ExtractContext) -> Iterator[Image.Image]:
    for frame in ImageSequence.Iterator(img):
        ctx.check_deadline()
        if frame.width * frame.height > ctx.limits.max_image_pixels:
            raise TooLarge(f"image of {frame.width}×{frame.height} pixels")
        try:
            yield ImageOps.exif_transpose(frame.copy())
        except (OSError, SyntaxError, ValueError) as e:
            raise CorruptFile("image", str(e)) from e
        if img.format not in ("TIFF", "MPO"):  # animated GIF/WebP: the first frame is the document
            return


def parse_image(ctx: ExtractContext) -> Extracted:
    try:
        img = Image.open(ctx.path)
    except UnidentifiedImageError as e:
        raise CorruptFile("image", "not a readable image") from e
    except Image.DecompressionBombError as e:
        raise TooLarge(str(e)) from e
    with img:
        if img.width * img.height > ctx.limits.max_image_pixels:
            raise TooLarge(f"image of {img.width}×{img.height} pixels")
        try:
            results = list(bounded_map(lambda f: ocr_image(f, ctx.ocr, ctx.slots), _frames(img, ctx), ctx.jobs))
        except (OSError, SyntaxError) as e:  # truncated data surfaces when pixels are decoded
            raise CorruptFile("image", str(e)) from e
    pages = tuple(
        PageText(i, r.text, normalise(r.text), "ocr", round(r.confidence, 1)) for i, r in enumerate(results, 1)
    )
    return Extracted(mime=ctx.mime, pages=pages)
