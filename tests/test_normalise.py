"""Normalisers and validators: table-driven over real-looking variants, plus property-based round trips."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from archiver.understand.normalise import (
    USCC_ALPHABET,
    find_dates,
    is_valid_id_number,
    is_valid_uscc,
    mask_id_number,
    normalise_id_number,
    normalise_reference,
    normalise_uscc,
    parse_date,
    parse_daxie,
    parse_money,
    parse_xiaoxie,
)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024年3月5日", date(2024, 3, 5)),
        ("二〇二四年三月五日", date(2024, 3, 5)),
        ("二零二四年十二月三十一日", date(2024, 12, 31)),
        ("二○二三年十月二十日", date(2023, 10, 20)),
        ("2024.03.05", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024-3-5", date(2024, 3, 5)),
        ("2015年06月18日", date(2015, 6, 18)),
        ("March 5, 2024", date(2024, 3, 5)),
        ("5 March 2024", date(2024, 3, 5)),
        ("Sept. 9, 2023", date(2023, 9, 9)),
        ("签订日期：2024 年 3 月 5 日", date(2024, 3, 5)),
        ("2024年2月30日", None),
        ("2023年2月29日", None),
        ("电话 021-64001234", None),
        ("共 3 页", None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


def test_date_range_keeps_both_ends_in_order():
    found = find_dates("自2024年1月1日起至2026年12月31日止")
    assert [f.value for f in found] == [date(2024, 1, 1), date(2026, 12, 31)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("人民币壹拾贰万叁仟元整", "123000.00"),
        ("壹佰万元零伍分", "1000000.05"),
        ("贰仟元捌角整", "2000.80"),
        ("拾万元整", "100000.00"),
        ("人民币伍佰万元整", "5000000.00"),
        ("壹亿贰仟万元整", "120000000.00"),
        ("叁万陆仟玖佰元整", "36900.00"),
        ("贰拾万零叁佰元整", "200300.00"),
        ("貳萬參仟元正", "23000.00"),
        ("壹仟零伍元整", "1005.00"),
        ("玖角伍分", "0.95"),
    ],
)
def test_daxie(text, expected):
    assert parse_daxie(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text,amount,currency",
    [
        ("¥123,000.00", "123000.00", "CNY"),
        ("RMB 123,000", "123000.00", "CNY"),
        ("12.3万元", "123000.00", "CNY"),
        ("500万元人民币", "5000000.00", "CNY"),
        ("人民币500万元", "5000000.00", "CNY"),
        ("USD 48,500.00", "48500.00", "USD"),
        ("US$ 1,200", "1200.00", "USD"),
        ("Y90,000.00", "90000.00", "CNY"),
        ("HKD 3,000.50", "3000.50", "HKD"),
    ],
)
def test_xiaoxie(text, amount, currency):
    m = parse_xiaoxie(text)
    assert m is not None and m.amount == Decimal(amount) and m.currency == currency


@pytest.mark.parametrize("text", ["共 3 页", "第12条", "电话 021-64001234", "2024"])
def test_numbers_that_are_not_money(text):
    assert parse_xiaoxie(text) is None


def test_daxie_wins_and_a_garbled_daxie_is_never_read_in_part():
    assert parse_money("人民币壹拾贰万叁仟元整（¥123,000.00）").amount == Decimal("123000.00")
    # OCR garbled the 大写; only its tail "肆佰元整" would parse: the 小写 is used instead
    assert parse_money("人民币会佰贰拾玖万拥任肆佰元整(¥3,298,400.00)").amount == Decimal("3298400.00")
    assert parse_money("人民币会佰贰拾玖万拥任肆佰元整") is None


@pytest.mark.parametrize("code", ["91310000MA1FL4XQ27", "91110108551385082Q", "91350100M000100Y43"])
def test_valid_uscc(code):
    assert is_valid_uscc(code)


def test_letter_first_uscc_is_valid_although_python_stdnum_rejects_it():
    body = "Y1310000MA1FL4XQ2"
    code = body + stdnum_uscc.calc_check_digit(body)
    assert not stdnum_uscc.is_valid(code)  # the library's known limitation
    assert is_valid_uscc(code)
    nbody = "N2110000MA1FL4XQ2"
    assert is_valid_uscc(nbody + stdnum_uscc.calc_check_digit(nbody))


@pytest.mark.parametrize(
    "raw,expected,how",
    [
        ("91310000MA1FL4XQ27", "91310000MA1FL4XQ27", "valid"),
        ("9131OOOOMA1FL4XQ27", "91310000MA1FL4XQ27", "repaired"),  # O read for 0
        ("91310000MA1FL4XQ2Z", None, "invalid"),  # Z→2 gives ...22, which does not validate
        ("91310000MA1FL4XQ28", None, "invalid"),
        ("9131 0000 MA1F L4XQ 27", "91310000MA1FL4XQ27", "valid"),
    ],
)
def test_uscc_repair_only_when_exactly_one_candidate_validates(raw, expected, how):
    assert normalise_uscc(raw) == (expected, how)


@pytest.mark.parametrize(
    "number,valid",
    [
        ("11010519491231002X", True),
        ("110229198001010012", True),  # county code newer than the birth year: valid, stdnum's cn.ric says no
        ("11010519491231002Y", False),
        ("110105194912310021", False),
        ("110105194902300028", False),
    ],
)
def test_id_numbers(number, valid):
    assert is_valid_id_number(number) is valid


def test_id_repair_and_mask():
    assert normalise_id_number("11010519491231OO2X") == ("11010519491231002X", "repaired")
    assert mask_id_number("11010519491231002X") == "110105********002X"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("云帆函〔2024〕12号", "云帆函〔2024〕12号"),
        ("云帆函[2024]12号", "云帆函〔2024〕12号"),
        ("国办发（2024）12号", "国办发〔2024〕12号"),
        ("沪函【2023】第5号", "沪函〔2023〕第5号"),
        ("没有文号", None),
    ],
)
def test_reference_numbers(text, expected):
    assert normalise_reference(text) == expected


# ---------------------------------------------------------------------------- properties
def _uscc_strategy():
    alphabet = USCC_ALPHABET
    body = st.tuples(
        st.sampled_from("9Y15N"),
        st.sampled_from("123"),
        st.text("0123456789", min_size=6, max_size=6),
        st.text(alphabet, min_size=9, max_size=9),
    )
    return body.map(lambda t: "".join(t)).map(lambda b: b + stdnum_uscc.calc_check_digit(b))


@settings(max_examples=200, deadline=None)
@given(_uscc_strategy())
def test_every_generated_uscc_validates_and_any_single_change_does_not(code):
    assert is_valid_uscc(code)
    for i in (0, 9, 17):
        changed = code[:i] + ("1" if code[i] != "1" else "2") + code[i + 1 :]
        assert not is_valid_uscc(changed)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 5))
def test_date_round_trip(d, style):
    digits = "〇一二三四五六七八九"

    def small(n):
        tens, ones = divmod(n, 10)
        return digits[n] if n < 10 else ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")

    text = [
        f"{d.year}年{d.month}月{d.day}日",
        "".join(digits[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日",
        f"{d.year}.{d.month:02d}.{d.day:02d}",
        f"{d.year}/{d.month}/{d.day}",
        d.strftime("%B %-d, %Y"),
        d.strftime("%-d %B %Y"),
    ][style]
    assert parse_date(text) == d


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_daxie_round_trip(n):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from labelled_samples import daxie  # an independent writer of 大写 amounts

    assert parse_daxie(daxie(Decimal(n))) == Decimal(n)
