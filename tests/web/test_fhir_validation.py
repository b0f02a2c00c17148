"""Every exported bundle passes a validator that is not the library building it:
the FHIR R4 JSON schema and the mCODE 4.0.0 profiles (tests/fhir_validator),
and a planted error fails it, so a pass means something."""

import copy
import json
from datetime import date
from itertools import count

import pytest
from django.conf import settings
from django.core.management import call_command

from her2app.cases.models import Case, ClinicalStatus
from her2app.interop import codes, fhir
from her2app.interop.views import engine_result_for
from her2app.plans import actions
from tests.web.board_fixtures import make_board_case, make_engine_plan
from tests.web.fhir_validator import assert_valid, validate_bundles
from her2app.cases.models import combined_ras_fields

pytestmark = pytest.mark.django_db
FIXTURE_CASES = len(list((settings.BASE_DIR / "fixtures" / "cases").glob("*.json")))
_mrns = count(1)


def every_export_of(case: Case) -> dict[str, object]:
    """The case alone, and the case with each of its plans (what ?plan= returns)."""
    result = engine_result_for(case)
    bundles = {f"case {case.pk}": fhir.build_case_bundle(case, None, result)}
    for plan in case.plans.prefetch_related("doses"):
        bundles[f"case {case.pk} plan v{plan.version} ({plan.state})"] = fhir.build_case_bundle(case, plan, result)
    return bundles


def test_every_demo_bundle_passes_the_r4_schema_and_mcode_profiles(settings):
    settings.DEBUG = True
    call_command("load_demo")
    bundles = {}
    for case in Case.objects.select_related("patient", "profile", "clinical"):
        bundles.update(every_export_of(case))
    assert len(bundles) == FIXTURE_CASES + 4, "every demo case and the four signed demo plans"
    assert_valid(bundles)


def test_every_plannable_regimen_in_every_plan_state_passes(oncologist):
    bundles = {}
    for regimen in ("tucatinib-trastuzumab", "pertuzumab-trastuzumab", "lapatinib-trastuzumab",
                    "trastuzumab-deruxtecan", "pertuzumab-trastuzumab-emtansine"):
        case = make_board_case(oncologist, mrn=f"MRN-V-{next(_mrns)}")
        first = make_engine_plan(case, oncologist, regimen, approve=True, override_reason="Validator matrix")
        revision = actions.revise_plan(first, oncologist)
        revision, _ = actions.approve_plan(revision, oncologist)
        draft = actions.revise_plan(revision, oncologist)
        actions.cancel_plan(draft, oncologist, "Validator matrix")
        bundles.update(every_export_of(case))
    assert len(bundles) == 5 * 4
    assert_valid(bundles)


@pytest.mark.parametrize("site", ["left_colon", "right_colon", "rectum", "unknown"])
def test_cases_with_each_site_and_marker_pattern_pass(coordinator, site):
    patterns = [
        {"her2_ihc": "2+", "her2_ish": "amplified", "her2_ish_ratio": "2.40", "kras": "mutant", "msi": "msi_high"},
        {"her2_ihc": "2+", "kras": "unknown", "braf_v600e": "mutant", "msi": "unknown"},
        {"her2_ihc": "1+", "ngs_erbb2_amplified": True, "ngs_copy_number": "12.0", "test_date": None},
        {"her2_ihc": "", "her2_ish": "amplified", "her2_ish_ratio": "1.20"},  # the engine cannot read it
        {"her2_ihc": "", "her2_ihc_percent_cells": None, **combined_ras_fields("wild_type")},  # no HER2 result at all
        {"her2_ihc": "0"},
    ]
    bundles = {}
    for number, profile in enumerate(patterns):
        case = make_board_case(coordinator, mrn=f"MRN-S-{next(_mrns)}", primary_site=site, profile=profile)
        bundles[f"{site} pattern {number}"] = fhir.build_case_bundle(case, None, engine_result_for(case))
    case = make_board_case(coordinator, mrn=f"MRN-S-{next(_mrns)}", primary_site=site)
    ClinicalStatus.objects.filter(case=case).update(weight_date=None, lvef_date=date(2026, 8, 1), ecog=None)
    bundles[f"{site} weight without a date"] = fhir.build_case_bundle(case, None, engine_result_for(case))
    assert_valid(bundles)


def test_the_histology_table_codes_pass_mcode_histology_morphology_behavior(coordinator):
    """The case's histology field, exported as the Condition's extension: each entry validated.

    The extension's place, cardinality and value type are checked; its codes are in
    the parts of the value set defined by SNOMED CT filters and all of ICD-O-3,
    which no package expands, and the validator says so rather than passing them.
    """
    case = make_board_case(coordinator)
    clean = json.loads(fhir.build_case_bundle(case, None, engine_result_for(case)).model_dump_json())
    bundles = {}
    for key in codes.HISTOLOGY:
        Case.objects.filter(pk=case.pk).update(histology=key)
        case.refresh_from_db()
        bundles[key] = json.loads(fhir.build_case_bundle(case, None, engine_result_for(case)).model_dump_json())
        assert resource(bundles[key], "Condition")["extension"] == [
            json.loads(fhir.histology_extension(key).model_dump_json())]
    report = assert_valid(bundles)
    assert any("icd-o-3|8140/3" in note and "not checked" in note for note in report["adenocarcinoma"]["notes"])

    wrong = copy.deepcopy(clean)
    resource(wrong, "Condition")["extension"] = [{"url": codes.HISTOLOGY_EXTENSION, "valueString": "Adenocarcinoma"}]
    errors = validate_bundles({"wrong": wrong})["wrong"]["errors"]
    assert any("has valueString" in error for error in errors), errors


