"""DOCX with python-docx: headers, then paragraphs and tables in reading order, then footers.

Text in text boxes and shapes is read from the paragraph XML (python-docx's ``paragraph.text`` skips
it); the VML fallback copy of the same box is skipped. Pages follow Word's own page-break markers
(explicit breaks and ``lastRenderedPageBreak``), which is as close to the printed page as DOCX allows.
"""

from __future__ import annotations

import zipfile

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from lxml import etree

from ..errors import CorruptFile
from ..records import Extracted, PageText
from ..textnorm import normalise
from .base import ExtractContext
from .zipguard import check_zip

W_P, W_TBL, W_T, W_TAB, W_BR, W_CR = (qn(t) for t in ("w:p", "w:tbl", "w:t", "w:tab", "w:br", "w:cr"))
W_LAST_BREAK = qn("w:lastRenderedPageBreak")
W_TR, W_TC = qn("w:tr"), qn("w:tc")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
PAGE_BREAK = "\x0c"


def _paragraph_text(p) -> str:
    out: list[str] = []
    for el in p.iter():
        if any(a.tag == MC_FALLBACK for a in el.iterancestors()):
            continue
        if el.tag == W_T and el.text:
            out.append(el.text)
        elif el.tag == W_TAB:
            out.append("\t")
        elif el.tag in (W_BR, W_CR):
            out.append(PAGE_BREAK if el.get(qn("w:type")) == "page" else "\n")
        elif el.tag == W_LAST_BREAK and out:
            out.append(PAGE_BREAK)
    return "".join(out)


def _table_rows(tbl) -> list[str]:
    rows = []
    for tr in tbl.iter(W_TR):
        if tr.getparent() is None or next(tr.iterancestors(W_TBL), None) is not tbl:
            continue  # a nested table's row is read with its own cell
        cells, last = [], None
        for tc in tr.iter(W_TC):
            if next(tc.iterancestors(W_TBL), None) is not tbl:
                continue
            text = " ".join(_paragraph_text(p).strip() for p in tc.iter(W_P)).strip()
            if text and text != last:  # horizontally merged cells repeat their text
                cells.append(text)
            last = text
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _block_texts(parent) -> list[str]:
    out: list[str] = []
    for child in parent.iterchildren():
        if child.tag == W_P:
            out.append(_paragraph_text(child))
        elif child.tag == W_TBL:
            out.extend(_table_rows(child))
    return out


def _part_texts(parts) -> list[str]:
    seen, out = set(), []
    for part in parts:
        if part is None or part.is_linked_to_previous:
            continue
        text = "\n".join(t for t in _block_texts(part._element) if t.strip())
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def parse_docx(ctx: ExtractContext) -> Extracted:
    check_zip(ctx.path, ctx.limits, "DOCX")
    try:
        document = docx.Document(str(ctx.path))
        headers, footers = [], []
        for section in document.sections:
            headers += _part_texts([section.first_page_header, section.header])
            footers += _part_texts([section.first_page_footer, section.footer])
        body = "\n".join(_block_texts(document.element.body))
    except (OpcError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, AttributeError, IndexError) as e:
        raise CorruptFile("DOCX", f"{type(e).__name__}: {e}") from e
    pages = body.split(PAGE_BREAK)
    if headers:
        pages[0] = "\n".join(dict.fromkeys(headers)) + "\n" + pages[0]
    if footers:
        pages[-1] = pages[-1] + "\n" + "\n".join(dict.fromkeys(footers))
    # A break at the very end of the body (or a doubled marker) leaves no page of its own.
    pages = [p for i, p in enumerate(pages) if p.strip() or i == 0]
    return Extracted(
        mime=ctx.mime,
        pages=tuple(PageText(i, raw.strip("\n"), normalise(raw), "docx") for i, raw in enumerate(pages, 1)),
    )
