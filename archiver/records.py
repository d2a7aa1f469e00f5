"""Plain records passed between stages: what a parser read, what an ingest produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PageSource = Literal["text_layer", "ocr", "docx", "email", "plain", "ofd"]
IngestStatus = Literal["archived", "duplicate", "failed"]


@dataclass(frozen=True)
class PageText:
    """The text of one page, as read (``raw``) and normalised for later stages (``text``)."""

    number: int  # 1-based
    raw: str
    text: str
    source: PageSource
    ocr_confidence: float | None = None  # mean word confidence 0–100, OCR pages only


@dataclass(frozen=True)
class Attachment:
    """A file carried inside another (an e-mail attachment); archived as its own document."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Extracted:
    """Everything a parser returns for one file."""

    mime: str
    pages: tuple[PageText, ...]
    attachments: tuple[Attachment, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)  # e.g. e-mail headers

    @property
    def text_source(self) -> str | None:
        sources = {p.source for p in self.pages}
        if not sources:
            return None
        if sources <= {"text_layer", "ocr"} and len(sources) == 2:
            return "mixed"
        return sources.pop() if len(sources) == 1 else "mixed"


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: IngestStatus
    id: str | None = None
    error: str | None = None
    error_code: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"path": self.path, "status": self.status, "id": self.id, "error": self.error}
