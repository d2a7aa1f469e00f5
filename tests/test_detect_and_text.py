"""File type by content, text decoding and CJK normalisation, table-driven."""

from __future__ import annotations

import zipfile

import pytest

from archiver.detect import detect
from archiver.errors import EmptyFile, UnsupportedType
from archiver.parsers.text import decode_text
from archiver.textnorm import cjk_ratio, normalise
from conftest import SAMPLES


@pytest.mark.parametrize(
    "name,kind,mime",
    [
        ("合同-华东精密-HT-2024-0312.pdf", "pdf", "application/pdf"),
        ("扫描-授权委托书.png", "image", "image/png"),
        ("扫描-延期交货函.jpg", "image", "image/jpeg"),
        ("扫描-验收记录.tiff", "image", "image/tiff"),
        ("会议纪要-付款安排.docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("邮件-合同确认.eml", "email", "message/rfc822"),
        ("通知-档案编号规则-GBK.txt", "text", "text/plain"),
        ("电子发票-华东精密.ofd", "ofd", "application/ofd"),
    ],
)
def test_type_comes_from_content_not_the_name(tmp_path, name, kind, mime):
    renamed = tmp_path / "no-extension-at-all"
    renamed.write_bytes((SAMPLES / name).read_bytes())
    found = detect(renamed)
    assert (found.kind, found.mime) == (kind, mime)


@pytest.mark.parametrize(
    "data,what",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "legacy Word"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "executable"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 50, "RAR"),
        (b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 100, "binary data"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 50, "HEIC"),
    ],
)
def test_unsupported_types_are_named(tmp_path, data, what):
    p = tmp_path / "x.pdf"
    p.write_bytes(data)
    with pytest.raises(UnsupportedType) as e:
        detect(p)
    assert what in e.value.en and "不支持的文件类型" in e.value.zh


def test_zip_that_is_not_a_document_is_unsupported(tmp_path):
    p = tmp_path / "a.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedType, match="ZIP"):
        detect(p)


def test_empty_file(tmp_path):
    p = tmp_path / "e.pdf"
    p.write_bytes(b"")
    with pytest.raises(EmptyFile):
        detect(p)


@pytest.mark.parametrize(
    "encoded",
    [
        "客户档案统一采用新编号。".encode("gbk"),
        "客户档案统一采用新编号。".encode("gb18030"),
        "客户档案统一采用新编号。".encode(),
        "客户档案统一采用新编号。".encode("utf-8-sig"),
        "客户档案统一采用新编号。".encode("utf-16"),
    ],
)
def test_text_encodings_decode(encoded):
    assert decode_text(encoded) == "客户档案统一采用新编号。"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("争 议 提 交 上 海 仲 裁 委 员 会", "争议提交上海仲裁委员会"),
        ("签订日期 : 二〇二四年三月五日", "签订日期:二〇二四年三月五日"),
        ("２０２４年３月５日", "2024年3月5日"),
        ("2024 年 3 月 5 日", "2024年3月5日"),
        ("金额（小写）：¥１２３，０００．００", "金额(小写):¥123,000.00"),
        ("甲方 ( 盖章 ) : 华东精密", "甲方(盖章):华东精密"),
        ("Party A:  Pacific Rim Logistics", "Party A: Pacific Rim Logistics"),
        ("⽂本检测", "文本检测"),  # Kangxi radicals from bad PDF fonts
        ("第一行\r\n\r\n\r\n\r\n第二行", "第一行\n\n第二行"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_cjk_ratio():
    assert cjk_ratio("合同 contract") == pytest.approx(2 / 10)
    assert cjk_ratio("") == 0.0
