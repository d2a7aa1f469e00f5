"""E-mail (.eml): From, To, Cc, Date, Subject and the text body (HTML converted); attachments returned.

The .eml file itself is the archived original (its bytes are the evidence); attachments come back as
:class:`Attachment` records so the pipeline archives each as its own document linked to the e-mail.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from ..errors import CorruptFile, EmptyFile
from ..records import Attachment, Extracted, PageText
from ..textnorm import normalise
from .base import ExtractContext
from .text import decode_text

HEADERS = ("From", "To", "Cc", "Date", "Subject")
MAX_ATTACHMENTS = 100


class _HtmlText(HTMLParser):
    BLOCK = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")
        elif tag == "td":
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return re.sub(r"\n\s*\n+", "\n\n", "".join(parser.out)).strip()


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, bytes):
            content = decode_text(content)
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or None
        try:
            content = payload.decode(charset or "utf-8")
        except (LookupError, UnicodeDecodeError):
            content = decode_text(payload)
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
        return str(value).strip() if value is not None else ""
    except (ValueError, IndexError, TypeError, LookupError):
        raw = msg.get_all(name, failobj=[""])
        return str(raw[0]) if raw else ""


def _attachments(msg: EmailMessage) -> list[Attachment]:
    out: list[Attachment] = []
    for i, part in enumerate(msg.iter_attachments(), 1):
        if len(out) >= MAX_ATTACHMENTS:
            break
        name = part.get_filename() or f"attachment-{i}"
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            data = inner[0].as_bytes() if isinstance(inner, list) and inner else b""
            name = name if name.endswith(".eml") else name + ".eml"
        else:
            data = part.get_payload(decode=True) or b""
        if data:
            out.append(Attachment(name=name.replace("/", "_").replace("\\", "_"), data=data))
    return out


def parse_email(ctx: ExtractContext) -> Extracted:
    data = ctx.path.read_bytes()
    if ctx.text_encoding:
        msg = email.message_from_string(data.decode(ctx.text_encoding, errors="replace"), policy=email.policy.default)
    else:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(msg, EmailMessage):
        raise CorruptFile("e-mail", "not a MIME message")
    meta = {h.lower(): _header(msg, h) for h in HEADERS if _header(msg, h)}
    if "date" in meta:
        try:
            meta["date_iso"] = parsedate_to_datetime(meta["date"]).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    try:
        body_part = msg.get_body(preferencelist=("plain", "html"))
    except (KeyError, ValueError, IndexError):
        body_part = None
    body = _part_text(body_part) if body_part is not None else ""
    if body_part is None and not msg.is_multipart():
        body = _part_text(msg)
    attachments = _attachments(msg)
    head = "\n".join(f"{h}: {meta[h.lower()]}" for h in HEADERS if h.lower() in meta)
    if attachments:
        head += "\nAttachments: " + ", ".join(a.name for a in attachments)
    raw = (head + "\n\n" + body).strip()
    if not raw:
        raise EmptyFile(blank=True)
    return Extracted(
        mime="message/rfc822",
        pages=(PageText(1, raw, normalise(raw), "email"),),
        attachments=tuple(attachments),
        meta=meta,
    )
