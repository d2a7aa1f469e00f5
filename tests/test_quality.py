"""The quality report on the labelled samples meets the targets of issue 3 (and the samples cover all types).

The expected types and fields come from sample_docs/truth.json, written by scripts/make_samples.py from
the values it put into the documents, never by the extraction code.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import TRUTH

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


@pytest.fixture(scope="module")
def report():
    import quality

    return quality.run()


def test_labelled_samples_cover_every_type_with_scans_and_english():
    from archiver.understand.classify import DOC_TYPES

    types = Counter(t["doc_type"] for t in TRUTH)
    assert set(types) == set(DOC_TYPES)
    assert len(TRUTH) >= 60
    assert sum(t["scanned"] for t in TRUTH) >= len(TRUTH) / 3 - 1
    assert sum(t.get("language") == "en" for t in TRUTH) >= 4


def test_type_accuracy_target(report):
    assert report["type_accuracy"]["all"] >= 0.98, report["misses"]


def test_field_f1_targets(report):
    assert report["fields"]["text"]["f1"] >= 0.95, report["misses"]
    assert report["fields"]["scanned"]["f1"] >= 0.85, report["misses"]


def test_customer_link_targets(report):
    links = report["links"]
    assert links["precision"] >= 0.995, report["misses"]  # a wrong link is the costly error
    assert links["recall"] >= 0.95, report["misses"]
