"""Retention dates for every trigger and fallback, computed by `records_mgmt.retention.compute`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archiver.records_mgmt.retention import Context, DocFacts, compute, load_policies

POLICIES = load_policies(Path(__file__).resolve().parent.parent / "config" / "retention.toml")
TODAY = date(2026, 11, 27)


def doc(doc_type, customer="C1", ingested="2024-01-10T09:00:00+08:00", text="", **fields):
    return DocFacts(
        f"{doc_type}-{len(fields)}-{hash(tuple(fields.items())) % 1000}", doc_type, fields, ingested, customer, text
    )


def ctx(*contracts, closed=None, terminations=()):
    return Context(TODAY, {"C1": closed}, list(contracts), list(terminations))


CONTRACT = doc("contract", contract_no="HT-1", signed_on="2024-03-05", term_start="2024-03-05", term_end="2025-03-04")


@pytest.mark.parametrize(
    "fields,trigger,starts,until",
    [
        (
            {"contract_no": "HT-1", "signed_on": "2024-03-05", "term_end": "2025-03-04"},
            "term_end",
            "2025-03-04",
            "2055-03-04",
        ),
        ({"contract_no": "HT-2", "signed_on": "2024-03-05"}, "signed_on (no term_end)", "2024-03-05", "2054-03-05"),
        ({"contract_no": "HT-3"}, "ingest (no term_end or signed_on)", "2024-01-10", "2054-01-10"),
    ],
)
def test_contract_from_its_end_with_fallbacks_that_say_so(fields, trigger, starts, until):
    r = compute(doc("contract", **fields), POLICIES, ctx())
    assert (r.trigger, r.starts_on.isoformat(), r.dispose_after.isoformat()) == (trigger, starts, until)
    assert r.policy == "contract" and not r.permanent


def test_termination_earlier_than_term_end_shortens_the_contract():
    t = doc("contract_termination", contract_no="HT-1", terminated_on="2024-09-30", signed_on="2024-09-30")
    r = compute(CONTRACT, POLICIES, ctx(CONTRACT, terminations=[t]))
    assert r.starts_on == date(2024, 9, 30) and r.dispose_after == date(2054, 9, 30) and "terminated_on" in r.trigger


def test_amendment_and_termination_inherit_their_contract():
    for t in ("contract_amendment", "contract_termination"):
        r = compute(doc(t, contract_no="HT-1", signed_on="2024-04-20"), POLICIES, ctx(CONTRACT))
        assert r.dispose_after == date(2055, 3, 4) and "contract HT-1" in r.trigger


def test_amendment_without_its_contract_counts_from_its_own_date():
    r = compute(doc("contract_amendment", contract_no="HT-404", signed_on="2024-04-20"), POLICIES, ctx(CONTRACT))
    assert r.dispose_after == date(2054, 4, 20) and "no related contract" in r.trigger


def test_guarantee_is_kept_at_least_as_long_as_the_customers_contracts():
    r = compute(doc("guarantee", valid_to="2024-12-31"), POLICIES, ctx(CONTRACT))
    assert r.starts_on == date(2024, 12, 31) and r.dispose_after == date(2055, 3, 4)
    alone = compute(doc("guarantee", customer="C2", valid_to="2024-12-31"), POLICIES, ctx(CONTRACT))
    assert alone.dispose_after == date(2054, 12, 31)


def test_authorization_follows_contracts_signed_under_it_else_ten_years_from_valid_to():
    auth = doc("authorization", valid_from="2024-03-01", valid_to="2024-12-31")
    r = compute(auth, POLICIES, ctx(CONTRACT))
    assert r.trigger == "end of contracts signed under it" and r.dispose_after == date(2055, 3, 4)
    late = doc("authorization", valid_from="2025-01-01", valid_to="2025-06-30")
    r = compute(late, POLICIES, ctx(CONTRACT))
    assert r.dispose_after == date(2035, 6, 30) and "no contract signed under it" in r.trigger


def test_licence_and_id_count_from_the_end_of_the_relationship():
    licence = doc("business_license", name="X公司")
    open_ = compute(licence, POLICIES, ctx())
    assert open_.dispose_after is None and not open_.is_due(TODAY) and "unknown" in open_.reason
    closed = compute(licence, POLICIES, ctx(closed="2020-01-31"))
    assert closed.dispose_after == date(2030, 1, 31)
    ident = compute(doc("identity_document", name="张伟"), POLICIES, ctx(closed="2020-01-31"))
    assert ident.dispose_after == date(2023, 1, 31) and ident.is_due(TODAY)  # PIPL: no longer than needed
    relied = compute(doc("identity_document", name="张伟"), POLICIES, ctx(CONTRACT, closed="2020-01-31"))
    assert relied.dispose_after == date(2055, 3, 4)  # a contract relies on it


def test_payment_voucher_counts_from_the_day_after_the_fiscal_year():
    r = compute(doc("payment_voucher", paid_on="2024-05-30"), POLICIES, ctx())
    assert r.starts_on == date(2025, 1, 1) and r.dispose_after == date(2055, 1, 1)


def test_acceptance_follows_its_contract_else_ten_years():
    assert compute(
        doc("acceptance_record", contract_no="HT-1", accepted_on="2024-05-28"), POLICIES, ctx(CONTRACT)
    ).dispose_after == date(2055, 3, 4)
    assert compute(doc("notarization", notarized_on="2023-06-15"), POLICIES, ctx()).dispose_after == date(2033, 6, 15)


def test_letter_about_a_contract_is_kept_as_long_as_the_contract():
    plain = compute(doc("correspondence", sent_on="2024-04-15"), POLICIES, ctx(CONTRACT))
    assert plain.dispose_after == date(2034, 4, 15)
    about = compute(doc("correspondence", sent_on="2024-04-15", text="关于HT-1合同的函"), POLICIES, ctx(CONTRACT))
    assert about.dispose_after == date(2055, 3, 4) and "HT-1" in about.reason


def test_unknown_trigger_is_never_due():
    for t in ("correspondence", "guarantee", "payment_voucher", "feasibility_report", None):
        r = compute(doc(t), POLICIES, ctx())
        assert r.dispose_after is None and not r.is_due(date(2999, 1, 1))


def test_leap_day():
    r = compute(doc("correspondence", sent_on="2024-02-29"), POLICIES, ctx())
    assert r.dispose_after == date(2034, 2, 28)
