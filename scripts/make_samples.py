#!/usr/bin/env python3
"""Generate sample_docs/: realistic customer-file documents and truth.json (expected text per page).

Run from the project root: ``python scripts/make_samples.py``. Needs reportlab, Pillow, python-docx and
the WenQuanYi Zen Hei font (Debian: fonts-wqy-zenhei). Output is deterministic (fixed seeds, invariant
PDFs) so a re-run only changes files whose generator changed.

truth.json lists, per file, the page count, whether the pages are scanned (OCR) and phrases that must
be found on given pages. Later stages add doc_type, fields and customer.
"""

from __future__ import annotations

import json
import random
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image as RLImage
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
OUT = ROOT / "sample_docs" / "files"
TRUTH_FILE = ROOT / "sample_docs" / "truth.json"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
rl_config.invariant = 1  # no timestamps or random ids in the PDFs

pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
TITLE = ParagraphStyle("t", fontName="WQY", fontSize=18, leading=26, alignment=1, spaceAfter=10)
BODY = ParagraphStyle("b", fontName="WQY", fontSize=11, leading=18, wordWrap="CJK", spaceAfter=4)
BODY_EN = ParagraphStyle("e", fontName="WQY", fontSize=11, leading=16, spaceAfter=4)

TRUTH: list[dict] = []

# ---------------------------------------------------------------------------- texts
CONTRACT_CN = [
    [
        "# 设备采购合同",
        "合同编号：HT-2024-0312",
        "甲方（买方）：华东精密机械有限公司",
        "统一社会信用代码：91310000MA1FL4XQ27",
        "地址：上海市浦东新区张江路88号",
        "乙方（卖方）：上海云帆档案科技有限公司",
        "地址：上海市徐汇区漕溪北路1200号",
        "根据《中华人民共和国民法典》及有关法律法规，甲乙双方在平等、自愿、公平、诚实信用的基础上，"
        "就甲方向乙方采购档案密集架及配套管理系统事宜，经协商一致，订立本合同。",
        "第一条 标的物 乙方向甲方提供智能档案密集架二十组、档案管理系统软件一套，具体规格见附件一。",
        "第二条 合同金额 本合同总金额为人民币壹拾贰万叁仟元整（¥123,000.00），含增值税。",
    ],
    [
        "第三条 付款方式 合同签订后十个工作日内，甲方支付合同总额的30%作为预付款；设备验收合格后三十日内支付剩余70%。",
        "第四条 交付与验收 乙方应于2024年4月30日前将设备运抵甲方指定地点并完成安装调试。"
        "甲方应在收到设备后十五日内组织验收，并出具书面验收记录。",
        "第五条 合同期限 本合同自2024年3月5日起至2025年3月4日止。",
        "第六条 不可抗力 因地震、台风、洪水、战争等不能预见、不能避免且不能克服的不可抗力事件，"
        "致使一方不能履行合同的，应在事件发生后七日内书面通知对方，并提供有关证明。",
        "第七条 违约责任 任何一方违反本合同约定的，应向守约方支付合同总额百分之五的违约金。",
    ],
    [
        "第八条 争议解决 因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；"
        "协商不成的，争议提交上海仲裁委员会，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。",
        "第九条 其他 本合同一式两份，甲乙双方各执一份，自双方签字盖章之日起生效。",
        "甲方（盖章）：华东精密机械有限公司　　法定代表人：王建国",
        "乙方（盖章）：上海云帆档案科技有限公司　　授权代表：李明",
        "签订日期：二〇二四年三月五日",
    ],
]

