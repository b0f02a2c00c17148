"""Starting a case from an EHR's FHIR bundle: the wizard opens pre-filled, each
imported value marked with its source until a person saves its step; anything
not used is listed; a malformed or hostile bundle is refused and nothing is saved."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from her2app.demo.cases import create_case_from_engine_input
from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.models import Case, Patient
from her2app.interop import actions, codes
from her2app.interop.bundle_reader import BundleError, read_bundle
from her2app.interop.fhir import build_case_bundle
from her2app.interop.models import BundleImport, ImportedValue
from her2app.interop.views import engine_result_for
from tests.web.board_fixtures import make_board_case, make_engine_plan

pytestmark = pytest.mark.django_db
IMPORT = "/fhir/import/"
FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "cases").glob("*.json"))


def exported(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("interop:case_bundle", args=[case.pk])).content.decode()


def post_bundle(client, text: str):
    return client.post(reverse("interop:import_bundle"), {"text": text})


def counts() -> tuple[int, int, int, int]:
    return Patient.objects.count(), Case.objects.count(), BundleImport.objects.count(), ImportedValue.objects.count()


def ehr_bundle(*resources: dict, patient: dict | None = None) -> dict:
    patient = patient or {
        "resourceType": "Patient", "id": "p1",
        "identifier": [{"type": {"coding": [{"system": codes.TERMINOLOGY + "v2-0203", "code": "MR"}]},
                        "system": "https://ehr.example/mrn", "value": "EHR-77"}],
        "name": [{"use": "official", "family": "Quill", "given": ["Rosa"]}],
        "gender": "female", "birthDate": "1958-02-14",
    }
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": resource} for resource in (patient, *resources)]}


def loinc_observation(id_: str, code: codes.Code, **value) -> dict:
    return {"resourceType": "Observation", "id": id_, "status": "final", "code": {"coding": [code.as_dict()]},
            "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2026-08-20", **value}


# --- the round trip -------------------------------------------------------------
def test_an_exported_case_imported_again_gives_the_same_engine_result(client, oncologist):
    """Same MRN, same name and birth date: a new case for the same patient."""
    case = make_board_case(oncologist)
    case.treatment_lines.update(start_date=date(2025, 1, 10), end_date=date(2025, 9, 1))
    make_engine_plan(case, oncologist, approve=True)
    response = post_bundle(client, exported(client, oncologist, case))
    new = Case.objects.exclude(pk=case.pk).get()
    assert response.status_code == 302 and response.url == reverse("cases:step", args=[new.pk, "patient"])
    assert new.patient_id == case.patient_id and new.status == Case.Status.DRAFT
    assert regimens.recommend(case_to_engine_input(new)) == regimens.recommend(case_to_engine_input(case))
    (line,) = new.treatment_lines.all()
    assert (line.start_date, line.end_date) == (date(2025, 1, 10), date(2025, 9, 1))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_every_demo_case_survives_export_and_import_for_the_engine(coordinator, fixture):
    data = json.loads(fixture.read_text())
    case = create_case_from_engine_input(data, coordinator, index=0)
    raw = build_case_bundle(case, None, engine_result_for(case)).model_dump_json().encode()
    new = actions.import_case(read_bundle(raw), coordinator, raw)
    assert new.pk != case.pk and new.patient_id == case.patient_id
    assert case_to_engine_input(new) == case_to_engine_input(case)
    assert regimens.recommend(case_to_engine_input(new)) == regimens.recommend(data)


# --- marks in the wizard -----------------------------------------------------------
def test_each_imported_value_shows_its_source_until_its_step_is_saved(client, coordinator):
    bundle = ehr_bundle(
        loinc_observation("ras-1", codes.RAS, valueCodeableConcept={"text": "Not detected"}, component=[
            {"code": {"text": "KRAS"}, "valueCodeableConcept": {"text": "Not detected"}},
            {"code": {"text": "KRAS exons tested"}, "valueString": "2, 3, 4"},
            {"code": {"text": "NRAS"}, "valueCodeableConcept": {"text": "Wild type"}},
            {"code": {"text": "NRAS exons tested"}, "valueString": "2, 3, 4"}]),
        loinc_observation("msi-1", codes.MSI, valueCodeableConcept={"coding": [{"display": "MSI-H"}]}),
        loinc_observation("wt-1", codes.BODY_WEIGHT, valueQuantity={"value": 71.5, "unit": "kg", "code": "kg",
                                                                     "system": codes.UCUM}),
        {"resourceType": "MedicationAdministration", "id": "ma-1", "status": "completed",
         "medicationCodeableConcept": {"text": "Oxaliplatin 85 mg/m2"}, "subject": {"reference": "Patient/p1"},
         "effectivePeriod": {"start": "2025-02-01", "end": "2025-06-01"}},
    )
    client.force_login(coordinator)
    response = post_bundle(client, json.dumps(bundle))
    case = Case.objects.get(patient__mrn="EHR-77")
    assert response.status_code == 302

    tumour = client.get(reverse("cases:step", args=[case.pk, "tumour"])).content.decode()
    assert "Imported from Observation/ras-1, 20 Aug 2026" in tumour
    assert "Imported from Observation/msi-1" in tumour
    assert case.profile.ras == "wild_type" and case.profile.msi == "msi_high"
    assert case.clinical.weight_kg == pytest.approx(71.5) and case.clinical.weight_date == date(2026, 8, 20)
    history = client.get(reverse("cases:step", args=[case.pk, "history"])).content.decode()
    assert "MedicationAdministration/ma-1" in history and case.treatment_lines.get().agents == ["oxaliplatin"]

    form = client.get(reverse("cases:step", args=[case.pk, "tumour"])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(version=case.version, primary_site="unknown", metastatic="on", action="save")
    assert client.post(reverse("cases:step", args=[case.pk, "tumour"]), data).status_code == 302
    tumour = client.get(reverse("cases:step", args=[case.pk, "tumour"])).content.decode()
    assert "Imported from Observation/ras-1" not in tumour, "saving the step confirmed it"
    confirmed = ImportedValue.objects.get(field="kras")
    assert confirmed.confirmed_by == coordinator and confirmed.source == "Observation/ras-1"
    assert ImportedValue.objects.filter(step="fitness", confirmed_at__isnull=True).exists(), "other steps still marked"


def test_what_the_planner_does_not_use_is_listed_in_the_wizard(client, coordinator):
    bundle = ehr_bundle(
        {"resourceType": "AllergyIntolerance", "id": "a1", "patient": {"reference": "Patient/p1"}},
        loinc_observation("hb-1", codes.Code(codes.LOINC, "718-7", "Hemoglobin", ""), valueQuantity={"value": 12}),
        {"resourceType": "MedicationStatement", "id": "ms-9", "status": "completed",
         "medicationCodeableConcept": {"text": "Aspirin 75 mg"}, "subject": {"reference": "Patient/p1"}},
    )
    client.force_login(coordinator)
    post_bundle(client, json.dumps(bundle))
    case = Case.objects.get(patient__mrn="EHR-77")
    page = client.get(reverse("cases:step", args=[case.pk, "patient"])).content.decode()
    assert "3 items in the bundle imported" in page
    for expected in ("AllergyIntolerance/a1", "Observation/hb-1", "MedicationStatement/ms-9", "aspirin 75 mg"):
        assert expected in page


# --- refused bundles: a clear message, nothing saved ---------------------------------
def deep(levels: int) -> str:
    return '{"resourceType": "Bundle", "entry": ' + "[" * levels + "]" * levels + "}"


REFUSED = {
    "invalid JSON": ('{"resourceType": "Bundle", "entry": [', "This is not valid JSON"),
    "a Patient, not a Bundle": ('{"resourceType": "Patient"}', "This is a Patient, not a FHIR Bundle"),
    "an entry that is no FHIR resource": (json.dumps(ehr_bundle({"resourceType": "Spaceship"})),
                                          "is not a FHIR R4 resource"),
    "nested 60 levels": (deep(60), "nested more than 40 levels"),
    "nested 100000 levels": (deep(100_000), "nested more than 40 levels"),
    "a repeated key": ('{"resourceType": "Bundle", "resourceType": "Patient"}', "appears twice"),
    "an IHC score of 4+": (json.dumps(ehr_bundle(loinc_observation("h", codes.HER2, component=[
        {"code": {"text": "HER2 IHC score"}, "valueCodeableConcept": {"text": "4+"}}]))), "HER2 IHC score '4+'"),
    "a RAS result it cannot read": (json.dumps(ehr_bundle(loinc_observation(
        "r", codes.RAS, valueCodeableConcept={"text": "purple"},
        component=[{"code": {"text": "KRAS"}, "valueCodeableConcept": {"text": "purple"}}]))),
        "the result 'purple' is not one"),
    "a weight in pounds": (json.dumps(ehr_bundle(loinc_observation(
        "w", codes.BODY_WEIGHT, valueQuantity={"value": 150, "code": "[lb_av]"}))), "only kg is read"),
    "an LVEF out of range": (json.dumps(ehr_bundle(loinc_observation(
        "l", codes.LVEF, valueQuantity={"value": 95, "code": "%"}))), "LVEF: 95 is outside 5-90"),
    "two patients": (json.dumps({"resourceType": "Bundle", "entry": ehr_bundle()["entry"] * 2}), "2 patients"),
    "no MRN": (json.dumps(ehr_bundle(patient={"resourceType": "Patient", "id": "p", "name": [{"family": "X"}]})),
               "has no MRN"),
    "a future test date": (json.dumps(ehr_bundle(loinc_observation(
        "m", codes.MSI, effectiveDateTime="2999-01-01", valueCodeableConcept={"text": "MSS"}))), "in the future"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_malformed_or_hostile_bundle_is_refused_with_a_clear_message_and_nothing_saved(client, coordinator, name):
    text, message = REFUSED[name]
    client.force_login(coordinator)
    before = counts()
    response = post_bundle(client, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing was saved" in page and message in page.replace("&#x27;", "'")
    assert text[:200] in page.replace("&quot;", '"').replace("&#x27;", "'"), "the pasted text is kept"
    assert counts() == before


def test_a_10_mb_file_is_refused_before_it_is_read(client, coordinator):
    client.force_login(coordinator)
    before = counts()
    big = SimpleUploadedFile("big.json", b" " * (10 * 1024 * 1024), content_type="application/json")
    response = client.post(reverse("interop:import_bundle"), {"file": big})
    assert response.status_code == 400 and "The bundle is 10.0 MB; the largest accepted is 2.0 MB" in response.content.decode()
    assert counts() == before


def test_10_mb_of_pasted_text_is_refused_with_a_message_not_an_error_page(client, coordinator):
    client.force_login(coordinator)
    before = counts()
    response = post_bundle(client, " " * (10 * 1024 * 1024))
    assert response.status_code == 400 and "larger than the 2 MB accepted" in response.content.decode()
    assert counts() == before


def test_an_mrn_on_file_with_another_name_is_refused(client, coordinator):
    Patient.objects.create(mrn="EHR-77", given_name="Other", family_name="Person", date_of_birth=date(1970, 1, 1),
                           sex="male")
    client.force_login(coordinator)
    before = counts()
    response = post_bundle(client, json.dumps(ehr_bundle()))
    assert response.status_code == 400 and "belongs to a patient with another name" in response.content.decode()
    assert counts() == before


def test_an_ish_call_that_contradicts_its_ratio_is_refused_by_the_model_rule(client, coordinator):
    bundle = ehr_bundle(loinc_observation("h", codes.HER2, component=[
        {"code": {"text": "HER2 ISH result"}, "valueCodeableConcept": {"text": "Amplified"}},
        {"code": {"text": "HER2:CEP17 ratio by ISH"}, "valueQuantity": {"value": 1.2}},
    ]))
    client.force_login(coordinator)
    before = counts()
    response = post_bundle(client, json.dumps(bundle))
    assert response.status_code == 400 and "HER2 ISH result: A HER2:CEP17 ratio of 1.2" in response.content.decode()
    assert counts() == before


def test_choosing_neither_or_both_a_file_and_text_is_refused(client, coordinator):
    client.force_login(coordinator)
    assert "Choose a file or paste a bundle" in client.post(reverse("interop:import_bundle"), {}).content.decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.binary(max_size=300),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                     st.sampled_from(["resourceType", "entry", "resource", "code", "id", "value"]), inner, max_size=4),
                 max_leaves=30).map(lambda data: json.dumps(data).encode()),
))
def test_any_input_is_read_or_refused_with_a_bundle_error(raw):
    try:
        read_bundle(raw)
    except BundleError as error:
        assert error.message


def test_only_people_who_may_add_cases_can_import(client, nurse):
    client.force_login(nurse)
    assert client.get(reverse("interop:import_bundle")).status_code == 403
    assert client.post(reverse("interop:import_bundle"), {"text": json.dumps(ehr_bundle())}).status_code == 403
    assert Case.objects.count() == 0


def test_a_combined_ras_result_without_kras_and_nras_is_listed_not_guessed(coordinator):
    bundle = ehr_bundle(loinc_observation("ras-2", codes.RAS, valueCodeableConcept={"text": "Not detected"}))
    raw = json.dumps(bundle).encode()
    reading = read_bundle(raw)
    assert "tumour" not in {item.step for item in reading.fields if item.field in ("kras", "nras")}
    assert [item.reason for item in reading.unrecognised if item.reference == "Observation/ras-2"] == [
        "a combined RAS result without KRAS and NRAS: record each gene in the tumour step"]
