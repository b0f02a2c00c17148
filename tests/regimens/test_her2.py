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


@pytest.mark.parametrize(
    "her2",
    [
        {"ihc": "3+", "ihc_percent_cells": 30, "ish": "not_amplified"},
        {"ihc": "3+", "ihc_percent_cells": 30, "ish_ratio": 1.4},
        {"ihc": "3+", "ihc_percent_cells": 10, "ngs_erbb2_amplified": False},
        {"ihc": "3+", "ihc_percent_cells": 49, "ish": "not_amplified", "ngs_erbb2_amplified": False},
    ],
)
def test_H1_ihc_3plus_in_under_50_percent_with_ish_or_ngs_done_and_not_amplified_is_negative(her2):
    result = run(her2=her2)
    assert result["her2_status"] == "negative", "HERACLES: 3+ in 10 to < 50% of cells counts only with amplification"
    assert result["recommendation"] == "not_indicated" and result["options"] == []
    assert result["her2_ref"] == "H1"


def test_H1_ihc_3plus_in_under_50_percent_stays_equivocal_until_ish_or_ngs_is_done():
    result = run(her2={"ihc": "3+", "ihc_percent_cells": 30})
    assert result["her2_status"] == "equivocal" and result["missing_data"][0] == "her2.ish"


@pytest.mark.parametrize("her2", [{"ihc": "3+", "ihc_percent_cells": 80, "ish": "not_amplified"},
                                  {"ihc": "3+", "ish_ratio": 1.2}])
def test_H1_ihc_3plus_in_50_percent_or_more_with_ish_not_amplified_is_positive_with_pathology_review(her2):
    result = run(her2=her2)
    assert result["her2_status"] == "positive", "ISH is optional at IHC 3+"
    review = [w for w in result["warnings"] if w["code"] == "her2_ihc_ish_disagree"]
    assert review and review[0]["severity"] == "info" and "pathology should be reviewed" in review[0]["text"]
    assert review[0]["ref"] == "H1"


def test_H1_concordant_ihc_3plus_has_no_pathology_review_note():
    assert "her2_ihc_ish_disagree" not in warning_codes(run(her2={"ihc": "3+", "ish": "amplified"}))
    assert "her2_ihc_ish_disagree" not in warning_codes(run())


def test_H4_untested_without_any_result():
    result = run(her2={})
    assert result["her2_status"] == "untested"
    assert result["missing_data"] == ["her2"]


@pytest.mark.parametrize("copies", [3, 12, 40])
def test_H4_ngs_copy_number_without_the_laboratory_call_is_not_a_result(copies):
    result = run(her2={"ngs_copy_number": copies})
    assert result["her2_status"] == "untested", "no copy-number threshold is applied by the engine"
    assert result["missing_data"] == ["her2", "her2.ngs_erbb2_amplified"]
    caution = [w for w in result["warnings"] if w["code"] == "ngs_copy_number_without_call"]
    assert caution and caution[0]["severity"] == "caution" and caution[0]["ref"] == "H4"
    assert "cut-offs differ between assays" in caution[0]["text"]
    assert "copy number" not in result["her2_basis"], "a copy number alone is not a basis for a status"


def test_H4_copy_number_without_call_does_not_count_beside_other_results():
    equivocal = run(her2={"ihc": "2+", "ngs_copy_number": 15})
    assert equivocal["her2_status"] == "equivocal"
    assert equivocal["missing_data"] == ["her2.ish", "her2.ngs_erbb2_amplified"]
    positive = run(her2={"ihc": "3+", "ihc_percent_cells": 80, "ngs_copy_number": 15})
    assert positive["her2_status"] == "positive" and "her2.ngs_erbb2_amplified" in positive["missing_data"]
    assert "ngs_copy_number_without_call" in warning_codes(positive)


def test_H4_copy_number_with_the_laboratory_call_raises_no_caution():
    result = run(her2={"ngs_erbb2_amplified": True, "ngs_copy_number": 12})
    assert result["her2_status"] == "positive"
    assert "ngs_copy_number_without_call" not in warning_codes(result)
    assert "her2.ngs_erbb2_amplified" not in result["missing_data"]


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