CONTRACT_EN = [
    [
        "# SERVICE AGREEMENT",
        "Agreement No.: SA-2024-0718",
        "This Service Agreement is entered into on July 18, 2024 by and between "
        'Pacific Rim Logistics Pte. Ltd. (the "Client") and Yunfan Archive Technology Co., Ltd. (the "Provider").',
        "1. Services. The Provider shall digitise, index and store the Client's shipping records, "
        "including bills of lading, customs declarations and correspondence, in accordance with Schedule A.",
        "2. Fees. The Client shall pay the Provider a total fee of USD 48,500.00, payable in two instalments.",
        "3. Term. This Agreement commences on August 1, 2024 and remains in force until July 31, 2026.",
    ],
    [
        "4. Confidentiality. Each party shall keep confidential all information received from the other party "
        "and shall not disclose it to any third party without prior written consent.",
        "5. Force Majeure. Neither party shall be liable for any failure to perform caused by events beyond its "
        "reasonable control, including natural disasters, epidemics and acts of government.",
        "6. Governing Law and Arbitration. This Agreement is governed by the laws of the People's Republic of "
        "China. Any dispute shall be submitted to the Shanghai International Arbitration Center.",
        "Signed for the Client: Tan Wei Ming, Director",
        "Signed for the Provider: Li Ming, Authorised Representative",
    ],
]

AMENDMENT_SCAN = [
    [
        "补充协议",
        "原合同编号：HT-2024-0312",
        "甲方：华东精密机械有限公司",
        "乙方：上海云帆档案科技有限公司",
        "鉴于双方于2024年3月5日签订了设备采购合同，",
        "现经友好协商，就交货期限变更达成如下补充协议：",
        "一、原合同第四条约定的交付日期",
        "变更为2024年5月31日。",
        "二、本补充协议与原合同具有同等法律效力。",
    ],
    [
        "三、本补充协议未约定事项，仍按原合同执行。",
        "四、本补充协议一式两份，双方各执一份。",
        "甲方（盖章）：华东精密机械有限公司",
        "乙方（盖章）：上海云帆档案科技有限公司",
        "签订日期：2024年4月20日",
    ],
]

AUTHORIZATION_SCAN = [
    "授权委托书",
    "委托人：华东精密机械有限公司",
    "统一社会信用代码：91310000MA1FL4XQ27",
    "法定代表人：王建国",
    "受托人：张伟  职务：采购部经理",
    "身份证号：11010519491231002X",
    "现委托受托人代表我公司办理设备采购合同的",
    "签订、履行及验收事宜。",
    "委托期限：自2024年3月1日起至2024年12月31日止。",
    "委托人（盖章）：华东精密机械有限公司",
    "二〇二四年三月一日",
]

LETTER_SCAN = [
    "华东精密机械有限公司",
    "关于延期交货的函",
    "云帆函〔2024〕12号",
    "致：华东精密机械有限公司采购部",
    "因上游供应商原材料短缺，",
    "我司无法按期交付部分密集架。",
    "特此函告，望予谅解。",
    "上海云帆档案科技有限公司",
    "2024年4月15日",
]

ACCEPTANCE_TIFF = [
    [
        "设备验收记录",
        "合同编号：HT-2024-0312",
        "验收日期：2024年5月28日",
        "验收地点：上海市浦东新区张江路88号",
        "验收内容：智能档案密集架二十组",
        "验收结论：合格",
    ],
    [
        "验收意见：设备运行正常，",
        "资料齐全，同意验收。",
        "甲方代表：赵丽",
        "乙方代表：李明",
    ],
]

LICENSE_ROTATED = [
    "营业执照",
    "统一社会信用代码 91310000MA1FL4XQ27",
    "名称 华东精密机械有限公司",
    "类型 有限责任公司",
    "法定代表人 王建国",
    "注册资本 人民币500万元",
    "成立日期 2015年06月18日",
    "营业期限 2015年06月18日至长期",
    "住所 上海市浦东新区张江路88号",
]

MIXED_TEXT_PAGE = [
    "# 解除协议",
    "原合同编号：HT-2023-1108",
    "甲方：江南纺织品进出口有限公司",
    "乙方：上海云帆档案科技有限公司",
    "经双方协商一致，决定自2024年9月30日起解除原合同。",
    "原合同项下已发生的款项结清后，双方互不追究违约责任。",
]
MIXED_SCAN_PAGE = [
    "签字页",
    "甲方（盖章）：江南纺织品进出口有限公司",
    "乙方（盖章）：上海云帆档案科技有限公司",
    "签订日期：2024年9月30日",
]

