"""What every parser receives: the file, the limits, the OCR settings and a deadline."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..config import Limits, OcrConfig
from ..errors import TimedOut
from .ocr import OcrSlots


@dataclass(frozen=True)
class ExtractContext:
    path: Path
    mime: str
    ocr: OcrConfig
    limits: Limits
    slots: OcrSlots
    jobs: int
    deadline: float  # time.monotonic() value
    timeout: float
    text_encoding: str | None = None

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise TimedOut(self.timeout)
