"""Issue 16 item 3: an MRN already on file offers "Open this patient" and "Start a new case for this patient";
a patient may have several cases over time."""

import re
import uuid

from her2app.cases.models import Case
from tests.factories import make_case
from tests.web.case_helpers import patient_payload


def test_a_known_mrn_offers_to_open_the_patient_or_start_a_new_case(client, coordinator):
    first = make_case(coordinator, mrn="MRN-1001", given_name="Grace", family_name="Hopper")
    client.force_login(coordinator)
    html = client.post("/cases/new/", patient_payload()).content.decode()
    panel = re.search(r'<section class="card existing-patient".*?</section>', html, re.S).group(0)
    assert "MRN MRN-1001 is already on file" in panel and "Grace Hopper" in panel and "1 case so far" in panel
    assert 'href="/cases/?q=MRN-1001">Open this patient</a>' in panel
    assert f'action="/cases/new/for-patient/{first.patient_id}/"' in panel
    assert "Start a new case for this patient" in panel
    listed = client.get("/cases/?q=MRN-1001").content.decode()
    assert f'href="/cases/{first.pk}/"' in listed


def test_starting_a_new_case_for_the_patient_keeps_the_patient_and_opens_the_tumour_step(client, coordinator):
    first = make_case(coordinator, mrn="MRN-1001")
    client.force_login(coordinator)
    token = str(uuid.uuid4())
    response = client.post(f"/cases/new/for-patient/{first.patient_id}/", {"submit_token": token})
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.patient_id == first.patient_id
    assert response.url == f"/cases/{second.pk}/step/tumour/"
    client.post(f"/cases/new/for-patient/{first.patient_id}/", {"submit_token": token})
    assert Case.objects.filter(patient=first.patient).count() == 2, "a double-click starts one case"


def test_only_case_creators_may_start_a_case_for_a_patient(client, coordinator, nurse):
    first = make_case(coordinator, mrn="MRN-1001")
    client.force_login(nurse)
    response = client.post(f"/cases/new/for-patient/{first.patient_id}/")
    assert response.status_code == 403
    assert Case.objects.count() == 1


def test_get_is_not_allowed(client, coordinator):
    first = make_case(coordinator, mrn="MRN-1001")
    client.force_login(coordinator)
    assert client.get(f"/cases/new/for-patient/{first.patient_id}/").status_code == 405