GBK_NOTICE = """关于启用新版客户档案编号规则的通知

各业务部门：
自2025年1月1日起，客户档案统一采用“KH-年份-序号”格式编号，例如KH-2025-0001。
原有档案编号保持不变，新旧编号对照表由档案室负责维护。
请各部门在移交合同原件时同时提供电子扫描件，以便归档系统自动识别。

档案室
二〇二四年十二月二十日
"""


# ---------------------------------------------------------------------------- helpers
def record(name: str, pages: int, ocr: bool, snippets: dict[int, list[str]], **extra) -> None:
    TRUTH.append(
        {"file": name, "pages": pages, "scanned": ocr, "snippets": {str(k): v for k, v in snippets.items()}, **extra}
    )


US = "上海云帆档案科技有限公司"
HD = "华东精密机械有限公司"
EXPECTED = {  # doc_type and exact fields of the hand-written samples above
    "合同-华东精密-HT-2024-0312.pdf": (
        "contract",
        {
            "contract_no": "HT-2024-0312",
            "title": "设备采购合同",
            "party_a": HD,
            "party_b": US,
            "signed_on": "2024-03-05",
            "amount": "123000.00",
            "currency": "CNY",
            "term_start": "2024-03-05",
            "term_end": "2025-03-04",
            "dispute_resolution": "上海仲裁委员会",
        },
    ),
    "service-agreement-pacific-rim.pdf": (
        "contract",
        {
            "contract_no": "SA-2024-0718",
            "title": "SERVICE AGREEMENT",
            "party_a": "Pacific Rim Logistics Pte. Ltd.",
            "party_b": "Yunfan Archive Technology Co., Ltd.",
            "signed_on": "2024-07-18",
            "amount": "48500.00",
            "currency": "USD",
            "term_start": "2024-08-01",
            "term_end": "2026-07-31",
            "dispute_resolution": "Shanghai International Arbitration Center",
        },
    ),
    "扫描-补充协议-HT-2024-0312.pdf": (
        "contract_amendment",
        {"contract_no": "HT-2024-0312", "party_a": HD, "party_b": US, "signed_on": "2024-04-20"},
    ),
    "扫描-授权委托书.png": (
        "authorization",
        {
            "principal": HD,
            "agent": "张伟",
            "agent_id_number": "11010519491231002X",
            "scope": "办理设备采购合同的签订、履行及验收事宜",
            "valid_from": "2024-03-01",
            "valid_to": "2024-12-31",
            "issued_on": "2024-03-01",
        },
    ),
    "扫描-延期交货函.jpg": (
        "correspondence",
        {
            "reference_no": "云帆函〔2024〕12号",
            "sender": US,
            "recipient": "华东精密机械有限公司采购部",
            "sent_on": "2024-04-15",
            "subject": "关于延期交货的函",
        },
    ),
    "扫描-验收记录.tiff": (
        "acceptance_record",
        {"contract_no": "HT-2024-0312", "accepted_on": "2024-05-28", "result": "合格"},
    ),
    "扫描-营业执照-横放.png": (
        "business_license",
        {
            "name": HD,
            "uscc": "91310000MA1FL4XQ27",
            "entity_type": "有限责任公司",
            "legal_representative": "王建国",
            "registered_capital": "5000000.00",
            "established_on": "2015-06-18",
            "business_term_to": None,
            "address": "上海市浦东新区张江路88号",
        },
    ),
    "解除协议-江南纺织-含签字页扫描.pdf": (
        "contract_termination",
        {
            "contract_no": "HT-2023-1108",
            "party_a": "江南纺织品进出口有限公司",
            "party_b": US,
            "signed_on": "2024-09-30",
            "terminated_on": "2024-09-30",
        },
    ),
    "会议纪要-付款安排.docx": (
        "negotiation_record",
        {"held_on": "2024-06-03", "participants": f"{HD}、{US}", "subject": "HT-2024-0312合同付款安排"},
    ),
    "邮件-合同确认.eml": (
        "correspondence",
        {"sender": "赵丽", "recipient": "李明", "sent_on": "2024-03-16", "subject": "关于HT-2024-0312合同盖章件的确认"},
    ),
    "通知-档案编号规则-GBK.txt": (
        "correspondence",
        {
            "sender": "档案室",
            "recipient": "各业务部门",
            "sent_on": "2024-12-20",
            "subject": "关于启用新版客户档案编号规则的通知",
        },
    ),
    "电子发票-华东精密.ofd": (
        "payment_voucher",
        {"voucher_no": "24312000000012345678", "payer": HD, "amount": "12000.00", "paid_on": "2024-05-30"},
    ),
}
HAND_CUSTOMERS = {  # the customer each hand-written sample is filed under (absent: none can be told)
    "合同-华东精密-HT-2024-0312.pdf": HD,
    "service-agreement-pacific-rim.pdf": "Pacific Rim Logistics Pte. Ltd.",
    "扫描-补充协议-HT-2024-0312.pdf": HD,
    "扫描-授权委托书.png": HD,
    "扫描-延期交货函.jpg": HD,
    "扫描-验收记录.tiff": HD,
    "扫描-营业执照-横放.png": HD,
    "解除协议-江南纺织-含签字页扫描.pdf": "江南纺织品进出口有限公司",
    "会议纪要-付款安排.docx": HD,
    "电子发票-华东精密.ofd": HD,
}
ATTACHMENT_EXPECTED = (
    "payment_voucher",
    {"voucher_no": "FK-2024-0315", "payer": HD, "payee": US, "amount": "36900.00", "paid_on": "2024-03-15"},
)


