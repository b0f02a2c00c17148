"""HER2 status by the colorectal criteria (reference H1-H7)."""

import pytest

from regimens.her2 import classify_her2
from regimens.inputs import Her2Input
from tests.regimens.helpers import run, warning_codes


def status(**her2) -> str:
    return classify_her2(Her2Input(**her2)).status


@pytest.mark.parametrize(
    "her2, expected",
    [
        ({"ihc": "3+"}, "positive"),
        ({"ihc": "3+", "ihc_percent_cells": 50}, "positive"),
        ({"ihc": "3+", "ihc_percent_cells": 49}, "equivocal"),
        ({"ihc": "3+", "ihc_percent_cells": 30, "ish": "amplified"}, "positive"),
        ({"ihc": "3+", "ihc_percent_cells": 30, "ngs_erbb2_amplified": True}, "positive"),
        ({"ihc": "2+", "ish": "amplified"}, "positive"),
        ({"ihc": "2+", "ish_ratio": 2.0}, "positive"),
        ({"ish": "amplified"}, "positive"),
        ({"ngs_erbb2_amplified": True}, "positive"),
    ],
)
def test_H1_positive_by_ihc_3plus_ish_or_ngs(her2, expected):
    assert status(**her2) == expected


def test_H1_ish_ratio_alone_decides_amplification_at_2_0():
    assert status(ihc="2+", ish_ratio=1.99) == "negative"
    assert status(ihc="2+", ish_ratio=2.0) == "positive"


def test_H1_basis_names_the_evidence():
    result = run(her2={"ihc": "2+", "ish_ratio": 2.4})
    assert result["her2_basis"] == "IHC 2+, ISH amplified (HER2:CEP17 ratio 2.4)"
    assert run()["her2_basis"] == "IHC 3+ in 60% of cells"


@pytest.mark.parametrize(
    "her2, missing",
    [
        ({"ihc": "2+"}, ["her2.ish"]),
        ({"ihc": "3+", "ihc_percent_cells": 20}, ["her2.ish"]),
    ],
)
def test_H2_equivocal_needs_ish(her2, missing):
    result = run(her2=her2)
    assert result["her2_status"] == "equivocal"
    assert result["missing_data"][: len(missing)] == missing


@pytest.mark.parametrize(
    "her2",
    [
        {"ihc": "0"},
        {"ihc": "1+"},
        {"ihc": "1+", "ish": "not_amplified"},
        {"ihc": "2+", "ish": "not_amplified"},
        {"ihc": "2+", "ish": "not_amplified", "ngs_erbb2_amplified": False},
        {"ish": "not_amplified"},
    ],
)
def test_H3_negative_without_amplification(her2):
    assert status(**her2) == "negative"


def test_H4_untested_without_any_result():
    result = run(her2={})
    assert result["her2_status"] == "untested"
    assert result["missing_data"] == ["her2"]
    assert status(ihc_percent_cells=80, ngs_copy_number=3) == "untested"


@pytest.mark.parametrize("ihc", ["0", "1+"])
def test_H5_discordant_amplification_is_positive_with_caution(ihc):
    result = run(her2={"ihc": ihc, "ish": "amplified"})
    assert result["her2_status"] == "positive"
    discordant = [w for w in result["warnings"] if w["code"] == "her2_discordant"]
    assert discordant and discordant[0]["severity"] == "caution" and "tumour board" in discordant[0]["text"]


def test_H5_concordant_result_has_no_discordance_warning():
    assert "her2_discordant" not in warning_codes(run(her2={"ihc": "2+", "ish": "amplified"}))


@pytest.mark.parametrize("her2", [{}, {"ihc": "2+"}, {"ihc": "1+"}])
def test_H6_no_anti_her2_option_without_confirmed_positivity(her2):
    result = run(her2=her2)
    assert result["options"] == [], "anti-HER2 therapy must never be proposed before HER2 is confirmed"
    assert result["recommendation"] != "anti_her2"


def test_H6_unconfirmed_status_warns_to_test_at_a_qualified_laboratory():
    warning = [w for w in run(her2={"ihc": "2+"})["warnings"] if w["code"] == "her2_not_confirmed"][0]
    assert warning["ref"] == "H6" and "qualified laboratory" in warning["text"]


def test_H7_prevalence_context_shown_when_untested():
    warning = [w for w in run(her2={})["warnings"] if w["code"] == "her2_prevalence"][0]
    assert warning["severity"] == "info"
    assert "about 2% of unselected mCRC (range 1-5%)" in warning["text"]
    assert "HERACLES screen: 5.3%" in warning["text"]
