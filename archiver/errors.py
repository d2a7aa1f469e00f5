"""Every error archiver reports to a person, with a code, an exit status and a bilingual message.

The tree::

    ArchiverError                  exit 1   — base; `code`, `zh`, `en`
    ├── UsageError                 exit 2   — bad command-line input, unknown document id, bad config
    │   └── NotFound               exit 3   — no such document / path
    ├── HomeError                  exit 4   — archive home missing or not initialised
    └── ExtractionError            exit 5   — a file could not be read; it goes to failed/
        ├── UnsupportedType                  — not a format we read (zip, .doc, HEIC …)
        ├── EmptyFile                        — zero bytes
        ├── PasswordProtected                — encrypted PDF without the empty password
        ├── CorruptFile                      — a parser rejected the bytes
        ├── TooLarge                         — pixel, entry-count or uncompressed-size bound hit
        └── TimedOut                         — the per-file time limit ran out

Library exceptions are translated where they happen (``raise CorruptFile(...) from e``); only the CLI,
the watcher and (later) the web boundary catch broadly.
"""

from __future__ import annotations


class ArchiverError(Exception):
    code = "error"
    exit_status = 1

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.en = en
        self.zh = zh or en

    @classmethod
    def rebuild(cls, code: str, en: str, zh: str) -> ArchiverError:
        """Recreate an error sent across a process boundary (subclass constructors differ)."""
        err = cls(en, zh)
        err.code = code
        return err

    @property
    def bilingual(self) -> str:
        return f"{self.zh} / {self.en}" if self.zh != self.en else self.en


class UsageError(ArchiverError):
    code = "usage"
    exit_status = 2


class NotFound(UsageError):
    code = "not_found"
    exit_status = 3


class HomeError(ArchiverError):
    code = "home"
    exit_status = 4


class ExtractionError(ArchiverError):
    code = "extraction"
    exit_status = 5


class UnsupportedType(ExtractionError):
    code = "unsupported_type"

    def __init__(self, kind: str, kind_zh: str | None = None):
        super().__init__(
            f"unsupported file type: {kind}. Convert it to PDF, DOCX or an image and drop it in again.",
            f"不支持的文件类型：{kind_zh or kind}。请转换为 PDF、DOCX 或图片后重新放入收件箱。",
        )
        self.kind = kind


class EmptyFile(ExtractionError):
    code = "empty_file"

    def __init__(self, blank: bool = False) -> None:
        if blank:
            super().__init__("the file holds no text, only blank space.", "文件没有任何内容（只有空白）。")
        else:
            super().__init__(
                "the file is empty (0 bytes); the copy or scan did not finish.",
                "文件为空（0 字节），复制或扫描可能未完成。",
            )


class PasswordProtected(ExtractionError):
    code = "password_protected"

    def __init__(self) -> None:
        super().__init__(
            "the PDF is password protected; export an unprotected copy and drop it into the inbox again.",
            "PDF 已加密（password protected），无法读取。请导出未加密的版本后重新放入收件箱。",
        )


class CorruptFile(ExtractionError):
    code = "corrupt"

    def __init__(self, kind: str, detail: str):
        super().__init__(
            f"the {kind} file is damaged and cannot be read ({detail}); ask the sender for a new copy.",
            f"{kind} 文件已损坏，无法读取（{detail}）。请向来源索取新的副本。",
        )


class TooLarge(ExtractionError):
    code = "too_large"

    def __init__(self, what: str):
        super().__init__(f"the file exceeds a safety limit: {what}.", f"文件超出安全限制：{what}。")


class TimedOut(ExtractionError):
    code = "timed_out"

    def __init__(self, seconds: float):
        super().__init__(
            f"timed out: reading the file took longer than {seconds:g} s; it may be damaged or unusually "
            "large. Raise [ingest] timeout_seconds and retry if it is genuine.",
            f"处理超时：读取文件超过 {seconds:g} 秒，文件可能损坏或过大。如确为正常文件，"
            "可调大 [ingest] timeout_seconds 后重试。",
        )