def text_pdf(path: Path, pages: list[list[str]], style=BODY, scan_after: Image.Image | None = None) -> None:
    """A born-digital PDF; ``scan_after`` appends a scanned page (image only, no text layer)."""
    story = []
    for i, lines in enumerate(pages):
        for line in lines:
            if line.startswith("# "):
                story.append(Paragraph(line[2:], TITLE))
                story.append(Spacer(1, 4 * mm))
            else:
                story.append(Paragraph(line, style))
        if i < len(pages) - 1:
            story.append(PageBreak())
    if scan_after is not None:
        buf = BytesIO()
        scan_after.save(buf, "PNG")
        width = A4[0] - 52 * mm
        story += [PageBreak(), RLImage(buf, width=width, height=width * scan_after.height / scan_after.width)]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=path.stem,
        author="archiver samples",
        creator="archiver samples",
    )
    doc.build(story)


def scan_page(lines: list[str], seed: int, size=(1654, 2339), font_px=44, skew=0.4) -> Image.Image:
    """A page as a 200-dpi scanner would see it: grey paper, slightly skewed, a little noise and blur."""
    rnd = random.Random(seed)
    img = Image.new("L", size, 246)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, font_px)
    title = ImageFont.truetype(FONT, int(font_px * 1.4))
    y = 200
    for i, line in enumerate(lines):
        f = title if i == 0 else font
        w = draw.textlength(line, font=f)
        x = (size[0] - w) / 2 if i == 0 else 170
        draw.text((x, y), line, font=f, fill=rnd.randint(15, 40))
        y += int(f.size * 1.9)
    px = img.load()
    for _ in range(size[0] * size[1] // 400):  # speckle
        px[rnd.randrange(size[0]), rnd.randrange(size[1])] = rnd.randint(120, 200)
    img = img.rotate(skew * (1 if seed % 2 else -1), resample=Image.BICUBIC, fillcolor=246)
    return img.filter(ImageFilter.GaussianBlur(0.6))


FIXED_DATE = datetime(2024, 6, 1, 12, 0, 0)


def image_pdf(path, images: list[Image.Image]) -> None:
    images[0].save(
        path,
        "PDF",
        resolution=200.0,
        save_all=True,
        append_images=images[1:],
        creationDate=FIXED_DATE.timetuple(),
        modDate=FIXED_DATE.timetuple(),
    )


def _fix_zip_times(path: Path) -> None:
    """Rewrite a zip with fixed entry times so the generated file is byte-for-byte reproducible."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 6, 3, 10, 0, 0)), data, zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------------------- documents
def make_all() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():  # the folder holds exactly what this run writes
        old.unlink()

    name = "合同-华东精密-HT-2024-0312.pdf"
    text_pdf(OUT / name, CONTRACT_CN)
    record(
        name,
        3,
        False,
        {
            1: ["合同编号：HT-2024-0312", "华东精密机械有限公司", "人民币壹拾贰万叁仟元整"],
            2: ["不可抗力", "自2024年3月5日起至2025年3月4日止"],
            3: ["争议提交上海仲裁委员会", "二〇二四年三月五日"],
        },
        language="zh",
    )

    name = "service-agreement-pacific-rim.pdf"
    text_pdf(OUT / name, CONTRACT_EN, BODY_EN)
    record(
        name,
        2,
        False,
        {
            1: ["Agreement No.: SA-2024-0718", "USD 48,500.00", "Pacific Rim Logistics"],
            2: ["Force Majeure", "Shanghai International Arbitration Center"],
        },
        language="en",
    )

    name = "扫描-补充协议-HT-2024-0312.pdf"
    image_pdf(OUT / name, [scan_page(p, 10 + i) for i, p in enumerate(AMENDMENT_SCAN)])
    record(
        name,
        2,
        True,
        {1: ["原合同编号：HT-2024-0312", "甲方：华东精密机械有限公司"], 2: ["签订日期：2024年4月20日"]},
        language="zh",
    )

    name = "扫描-授权委托书.png"
    scan_page(AUTHORIZATION_SCAN, 20).save(OUT / name, dpi=(200, 200))
    record(name, 1, True, {1: ["授权委托书", "委托人：华东精密机械有限公司", "91310000MA1FL4XQ27"]}, language="zh")

    name = "扫描-延期交货函.jpg"
    scan_page(LETTER_SCAN, 30).convert("RGB").save(OUT / name, quality=85, dpi=(200, 200))
    record(
        name, 1, True, {1: ["关于延期交货的函", "云帆函〔2024〕12号", "我司无法按期交付部分密集架。"]}, language="zh"
    )

    name = "扫描-验收记录.tiff"
    frames = [scan_page(p, 40 + i) for i, p in enumerate(ACCEPTANCE_TIFF)]
    frames[0].save(OUT / name, save_all=True, append_images=frames[1:], compression="tiff_deflate", dpi=(200, 200))
    record(name, 2, True, {1: ["合同编号：HT-2024-0312", "验收结论：合格"], 2: ["资料齐全，同意验收。"]}, language="zh")

    name = "扫描-营业执照-横放.png"
    scan_page(LICENSE_ROTATED, 50, skew=0).rotate(90, expand=True).save(OUT / name, dpi=(200, 200))
    record(
        name,
        1,
        True,
        {1: ["名称 华东精密机械有限公司", "统一社会信用代码 91310000MA1FL4XQ27"]},
        language="zh",
        rotated=90,
    )

    name = "解除协议-江南纺织-含签字页扫描.pdf"
    text_pdf(OUT / name, [MIXED_TEXT_PAGE], scan_after=scan_page(MIXED_SCAN_PAGE, 60))
    record(
        name,
        2,
        False,
        {
            1: ["解除协议", "江南纺织品进出口有限公司", "自2024年9月30日起解除原合同"],
            2: ["甲方（盖章）：江南纺织品进出口有限公司", "签订日期：2024年9月30日"],
        },
        language="zh",
        mixed=True,
        page_sources={"1": "text_layer", "2": "ocr"},
    )

    name = "会议纪要-付款安排.docx"
    _docx(OUT / name)
    record(
        name,
        2,
        False,
        {1: ["会议纪要", "华东精密机械有限公司", "预付款 | 36,900.00"], 2: ["尾款支付", "以上纪要经双方确认"]},
        language="zh",
    )

    name = "邮件-合同确认.eml"
    attachment = _email(OUT / name)
    record(
        name,
        1,
        False,
        {1: ["Subject: 关于HT-2024-0312合同盖章件的确认", "盖章扫描件已收到"]},
        language="zh",
        attachments=[attachment],
    )

    name = "通知-档案编号规则-GBK.txt"
    (OUT / name).write_bytes(GBK_NOTICE.encode("gbk"))
    record(
        name,
        1,
        False,
        {1: ["客户档案统一采用“KH-年份-序号”格式编号", "二〇二四年十二月二十日"]},
        language="zh",
        encoding="gbk",
    )

    name = "电子发票-华东精密.ofd"
    _ofd(OUT / name)
    record(name, 1, False, {1: ["电子发票", "华东精密机械有限公司", "价税合计"]}, language="zh")

    for t in TRUTH:
        t["doc_type"], t["fields"] = EXPECTED[t["file"]]
        t["customer"] = HAND_CUSTOMERS.get(t["file"])
        for att in t.get("attachments", []):
            att["doc_type"], att["fields"] = ATTACHMENT_EXPECTED
            att["customer"] = HD
    make_labelled()
    make_customer_list()
    TRUTH_FILE.write_text(json.dumps({"documents": TRUTH}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def wrap(lines: list[str], width: int = 30) -> list[str]:
    out = []
    for line in lines:
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return out


def license_scan(sample, seed: int) -> Image.Image:
    """The landscape licence: two columns, the code top left, a red seal over the registration date."""
    rnd = random.Random(seed)
    size = (2339, 1654)
    img = Image.new("RGB", size, (247, 244, 236))
    draw = ImageDraw.Draw(img)
    font, big = ImageFont.truetype(FONT, 40), ImageFont.truetype(FONT, 84)
    draw.text((160, 130), sample.pages[0][1], font=font, fill=(30, 30, 30))
    w = draw.textlength("营业执照", font=big)
    draw.text(((size[0] - w) / 2, 230), "营业执照", font=big, fill=(20, 20, 20))
    y = 470
    for left, right in zip(sample.extra["left"], sample.extra["right"], strict=True):
        draw.text((200, y), left, font=font, fill=(25, 25, 25))
        draw.text((1250, y), right, font=font, fill=(25, 25, 25))
        y += 110
    fy = 1250
    for line in sample.extra["footer"]:
        draw.text((1500, fy), line, font=font, fill=(25, 25, 25))
        fy += 70
    seal = Image.new("RGBA", size, (0, 0, 0, 0))
    sd = ImageDraw.Draw(seal)
    cx, cy, r = 1780, 1290, 150
    sd.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(220, 30, 30, 150), width=10)
    sd.text((cx - 110, cy - 20), "登记专用章", font=ImageFont.truetype(FONT, 44), fill=(220, 30, 30, 110))
    img = Image.alpha_composite(img.convert("RGBA"), seal).convert("RGB")
    px = img.load()
    for _ in range(size[0] * size[1] // 500):
        x, yy = rnd.randrange(size[0]), rnd.randrange(size[1])
        px[x, yy] = (150, 150, 150)
    return img.rotate(0.5, resample=Image.BICUBIC, fillcolor=(247, 244, 236)).filter(ImageFilter.GaussianBlur(0.5))


def generic_docx(path: Path, pages: list[list[str]]) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = datetime(2024, 6, 3, 10, 0, 0)
    for i, lines in enumerate(pages):
        if i == 0:
            d.add_heading(lines[0], level=1)
            lines = lines[1:]
        for line in lines:
            p = d.add_paragraph(line)
        if i < len(pages) - 1:
            p.add_run().add_break(WD_BREAK.PAGE)
    d.save(str(path))
    _fix_zip_times(path)


RENDER_EXT = {
    "text_pdf": ".pdf",
    "scan_png": ".png",
    "scan_jpg": ".jpg",
    "scan_pdf": ".pdf",
    "scan_tiff_fax": ".tiff",
    "license_scan": ".jpg",
    "docx": ".docx",
    "eml": ".eml",
    "txt": ".txt",
}


def render(sample, path: Path, seed: int) -> None:
    kind = sample.render
    if kind == "text_pdf":
        text_pdf(
            path,
            [["# " + p[0], *p[1:]] if i == 0 else p for i, p in enumerate(sample.pages)],
            BODY_EN if sample.language == "en" else BODY,
        )
    elif kind in ("scan_png", "scan_jpg", "scan_pdf", "scan_tiff_fax"):
        images = [scan_page(wrap(p), seed + i) for i, p in enumerate(sample.pages)]
        if kind == "scan_png":
            images[0].save(path, dpi=(200, 200))
        elif kind == "scan_jpg":
            images[0].convert("RGB").save(path, quality=80, dpi=(200, 200))
        elif kind == "scan_pdf":
            image_pdf(path, images)
        else:  # a fax: bilevel, CCITT group 4
            images[0].point(lambda v: 255 if v > 150 else 0).convert("1").save(
                path, compression="group4", dpi=(200, 200)
            )
    elif kind == "license_scan":
        license_scan(sample, seed).save(path, quality=82, dpi=(200, 200))
    elif kind == "docx":
        generic_docx(path, sample.pages)
    elif kind == "txt":
        path.write_bytes("\n".join(sample.pages[0]).encode("gb18030" if seed % 2 else "utf-8"))
    elif kind == "eml":
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = sample.extra["from"], sample.extra["to"], sample.extra["subject"]
        msg["Date"] = format_datetime(sample.extra["date"])
        msg["Message-ID"] = f"<{seed}@example.cn>"
        msg.set_content("\n".join(sample.pages[0]))
        path.write_bytes(bytes(msg))
    else:
        raise ValueError(kind)


def make_customer_list() -> None:
    """sample_docs/customers.csv: the registry records staff keep in Excel (UTF-8 with BOM, Chinese headers).

    Two companies are left out on purpose: their business licences create them, and their other
    documents, archived before the licence, must end up linked all the same.
    """
    import csv

    from labelled_samples import COMPANIES, Builder

    codes = Builder().uscc
    left_out = {"南京紫金建设工程有限公司", "武汉光谷数据服务有限公司"}
    short = {
        "华东精密机械有限公司": "华东精密",
        "江南纺织品进出口有限公司": "江南纺织",
        "北京恒信达科技股份有限公司": "恒信达",
    }
    rows = [["客户名称", "统一社会信用代码", "简称", "英文名称", "法定代表人", "地址", "状态"]]
    for name in COMPANIES:
        if name not in left_out:
            rows.append([name, codes[name], short.get(name, ""), "", "", "", "合作中"])
    for name in (
        "Pacific Rim Logistics Pte. Ltd.",
        "Northwind Trading Co., Ltd.",
        "Helvetia Instruments AG",
        "Blue Harbour Shipping Limited",
    ):
        rows.append([name, "", "", name, "", "", "合作中"])
    with open(ROOT / "sample_docs" / "customers.csv", "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def make_labelled() -> None:
    from labelled_samples import Builder

    for i, sample in enumerate(Builder().build()):
        if len(sample.pages) > 1 and sample.render in ("scan_png", "scan_jpg"):
            sample.render = "scan_pdf"  # a multi-page scan arrives as one PDF
        name = sample.name + RENDER_EXT[sample.render]
        render(sample, OUT / name, 500 + i * 10)
        record(
            name,
            len(sample.pages),
            sample.scanned,
            {1: [max(sample.pages[0][1:4], key=len)]} if sample.render != "eml" else {},
            language=sample.language,
            doc_type=sample.doc_type,
            fields=sample.fields,
            labelled=True,
            customer=sample.customer,
        )


def _docx(path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    d.core_properties.created = datetime(2024, 6, 3, 10, 0, 0)
    d.core_properties.modified = datetime(2024, 6, 3, 10, 0, 0)
    d.sections[0].header.paragraphs[0].text = "上海云帆档案科技有限公司 内部资料"
    d.add_heading("会议纪要", level=1)
    d.add_paragraph("会议时间：2024年6月3日上午十点")
    d.add_paragraph("参会单位：华东精密机械有限公司、上海云帆档案科技有限公司")
    d.add_paragraph("会议议题：HT-2024-0312合同付款安排")
    table = d.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("款项", "金额（元）", "支付时间"), strict=True):
        cell.text = text
    for row in (("预付款", "36,900.00", "2024年3月15日"), ("尾款", "86,100.00", "验收合格后三十日内")):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    p = d.add_paragraph("双方确认预付款已于2024年3月15日到账。")
    p.add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("尾款支付：甲方应于验收合格后三十日内支付尾款。")
    d.add_paragraph("以上纪要经双方确认。")
    d.sections[0].footer.paragraphs[0].text = "第 1 页"
    d.save(str(path))
    _fix_zip_times(path)


def _email(path: Path) -> dict:
    voucher = OUT / "_voucher.pdf"
    text_pdf(
        voucher,
        [
            [
                "# 付款凭证",
                "凭证号：FK-2024-0315",
                "付款人：华东精密机械有限公司",
                "收款人：上海云帆档案科技有限公司",
                "金额：人民币叁万陆仟玖佰元整（¥36,900.00）",
                "付款日期：2024年3月15日",
            ]
        ],
    )
    msg = EmailMessage()
    msg["From"] = "赵丽 <zhaoli@hdjm.example.cn>"
    msg["To"] = "李明 <liming@yunfan.example.cn>"
    msg["Subject"] = "关于HT-2024-0312合同盖章件的确认"
    msg["Date"] = format_datetime(datetime(2024, 3, 16, 9, 30, tzinfo=timezone(timedelta(hours=8))))
    msg["Message-ID"] = "<20240316093000.hdjm@hdjm.example.cn>"
    msg.set_content("李经理：\n\n贵司寄来的合同盖章扫描件已收到，预付款凭证见附件。\n\n赵丽\n华东精密机械有限公司")
    msg.add_alternative(
        "<html><body><p>李经理：</p><p>贵司寄来的合同盖章扫描件已收到，预付款凭证见附件。</p>"
        "<p>赵丽<br>华东精密机械有限公司</p></body></html>",
        subtype="html",
    )
    msg.add_attachment(
        voucher.read_bytes(), maintype="application", subtype="pdf", filename="付款凭证-FK-2024-0315.pdf"
    )
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"==archiver-sample-{i}==")
    path.write_bytes(bytes(msg))
    voucher.unlink()
    return {"file": "付款凭证-FK-2024-0315.pdf", "pages": 1, "snippets": {"1": ["凭证号：FK-2024-0315"]}}


def _ofd(path: Path) -> None:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    ofd_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.1" DocType="OFD"><ofd:DocBody>'
        "<ofd:DocInfo><ofd:DocID>a1b2c3</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
        "</ofd:DocBody></ofd:OFD>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>20'
        "</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea>"
        '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
        "</ofd:Document>"
    )
    lines = [
        ("电子发票（普通发票）", 80, 12),
        ("发票号码：24312000000012345678", 20, 24),
        ("购买方名称：华东精密机械有限公司", 20, 34),
        ("统一社会信用代码：91310000MA1FL4XQ27", 20, 42),
        ("项目名称：档案管理系统软件服务", 20, 54),
        ("价税合计（大写）：壹万贰仟元整", 20, 66),
        ("价税合计（小写）：¥12000.00", 120, 66),
        ("开票日期：2024年05月30日", 20, 78),
    ]
    objs = "".join(
        f'<ofd:TextObject ID="{i + 2}" Boundary="{x} {y} 120 8" Font="1" Size="4">'
        f'<ofd:TextCode X="0" Y="6">{t}</ofd:TextCode></ofd:TextObject>'
        for i, (t, x, y) in enumerate(lines)
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="1">{objs}'
        "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (
            ("OFD.xml", ofd_xml),
            ("Doc_0/Document.xml", document),
            ("Doc_0/Pages/Page_0/Content.xml", content),
        ):
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 30, 12, 0, 0))
            z.writestr(info, data.encode("utf-8"), zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    make_all()
    print(f"wrote {len(TRUTH)} documents to {OUT}")
