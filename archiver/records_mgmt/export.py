"""Evidence export: a zip a court or counterparty can check without our software.

originals/<doc id>/<original name>   the stored bytes, byte-identical
text/<doc id>.txt                    the extracted text, page by page
manifest.json                        metadata, fields, customer, retention, holds, SHA-256 and SM3
audit.jsonl                          the audit entries of these documents, complete
audit_chain.jsonl                    seq, prev_hash, hash of every entry from the first to the last of them
SHA256SUMS                           `sha256sum -c SHA256SUMS` checks every file above
README.txt                           how to verify, in Chinese and English
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import select

from .. import audit
from ..catalog.models import AuditEntry, Document

README = """证据包说明 / Evidence bundle
================================

本证据包由 archiver 于 {at} 导出，导出人：{actor}。共 {count} 份文档。
Exported by archiver at {at} by {actor}: {count} document(s).

一、校验文件完整性 / 1. Check that no file was changed
    sha256sum -c SHA256SUMS
  每个原件的 SHA-256 与 SM3 亦记录在 manifest.json 中（SM3 可用 `openssl dgst -sm3 文件` 计算）。
  manifest.json also lists each original's SHA-256 and SM3 (`openssl dgst -sm3 FILE`).

二、原件 / 2. Originals
  originals/<文档编号>/<原文件名> 为归档时收到的原始字节，未作任何修改。
  originals/<document id>/<original name> are the bytes as received, unmodified.

三、审计链 / 3. The audit trail
  audit.jsonl 为这些文档的全部审计记录；每条记录的 hash = SHA-256(JSON 数组
  [prev_hash, at, actor, action, document_id, details])，以紧凑 JSON（无空格、UTF-8）计算。
  audit_chain.jsonl 列出从第一条到最后一条相关记录之间每条记录的 seq、prev_hash 与 hash：
  每条的 prev_hash 等于前一条的 hash，链条连续即说明其间无记录被删改或调序。
  audit.jsonl holds every audit entry of these documents; each entry's hash is the SHA-256 of the compact
  UTF-8 JSON array [prev_hash, at, actor, action, document_id, details]. audit_chain.jsonl gives seq,
  prev_hash and hash of every entry from the first relevant one to the last: each prev_hash equals the
  previous hash, so an unbroken chain shows nothing in between was edited, deleted or reordered.
"""


def _safe_name(name: str) -> str:
    name = name.replace("/", "_").replace("\\", "_").strip() or "unnamed"
    return name if name not in (".", "..") else "unnamed"


def write_bundle(archive, doc_ids: list[str], out: Path, selection: dict) -> dict:
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    sums: list[tuple[str, str]] = []
    manifest = {
        "exported_at": audit.now_iso(),
        "exported_by": audit.current_actor(),
        "selection": selection,
        "documents": [],
    }
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=".export-", suffix=".zip")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:

            def add(arcname: str, data: bytes) -> None:
                z.writestr(arcname, data)
                sums.append((hashlib.sha256(data).hexdigest(), arcname))

            for doc_id in doc_ids:
                doc = archive.show(doc_id, with_text=True)
                original = f"originals/{doc_id}/{_safe_name(doc['original_name'])}"
                data = archive.store.path_for(doc["sha256"]).read_bytes()
                if hashlib.sha256(data).hexdigest() != doc["sha256"]:
                    raise RuntimeError(f"stored original of {doc_id} does not match its SHA-256; run `archiver verify`")
                add(original, data)
                text = "\n\n".join(
                    f"=== 第{p['page']}页 / page {p['page']} ({p['source']}) ===\n{p['text']}" for p in doc["page_info"]
                )
                add(f"text/{doc_id}.txt", text.encode("utf-8"))
                entry = {
                    k: doc[k]
                    for k in (
                        "id",
                        "original_name",
                        "sha256",
                        "sm3",
                        "size",
                        "mime",
                        "pages",
                        "ingested_at",
                        "doc_type",
                        "fields",
                        "customer",
                        "link",
                        "retention",
                        "holds",
                        "text_source",
                        "sources",
                    )
                }
                entry["files"] = {"original": original, "text": f"text/{doc_id}.txt"}
                manifest["documents"].append(entry)
            with archive.sessions() as s:
                entries = list(
                    s.execute(
                        select(AuditEntry).where(AuditEntry.document_id.in_(doc_ids)).order_by(AuditEntry.seq)
                    ).scalars()
                )
                lines = [
                    json.dumps(
                        {
                            "seq": e.seq,
                            "at": e.at,
                            "actor": e.actor,
                            "action": e.action,
                            "document_id": e.document_id,
                            "details": e.details,
                            "prev_hash": e.prev_hash,
                            "hash": e.hash,
                        },
                        ensure_ascii=False,
                    )
                    for e in entries
                ]
                chain = []
                if entries:
                    chain = [
                        json.dumps({"seq": seq, "prev_hash": prev, "hash": h})
                        for seq, prev, h in s.execute(
                            select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.hash)
                            .where(AuditEntry.seq >= entries[0].seq, AuditEntry.seq <= entries[-1].seq)
                            .order_by(AuditEntry.seq)
                        )
                    ]
            add("audit.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))
            add("audit_chain.jsonl", ("\n".join(chain) + "\n").encode("utf-8"))
            add("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
            add(
                "README.txt",
                README.format(at=manifest["exported_at"], actor=manifest["exported_by"], count=len(doc_ids)).encode(
                    "utf-8"
                ),
            )
            z.writestr("SHA256SUMS", "".join(f"{h}  {name}\n" for h, name in sums).encode("utf-8"))
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"out": str(out), "documents": len(doc_ids), "files": len(sums) + 1, "audit_entries": len(lines)}


def select_documents(archive, *, customer: str | None, hold: str | None, doc_ids: list[str] | None) -> list[str]:
    from ..catalog.models import Hold
    from ..errors import NotFound, UsageError
    from .holds import covered_ids

    chosen = [x for x in (customer, hold, doc_ids) if x]
    if len(chosen) != 1:
        raise UsageError("choose one of --customer, --hold, --doc", "请只选择 --customer、--hold、--doc 之一")
    with archive.sessions() as s:
        if doc_ids:
            ids = [archive.resolve_id(d) for d in doc_ids]
        elif customer:
            c = archive.customer(customer)
            ids = list(s.execute(select(Document.id).where(Document.customer_id == c.id)).scalars())
        else:
            h = s.get(Hold, hold)
            if h is None:
                raise NotFound(f"no hold {hold!r}", f"找不到法律保全 {hold!r}")
            ids = sorted(covered_ids(s, h))
        active = set(s.execute(select(Document.id).where(Document.id.in_(ids), Document.status == "active")).scalars())
    return [i for i in ids if i in active]
