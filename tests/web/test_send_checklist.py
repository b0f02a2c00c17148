"""Issue 16 item 4: "Send to oncologist" checks the case first. Weight, LVEF, pregnancy status (female
patients, reference S10), RAS and a complete HER2 result are listed with links to their step; sending is refused
until each is recorded, and a step saved empty never says "(recorded)"."""

import re

from her2app.cases.models import Case, ClinicalStatus
from tests.factories import make_case
from tests.web.case_helpers import post_step
from tests.web.test_wizard_review import FIT, HER2_POSITIVE, REFRACTORY


def checklist(html: str) -> str:
    return re.search(r'<section class="card send-checklist".*?</section>', html, re.S).group(0)


def test_missing_weight_and_lvef_block_sending_with_links_to_the_fields(client, coordinator):
    fit = {**FIT, "weight_kg": None, "lvef_percent": None}
    case = make_case(coordinator, profile=HER2_POSITIVE, clinical=fit, lines=REFRACTORY, primary_site="left_colon")
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/step/review/").content.decode()
    box = checklist(html)
    assert f'href="/cases/{case.pk}/step/fitness/#id_weight_kg">Weight: no weight' in box
    assert f'href="/cases/{case.pk}/step/fitness/#id_lvef_percent">LVEF: no LVEF' in box
    assert "RAS: recorded" in box and "HER2: recorded" in box
    assert 'value="send"' not in html, "no send button while items are missing"

    response = post_step(client, case, "review")
    assert response.status_code == 200
    assert "Not sent: record Weight, LVEF first." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT


def test_S10_unknown_pregnancy_status_is_a_checklist_item_for_a_female_patient_only(client, coordinator):
    fit = {**FIT, "pregnant": None}
    female = make_case(coordinator, profile=HER2_POSITIVE, clinical=fit, lines=REFRACTORY, sex="female")
    male = make_case(coordinator, profile=HER2_POSITIVE, clinical=fit, lines=REFRACTORY, sex="male")
    client.force_login(coordinator)
    assert "Pregnancy status: unknown" in checklist(client.get(f"/cases/{female.pk}/step/review/").content.decode())
    assert "Pregnancy status" not in checklist(client.get(f"/cases/{male.pk}/step/review/").content.decode())


def test_unknown_ras_and_untested_her2_link_to_the_tumour_step(client, coordinator):
    case = make_case(coordinator, profile={"kras": "unknown"}, clinical=FIT, lines=REFRACTORY)
    client.force_login(coordinator)
    box = checklist(client.get(f"/cases/{case.pk}/step/review/").content.decode())
    assert f'href="/cases/{case.pk}/step/tumour/#id_kras">RAS: RAS unknown: record KRAS and NRAS (exons 2-4)' in box
    assert f'href="/cases/{case.pk}/step/tumour/#id_her2_ihc">HER2: HER2 testing incomplete' in box


def test_H2_ihc_2_plus_without_ish_is_incomplete_her2(client, coordinator):
    case = make_case(coordinator, profile={**HER2_POSITIVE, "her2_ihc": "2+"}, clinical=FIT, lines=REFRACTORY)
    client.force_login(coordinator)
    assert "HER2: HER2 testing incomplete" in checklist(client.get(f"/cases/{case.pk}/step/review/").content.decode())


def test_a_complete_case_can_be_sent(client, coordinator):
    case = make_case(coordinator, profile=HER2_POSITIVE, clinical=FIT, lines=REFRACTORY, sex="female")
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/step/review/").content.decode()
    assert "Sending is blocked" not in html and 'value="send"' in html
    post_step(client, case, "review")
    case.refresh_from_db()
    assert case.status == Case.Status.READY


def test_a_fitness_step_saved_empty_is_not_recorded(client, coordinator):
    case = make_case(coordinator, profile=HER2_POSITIVE)
    ClinicalStatus.objects.create(case=case)
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/step/review/").content.decode()
    fitness = re.search(r"<li[^>]*>\s*<a [^>]*>Fitness and safety</a>(.*?)</li>", html, re.S).group(1)
    assert "(recorded)" not in fitness
    tumour = re.search(r"<li[^>]*>\s*<a [^>]*>Tumour and molecular profile</a>(.*?)</li>", html, re.S).group(1)
    assert "(recorded)" in tumour
