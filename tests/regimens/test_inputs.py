"""Input validation (contract v1, ranges S9, HER2 consistency H1) and the JSON Schema."""

import json

import jsonschema
import pytest

import regimens
from regimens import catalogue as cat
from tests.regimens.helpers import FIXTURES, make_case


def invalid(data) -> regimens.InvalidInput:
    with pytest.raises(regimens.InvalidInput) as raised:
        regimens.recommend(data)
    assert isinstance(raised.value, ValueError)
    assert str(raised.value) == raised.value.message
    return raised.value


def test_empty_object_is_valid_and_untested():
    result = regimens.recommend({})
    assert result["her2_status"] == "untested" and result["ruleset_version"] == "2026.2"


@pytest.mark.parametrize("data", [[], "x", 1, None, [{"her2": {}}]])
def test_non_object_input_is_invalid(data):
    assert invalid(data).message == "input must be a JSON object"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"patient__weight_kg": "70"}, "patient.weight_kg", "patient.weight_kg must be a number between 20 and 350"),
        ({"patient__weight_kg": True}, "patient.weight_kg", "patient.weight_kg must be a number between 20 and 350"),
        ({"patient__pregnant": "no"}, "patient.pregnant", "patient.pregnant must be true, false or null"),
        ({"ras": "wt"}, "ras", "ras must be one of wild_type, mutant, unknown or null"),
        ({"ecog": 5}, "ecog", "ecog must be a whole number between 0 and 4 or null"),
        ({"ecog": 1.5}, "ecog", "ecog must be a whole number between 0 and 4 or null"),
        ({"prior_therapies": ["folfox"]}, "prior_therapies", None),
        ({"prior_therapies": "trastuzumab"}, "prior_therapies", None),
        ({"patient": 70}, "patient", "patient must be an object or null"),
        ({"her2": ["3+"]}, "her2", "her2 must be an object or null"),
        ({"her2": {"ihc": "4+"}}, "her2.ihc", "her2.ihc must be one of 0, 1+, 2+, 3+ or null"),
        ({"patient__wieght_kg": 70}, "patient.wieght_kg", "patient.wieght_kg is not a field of the input (contract v1)"),
        ({"colour": "blue"}, "colour", "colour is not a field of the input (contract v1)"),
    ],
)
def test_invalid_field_is_named(changes, field, message):
    error = invalid(make_case(**changes))
    assert error.field == field
    if message:
        assert error.message == message
    assert error.message.startswith(field)


@pytest.mark.parametrize("ish, ratio", [("not_amplified", 2.0), ("not_amplified", 3.1), ("amplified", 1.9)])
def test_H1_ish_contradicting_its_ratio_is_invalid(ish, ratio):
    error = invalid(make_case(her2={"ihc": "2+", "ish": ish, "ish_ratio": ratio}))
    assert error.field == "her2.ish" and "her2.ish_ratio" in error.message


def test_null_objects_mean_nothing_known():
    result = regimens.recommend({"patient": None, "tumour": None, "her2": None})
    assert result["her2_status"] == "untested"


def test_unknown_and_null_are_accepted_everywhere():
    data = {key: None for key in ("ras", "braf_v600e", "msi", "fit_for_intensive_therapy", "ecog", "lvef_percent",
                                  "ild_history", "hepatic_impairment", "strong_cyp2c8_inhibitor")}
    data["her2"] = {"ihc": "3+", "ihc_percent_cells": None, "ish": None, "ish_ratio": None,
                    "ngs_erbb2_amplified": None, "ngs_copy_number": None}
    data["patient"] = {"weight_kg": None, "height_cm": None, "age": None, "sex": None, "pregnant": None,
                       "breastfeeding": None}
    data["tumour"] = {"primary_site": None, "metastatic": None}
    result = regimens.recommend(data)
    assert result["her2_status"] == "positive"
    assert {"ras", "fit_for_intensive_therapy", "lvef_percent", "patient.weight_kg"} <= set(result["missing_data"])


def test_schema_describes_the_contract():
    schema = regimens.input_schema()
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "patient", "tumour", "her2", "ras", "braf_v600e", "msi", "prior_therapies", "fit_for_intensive_therapy",
        "ecog", "lvef_percent", "ild_history", "hepatic_impairment", "strong_cyp2c8_inhibitor",
    }
    weight = schema["$defs"]["PatientInput"]["properties"]["weight_kg"]["anyOf"][0]
    assert (weight["minimum"], weight["maximum"]) == (20, 350)
    agents = schema["properties"]["prior_therapies"]["anyOf"][0]["items"]["enum"]
    assert tuple(agents) == cat.PRIOR_THERAPY_AGENTS


@pytest.mark.parametrize("copies", [0, 1, 1.9])
def test_ngs_copy_number_below_two_with_amplified_is_invalid(copies):
    error = invalid(make_case(her2={"ngs_erbb2_amplified": True, "ngs_copy_number": copies}))
    assert error.field == "her2.ngs_copy_number"
    assert "below the normal 2 copies" in error.message and "her2.ngs_erbb2_amplified is true" in error.message


def test_ngs_copy_number_below_two_without_amplification_is_accepted():
    assert regimens.recommend(make_case(her2={"ngs_erbb2_amplified": False, "ngs_copy_number": 1}))
    assert regimens.recommend(make_case(her2={"ngs_erbb2_amplified": True, "ngs_copy_number": 2}))


def test_null_means_unknown_for_every_field_of_the_schema():
    """Every field the schema names accepts null (and every object may leave every key out)."""
    schema = regimens.input_schema()
    data = {name: None for name in schema["properties"]}
    assert regimens.recommend(data)["her2_status"] == "untested"
    for definition in ("PatientInput", "TumourInput", "Her2Input"):
        fields = schema["$defs"][definition]["properties"]
        nested = {"PatientInput": "patient", "TumourInput": "tumour", "Her2Input": "her2"}[definition]
        result = regimens.recommend(make_case(**{nested: {name: None for name in fields}}))
        assert result["ruleset_version"] == cat.RULESET_VERSION


def test_schema_validates_every_demo_case_and_rejects_what_the_engine_rejects():
    schema = regimens.input_schema()
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(FIXTURES.glob("*.json")):
        validator.validate(json.loads(path.read_text()))
    validator.validate(make_case(prior_therapies=None, patient__benzyl_alcohol_hypersensitivity=True))
    for bad in (make_case(ras="wt"), make_case(lvef_percent=91), make_case(colour="blue"),
                make_case(prior_therapies=["folfox"])):
        assert not validator.is_valid(bad)
        invalid(bad)
    assert "a key given twice in one object" in schema["description"]
