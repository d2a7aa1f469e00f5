"""The customer registry: add, find, import (CSV in UTF-8 or GBK, XLSX), merge.

Import is row by row: a bad row (invalid USCC or ID check digit, a duplicate code in the file, no name,
our own organisation) is reported with its row number and the good rows still load; importing the same
list again updates the customers it matches (by code, else by name) instead of adding them twice.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..audit import now_iso
from ..catalog.models import Customer, CustomerAlias
from ..errors import UsageError
from ..parsers.text import decode_text
from ..understand.normalise import normalise_id_number, normalise_uscc, parse_date, parse_money
from .names import is_ours, normalise_name

# Column headers people use, Chinese and English, for each registry field.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "全称",
        "名称",
        "客户名称",
        "企业名称",
        "单位名称",
        "公司名称",
        "客户全称",
        "姓名",
        "name",
        "customer",
        "customer name",
        "company name",
        "full name",
    ),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "uscc", "credit code", "unified social credit code"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "id number", "id no", "id"),
    "entity_type": ("企业类型", "类型", "公司类型", "entity type", "type"),
    "legal_representative": ("法定代表人", "法人", "负责人", "legal representative"),
    "registered_capital": ("注册资本", "registered capital"),
    "established_on": ("成立日期", "注册日期", "established", "established on", "date of establishment"),
    "address": ("地址", "住所", "注册地址", "联系地址", "address"),
    "postcode": ("邮编", "邮政编码", "postcode", "zip"),
    "phone": ("电话", "联系电话", "phone", "tel", "telephone"),
    "fax": ("传真", "fax"),
    "website": ("网址", "网站", "website", "web"),
    "main_business": ("主营业务", "主营", "main business"),
    "side_business": ("兼营业务", "兼营", "side business"),
    "employees": ("职工人数", "员工人数", "人数", "employees"),
    "contact": ("联系方式", "联系人", "contact"),
    "status": ("状态", "客户状态", "status"),
    "closed_on": ("关系终止日期", "终止日期", "停止合作日期", "closed on", "relationship ended"),
    "alias_short": ("简称", "客户简称", "short name", "alias"),
    "alias_former": ("曾用名", "原名称", "former name"),
    "alias_english": ("英文名", "英文名称", "english name"),
}


# Registry fields kept as the text people typed (dates, capital and head count are parsed separately).
TEXT_PROFILE_FIELDS = (
    "entity_type",
    "legal_representative",
    "address",
    "postcode",
    "phone",
    "fax",
    "website",
    "main_business",
    "side_business",
    "contact",
)
PROFILE_FIELDS = (*TEXT_PROFILE_FIELDS, "registered_capital", "established_on", "employees")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)
    customer_ids: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"created": self.created, "updated": self.updated, "errors": self.errors}


def new_customer_id() -> str:
    return "C" + secrets.token_hex(6)


def _header_map(header: list[str]) -> dict[int, str]:
    lookup = {re.sub(r"\s+", " ", h).strip().lower(): key for key, names in HEADERS.items() for h in names}
    out = {}
    for i, h in enumerate(header):
        key = lookup.get(re.sub(r"[\s:：*]+", " ", str(h or "")).strip().lower())
        if key and key not in out.values():
            out[i] = key
    return out


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 with or without BOM, or GBK) or XLSX file, keyed by registry field."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}", f"文件不存在：{path}")
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for a damaged workbook
            raise UsageError(
                f"{path.name}: not a readable Excel workbook ({e})", f"{path.name}：无法读取的 Excel 文件"
            ) from e
        rows = [["" if v is None else str(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    else:
        text = decode_text(data)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise UsageError(f"{path.name} is empty", f"{path.name} 为空")
    mapping = _header_map(rows[0])
    if "name" not in mapping.values():
        raise UsageError(
            f"{path.name}: no name column (expected one of 全称/名称/客户名称/name …); found {rows[0]}",
            f"{path.name}：缺少名称列（全称/名称/客户名称/name 等），表头为 {rows[0]}",
        )
    return [{key: str(row[i]).strip() for i, key in mapping.items() if i < len(row)} for row in rows[1:]]


class Registry:
    def __init__(self, session: Session, organization: tuple[str, ...]):
        self.s = session
        self.organization = organization

    # ------------------------------------------------------------------ lookups
    def get(self, customer_id: str) -> Customer | None:
        c = self.s.get(Customer, customer_id)
        while c is not None and c.merged_into:
            c = self.s.get(Customer, c.merged_into)
        return c

    def active(self) -> list[Customer]:
        return list(self.s.execute(select(Customer).where(Customer.merged_into.is_(None))).scalars())

    def by_code(self, code: str) -> Customer | None:
        code = code.strip().upper()
        c = (
            self.s.execute(select(Customer).where(or_(Customer.uscc == code, Customer.id_number == code)))
            .scalars()
            .first()
        )
        return self.get(c.id) if c else None

    def by_name(self, name: str) -> tuple[Customer, str] | None:
        """Exact match after normalisation: (customer, 'name' | 'alias')."""
        core = normalise_name(name)
        if not core:
            return None
        for c in self.active():
            if normalise_name(c.name) == core:
                return c, "name"
        alias = self.s.execute(select(CustomerAlias).where(CustomerAlias.normalized == core)).scalars().first()
        if alias:
            c = self.get(alias.customer_id)
            if c:
                return c, "alias"
        return None

    def resolve(self, ref: str) -> Customer | None:
        """A customer by id, code, name or alias (what `--customer` and folder names give)."""
        c = self.get(ref)
        if c:
            return c
        c = self.by_code(ref)
        if c:
            return c
        found = self.by_name(ref)
        return found[0] if found else None

    # ------------------------------------------------------------------ changes
    def add(
        self,
        name: str,
        *,
        uscc: str | None = None,
        id_number: str | None = None,
        source: str = "manual",
        aliases: dict[str, str] | None = None,
        **attrs,
    ) -> Customer:
        if not name.strip():
            raise UsageError("a customer needs a name", "客户名称不能为空")
        if is_ours(name, self.organization):
            raise UsageError(
                f"{name} is our own organization ([organization] names), never a customer",
                f"{name} 是本单位（[organization] names），不能作为客户",
            )
        code = None
        if uscc:
            code, _how = normalise_uscc(uscc)
            if code is None or _how != "valid":
                raise UsageError(f"invalid USCC {uscc!r} (check digit)", f"统一社会信用代码 {uscc!r} 校验位错误")
            if self.by_code(code):
                raise UsageError(f"a customer with USCC {code} exists already", f"统一社会信用代码 {code} 的客户已存在")
        idn = None
        if id_number:
            idn, _how = normalise_id_number(id_number)
            if idn is None or _how != "valid":
                raise UsageError(f"invalid ID number {id_number!r}", f"身份证号 {id_number!r} 无效")
        attrs.setdefault("status", "active")
        c = Customer(
            id=new_customer_id(),
            kind="individual" if idn and not code else "enterprise",
            name=name.strip(),
            uscc=code,
            id_number=idn,
            source=source,
            created_at=now_iso(),
            **attrs,
        )
        self.s.add(c)
        for kind, alias in (aliases or {}).items():
            self.add_alias(c, alias, kind)
        self.s.flush()
        return c

    def add_alias(self, c: Customer, alias: str, kind: str = "other") -> bool:
        alias = alias.strip()
        if not alias or any(a.alias == alias for a in c.aliases):
            return False
        c.aliases.append(CustomerAlias(alias=alias, kind=kind, normalized=normalise_name(alias)))
        return True

    def merge(self, keep: Customer, gone: Customer) -> None:
        """``gone`` becomes an alias of ``keep``; its codes and aliases move over (the caller moves documents)."""
        if keep.id == gone.id:
            raise UsageError("cannot merge a customer into itself", "不能将客户合并到自身")
        self.add_alias(keep, gone.name, "former")
        for a in list(gone.aliases):
            self.add_alias(keep, a.alias, a.kind)
        for attr in ("uscc", "id_number"):
            if getattr(gone, attr) and not getattr(keep, attr):
                value = getattr(gone, attr)
                setattr(gone, attr, None)
                self.s.flush()
                setattr(keep, attr, value)
        gone.merged_into = keep.id
        self.s.flush()

    def import_rows(self, rows: list[dict[str, str]]) -> ImportReport:
        report = ImportReport()
        seen: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            try:
                with self.s.begin_nested():
                    created = self._import_row(row, number, seen)
                report.created += created is True
                report.updated += created is False
            except UsageError as e:
                report.errors.append({"row": number, "name": row.get("name", ""), "error": e.en, "error_zh": e.zh})
        return report

    def _import_row(self, row: dict[str, str], number: int, seen: dict[str, int]) -> bool:
        name = row.get("name", "").strip()
        if not name:
            raise UsageError("missing name", "缺少名称")
        if is_ours(name, self.organization):
            raise UsageError(f"{name} is our own organization, not a customer", f"{name} 是本单位，不是客户")
        uscc = id_number = None
        if row.get("uscc"):
            uscc, how = normalise_uscc(row["uscc"])
            if uscc is None or how != "valid":
                raise UsageError(
                    f"invalid USCC {row['uscc']!r} (check digit)", f"统一社会信用代码 {row['uscc']!r} 校验位错误"
                )
        if row.get("id_number"):
            id_number, how = normalise_id_number(row["id_number"])
            if id_number is None or how != "valid":
                raise UsageError(f"invalid ID number {row['id_number']!r}", f"身份证号 {row['id_number']!r} 无效")
        for code in (uscc, id_number):
            if code:
                if code in seen:
                    raise UsageError(
                        f"duplicate code {code} (also in row {seen[code]})",
                        f"代码 {code} 重复（与第 {seen[code]} 行相同）",
                    )
                seen[code] = number
        attrs: dict = {}
        for key in TEXT_PROFILE_FIELDS:
            if row.get(key):
                attrs[key] = row[key]
        if row.get("registered_capital"):
            money = parse_money(row["registered_capital"], "CNY")
            attrs["registered_capital"] = str(money.amount) if money else row["registered_capital"]
        for key in ("established_on", "closed_on"):
            if row.get(key):
                d = parse_date(row[key])
                if d is None:
                    raise UsageError(f"{key}: not a date {row[key]!r}", f"{key}：日期无效 {row[key]!r}")
                attrs[key] = d.isoformat()
        if row.get("employees"):
            try:
                attrs["employees"] = int(float(row["employees"]))
            except ValueError as e:
                raise UsageError(f"employees: not a number {row['employees']!r}", "职工人数不是数字") from e
        status = row.get("status", "").strip().lower()
        if status:
            attrs["status"] = (
                "closed" if status in ("closed", "终止", "停止合作", "已终止", "注销", "inactive") else "active"
            )
        if attrs.get("closed_on") and "status" not in attrs:
            attrs["status"] = "closed"
        aliases = {k.removeprefix("alias_"): v for k, v in row.items() if k.startswith("alias_") and v}
        existing = (self.by_code(uscc) if uscc else None) or (self.by_code(id_number) if id_number else None)
        if existing is None:
            match = self.by_name(name)
            existing = match[0] if match and match[1] == "name" else None
        if existing is not None:
            if existing.uscc and uscc and existing.uscc != uscc:
                raise UsageError(
                    f"{name}: USCC {uscc} differs from the registered {existing.uscc}",
                    f"{name}：统一社会信用代码 {uscc} 与已登记的 {existing.uscc} 不一致",
                )
            existing.name = name
            existing.uscc = existing.uscc or uscc
            existing.id_number = existing.id_number or id_number
            for key, value in attrs.items():
                setattr(existing, key, value)
            for kind, alias in aliases.items():
                self.add_alias(existing, alias, kind)
            self.s.flush()
            return False
        self.add(name, uscc=uscc, id_number=id_number, source="import", aliases=aliases, **attrs)
        return True
