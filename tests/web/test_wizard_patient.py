"""Step 1: the patient. /cases/new/ creates the patient and a draft case."""

from datetime import date, timedelta

from her2app.cases.models import Case, Patient
from tests.web.case_helpers import field_block, patient_payload
from tests.factories import make_case


def test_new_case_creates_patient_and_draft_case_then_goes_to_tumour_step(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/cases/new/", patient_payload())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == f"/cases/{case.pk}/step/tumour/"
    assert (case.patient.mrn, case.patient.family_name, case.status) == ("MRN-1001", "Hopper", "draft")
    assert case.created_by == coordinator == case.updated_by


def test_future_date_of_birth_is_refused_at_the_field_and_typed_values_kept(client, coordinator):
    client.force_login(coordinator)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.post("/cases/new/", patient_payload(date_of_birth=tomorrow, given_name="Typed"))
    html = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()
    dob = field_block(html, "date_of_birth")
    assert "cannot be in the future" in dob and f'value="{tomorrow}"' in dob
    assert 'value="Typed"' in field_block(html, "given_name")
    assert 'class="error-summary"' in html


def test_duplicate_mrn_is_refused_at_the_mrn_field(client, coordinator):
    make_case(coordinator, mrn="MRN-1001")
    client.force_login(coordinator)
    response = client.post("/cases/new/", patient_payload())
    assert "A patient with this MRN is already on file." in field_block(response.content.decode(), "mrn")
    assert Patient.objects.count() == 1


def test_missing_required_fields_are_named_next_to_each_field(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/cases/new/", patient_payload(mrn="", sex="", family_name="Kept"))
    html = response.content.decode()
    assert "This field is required" in field_block(html, "mrn")
    assert "This field is required" in field_block(html, "sex")
    assert 'value="Kept"' in field_block(html, "family_name")


def test_editing_the_patient_saves_and_bumps_the_case_version(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    response = client.post(f"/cases/{case.pk}/step/patient/",
                           patient_payload(version=case.version, mrn=case.patient.mrn, given_name="Renamed"))
    case.refresh_from_db()
    assert response.url == f"/cases/{case.pk}/step/tumour/"
    assert case.patient.given_name == "Renamed"
    assert case.version == 2


def test_resume_shows_the_saved_patient(client, coordinator):
    client.force_login(coordinator)
    client.post("/cases/new/", patient_payload(given_name="Resumed"))
    client.logout()
    client.force_login(coordinator)
    case = Case.objects.get()
    html = client.get(f"/cases/{case.pk}/step/patient/").content.decode()
    assert 'value="Resumed"' in field_block(html, "given_name")
    assert 'value="1958-12-09"' in field_block(html, "date_of_birth")