def resource(data: dict, resource_type: str, text: str | None = None) -> dict:
    return next(entry["resource"] for entry in data["entry"] if entry["resource"]["resourceType"] == resource_type
                and (text is None or entry["resource"].get("code", {}).get("text") == text))


def _her2(data):
    return resource(data, "Observation", "HER2 status")


PLANTED = {
    "HER2 Observation with no value": (
        lambda data: _her2(data).pop("valueCodeableConcept"), "Observation.value[x] Missing required property"),
    "two normalization-basis extensions (max 1)": (
        lambda data: resource(data, "MedicationRequest")["extension"].append(
            copy.deepcopy(resource(data, "MedicationRequest")["extension"][0])),
        "extension:normalizationBasis has 2 extension(s); the profile allows 0..1"),
    "Patient without an identifier (US Core 1..*)": (
        lambda data: resource(data, "Patient").pop("identifier"), "Patient.identifier Missing required property"),
    "a misspelt LOINC system": (
        lambda data: _her2(data)["code"]["coding"][0].update(system="http://loinc.org/"), "unknown code system"),
    "a LOINC code outside TumorMarkerTestVS": (
        lambda data: _her2(data)["code"]["coding"][0].update(code="12345-6"), "is not in mcode-tumor-marker-test-vs"),
    "a wrong display for a listed code": (
        lambda data: _her2(data)["code"]["coding"][0].update(display="HER2"), "has display \"HER2\""),
    "an unversioned mCODE profile": (
        lambda data: _her2(data)["meta"].update(profile=[codes.MCODE + "mcode-tumor-marker-test"]), "has no version"),
    "a category code that does not exist": (
        lambda data: _her2(data)["category"][0]["coding"][0].update(code="labs"), "does not exist"),
    "a normalization basis outside its value set": (
        lambda data: resource(data, "MedicationRequest")["extension"][0]["valueCodeableConcept"]["coding"][0].update(
            code="301898007"), "is not in mcode-normalization-basis-vs"),
    "an ECOG score as a string": (
        lambda data: resource(data, "Observation", "ECOG performance status").update(valueInteger="1"),
        "JSON schema: .valueInteger should be number"),
    "a body weight in a unit outside the R4 body-weight units": (
        lambda data: resource(data, "Observation", "Body weight")["valueQuantity"].update(code="lb"),
        "is not in ucum-bodyweight"),
    "a reference to nothing": (
        lambda data: _her2(data)["subject"].update(reference="urn:uuid:00000000-0000-0000-0000-000000000000"),
        "does not resolve"),
}


def test_each_planted_error_fails_the_validator_and_the_untouched_bundle_passes(oncologist):
    case = make_board_case(oncologist)
    plan = make_engine_plan(case, oncologist, approve=True)
    clean = json.loads(fhir.build_case_bundle(case, plan, engine_result_for(case)).model_dump_json())
    bundles = {"untouched": clean}
    for name, (plant, _) in PLANTED.items():
        bundles[name] = copy.deepcopy(clean)
        plant(bundles[name])
    report = validate_bundles(bundles)
    assert report["untouched"]["errors"] == []
    for name, (_, expected) in PLANTED.items():
        errors = report[name]["errors"]
        assert any(expected in error for error in errors), f"{name}: expected {expected!r} in {errors}"


def test_each_marker_exports_its_own_method_laboratory_and_date_and_passes(coordinator):
    """Issue 17 with issue 16's fields: RAS, BRAF and MSI no longer borrow the HER2 test's method and date;
    the RAS Observation (LOINC 81420-2) carries KRAS and NRAS with the exons tested."""
    case = make_board_case(coordinator, profile={
        "kras": "mutant", "kras_exons": [2], "nras": "wild_type", "nras_exons": [2, 3, 4],
        "ras_method": "pcr", "ras_laboratory": "Molecular lab", "ras_test_date": date(2026, 7, 1),
        "braf_v600e": "wild_type", "braf_method": "ihc", "braf_test_date": date(2026, 7, 2),
        "msi": "mss", "msi_method": "ngs", "msi_test_date": date(2026, 7, 3)})
    data = json.loads(fhir.build_case_bundle(case, None, engine_result_for(case)).model_dump_json())
    observations = {entry["resource"]["code"].get("text"): entry["resource"] for entry in data["entry"]
                    if entry["resource"]["resourceType"] == "Observation"}
    ras = observations["RAS (KRAS/NRAS) mutation status"]
    assert ras["code"]["coding"][0]["code"] == "81420-2"
    assert (ras["effectiveDateTime"], ras["method"]["text"], ras["valueCodeableConcept"]["text"]) == (
        "2026-07-01", "PCR", "Mutant")
    assert "Laboratory: Molecular lab" in ras["note"][0]["text"]
    assert [(c["code"]["text"], c.get("valueCodeableConcept", {}).get("text") or c.get("valueString"))
            for c in ras["component"]] == [("KRAS", "Mutant"), ("KRAS exons tested", "2"), ("NRAS", "Wild type"),
                                           ("NRAS exons tested", "2, 3, 4")]
    braf = observations["BRAF V600E mutation status"]
    assert (braf["effectiveDateTime"], braf["code"]["coding"][0]["code"]) == ("2026-07-02", "85299-6")
    msi = observations["Microsatellite instability"]
    assert (msi["effectiveDateTime"], msi["method"]["text"]) == ("2026-07-03", "Tissue NGS")
    her2 = observations["HER2 status"]
    assert her2.get("effectiveDateTime") != "2026-07-01"
    assert_valid({"per-marker tests": data})
