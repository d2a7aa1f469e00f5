"""Document type and field extraction on real-looking text variants: the traps named in the issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.textnorm import normalise
from archiver.understand import load, understand

RULES = load(Path("/nonexistent"), Path(__file__).resolve().parent.parent / "config")


def read(text: str, mime: str = "application/pdf", meta: dict | None = None):
    pages = [normalise(p) for p in text.split("\f")]
    return understand(pages, mime, meta, RULES)


CONTRACT = """采购合同
合同编号：CG-2024-0088
甲方（买方）：北京恒信达科技股份有限公司
乙方（卖方）：上海云帆档案科技有限公司
一、合同金额为人民币伍拾万元整（¥500,000.00）。
二、付款方式：验收合格后凭付款凭证支付。
三、合同期限自2024年5月1日起至2025年4月30日止。
四、争议提交中国国际经济贸易仲裁委员会仲裁。
签订日期：二〇二四年四月二十八日"""


@pytest.mark.parametrize(
    "text,expected",
    [
        (CONTRACT, "contract"),
        (
            "补充协议\n原合同编号：CG-2024-0088\n甲方：北京恒信达科技股份有限公司\n乙方：上海云帆档案科技有限公司\n"
            "经协商，原合同第三条变更为如下内容。",
            "contract_amendment",
        ),
        (
            "合同解除协议\n原合同编号：CG-2024-0088\n甲方：A公司\n乙方：B公司\n双方同意自2024年9月1日起解除原合同。",
            "contract_termination",
        ),
        (
            "委托合同\n委托方：A公司\n受托方：B公司\n甲方委托乙方办理报关事宜，违约责任如下。",
            "contract",
        ),  # 委托 ≠ 授权委托书
        ("授权委托书\n委托人：A公司\n受托人：张伟\n现委托受托人办理合同签订事宜。", "authorization"),
        (
            "关于营业执照变更的函\n云帆函〔2024〕3号\n华东精密机械有限公司：\n我司统一社会信用代码为91310000MA1FL4XQ27，"
            "法定代表人已变更。\n特此函告。",
            "correspondence",
        ),  # quotes a USCC but is a letter
        (
            "营业执照\n统一社会信用代码 91310000MA1FL4XQ27\n名称 华东精密机械有限公司\n法定代表人 王建国",
            "business_license",
        ),
        ("付款凭证\n凭证号：FK-2024-01\n付款单位：A公司\n收款单位：B公司\n金额：¥1,000.00", "payment_voucher"),
        ("关 于 合 同 续 签 事 宜 的 函\n贵司与我司签订的合同即将到期。\n特此函告。", "correspondence"),  # OCR spacing
        (
            'SERVICE AGREEMENT\nThis Agreement is made by and between A Ltd. (the "Client") '
            'and B Ltd. (the "Provider").',
            "contract",
        ),
        ("会议纪要\n会议时间：2024年6月3日\n参会单位：A公司、B公司\n会议议题：合同付款安排", "negotiation_record"),
        ("2024年度产品价目表\n型号 YF-100 单价 12,000元", "other"),
        (
            "关于延期交货的了\n云帆函〔2024]】12号\n致:华东精密机械有限公司\n特此函告。",
            "correspondence",
        ),  # title misread
        ("关于智能仓储项目的可行性研究报告\n第一章 项目概况\n投资估算与经济效益分析。", "feasibility_report"),
        ("解除合同协议书\n原合同编号：HT-1\n甲方：A公司\n乙方：B公司\n双方同意解除原合同。", "contract_termination"),
    ],
)
def test_document_types(text, expected):
    assert read(text).classification.doc_type == expected


def test_email_about_a_contract_is_correspondence():
    meta = {
        "from": "赵丽 <zl@example.cn>",
        "to": "李明 <lm@example.cn>",
        "subject": "关于HT-2024-0312合同的确认",
        "date": "Sat, 16 Mar 2024 09:30:00 +0800",
        "date_iso": "2024-03-16T09:30:00+08:00",
    }
    u = read(
        "From: 赵丽\nSubject: 关于HT-2024-0312合同的确认\n\n合同已盖章，请查收。本合同金额不变。",
        "message/rfc822",
        meta,
    )
    assert u.classification.doc_type == "correspondence"
    assert u.fields["sender"].value == "赵丽" and u.fields["sent_on"].value == "2024-03-16"


def test_uncertain_type_goes_to_review_with_candidates():
    u = read("附件\n甲方 乙方")
    assert u.classification.doc_type in (None, "other")
    weak = read("资料\n请核对本协议中甲方、乙方的付款人与收款人，以及凭证号。")
    assert weak.classification.doc_type is None and len(weak.classification.candidates) >= 2


def test_contract_fields_with_provenance():
    u = read(CONTRACT + "\f第二页")
    f = {k: v.value for k, v in u.fields.items()}
    assert f["contract_no"] == "CG-2024-0088" and f["party_a"] == "北京恒信达科技股份有限公司"
    assert f["party_b"] == "上海云帆档案科技有限公司" and f["amount"] == "500000.00" and f["currency"] == "CNY"
    assert (f["term_start"], f["term_end"]) == ("2024-05-01", "2025-04-30")
    assert f["signed_on"] == "2024-04-28" and f["dispute_resolution"] == "中国国际经济贸易仲裁委员会"
    src = u.fields["amount"]
    assert src.page == 1 and "伍拾万元整" in src.evidence and src.confidence >= 0.9


@pytest.mark.parametrize(
    "label_a,label_b",
    [
        ("甲方", "乙方"),
        ("买方", "卖方"),
        ("出租方", "承租方"),
        ("发包人", "承包人"),
        ("委托方", "受托方"),
        ("Party A", "Party B"),
        ("Buyer", "Seller"),
    ],
)
def test_party_label_synonyms(label_a, label_b):
    u = read(f"合同\n{label_a}：东方红贸易有限公司\n{label_b}：西山电子有限公司\n本合同自双方签字之日起生效。")
    assert u.fields["party_a"].value == "东方红贸易有限公司" and u.fields["party_b"].value == "西山电子有限公司"


def test_ocr_spacing_full_width_and_split_lines():
    u = read(
        "合 同\n合 同 编 号 ： HT-2024-0312\n甲 方 ：\n华 东 精 密 机 械 有 限 公 司\n"
        "乙 方 （ 盖 章 ） ： 上 海 云 帆 档 案 科 技 有 限 公 司"
    )
    f = {k: v.value for k, v in u.fields.items()}
    assert f["contract_no"] == "HT-2024-0312"
    assert f["party_a"] == "华东精密机械有限公司"  # value on the next line
    assert f["party_b"] == "上海云帆档案科技有限公司"


def test_two_column_licence_read_interleaved():
    text = (
        "营业执照\n统一社会信用代码 9131OOOOMA1FL4XQ27\n名称 华东精密机械有限公司 注册资本 人民币500万元\n"
        "类型 有限责任公司 成立日期 2015年06月18日\n法定代表人 王建国 营业期限 2015年06月18日至长期\n"
        "经营范围 机械设备的研发 住所 上海市浦东新区张江路88号"
    )
    u = read(text)
    f = {k: v.value for k, v in u.fields.items()}
    assert u.classification.doc_type == "business_license"
    assert f["name"] == "华东精密机械有限公司" and f["registered_capital"] == "5000000.00"
    assert f["uscc"] == "91310000MA1FL4XQ27" and u.fields["uscc"].note == "OCR repair"
    assert f["entity_type"] == "有限责任公司" and f["established_on"] == "2015-06-18"
    assert f["legal_representative"] == "王建国" and "business_term_to" in f and f["business_term_to"] is None
    assert f["address"] == "上海市浦东新区张江路88号"


def test_licence_run_together_by_ocr():
    u = read("营业执照\n名称华东精密机械有限公司注册资本人民币100万元\n类型有限责任公司成立日期2006年06月21日")
    f = {k: v.value for k, v in u.fields.items()}
    assert f["name"] == "华东精密机械有限公司" and f["registered_capital"] == "1000000.00"
    assert f["established_on"] == "2006-06-21"


def test_invalid_codes_are_never_stored():
    u = read("营业执照\n统一社会信用代码 91310000MA1FL4XQ28\n名称 某某有限公司")
    assert "uscc" not in u.fields
    a = read("授权委托书\n委托人：A公司\n受托人：张伟\n身份证号码：110105194912310021")
    assert "agent_id_number" not in a.fields


def test_id_number_is_masked_in_the_evidence():
    a = read("授权委托书\n委托人：A公司\n受托人：张伟\n身份证号码：11010519491231002X")
    assert a.fields["agent_id_number"].value == "11010519491231002X"
    assert "11010519491231002X" not in a.fields["agent_id_number"].evidence


def test_amount_mismatch_between_daxie_and_xiaoxie_is_flagged():
    u = read("合同\n甲方：A公司\n乙方：B公司\n合同总金额：人民币壹拾贰万元整（¥123,000.00）")
    assert u.fields["amount"].value == "120000.00" and u.fields["amount"].note and u.fields["amount"].confidence < 0.9


def test_english_contract_fields():
    u = read(
        "PURCHASE AGREEMENT\nContract No.: PA-2024-77\nThis Agreement is made on 5 March 2024 by and between "
        'Northwind Trading Co., Ltd. (the "Buyer") and Helvetia Instruments AG (the "Seller").\n'
        "The total contract price is EUR 12,500.00.\nThis Agreement commences on March 10, 2024 and remains in "
        "force until March 9, 2025.\nAny dispute shall be submitted to the Shanghai International Arbitration "
        "Center."
    )
    f = {k: v.value for k, v in u.fields.items()}
    assert f["party_a"] == "Northwind Trading Co., Ltd." and f["party_b"] == "Helvetia Instruments AG"
    assert f["signed_on"] == "2024-03-05" and (f["amount"], f["currency"]) == ("12500.00", "EUR")
    assert (f["term_start"], f["term_end"]) == ("2024-03-10", "2025-03-09")
    assert f["dispute_resolution"] == "Shanghai International Arbitration Center"


def test_court_jurisdiction():
    u = read(CONTRACT.replace("争议提交中国国际经济贸易仲裁委员会仲裁", "争议由甲方所在地人民法院管辖"))
    assert u.fields["dispute_resolution"].value == "甲方所在地人民法院"
