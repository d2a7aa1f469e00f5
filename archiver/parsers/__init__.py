"""Parsers by content type: each turns one file into text per page, nothing else."""

from __future__ import annotations

from collections.abc import Callable

from ..records import Extracted
from .base import ExtractContext
from .docx import parse_docx
from .email import parse_email
from .image import parse_image
from .ofd import parse_ofd
from .pdf import parse_pdf
from .text import parse_text

PARSERS: dict[str, Callable[[ExtractContext], Extracted]] = {
    "pdf": parse_pdf,
    "image": parse_image,
    "docx": parse_docx,
    "email": parse_email,
    "ofd": parse_ofd,
    "text": parse_text,
}

__all__ = ["PARSERS", "ExtractContext"]
