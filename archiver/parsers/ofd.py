"""OFD (GB/T 33190): a zip of XML. Text per page from the ``TextCode`` elements, lines by their Y position.

No maintained Python OFD library was solid enough (the PyPI ones are unmaintained or render-only), and
the text needs only the document's own structure: OFD.xml → DocBody/DocRoot → Document.xml →
Pages/Page@BaseLoc → Content.xml. XML is parsed with defusedxml (no entity expansion).
"""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..errors import CorruptFile
from ..records import Extracted, PageText
from ..textnorm import normalise
from .base import ExtractContext
from .zipguard import check_zip


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find_all(root: Element, name: str) -> list[Element]:
    return [el for el in root.iter() if _local(el.tag) == name]


def _resolve(base_dir: str, loc: str, names: set[str]) -> str:
    loc = loc.strip().lstrip("/") if loc.strip().startswith("/") else posixpath.join(base_dir, loc.strip())
    loc = posixpath.normpath(loc)
    if loc in names:
        return loc
    lowered = {n.lower(): n for n in names}
    if loc.lower() in lowered:
        return lowered[loc.lower()]
    raise CorruptFile("OFD", f"missing part {loc}")


def _page_text(root: Element) -> str:
    rows: dict[float, list[tuple[float, str]]] = {}
    for obj in _find_all(root, "TextObject"):
        boundary = [float(v) for v in (obj.get("Boundary") or "0 0 0 0").split()[:4]] + [0, 0, 0, 0]
        for code in _find_all(obj, "TextCode"):
            if not code.text:
                continue
            y = round(boundary[1] + float(code.get("Y") or 0), 0)
            x = boundary[0] + float(code.get("X") or 0)
            rows.setdefault(y, []).append((x, code.text))
    lines = []
    for y in sorted(rows):
        lines.append("".join(t for _x, t in sorted(rows[y])))
    return "\n".join(lines)


def parse_ofd(ctx: ExtractContext) -> Extracted:
    check_zip(ctx.path, ctx.limits, "OFD")
    try:
        with zipfile.ZipFile(ctx.path) as z:
            names = set(z.namelist())
            ofd = SafeET.fromstring(z.read(_resolve("", "OFD.xml", names)))
            pages: list[str] = []
            for root_el in _find_all(ofd, "DocRoot"):
                doc_path = _resolve("", root_el.text or "", names)
                doc = SafeET.fromstring(z.read(doc_path))
                doc_dir = posixpath.dirname(doc_path)
                for page in _find_all(doc, "Page"):
                    ctx.check_deadline()
                    content_path = _resolve(doc_dir, page.get("BaseLoc") or "", names)
                    pages.append(_page_text(SafeET.fromstring(z.read(content_path))))
    except (zipfile.BadZipFile, KeyError, ValueError, SafeET.ParseError, DefusedXmlException) as e:
        raise CorruptFile("OFD", f"{type(e).__name__}: {e}") from e
    if not pages:
        raise CorruptFile("OFD", "no pages")
    return Extracted(
        mime="application/ofd",
        pages=tuple(PageText(i, raw, normalise(raw), "ofd") for i, raw in enumerate(pages, 1)),
    )
