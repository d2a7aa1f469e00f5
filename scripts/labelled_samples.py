"""Labelled sample documents for the quality report: every type, varied wording, layouts and formats.

Each builder returns a ``Sample``: the text of each page (lines), how to render it, the expected
doc_type and the exact expected fields. Wording varies on purpose (label synonyms, date and amount
styles, column layouts) so the numbers say something about documents we have not seen. Entities come
from small pools with valid USCC / ID check digits; everything is seeded and deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from stdnum.cn import uscc as stdnum_uscc

CN_DIGITS = "〇一二三四五六七八九"
DAXIE = "零壹贰叁肆伍陆柒捌玖"


@dataclass
class Sample:
    name: str
    doc_type: str
    pages: list[list[str]]
    fields: dict[str, str | None]
    render: str  # text_pdf | scan_png | scan_jpg | scan_pdf | scan_tiff_fax | docx | eml | txt | license_scan
    language: str = "zh"
    customer: str | None = None  # the customer the document belongs to (by name), None when none can be told
    extra: dict = field(default_factory=dict)

    @property
    def scanned(self) -> bool:
        return self.render.startswith(("scan", "license_scan"))


def make_uscc(rnd: random.Random, first: str = "9", kind: str = "1", region: str = "310000") -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = first + kind + region + "".join(rnd.choice(alphabet[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + stdnum_uscc.calc_check_digit(body)


def make_id(rnd: random.Random, born: date) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    body = (
        rnd.choice(["110105", "310104", "320102", "440305", "330106"])
        + born.strftime("%Y%m%d")
        + f"{rnd.randint(10, 999):03d}"
    )
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


COMPANIES = [
    "华东精密机械有限公司",
    "江南纺织品进出口有限公司",
    "北京恒信达科技股份有限公司",
    "深圳市前海智联物流有限公司",
    "杭州西溪生物医药有限公司",
    "成都天府新材料有限责任公司",
    "苏州工业园区博远电子有限公司",
    "广州南沙港航运输有限公司",
    "武汉光谷数据服务有限公司",
    "青岛海韵食品有限公司",
    "南京紫金建设工程有限公司",
    "天津滨海化工有限公司",
]
EN_COMPANIES = [
    "Pacific Rim Logistics Pte. Ltd.",
    "Northwind Trading Co., Ltd.",
    "Helvetia Instruments AG",
    "Blue Harbour Shipping Limited",
]
PEOPLE = ["王建国", "李明", "张伟", "刘芳", "陈静", "赵丽", "孙浩", "周敏", "吴强", "郑洁", "黄磊", "徐晨"]
OURS = "上海云帆档案科技有限公司"
CITIES = [
    "上海市浦东新区张江路88号",
    "北京市海淀区中关村大街27号",
    "深圳市南山区科技园南路16号",
    "杭州市西湖区文三路478号",
    "成都市高新区天府大道北段1700号",
    "苏州市工业园区星湖街328号",
]
ARBITRATION = ["上海仲裁委员会", "中国国际经济贸易仲裁委员会", "北京仲裁委员会", "深圳国际仲裁院"]


def cn_date(d: date) -> str:
    def small(n: int) -> str:
        if n < 10:
            return CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")

    return "".join(CN_DIGITS[int(c)] for c in str(d.year)) + "年" + small(d.month) + "月" + small(d.day) + "日"


def fmt_date(d: date, style: int) -> str:
    return [
        f"{d.year}年{d.month}月{d.day}日",
        cn_date(d),
        f"{d.year}.{d.month:02d}.{d.day:02d}",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}-{d.month:02d}-{d.day:02d}",
        f"{d.year}年{d.month:02d}月{d.day:02d}日",
    ][style % 6]


def en_date(d: date, style: int) -> str:
    month = d.strftime("%B")
    return f"{month} {d.day}, {d.year}" if style % 2 == 0 else f"{d.day} {month} {d.year}"


def daxie(amount: Decimal) -> str:
    """123000 → 壹拾贰万叁仟元整 (integer yuan, as contracts usually write them)."""
    n = int(amount)
    if n == 0:
        return "零元整"
    units = ["", "拾", "佰", "仟"]

    def four(x: int) -> str:
        out, zero = "", False
        for i in range(3, -1, -1):
            digit = (x // 10**i) % 10
            if digit:
                if zero and out:
                    out += "零"
                out += DAXIE[digit] + units[i]
                zero = False
            else:
                zero = True
        return out

    parts = []
    yi, rest = divmod(n, 10**8)
    wan, ones = divmod(rest, 10**4)
    if yi:
        parts.append(four(yi) + "亿")
    if wan:
        parts.append(("零" if yi and wan < 1000 else "") + four(wan) + "万")
    if ones:
        parts.append(("零" if (yi or wan) and ones < 1000 else "") + four(ones))
    return "".join(parts) + "元整"


def money_small(amount: Decimal) -> str:
    return f"{amount:,.2f}"


class Builder:
    def __init__(self, seed: int = 2024):
        self.rnd = random.Random(seed)
        self.uscc = {c: make_uscc(random.Random(i * 7 + 1)) for i, c in enumerate(COMPANIES)}
        self.uscc["华东精密机械有限公司"] = "91310000MA1FL4XQ27"  # as on the hand-written samples
        self.contract_nos: list[tuple[str, str]] = []  # (contract number, customer) for acceptance records
        self.samples: list[Sample] = []

    def pick(self, seq):
        return self.rnd.choice(seq)

    def day(self, start=date(2022, 1, 1), span=900) -> date:
        return start + timedelta(days=self.rnd.randrange(span))

    def amount(self, lo=20_000, hi=2_000_000) -> Decimal:
        return Decimal(self.rnd.randrange(lo // 100, hi // 100) * 100)

    def add(self, s: Sample) -> None:
        self.samples.append(s)

    # ------------------------------------------------------------------ contracts
    def contracts(self) -> None:
        variants = [
            ("设备采购合同", "甲方（买方）", "乙方（卖方）", "合同编号", "签订日期", "合同总金额为"),
            ("技术服务合同", "委托方（甲方）", "受托方（乙方）", "合同号", "签约日期", "本合同价款总额为"),
            ("房屋租赁合同", "出租方", "承租方", "编号", "签署日期", "年租金总额为"),
            ("软件开发协议", "甲方", "乙方", "协议编号", "签订时间", "协议总价款为"),
            ("产品购销合同", "需方", "供方", "合同编号", "签订日期", "合同总价为"),
            ("物流运输服务合同", "甲方", "乙方", "合同编号", "签约日期", "合同金额"),
            ("仓储服务合同", "甲方（存货方）", "乙方（保管方）", "合同编号", "签订日期", "合同总金额为"),
        ]
        renders = ["text_pdf", "text_pdf", "scan_pdf", "text_pdf", "docx", "scan_png", "text_pdf"]
        for i, (title, la, lb, no_label, date_label, amount_label) in enumerate(variants):
            customer = COMPANIES[i % len(COMPANIES)]
            a, b = (customer, OURS) if i % 3 else (OURS, customer)
            no = f"{self.pick(['HT', 'YF', 'CG', 'FW'])}-{2022 + i % 3}-{self.rnd.randint(100, 9999):04d}"
            signed = self.day()
            start = signed + timedelta(days=self.rnd.randint(0, 20))
            end = date(start.year + self.rnd.choice([1, 2, 3]), start.month, min(start.day, 28)) - timedelta(days=1)
            amt = self.amount()
            arb = self.pick(ARBITRATION)
            style = i
            amount_line = (
                f"第三条 {amount_label}人民币{daxie(amt)}（¥{money_small(amt)}）。"
                if i % 2 == 0
                else f"第三条 {amount_label}：人民币{money_small(amt)}元（大写：{daxie(amt)}）。"
            )
            term_line = (
                f"第四条 合同期限：自{fmt_date(start, style)}起至{fmt_date(end, style)}止。"
                if i % 2 == 0
                else f"第四条 本合同有效期为{fmt_date(start, style)}至{fmt_date(end, style)}。"
            )
            dispute = (
                f"第八条 争议解决：协商不成的，任何一方均可将争议提交{arb}仲裁。"
                if i % 4 != 3
                else "第八条 争议解决：协商不成的，任何一方均可向甲方所在地人民法院提起诉讼。"
            )
            page1 = [
                title,
                f"{no_label}：{no}",
                f"{la}：{a}",
                f"地址：{self.pick(CITIES)}",
                f"{lb}：{b}",
                f"地址：{self.pick(CITIES)}",
                "甲乙双方经友好协商，就下列事项达成一致，订立本合同。",
                "第一条 合同标的 详见附件清单。",
                "第二条 质量标准 符合国家标准及行业标准。",
                amount_line,
            ]
            page2 = [
                term_line,
                "第五条 不可抗力 因不可抗力不能履行合同的，根据不可抗力的影响部分或全部免除责任。",
                "第六条 违约责任 一方违约的，应赔偿对方因此遭受的全部损失。",
                "第七条 保密 双方对合同内容负有保密义务。",
                dispute,
                f"{la}（盖章）：{a}",
                f"{lb}（盖章）：{b}",
                f"{date_label}：{fmt_date(signed, style + 1)}",
            ]
            if renders[i].startswith("scan"):  # scanned pages carry shorter lines
                page1 = [ln[:30] for ln in page1[:6]] + [amount_line[:34]]
                page2 = [
                    term_line[:34],
                    dispute[:24],
                    dispute[24:48],
                    f"{la}（盖章）：{a}"[:30],
                    f"{date_label}：{fmt_date(signed, style + 1)}",
                ]
            fields = {
                "contract_no": no,
                "title": title,
                "party_a": a,
                "party_b": b,
                "signed_on": signed.isoformat(),
                "amount": f"{amt:.2f}",
                "currency": "CNY",
                "term_start": start.isoformat(),
                "term_end": end.isoformat(),
                "dispute_resolution": arb if i % 4 != 3 else "甲方所在地人民法院",
            }
            if renders[i].startswith("scan"):
                fields.pop("dispute_resolution")  # split over two short scan lines: not asserted
            self.contract_nos.append((no, customer))
            self.add(Sample(f"合同-{title}-{no}", "contract", [page1, page2], fields, renders[i], customer=customer))
        # English
        for j in range(2):
            buyer, seller = EN_COMPANIES[j], "Yunfan Archive Technology Co., Ltd."
            signed = self.day()
            start, end = signed + timedelta(days=10), signed + timedelta(days=10 + 365 * 2)
            amt = self.amount(50_000, 900_000)
            no = f"PA-{signed.year}-{self.rnd.randint(100, 999)}"
            heading = ["PURCHASE AGREEMENT", "SUPPLY CONTRACT"][j]
            page = [
                heading,
                f"Contract No.: {no}",
                f'This Agreement is made on {en_date(signed, j)} by and between {buyer} (the "Buyer") and '
                f'{seller} (the "Seller").',
                f"1. Price. The total contract price is USD {money_small(amt)}.",
                f"2. Term. This Agreement commences on {en_date(start, j)} and remains in force until "
                f"{en_date(end, j)}.",
                "3. Arbitration. Any dispute arising from this Agreement shall be submitted to the "
                "Shanghai International Arbitration Center for arbitration.",
                "Signed for the Buyer: ____________  Signed for the Seller: ____________",
            ]
            self.add(
                Sample(
                    f"contract-en-{no}",
                    "contract",
                    [page],
                    {
                        "contract_no": no,
                        "title": heading,
                        "party_a": buyer,
                        "party_b": seller,
                        "signed_on": signed.isoformat(),
                        "amount": f"{amt:.2f}",
                        "currency": "USD",
                        "term_start": start.isoformat(),
                        "term_end": end.isoformat(),
                        "dispute_resolution": "Shanghai International Arbitration Center",
                    },
                    "text_pdf",
                    "en",
                )
            )

    def amendments_and_terminations(self) -> None:
        for i in range(4):
            customer = COMPANIES[(i + 3) % len(COMPANIES)]
            no = f"HT-{2022 + i % 2}-{self.rnd.randint(1000, 9999)}"
            signed = self.day(date(2023, 1, 1))
            title = ["补充协议", "合同变更协议", "补充协议（一）", "变更协议"][i]
            label = ["原合同编号", "主合同编号", "原合同编号", "原合同号"][i]
            lines = [
                title,
                f"{label}：{no}",
                f"甲方：{customer}",
                f"乙方：{OURS}",
                "经双方协商一致，对原合同作如下变更：",
                "一、交货期限变更为收到预付款后六十日内。",
                "二、本协议为原合同不可分割的组成部分。",
                f"签订日期：{fmt_date(signed, i)}",
            ]
            render = ["text_pdf", "scan_png", "docx", "scan_pdf"][i]
            self.add(
                Sample(
                    f"变更-{title}-{no}",
                    "contract_amendment",
                    [lines],
                    {"contract_no": no, "party_a": customer, "party_b": OURS, "signed_on": signed.isoformat()},
                    render,
                )
            )
        for i in range(4):
            customer = COMPANIES[(i + 6) % len(COMPANIES)]
            no = f"HT-{2021 + i % 2}-{self.rnd.randint(1000, 9999)}"
            signed = self.day(date(2023, 6, 1))
            ended = signed + timedelta(days=self.rnd.randint(0, 30))
            title = ["解除协议", "合同终止协议", "解除合同协议书", "终止协议"][i]
            lines = [
                title,
                f"原合同编号：{no}",
                f"甲方：{customer}",
                f"乙方：{OURS}",
                f"经双方协商一致，原合同自{fmt_date(ended, i)}起解除。",
                "双方确认原合同项下款项已结清，互不追究责任。",
                f"签订日期：{fmt_date(signed, i + 2)}",
            ]
            render = ["text_pdf", "scan_jpg", "docx", "text_pdf"][i]
            self.add(
                Sample(
                    f"解除-{title}-{no}",
                    "contract_termination",
                    [lines],
                    {
                        "contract_no": no,
                        "party_a": customer,
                        "party_b": OURS,
                        "signed_on": signed.isoformat(),
                        "terminated_on": ended.isoformat(),
                    },
                    render,
                )
            )

    # ------------------------------------------------------------------ licences, authorisations, IDs
    def licenses(self) -> None:
        for i in range(5):
            name = COMPANIES[(i * 5) % len(COMPANIES)]
            code = self.uscc[name]
            est = self.day(date(2005, 1, 1), 5000)
            capital = Decimal(self.pick([100, 500, 1000, 3000, 5000])) * 10000
            entity = self.pick(["有限责任公司（自然人投资或控股）", "股份有限公司（非上市）", "有限责任公司"])
            person = PEOPLE[(i * 3) % len(PEOPLE)]
            long_term = i % 2 == 0
            term_to = None if long_term else date(est.year + 20, est.month, min(est.day, 28)) - timedelta(days=1)
            term = f"{fmt_date(est, 5)}至{'长期' if long_term else fmt_date(term_to, 5)}"
            addr = self.pick(CITIES)
            reg = self.day(date(2020, 1, 1), 1200)
            left = [f"名称 {name}", f"类型 {entity}", f"法定代表人 {person}", "经营范围 机械设备、电子产品的研发与销售"]
            right = [
                f"注册资本 人民币{capital // 10000}万元",
                f"成立日期 {fmt_date(est, 5)}",
                f"营业期限 {term}",
                f"住所 {addr}",
            ]
            fields = {
                "name": name,
                "uscc": code,
                "entity_type": entity,
                "legal_representative": person,
                "registered_capital": f"{capital:.2f}",
                "established_on": est.isoformat(),
                "business_term_to": term_to.isoformat() if term_to else None,
                "address": addr,
                "business_scope": "机械设备、电子产品的研发与销售",
                "registration_authority": "上海市市场监督管理局",
                "registered_on": reg.isoformat(),
            }
            footer = ["登记机关 上海市市场监督管理局", fmt_date(reg, 0)]
            if i < 3:  # the two-column landscape layout, with a seal over the registration date
                self.add(
                    Sample(
                        f"营业执照-{name}",
                        "business_license",
                        [["营业执照", f"统一社会信用代码 {code}"]],
                        fields,
                        "license_scan",
                        extra={"left": left, "right": right, "footer": footer},
                    )
                )
            else:
                lines = (
                    ["营业执照", f"统一社会信用代码：{code}"]
                    + [ln.replace(" ", "：", 1) for ln in left + right]
                    + [footer[0].replace(" ", "：", 1), footer[1]]
                )
                self.add(
                    Sample(
                        f"营业执照-{name}", "business_license", [lines], fields, "text_pdf" if i == 3 else "scan_png"
                    )
                )

    def authorizations(self) -> None:
        for i in range(5):
            principal = COMPANIES[(i * 2 + 1) % len(COMPANIES)]
            agent = PEOPLE[(i + 5) % len(PEOPLE)]
            idno = make_id(self.rnd, date(1975 + i * 3, 1 + i, 10 + i))
            start = self.day(date(2023, 1, 1))
            end = start + timedelta(days=self.rnd.choice([180, 364, 729]))
            issued = start - timedelta(days=self.rnd.randint(0, 5))
            title = ["授权委托书", "法人授权委托书", "介绍信", "授权书", "授权委托书"][i]
            pl, al = [
                ("委托人", "受托人"),
                ("委托单位", "被委托人"),
                ("委托单位", "代理人"),
                ("授权人", "被授权人"),
                ("委托人", "委托代理人"),
            ][i]
            scope = [
                "办理设备采购合同的签订事宜",
                "办理合同签订及结算事宜",
                "办理档案交接事宜",
                "代表公司参加商务谈判",
                "办理验收及付款手续",
            ][i]
            lines = [
                title,
                f"{pl}：{principal}",
                f"{al}：{agent}",
                f"身份证号码：{idno}",
                f"委托事项：{scope}",
                f"委托期限：自{fmt_date(start, i)}起至{fmt_date(end, i)}止",
                f"{pl}（盖章）：{principal}",
                fmt_date(issued, i + 1),
            ]
            render = ["scan_png", "text_pdf", "scan_jpg", "text_pdf", "scan_pdf"][i]
            self.add(
                Sample(
                    f"授权-{title}-{agent}",
                    "authorization",
                    [lines],
                    {
                        "principal": principal,
                        "agent": agent,
                        "agent_id_number": idno,
                        "scope": scope,
                        "valid_from": start.isoformat(),
                        "valid_to": end.isoformat(),
                        "issued_on": issued.isoformat(),
                    },
                    render,
                )
            )
        issued = self.day()
        valid_to = issued + timedelta(days=365)
        self.add(
            Sample(
                "power-of-attorney-northwind",
                "authorization",
                [
                    [
                        "POWER OF ATTORNEY",
                        "Principal: Northwind Trading Co., Ltd.",
                        "Agent: Chen Jing",
                        "ID No.: " + (idno := make_id(self.rnd, date(1988, 8, 8))),
                        "Scope of authority: to sign and perform the supply contract with "
                        "Yunfan Archive Technology Co., Ltd.",
                        f"Valid from {en_date(issued, 0)} to {en_date(valid_to, 0)}.",
                        f"Date of issue: {en_date(issued, 0)}",
                    ]
                ],
                {
                    "principal": "Northwind Trading Co., Ltd.",
                    "agent": "Chen Jing",
                    "agent_id_number": idno,
                    "scope": "to sign and perform the supply contract with Yunfan Archive Technology Co., Ltd.",
                    "valid_from": issued.isoformat(),
                    "valid_to": valid_to.isoformat(),
                    "issued_on": issued.isoformat(),
                },
                "text_pdf",
                "en",
            )
        )

    def identities(self) -> None:
        for i in range(3):
            person = PEOPLE[(i * 4 + 2) % len(PEOPLE)]
            idno = make_id(self.rnd, date(1970 + i * 7, 3 + i, 5 + i))
            company = COMPANIES[i]
            lines = [
                "法定代表人身份证明书",
                f"姓名：{person}",
                "性别：男" if i % 2 else "性别：女",
                f"身份证号码：{idno}",
                f"系{company}的法定代表人。",
                "特此证明。",
                company,
            ]
            if i == 2:
                lines = [
                    "居民身份证（复印件）",
                    f"姓名 {person}",
                    "民族 汉",
                    f"公民身份号码 {idno}",
                    "仅供合同签订使用",
                ]
            self.add(
                Sample(
                    f"身份证明-{person}",
                    "identity_document",
                    [lines],
                    {"name": person, "id_number": idno},
                    ["scan_png", "text_pdf", "scan_jpg"][i],
                )
            )

    # ------------------------------------------------------------------ the rest
    def guarantees(self) -> None:
        for i in range(4):
            guarantor = COMPANIES[(i + 8) % len(COMPANIES)]
            beneficiary = OURS  # a guarantee in our favour for the customer's obligations
            amt = self.amount(100_000, 5_000_000)
            valid_to = self.day(date(2024, 6, 1))
            title = ["履约担保函", "付款保函", "担保函", "不可撤销保证函"][i]
            lines = [
                title,
                f"致：{beneficiary}",
                f"保证人：{guarantor}",
                f"担保金额：人民币{daxie(amt)}（¥{money_small(amt)}）",
                "保证方式：连带责任保证。",
                f"本保函有效期至{fmt_date(valid_to, i)}。",
                f"保证人（盖章）：{guarantor}",
            ]
            self.add(
                Sample(
                    f"担保-{title}-{guarantor}",
                    "guarantee",
                    [lines],
                    {
                        "guarantor": guarantor,
                        "beneficiary": beneficiary,
                        "amount": f"{amt:.2f}",
                        "valid_to": valid_to.isoformat(),
                    },
                    ["text_pdf", "scan_png", "text_pdf", "scan_pdf"][i],
                )
            )

    def notarizations(self) -> None:
        for i in range(3):
            office = ["上海市东方公证处", "北京市长安公证处", "深圳市深圳公证处"][i]
            no = f"（{2023 + i % 2}）{['沪东', '京长安', '深证'][i]}证字第{self.rnd.randint(100, 9999)}号"
            on = self.day(date(2023, 1, 1))
            lines = [
                "公证书",
                no,
                f"申请人：{COMPANIES[i + 4]}",
                "公证事项：合同签字盖章属实",
                f"兹证明{COMPANIES[i + 4]}与{OURS}签订的合同上的签字、印章均属实。",
                office,
                "公证员：刘芳",
                fmt_date(on, 1),
            ]
            self.add(
                Sample(
                    f"公证书-{i + 1}",
                    "notarization",
                    [lines],
                    {
                        "notary_office": office,
                        "certificate_no": no.replace("（", "(").replace("）", ")"),
                        "notarized_on": on.isoformat(),
                    },
                    ["scan_png", "text_pdf", "scan_jpg"][i],
                )
            )

    def acceptances(self) -> None:
        for i in range(4):
            no = self.contract_nos[i * 2 % len(self.contract_nos)][0]  # the acceptance of an archived contract
            on = self.day(date(2024, 1, 1), 300)
            result = ["合格", "合格", "通过", "不合格，需整改"][i]
            title = ["设备验收记录", "项目验收报告", "验收单", "到货验收记录"][i]
            lines = [
                title,
                f"合同编号：{no}",
                f"验收日期：{fmt_date(on, i)}",
                f"使用单位：{COMPANIES[i + 2]}",
                "验收内容：设备数量、外观及运行状态",
                f"验收结论：{result}",
                "甲方代表：赵丽    乙方代表：李明",
            ]
            self.add(
                Sample(
                    f"验收-{title}-{no}",
                    "acceptance_record",
                    [lines],
                    {"contract_no": no, "accepted_on": on.isoformat(), "result": result},
                    ["docx", "scan_png", "text_pdf", "scan_tiff_fax"][i],
                )
            )

    def vouchers(self) -> None:
        for i in range(4):
            payer = COMPANIES[(i + 3) % len(COMPANIES)]
            amt = self.amount(5_000, 600_000)
            on = self.day(date(2023, 3, 1))
            if i == 1:
                no = f"{self.rnd.randint(10**15, 10**16 - 1)}"
                lines = [
                    "中国工商银行 电子回单",
                    f"回单编号：{no}",
                    f"付款人：{payer}",
                    f"收款人：{OURS}",
                    f"交易金额：¥{money_small(amt)}",
                    f"交易日期：{fmt_date(on, 4)}",
                    "用途：货款",
                ]
            else:
                no = f"FK-{on.year}-{self.rnd.randint(100, 9999):04d}"
                lines = [
                    ["付款凭证", "收款收据", "付款凭证", "记账凭证"][i],
                    f"凭证号：{no}",
                    f"付款单位：{payer}",
                    f"收款单位：{OURS}",
                    f"金额：人民币{daxie(amt)}（¥{money_small(amt)}）",
                    f"付款日期：{fmt_date(on, i)}",
                    "经办人：周敏",
                ]
            self.add(
                Sample(
                    f"凭证-{no}",
                    "payment_voucher",
                    [lines],
                    {
                        "voucher_no": no,
                        "payer": payer,
                        "payee": OURS,
                        "amount": f"{amt:.2f}",
                        "paid_on": on.isoformat(),
                    },
                    ["text_pdf", "scan_png", "scan_jpg", "text_pdf"][i],
                )
            )
        on = self.day()
        amt = self.amount(1_000, 90_000)
        self.add(
            Sample(
                "receipt-blue-harbour",
                "payment_voucher",
                [
                    [
                        "OFFICIAL RECEIPT",
                        "Receipt No.: R-88213",
                        "Payer: Blue Harbour Shipping Limited",
                        "Payee: Yunfan Archive Technology Co., Ltd.",
                        f"Amount: USD {money_small(amt)}",
                        f"Payment date: {en_date(on, 1)}",
                        "Thank you for your business.",
                    ]
                ],
                {
                    "voucher_no": "R-88213",
                    "payer": "Blue Harbour Shipping Limited",
                    "payee": "Yunfan Archive Technology Co., Ltd.",
                    "amount": f"{amt:.2f}",
                    "paid_on": on.isoformat(),
                },
                "text_pdf",
                "en",
            )
        )

    def correspondence(self) -> None:
        for i in range(3):
            recipient = COMPANIES[(i + 5) % len(COMPANIES)]
            left, right = ["〔", "[", "【"][i], ["〕", "]", "】"][i]
            ref = f"{['云帆函', '云帆发', '云帆函'][i]}{left}2024{right}{self.rnd.randint(1, 99)}号"
            on = self.day(date(2024, 1, 1), 300)
            subject = ["关于调整交货计划的函", "关于合同续签事宜的函", "关于催收应付账款的函"][i]
            lines = [
                subject,
                ref,
                f"{recipient}：",
                "贵司与我司签订的合同履行至今，现就有关事项函告如下。",
                "请贵司于收到本函后十日内书面回复。",
                "特此函告。",
                OURS,
                fmt_date(on, i),
            ]
            canon = ref.replace("[", "〔").replace("]", "〕").replace("【", "〔").replace("】", "〕")
            self.add(
                Sample(
                    f"函件-{subject}",
                    "correspondence",
                    [lines],
                    {
                        "reference_no": canon,
                        "sender": OURS,
                        "recipient": recipient,
                        "sent_on": on.isoformat(),
                        "subject": subject,
                    },
                    ["text_pdf", "scan_png", "scan_pdf"][i],
                )
            )
        on = self.day()
        self.add(
            Sample(
                "传真-华东精密",
                "correspondence",
                [
                    [
                        "传 真",
                        "致：华东精密机械有限公司 采购部",
                        "发件人：上海云帆档案科技有限公司",
                        "传真号：021-64001234",
                        "页数：1",
                        f"日期：{fmt_date(on, 3)}",
                        "事由：交货通知",
                        "我司定于下周一发货，请安排收货。",
                    ]
                ],
                {
                    "sender": OURS,
                    "recipient": "华东精密机械有限公司 采购部",
                    "sent_on": on.isoformat(),
                    "subject": "交货通知",
                },
                "scan_tiff_fax",
            )
        )
        on = self.day()
        self.add(
            Sample(
                "电话记录-天津滨海",
                "correspondence",
                [
                    [
                        "电话记录",
                        f"来电单位：{COMPANIES[11]}",
                        "来电人：吴强",
                        "接听人：李明",
                        f"日期：{fmt_date(on, 0)}",
                        "主题：询问合同付款进度",
                        "记录：对方询问第二期款项的支付时间，已答复本月底前支付。",
                    ]
                ],
                {"sender": COMPANIES[11], "sent_on": on.isoformat(), "subject": "询问合同付款进度"},
                "txt",
            )
        )
        on = self.day()
        self.add(
            Sample(
                "letter-helvetia",
                "correspondence",
                [
                    [
                        "LETTER",
                        "Ref: HI/2024/117",
                        "To: Yunfan Archive Technology Co., Ltd.",
                        "From: Helvetia Instruments AG",
                        f"Date: {en_date(on, 0)}",
                        "Subject: Delivery schedule for Q3",
                        "Dear Mr. Li,",
                        "We confirm the revised delivery schedule discussed last week.",
                        "Sincerely,",
                        "Helvetia Instruments AG",
                    ]
                ],
                {
                    "sender": "Helvetia Instruments AG",
                    "recipient": "Yunfan Archive Technology Co., Ltd.",
                    "sent_on": on.isoformat(),
                    "subject": "Delivery schedule for Q3",
                },
                "text_pdf",
                "en",
            )
        )
        on = datetime_of(self.day())
        self.add(
            Sample(
                "邮件-对账确认",
                "correspondence",
                [["各位好：", "附件为三月份对账单，请核对后回复确认。", "周敏", COMPANIES[9]]],
                {
                    "sender": "周敏",
                    "recipient": "李明",
                    "sent_on": on.date().isoformat(),
                    "subject": "三月份对账单确认",
                },
                "eml",
                extra={
                    "from": "周敏 <zhoumin@example.cn>",
                    "to": "李明 <liming@yunfan.example.cn>",
                    "subject": "三月份对账单确认",
                    "date": on,
                },
            )
        )

    def negotiations(self) -> None:
        for i in range(4):
            on = self.day(date(2023, 6, 1))
            other = COMPANIES[(i + 7) % len(COMPANIES)]
            title = ["会议纪要", "谈判记录", "商务洽谈记录", "会议纪要"][i]
            tlabel, plabel, slabel = [
                ("会议时间", "参会单位", "会议议题"),
                ("谈判时间", "谈判双方", "谈判事项"),
                ("时间", "参加人员", "主题"),
                ("会议日期", "与会人员", "议题"),
            ][i]
            participants = f"{other}、{OURS}" if i != 2 else "王建国、李明、张伟"
            subject = ["年度框架合同续签", "设备价格调整", "售后服务条款", "付款节点安排"][i]
            lines = [
                title,
                f"{tlabel}：{fmt_date(on, i)}",
                f"{plabel}：{participants}",
                f"{slabel}：{subject}",
                "一、双方就上述事项充分交换了意见。",
                "二、双方同意在两周内形成书面方案。",
                "记录人：郑洁",
            ]
            self.add(
                Sample(
                    f"纪要-{title}-{subject}",
                    "negotiation_record",
                    [lines],
                    {"held_on": on.isoformat(), "participants": participants, "subject": subject},
                    ["docx", "text_pdf", "scan_png", "text_pdf"][i],
                )
            )

    def feasibility(self) -> None:
        for i in range(3):
            on = self.day(date(2022, 1, 1))
            title = ["智能仓储项目可行性研究报告", "档案数字化改造项目可行性报告", "新建生产线可行性研究报告"][i]
            p1 = [
                title,
                f"编制单位：{COMPANIES[i + 1]}",
                f"编制日期：{fmt_date(on, i)}",
                "第一章 项目概况",
                "本项目拟建设自动化立体仓库一座，提升仓储效率。",
            ]
            p2 = [
                "第二章 投资估算",
                "项目总投资估算为人民币三千万元。",
                "第三章 经济效益分析",
                "第四章 风险分析",
                "第五章 结论与建议 项目可行。",
            ]
            self.add(
                Sample(
                    f"可研-{title}",
                    "feasibility_report",
                    [p1, p2],
                    {"title": title, "prepared_on": on.isoformat()},
                    ["text_pdf", "docx", "scan_pdf"][i],
                )
            )

    def others(self) -> None:
        self.add(
            Sample(
                "产品价目表",
                "other",
                [
                    [
                        "2024年度产品价目表",
                        "型号 YF-100 智能密集架 单价 12,000元",
                        "型号 YF-200 档案扫描仪 单价 8,500元",
                        "以上价格含税，有效期至年底。",
                    ]
                ],
                {},
                "text_pdf",
            )
        )
        self.add(
            Sample(
                "公司简介",
                "other",
                [
                    [
                        "上海云帆档案科技有限公司简介",
                        "公司成立于2012年，专注于档案管理软件与智能装备。",
                        "主要产品包括档案管理系统、智能密集架等。",
                    ]
                ],
                {},
                "docx",
            )
        )
        self.add(
            Sample(
                "培训签到表",
                "other",
                [["档案管理培训签到表", "序号 姓名 部门 签名", "1 王建国 采购部", "2 李明 销售部", "3 张伟 行政部"]],
                {},
                "scan_png",
            )
        )

    def build(self) -> list[Sample]:
        self.contracts()
        self.amendments_and_terminations()
        self.licenses()
        self.authorizations()
        self.identities()
        self.guarantees()
        self.notarizations()
        self.acceptances()
        self.vouchers()
        self.correspondence()
        self.negotiations()
        self.feasibility()
        self.others()
        contracts = dict(self.contract_nos)
        for sample in self.samples:
            sample.customer = expected_customer(sample, contracts)
        return self.samples


def datetime_of(d: date):
    from datetime import datetime, timezone

    return datetime(d.year, d.month, d.day, 10, 30, tzinfo=timezone(timedelta(hours=8)))


OUR_NAMES = {OURS, "Yunfan Archive Technology Co., Ltd."}
PARTY_FIELDS = {
    "contract": ("party_a", "party_b"),
    "contract_amendment": ("party_a", "party_b"),
    "contract_termination": ("party_a", "party_b"),
    "business_license": ("name",),
    "authorization": ("principal",),
    "guarantee": ("guarantor", "beneficiary"),
    "payment_voucher": ("payer", "payee"),
    "correspondence": ("sender", "recipient"),
    "negotiation_record": ("participants",),
}


def expected_customer(sample: Sample, contracts: dict[str, str]) -> str | None:
    """The company a records clerk files the document under: the party that is not us; none for people only."""
    import re

    if sample.doc_type == "acceptance_record":
        return contracts.get(sample.fields.get("contract_no") or "")
    for f in PARTY_FIELDS.get(sample.doc_type, ()):
        for name in re.split(r"、", sample.fields.get(f) or ""):
            name = re.sub(r"\s*(采购部|财务部)$", "", name.strip())
            if name and name not in OUR_NAMES and re.search(r"公司|Ltd|AG$|Limited|Inc", name):
                return name
    return None
