"""Plain text: UTF-8 (with or without BOM), UTF-16, GB18030/GBK and whatever charset-normalizer recognises."""

from __future__ import annotations

from charset_normalizer import from_bytes

from ..errors import CorruptFile, EmptyFile
from ..records import Extracted, PageText
from ..textnorm import normalise
from .base import ExtractContext

MAX_TEXT_BYTES = 50 * 1024 * 1024
_CHINESE_LEGACY = {"gb2312", "gbk", "gb18030", "hz", "big5"}


def decode_text(data: bytes, hint: str | None = None) -> str:
    if hint:
        return data.decode(hint, errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # GB18030 is a superset of GBK/GB2312 and the usual legacy encoding here
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise CorruptFile("text", "unknown character encoding")
    encoding = "gb18030" if best.encoding.replace("_", "") in _CHINESE_LEGACY else best.encoding
    return data.decode(encoding, errors="replace")


def parse_text(ctx: ExtractContext) -> Extracted:
    data = ctx.path.read_bytes()[:MAX_TEXT_BYTES]
    text = decode_text(data, ctx.text_encoding)
    if not text.strip():
        raise EmptyFile(blank=True)
    pages = [p for p in text.split("\x0c")] or [text]  # form feeds separate pages
    return Extracted(
        mime="text/plain",
        pages=tuple(PageText(i, raw, normalise(raw), "plain") for i, raw in enumerate(pages, 1)),
    )
