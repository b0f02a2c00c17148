"""The one adapter from case records to engine input, field by field, and its demo reverse."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

import regimens
from her2app.demo.cases import create_case_from_engine_input, lines_from_prior_therapies, load_demo_cases
from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.models import Case, ClinicalStatus, MolecularProfile
from tests.factories import make_case

TODAY = date(2026, 11, 25)
FIXTURES = sorted((settings.BASE_DIR / "fixtures" / "cases").glob("*.json"))


@pytest.fixture
def full_case(coordinator):
    case = make_case(
        coordinator, primary_site="rectum", metastatic=True,
        profile={"her2_ihc": "2+", "her2_ihc_percent_cells": 40, "her2_ish": "amplified",
                 "her2_ish_ratio": Decimal("2.35"), "ngs_erbb2_amplified": True, "ngs_copy_number": Decimal("12.5"),
                 "kras": "wild_type", "kras_exons": [2, 3, 4], "nras": "wild_type", "nras_exons": [2, 3, 4],
                 "braf_v600e": "mutant", "msi": "msi_high"},
        clinical={"weight_kg": Decimal("71.5"), "height_cm": Decimal("168.0"), "ecog": 2,
                  "fit_for_intensive_therapy": False, "lvef_percent": 55, "ild_history": True,
                  "hepatic_impairment": "severe", "pregnant": False, "breastfeeding": True,
                  "strong_cyp2c8_inhibitor": True, "benzyl_alcohol_hypersensitivity": True},
        lines=[["fluoropyrimidine", "oxaliplatin"], ["irinotecan", "fluoropyrimidine"], ["trastuzumab"]],
    )
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("path, expected", [
    ("patient.weight_kg", 71.5), ("patient.height_cm", 168.0), ("patient.age", 65), ("patient.sex", "female"),
    ("patient.pregnant", False), ("patient.breastfeeding", True), ("patient.benzyl_alcohol_hypersensitivity", True),
    ("tumour.primary_site", "rectum"), ("tumour.metastatic", True),
    ("her2.ihc", "2+"), ("her2.ihc_percent_cells", 40), ("her2.ish", "amplified"), ("her2.ish_ratio", 2.35),
    ("her2.ngs_erbb2_amplified", True), ("her2.ngs_copy_number", 12.5),
    ("ras", "wild_type"), ("braf_v600e", "mutant"), ("msi", "msi_high"),
    ("prior_therapies", ["fluoropyrimidine", "irinotecan", "oxaliplatin", "trastuzumab"]),
    ("fit_for_intensive_therapy", False), ("ecog", 2), ("lvef_percent", 55), ("ild_history", True),
    ("hepatic_impairment", "severe"), ("strong_cyp2c8_inhibitor", True),
])
def test_every_recorded_field_reaches_the_engine(full_case, path, expected):
    value = case_to_engine_input(full_case, today=TODAY)
    for key in path.split("."):
        value = value[key]
    assert value == expected
    assert type(value) is type(expected), "numbers reach the engine as JSON numbers, not Decimals"


def test_empty_draft_sends_unknowns_the_engine_accepts(coordinator):
    data = case_to_engine_input(make_case(coordinator), today=TODAY)
    assert data["her2"] == {} and (data["ras"], data["braf_v600e"], data["msi"]) == ("unknown",) * 3
    assert data["patient"]["weight_kg"] is None and data["prior_therapies"] == []
    assert regimens.recommend(data)["her2_status"] == "untested"


def test_blank_choices_become_null(coordinator):
    case = make_case(coordinator, profile={"her2_ihc": "", "her2_ish": ""}, clinical={"hepatic_impairment": ""})
    data = case_to_engine_input(case, today=TODAY)
    assert data["her2"]["ihc"] is None and data["her2"]["ish"] is None and data["hepatic_impairment"] is None


def test_adapter_output_is_valid_against_the_engine_schema(full_case):
    assert regimens.recommend(case_to_engine_input(full_case))["ruleset_version"] == regimens.RULESET_VERSION


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_demo_case_round_trips_to_the_same_engine_result(coordinator, path):
    data = json.loads(path.read_text())
    case = create_case_from_engine_input(data, coordinator, index=0, today=TODAY)
    rebuilt = case_to_engine_input(Case.objects.get(pk=case.pk), today=TODAY)
    assert sorted(rebuilt["prior_therapies"]) == sorted(data.get("prior_therapies", []))
    assert rebuilt["patient"]["age"] == data["patient"]["age"]
    assert regimens.recommend(rebuilt) == regimens.recommend(data)


def test_prior_therapies_are_grouped_into_ordered_lines():
    assert lines_from_prior_therapies(["irinotecan", "oxaliplatin", "fluoropyrimidine", "tucatinib", "trastuzumab"]) \
        == [["fluoropyrimidine", "oxaliplatin"], ["fluoropyrimidine", "irinotecan"], ["trastuzumab", "tucatinib"]]
    assert lines_from_prior_therapies([]) == []


def test_load_demo_cases_is_idempotent_and_gives_demo_identities(coordinator):
    folder = settings.BASE_DIR / "fixtures" / "cases"
    first = load_demo_cases(folder, coordinator)
    again = load_demo_cases(folder, coordinator)
    assert len(first) == len(FIXTURES) and again == []
    assert all(case.patient.mrn.startswith("DEMO-") for case in first)
    assert MolecularProfile.objects.count() == ClinicalStatus.objects.count() == len(FIXTURES)
