"""FHIR export: every bundle the endpoint returns parses back with the
fhir.resources R4B models, its references resolve inside the bundle, and the
clinical values match the plan (70 kg, tucatinib + trastuzumab: trastuzumab
560 mg loading, 420 mg every 21 days; tucatinib 300 mg twice daily)."""

import json
from datetime import date
from itertools import count

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from her2app.interop import codes, fhir
from her2app.interop.views import engine_result_for
from her2app.plans import actions
from regimens import vocabulary
from tests.web.board_fixtures import make_board_case, make_engine_plan
from her2app.cases.models import combined_ras_fields

pytestmark = pytest.mark.django_db


def export(client, user, case, **params) -> tuple[Bundle, dict]:
    client.force_login(user)
    response = client.get(reverse("interop:case_bundle", args=[case.pk]), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/fhir+json"
    return validated(response.content.decode())


def validated(text: str) -> tuple[Bundle, dict]:
    """Parse with the library (raises on any invalid element) and check that
    every reference points at an entry of the bundle."""
    bundle = Bundle.model_validate_json(text)
    data = json.loads(text)
    assert bundle.type == "collection"
    full_urls = {entry["fullUrl"] for entry in data["entry"]}
    for reference in _references(data):
        assert reference in full_urls, f"dangling reference {reference}"
    return bundle, data


def _references(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def resources(data: dict, resource_type: str) -> list[dict]:
    return [entry["resource"] for entry in data["entry"] if entry["resource"]["resourceType"] == resource_type]


def full_url_of(data: dict, resource_type: str) -> str:
    return next(entry["fullUrl"] for entry in data["entry"] if entry["resource"]["resourceType"] == resource_type)


def medication(data: dict, drug: str) -> dict:
    name = vocabulary.drug_name(drug)
    return next(r for r in resources(data, "MedicationRequest") if r["medicationCodeableConcept"]["text"] == name)


def normalization_basis(request: dict) -> str:
    extension = next(e for e in request["extension"] if e["url"] == codes.NORMALIZATION_BASIS)
    return extension["valueCodeableConcept"]["coding"][0]["code"]


def test_trastuzumab_loading_dose_is_560_mg_for_70_kg_on_tucatinib_trastuzumab(client, oncologist):
    case = make_board_case(oncologist, weight="70.0")
    make_engine_plan(case, oncologist, "tucatinib-trastuzumab")
    _, data = export(client, oncologist, case)

    trastuzumab = medication(data, "trastuzumab")
    loading, maintenance = trastuzumab["dosageInstruction"]
    assert loading["sequence"] == 1
    assert loading["doseAndRate"][0]["doseQuantity"] == {"value": 560.0, "unit": "mg", "system": codes.UCUM, "code": "mg"}
    assert loading["timing"]["repeat"]["count"] == 1
    assert loading["route"]["coding"][0]["code"] == "47625008"
    assert maintenance["doseAndRate"][0]["doseQuantity"]["value"] == 420.0
    assert maintenance["timing"]["repeat"].items() >= {"frequency": 1, "period": 21, "periodUnit": "d"}.items()
    assert normalization_basis(trastuzumab) == "363804004", "trastuzumab is dosed by body weight"
    assert loading["additionalInstruction"] == [{"text": "IV infusion over 90 minutes."}], "D9"
    assert "every 21 days" in maintenance["text"] and "q21d" not in maintenance["text"]

    tucatinib = medication(data, "tucatinib")
    (continuous,) = tucatinib["dosageInstruction"]
    assert continuous["doseAndRate"][0]["doseQuantity"]["value"] == 300.0
    assert continuous["timing"]["repeat"].items() >= {"frequency": 2, "period": 1, "periodUnit": "d"}.items()
    assert continuous["route"]["coding"][0]["code"] == "26643006"
    assert normalization_basis(tucatinib) == "1157245009", "tucatinib is a fixed dose"


def test_each_medication_request_names_the_cancer_condition_as_its_reason(client, oncologist):
    case = make_board_case(oncologist)
    make_engine_plan(case, oncologist, "pertuzumab-trastuzumab", override_reason="Board preference")
    _, data = export(client, oncologist, case)

    condition_url = full_url_of(data, "Condition")
    requests = resources(data, "MedicationRequest")
    assert sorted(r["medicationCodeableConcept"]["text"] for r in requests) == ["pertuzumab (PERJETA)", "trastuzumab"]
    for request in requests:
        assert request["reasonReference"] == [{"reference": condition_url}]
        assert request["intent"] == "plan"
        assert request["meta"]["profile"] == [codes.PROFILE_MEDICATION_REQUEST]
    assert normalization_basis(medication(data, "pertuzumab")) == "1157245009"


def test_care_plan_is_draft_until_approved_then_active(client, oncologist):
    case = make_board_case(oncologist)
    plan = make_engine_plan(case, oncologist)
    _, draft = export(client, oncologist, case)
    (care_plan,) = resources(draft, "CarePlan")
    assert care_plan["status"] == "draft"
    assert {r["status"] for r in resources(draft, "MedicationRequest")} == {"draft"}
    request_urls = {e["fullUrl"] for e in draft["entry"] if e["resource"]["resourceType"] == "MedicationRequest"}
    assert {activity["reference"]["reference"] for activity in care_plan["activity"]} == request_urls
    assert care_plan["addresses"] == [{"reference": full_url_of(draft, "Condition")}]

    actions.approve_plan(plan, oncologist)
    _, approved = export(client, oncologist, case)
    assert resources(approved, "CarePlan")[0]["status"] == "active"
    (signer,) = resources(approved, "Practitioner")
    assert signer["name"] == [{"family": "Oncologist", "given": ["Oliver"]}]
    signer_url = full_url_of(approved, "Practitioner")
    assert resources(approved, "CarePlan")[0]["author"] == {"reference": signer_url}
    assert {r["requester"]["reference"] for r in resources(approved, "MedicationRequest")} == {signer_url}
    assert {r["status"] for r in resources(approved, "MedicationRequest")} == {"active"}


def test_superseded_plan_exports_as_revoked_when_asked_for(client, oncologist):
    case = make_board_case(oncologist)
    first = make_engine_plan(case, oncologist, approve=True)
    revision = actions.revise_plan(first, oncologist)
    actions.approve_plan(revision, oncologist)
    _, data = export(client, oncologist, case, plan=first.pk)
    assert resources(data, "CarePlan")[0]["status"] == "revoked"
    assert {r["status"] for r in resources(data, "MedicationRequest")} == {"stopped"}
    _, current = export(client, oncologist, case)
    assert resources(current, "CarePlan")[0]["identifier"][0]["value"] == f"{case.pk}-v{revision.version}"


def test_her2_observation_carries_ihc_ish_and_ngs_components(client, coordinator):
    case = make_board_case(coordinator, profile={"her2_ihc": "2+", "her2_ihc_percent_cells": 40, "her2_ish": "amplified",
                                                 "her2_ish_ratio": "2.40", "ngs_erbb2_amplified": True,
                                                 "ngs_copy_number": "12.0"})
    _, data = export(client, coordinator, case)
    her2 = next(o for o in resources(data, "Observation") if o["code"].get("coding", [{}])[0].get("code") == "48676-1")
    assert her2["meta"]["profile"] == [codes.PROFILE_TUMOR_MARKER]
    assert her2["valueCodeableConcept"]["coding"][0]["code"] == "LA6576-8", "HER2 positive by ISH amplification"
    components = {c["code"]["text"]: c for c in her2["component"]}
    assert components["HER2 IHC score"]["valueCodeableConcept"]["text"] == "2+"
    assert components["HER2:CEP17 ratio by ISH"]["valueQuantity"]["value"] == 2.4
    assert components["ERBB2 copy number by NGS"]["valueQuantity"]["value"] == 12.0
    assert components["ERBB2 amplification by NGS"]["valueBoolean"] is True
    assert her2["effectiveDateTime"] == "2026-09-01"


def test_ras_braf_msi_observations_and_unknown_results_left_out(client, coordinator):
    case = make_board_case(coordinator, profile={"braf_v600e": "unknown", "kras": "mutant", "msi": "mss"})
    _, data = export(client, coordinator, case)
    by_name = {o["code"]["text"]: o for o in resources(data, "Observation")}
    assert by_name["RAS (KRAS/NRAS) mutation status"]["valueCodeableConcept"]["text"] == "Mutant"
    assert "BRAF V600E mutation status" not in by_name, "an unknown result is not exported as a finding"
    msi = by_name["Microsatellite instability"]
    assert msi["code"]["coding"][0]["code"] == "81695-9"
    assert msi["valueCodeableConcept"]["coding"][0]["code"] == "LA14122-8"


def test_case_without_plan_exports_patient_condition_and_markers_only(client, coordinator):
    case = make_board_case(coordinator, mrn="MRN-NOPLAN-1", primary_site="rectum")
    _, data = export(client, coordinator, case)
    kinds = [entry["resource"]["resourceType"] for entry in data["entry"]]
    assert kinds[:2] == ["Patient", "Condition"]
    assert "MedicationRequest" not in kinds and "CarePlan" not in kinds
    (patient,) = resources(data, "Patient")
    assert patient["identifier"][0]["value"] == "MRN-NOPLAN-1"
    assert patient["gender"] == "female" and patient["birthDate"] == "1963-05-20"
    condition = resources(data, "Condition")[0]
    assert [c["code"] for c in condition["code"]["coding"]] == ["93984006", "C20"]
    assert condition["code"]["text"].startswith("Metastatic colorectal cancer")


def test_export_is_a_download_and_stable_between_calls(client, coordinator, oncologist):
    case = make_board_case(coordinator)
    plan = make_engine_plan(case, oncologist)
    client.force_login(coordinator)
    url = reverse("interop:case_bundle", args=[case.pk])
    first, second = client.get(url), client.get(url)
    assert first["Content-Disposition"] == f'attachment; filename="case-{case.pk}-plan-v{plan.version}-fhir-r4.json"'
    assert first["Cache-Control"] == "no-store"
    ids = lambda response: [e["fullUrl"] for e in json.loads(response.content)["entry"]]  # noqa: E731
    assert ids(first) == ids(second), "resource ids are stable, so a receiver can update instead of duplicate"


def test_nurse_and_anonymous_users_cannot_export(client, nurse, coordinator):
    case = make_board_case(coordinator)
    url = reverse("interop:case_bundle", args=[case.pk])
    assert client.get(url).status_code == 302
    client.force_login(nurse)
    assert client.get(url).status_code == 403


def test_plan_of_another_case_or_a_bad_plan_id_is_not_found(client, oncologist):
    case = make_board_case(oncologist, mrn="MRN-A")
    other = make_board_case(oncologist, mrn="MRN-B")
    other_plan = make_engine_plan(other, oncologist)
    client.force_login(oncologist)
    url = reverse("interop:case_bundle", args=[case.pk])
    assert client.get(url, {"plan": other_plan.pk}).status_code == 404
    assert client.get(url, {"plan": "1 OR 1=1"}).status_code == 404
    assert client.get(reverse("interop:case_bundle", args=[other.pk + 1000])).status_code == 404


_mrns = count(1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ihc=st.sampled_from(["", "0", "1+", "2+", "3+"]),
    percent=st.one_of(st.none(), st.integers(0, 100)),
    ish=st.sampled_from(["", "amplified", "not_amplified"]),
    ngs=st.sampled_from([None, True, False]),
    copies=st.one_of(st.none(), st.decimals(0, 60, places=1)),
    ras=st.sampled_from(["wild_type", "mutant", "unknown"]),
    msi=st.sampled_from(["mss", "msi_high", "unknown"]),
    site=st.sampled_from(["left_colon", "right_colon", "rectum", "unknown"]),
)
def test_every_profile_exports_a_valid_bundle(coordinator, ihc, percent, ish, ngs, copies, ras, msi, site):
    ratio = {"amplified": "2.40", "not_amplified": "1.20", "": None}[ish]
    case = make_board_case(
        coordinator, mrn=f"MRN-H-{next(_mrns)}", primary_site=site,
        profile={"her2_ihc": ihc, "her2_ihc_percent_cells": percent, "her2_ish": ish, "her2_ish_ratio": ratio,
                 "ngs_erbb2_amplified": ngs, "ngs_copy_number": copies, **combined_ras_fields(ras), "msi": msi},
    )
    bundle = fhir.build_case_bundle(case, None, engine_result_for(case))
    _, data = validated(bundle.model_dump_json())
    has_her2 = any(o["code"].get("coding", [{}])[0].get("code") == "48676-1" for o in resources(data, "Observation"))
    assert has_her2 == bool(ihc or percent is not None or ish or ngs is not None or copies is not None)


def test_her2_result_the_engine_cannot_interpret_is_not_claimed_as_an_mcode_tumor_marker(client, coordinator):
    """mCODE TumorMarkerTest requires a value; without the engine's reading there is none to give."""
    case = make_board_case(coordinator, profile={"her2_ish": "amplified", "her2_ish_ratio": "1.20"})
    _, data = export(client, coordinator, case)
    her2 = next(o for o in resources(data, "Observation") if o["code"]["text"] == "HER2 status")
    assert "valueCodeableConcept" not in her2 and "meta" not in her2
    assert her2["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert {c["code"]["text"] for c in her2["component"]} >= {"HER2 ISH result", "HER2:CEP17 ratio by ISH"}


def test_every_her2_observation_claiming_tumor_marker_test_has_a_value(coordinator):
    for number, profile in enumerate([{"her2_ihc": "2+"}, {"her2_ihc": "0"}, {"her2_ihc": "3+"},
                                      {"her2_ihc": "", "her2_ihc_percent_cells": None, "ngs_erbb2_amplified": True}]):
        case = make_board_case(coordinator, mrn=f"MRN-V-{number}", profile=profile)
        data = json.loads(fhir.build_case_bundle(case, None, engine_result_for(case)).model_dump_json())
        her2 = next(o for o in resources(data, "Observation") if o["code"]["text"] == "HER2 status")
        assert her2["meta"]["profile"] == [codes.PROFILE_TUMOR_MARKER]
        assert her2["valueCodeableConcept"]["text"].startswith("HER2"), profile


def dosage(data: dict, drug: str, phase: str) -> dict:
    return next(d for d in medication(data, vocabulary.drug_name(drug))["dosageInstruction"] if f"({phase})" in d["text"])


def first_calendar_date(plan, drug: str, phase: str) -> str:
    """The app's own calendar (stored with the plan when it was chosen)."""
    return min(e["date"] for e in plan.calendar_events() if (e["drug"], e["phase"]) == (drug, phase)).isoformat()


def test_D1_3_weekly_maintenance_starts_on_cycle_2_day_1_not_with_the_loading_dose(client, oncologist):
    case = make_board_case(oncologist)
    plan = make_engine_plan(case, oncologist, "tucatinib-trastuzumab")
    _, data = export(client, oncologist, case)
    loading = dosage(data, "trastuzumab", "loading")["timing"]["repeat"]
    maintenance = dosage(data, "trastuzumab", "maintenance")["timing"]["repeat"]
    assert loading == {"boundsPeriod": {"start": "2026-12-07"}, "count": 1}
    assert maintenance["boundsPeriod"]["start"] == "2026-12-28", "cycle 2 day 1 = start + 21 days"
    assert maintenance["boundsPeriod"]["start"] == first_calendar_date(plan, "trastuzumab", "maintenance")
    assert dosage(data, "tucatinib", "continuous")["timing"]["repeat"]["boundsPeriod"]["start"] == "2026-12-07"


def test_D4_weekly_maintenance_starts_on_cycle_1_day_8(client, oncologist):
    """Weekly trastuzumab: loading on cycle 1 day 1, which replaces that day's maintenance dose;
    2 mg/kg weekly then starts one week later (days 8 and 15 of cycle 1, then 1, 8, 15)."""
    case = make_board_case(oncologist)
    plan = make_engine_plan(case, oncologist, "lapatinib-trastuzumab", override_reason="Board preference")
    _, data = export(client, oncologist, case)
    maintenance = dosage(data, "trastuzumab", "maintenance")["timing"]["repeat"]
    assert maintenance["boundsPeriod"]["start"] == "2026-12-14"
    assert maintenance["boundsPeriod"]["start"] == first_calendar_date(plan, "trastuzumab", "maintenance")
    assert maintenance.items() >= {"frequency": 1, "period": 1, "periodUnit": "wk"}.items()
    assert dosage(data, "trastuzumab", "loading")["timing"]["repeat"]["boundsPeriod"]["start"] == "2026-12-07"


def test_ras_braf_msi_do_not_carry_the_her2_test_method_or_date(client, coordinator):
    case = make_board_case(coordinator, profile={"braf_v600e": "mutant", "test_method": "ihc_ish",
                                                 "laboratory": "Central pathology"})
    _, data = export(client, coordinator, case)
    by_name = {o["code"]["text"]: o for o in resources(data, "Observation")}
    assert by_name["HER2 status"]["effectiveDateTime"] == "2026-09-01"
    assert by_name["HER2 status"]["method"]["text"] == "IHC with reflex ISH"
    for name in ("RAS (KRAS/NRAS) mutation status", "BRAF V600E mutation status", "Microsatellite instability"):
        assert "effectiveDateTime" not in by_name[name] and "method" not in by_name[name], name
        assert "note" not in by_name[name], "the HER2 laboratory is not the RAS/BRAF/MSI laboratory"


def test_ras_is_loinc_81420_2_and_braf_is_text_until_its_method_is_known(client, coordinator):
    case = make_board_case(coordinator, profile={"braf_v600e": "mutant"})
    _, data = export(client, coordinator, case)
    by_name = {o["code"]["text"]: o for o in resources(data, "Observation")}
    assert by_name["RAS (KRAS/NRAS) mutation status"]["code"]["coding"] == [codes.RAS.as_dict()]
    assert "coding" not in by_name["BRAF V600E mutation status"]["code"]
    assert codes.braf_code("ihc") == codes.BRAF_V600E_BY_IHC and codes.braf_code("ngs") is None


@pytest.mark.parametrize("site, body_site, side", [
    ("left_colon", "71854001", "7771000"), ("right_colon", "71854001", "24028007"), ("rectum", "34402009", None),
])
def test_every_known_primary_site_has_a_snomed_body_site(client, coordinator, site, body_site, side):
    case = make_board_case(coordinator, primary_site=site)
    _, data = export(client, coordinator, case)
    (condition,) = resources(data, "Condition")
    (where,) = condition["bodySite"]
    assert where["coding"][0]["code"] == body_site
    laterality = [e["valueCodeableConcept"]["coding"][0]["code"] for e in where.get("extension", [])]
    assert laterality == ([side] if side else [])
    assert condition["code"]["coding"][0]["system"] == codes.SNOMED


def test_unknown_primary_site_has_no_body_site_and_text_only_code(client, coordinator):
    case = make_board_case(coordinator, primary_site="unknown")
    _, data = export(client, coordinator, case)
    (condition,) = resources(data, "Condition")
    assert "bodySite" not in condition and "coding" not in condition["code"]


def test_condition_onset_is_the_first_recorded_evidence_and_recorded_date_the_case_creation(client, coordinator):
    case = make_board_case(coordinator)
    case.treatment_lines.update(start_date=date(2025, 3, 1))
    _, data = export(client, coordinator, case)
    (condition,) = resources(data, "Condition")
    assert condition["onsetPeriod"] == {"end": "2025-03-01"}, "first line started before the HER2 test"
    assert condition["recordedDate"].startswith(case.created_at.date().isoformat())


def test_ecog_weight_and_lvef_are_coded_observations(client, coordinator):
    case = make_board_case(coordinator, weight="64.5")
    _, data = export(client, coordinator, case)
    by_code = {o["code"]["coding"][0]["code"]: o for o in resources(data, "Observation") if "coding" in o["code"]}
    ecog, weight, lvef = by_code["89247-1"], by_code["29463-7"], by_code["10230-1"]
    assert ecog["valueInteger"] == 1 and ecog["meta"]["profile"] == [codes.PROFILE_ECOG]
    assert weight["valueQuantity"] == {"value": 64.5, "unit": "kg", "system": codes.UCUM, "code": "kg"}
    assert weight["meta"]["profile"] == [codes.PROFILE_BODY_WEIGHT] and weight["effectiveDateTime"] == "2026-09-01"
    assert lvef["valueQuantity"]["value"] == 62 and lvef["valueQuantity"]["code"] == "%"


def test_every_profile_is_a_versioned_mcode_4_0_0_or_r4_core_canonical(client, oncologist):
    case = make_board_case(oncologist)
    make_engine_plan(case, oncologist)
    _, data = export(client, oncologist, case)
    claimed = {p for e in data["entry"] for p in e["resource"].get("meta", {}).get("profile", [])}
    assert claimed and all(p.endswith(("|4.0.0", "|4.0.1")) for p in claimed)
    assert sum(p.startswith(codes.MCODE) for p in claimed) == 5


def test_practitioner_identifier_is_the_username_under_the_configured_system(client, oncologist, settings):
    settings.FHIR_PRACTITIONER_SYSTEM = "https://hospital.example/staff"
    case = make_board_case(oncologist)
    make_engine_plan(case, oncologist, approve=True)
    _, data = export(client, oncologist, case)
    (practitioner,) = resources(data, "Practitioner")
    assert practitioner["identifier"] == [{"system": "https://hospital.example/staff", "value": "oliver"}]


def test_drugs_are_named_as_the_catalogue_names_them_and_carry_no_unverified_code(client, oncologist):
    case = make_board_case(oncologist)
    make_engine_plan(case, oncologist, "trastuzumab-deruxtecan", override_reason="Board preference")
    _, data = export(client, oncologist, case)
    (request,) = resources(data, "MedicationRequest")
    assert request["medicationCodeableConcept"] == {"text": vocabulary.drug_name("trastuzumab_deruxtecan")}
    assert "_" not in request["medicationCodeableConcept"]["text"]


def test_identifier_systems_must_be_uris(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from her2app.settings import envuri

    monkeypatch.setenv("FHIR_PRACTITIONER_SYSTEM", "hospital staff list")
    with pytest.raises(ImproperlyConfigured, match="FHIR_PRACTITIONER_SYSTEM must be a URI"):
        envuri("FHIR_PRACTITIONER_SYSTEM", "urn:her2app:practitioner")
    monkeypatch.setenv("FHIR_PRACTITIONER_SYSTEM", "urn:oid:1.2.3.4")
    assert envuri("FHIR_PRACTITIONER_SYSTEM", "urn:her2app:practitioner") == "urn:oid:1.2.3.4"
