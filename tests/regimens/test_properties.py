"""Property-based checks over generated cases (hypothesis, bounded example counts)."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens import catalogue as cat
from regimens.doses import dispensing_units
from tests.regimens.helpers import make_case

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NEUTRAL_SAFETY = {
    "patient__pregnant": False,
    "patient__breastfeeding": False,
    "lvef_percent": 60,
    "ild_history": False,
    "hepatic_impairment": "none",
    "strong_cyp2c8_inhibitor": False,
    "ecog": 1,
    "braf_v600e": "wild_type",
    "msi": "mss",
}


def maybe(strategy):
    return st.one_of(st.none(), strategy)


her2_inputs = st.fixed_dictionaries(
    {},
    optional={
        "ihc": maybe(st.sampled_from(cat.IHC_SCORES)),
        "ihc_percent_cells": maybe(st.integers(0, 100)),
        "ish": maybe(st.sampled_from(cat.ISH_RESULTS)),
        "ngs_erbb2_amplified": maybe(st.booleans()),
        "ngs_copy_number": maybe(st.floats(cat.NGS_NORMAL_COPY_NUMBER, 100)),  # below 2 with amplified: invalid
    },
)
safety_inputs = st.fixed_dictionaries(
    {
        "patient__pregnant": maybe(st.booleans()),
        "patient__breastfeeding": maybe(st.booleans()),
        "lvef_percent": maybe(st.integers(5, 90)),
        "ild_history": maybe(st.booleans()),
        "hepatic_impairment": maybe(st.sampled_from(cat.HEPATIC_IMPAIRMENT)),
        "strong_cyp2c8_inhibitor": maybe(st.booleans()),
        "ecog": maybe(st.integers(0, 4)),
        "braf_v600e": st.sampled_from(cat.MUTATION_STATUSES),
        "msi": st.sampled_from(cat.MSI_STATUSES),
    }
)
clinical_inputs = st.fixed_dictionaries(
    {
        "her2": her2_inputs,
        "ras": maybe(st.sampled_from(cat.MUTATION_STATUSES)),
        "prior_therapies": st.lists(st.sampled_from(cat.PRIOR_THERAPY_AGENTS), max_size=8),
        "fit_for_intensive_therapy": maybe(st.booleans()),
        "patient__weight_kg": maybe(st.floats(20, 350)),
    }
)
weights = st.floats(20, 350, allow_nan=False)


@SETTINGS
@given(weights, weights)
def test_weight_based_doses_are_linear_in_weight_and_rounded_to_1_decimal(w1, w2):
    light, heavy = sorted((w1, w2))
    by_weight = {}
    for weight in (light, heavy):
        result = regimens.recommend(make_case(patient__weight_kg=weight))
        by_weight[weight] = {
            (o["regimen"], d["drug"], d["phase"]): d for o in result["options"] for d in o["doses"] if d["mg_per_kg"]
        }
        for d in by_weight[weight].values():
            assert abs(d["dose_mg"] - d["mg_per_kg"] * weight) <= 0.05 + 1e-9
            assert round(d["dose_mg"], 1) == d["dose_mg"]
    for key, d in by_weight[light].items():
        assert d["dose_mg"] <= by_weight[heavy][key]["dose_mg"], "a heavier patient never gets a smaller dose"


@SETTINGS
@given(clinical_inputs, safety_inputs)
def test_at_most_one_preferred_and_json_ready(clinical, safety):
    result = regimens.recommend(make_case(**clinical, **safety))
    assert sum(o["tier"] == "preferred" for o in result["options"]) <= 1
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    if result["her2_status"] == "positive":
        assert sorted(o["regimen"] for o in result["options"]) == sorted(cat.REGIMEN_CODES)


@SETTINGS
@given(clinical_inputs, safety_inputs)
def test_safety_modifiers_never_raise_a_tier_or_change_the_recommendation(clinical, safety):
    with_factors = regimens.recommend(make_case(**clinical, **safety))
    without = regimens.recommend(make_case(**clinical, **NEUTRAL_SAFETY))
    assert with_factors["recommendation"] == without["recommendation"]
    baseline = {o["regimen"]: o["tier"] for o in without["options"]}
    for opt in with_factors["options"]:
        assert cat.TIER_RANK[opt["tier"]] <= cat.TIER_RANK[baseline[opt["regimen"]]], opt["regimen"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
field_paths = st.sampled_from(
    ["patient", "tumour", "her2", "ras", "prior_therapies", "ecog", "lvef_percent", "patient__weight_kg",
     "patient__age", "her2__ish_ratio", "her2__ihc", "her2__ngs_copy_number", "hepatic_impairment", "unknown_key"]
)


def _only_result_or_invalid_input(data) -> None:
    try:
        result = regimens.recommend(data)
    except regimens.InvalidInput as error:
        assert error.message and isinstance(error.field, str)
        return
    assert result["ruleset_version"] == cat.RULESET_VERSION


@SETTINGS
@given(json_values)
def test_arbitrary_json_gives_a_result_or_invalid_input(data):
    _only_result_or_invalid_input(data)


@SETTINGS
@given(field_paths, json_values)
def test_one_corrupted_field_gives_a_result_or_invalid_input(path, value):
    _only_result_or_invalid_input(make_case(**{path: value}))


@SETTINGS
@given(st.sampled_from(sorted(cat.VIAL_SIZES_MG)), st.floats(1, 3000).map(lambda mg: round(mg, 1)))
def test_vials_cover_the_dose_with_less_waste_than_the_smallest_vial(drug, dose_mg):
    units = dispensing_units(drug, dose_mg)
    assert units.total_mg >= dose_mg
    assert 0 <= units.waste_mg < min(cat.VIAL_SIZES_MG[drug])


@SETTINGS
@given(st.floats(1, 3000).map(lambda mg: round(mg, 1)), st.booleans())
def test_D7_waste_counts_single_dose_vials_only(dose_mg, single_use):
    units = dispensing_units("trastuzumab", dose_mg, multi_dose_single_use=single_use)
    multi_dose_used = not single_use and any(size in cat.MULTI_DOSE_VIALS_MG["trastuzumab"] for size, _ in units.counts)
    if multi_dose_used:
        assert units.waste_mg == 0 and "waste" not in units.text, "the multi-dose vial's remainder is kept"
        assert abs(units.total_mg - dose_mg - units.kept_mg) < 0.05
    else:
        assert units.kept_mg == 0 and abs(units.total_mg - dose_mg - units.waste_mg) < 0.05
