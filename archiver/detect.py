"""File type by content (magic bytes), never by extension alone.

Returns one of our parser kinds — ``pdf``, ``image``, ``docx``, ``ofd``, ``email``, ``text`` — or raises
:class:`UnsupportedType` / :class:`EmptyFile` with a name a person recognises ("legacy Word .doc").
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import CorruptFile, EmptyFile, UnsupportedType

HEAD = 8192
_EMAIL_HEADER = re.compile(
    rb"^(from|to|cc|subject|date|received|return-path|mime-version|message-id|content-type|delivered-to"
    rb"|reply-to|x-[a-z0-9-]+|sender|thread-topic|importance):[ \t]",
    re.I | re.M,
)


@dataclass(frozen=True)
class FileKind:
    kind: str  # parser name
    mime: str
    text_encoding: str | None = None  # for text/email whose bytes are UTF-16 without a BOM


_IMAGES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:2048]
    if len(sample) < 8:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    return None


def _zip_kind(path: Path) -> FileKind:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise CorruptFile("ZIP/DOCX", f"zip structure unreadable: {e}") from e
    if "word/document.xml" in names:
        return FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return FileKind("ofd", "application/ofd")
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise UnsupportedType(f"OpenDocument ({mimetype})", "OpenDocument 文档（请另存为 DOCX 或 PDF）")
    if "xl/workbook.xml" in names:
        raise UnsupportedType("Excel workbook (.xlsx)", "Excel 工作簿（.xlsx）")
    if "ppt/presentation.xml" in names:
        raise UnsupportedType("PowerPoint presentation (.pptx)", "PowerPoint 演示文稿（.pptx）")
    raise UnsupportedType("ZIP archive (unpack it first)", "ZIP 压缩包（请先解压）")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for enc in ("utf-8", "gb18030"):
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError as e:
            if e.start >= len(head) - 4:  # a character cut by the sample's end
                return True
    from charset_normalizer import from_bytes

    return from_bytes(head).best() is not None


def detect(path: Path) -> FileKind:
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if not head:
        raise EmptyFile()
    if b"%PDF-" in head[:1024]:
        return FileKind("pdf", "application/pdf")
    for magic, mime in _IMAGES:
        if head.startswith(magic):
            return FileKind("image", mime)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind("image", "image/webp")
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"hevc"):
        raise UnsupportedType("HEIC/HEIF photo", "HEIC/HEIF 照片（请导出为 JPEG）")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnsupportedType(
            "legacy Word/Excel file (.doc/.xls)", "旧版 Word/Excel 文件（.doc/.xls，请另存为 DOCX 或 PDF）"
        )
    if head.startswith((b"\x7fELF", b"MZ")):
        raise UnsupportedType("executable program", "可执行程序")
    for magic, name in ((b"Rar!", "RAR archive"), (b"7z\xbc\xaf", "7-Zip archive"), (b"\x1f\x8b", "gzip archive")):
        if head.startswith(magic):
            raise UnsupportedType(name, name.replace("archive", "压缩包"))
    if head.startswith((b"{\\rtf",)):
        raise UnsupportedType("RTF document", "RTF 文档（请另存为 DOCX 或 PDF）")

    encoding = None
    sample = head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(head)
    if encoding:
        try:
            sample = head.decode(encoding, errors="ignore").encode("utf-8")
        except LookupError:
            sample = head
    elif not _looks_like_text(head):
        raise UnsupportedType("binary data of an unknown format", "未知格式的二进制数据")
    if len(_EMAIL_HEADER.findall(sample[:4096])) >= 2:
        return FileKind("email", "message/rfc822", encoding)
    return FileKind("text", "text/plain", encoding)
