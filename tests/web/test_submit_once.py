"""Issue 16 item 7: a double-click (the same form submitted twice) gives one action and one message."""

import uuid

import pytest
from django.contrib.messages import get_messages

from conftest import password_of
from her2app.plans.models import TreatmentPlan
from tests.factories import make_case
from tests.web.plan_helpers import START, draft_plan
from tests.factories import plannable_case as make_planned_case
from tests.web.test_wizard_review import FIT, HER2_POSITIVE, REFRACTORY


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def sendable_case(coordinator):
    return make_case(coordinator, profile=HER2_POSITIVE, clinical=FIT, lines=REFRACTORY, primary_site="left_colon")


def test_send_double_click_sends_once_with_one_message(client, coordinator, sendable_case):
    client.force_login(coordinator)
    payload = {"version": sendable_case.version, "action": "send", "submit_token": str(uuid.uuid4())}
    url = f"/cases/{sendable_case.pk}/step/review/"
    first = client.post(url, payload)
    second = client.post(url, payload)
    assert first.url == second.url == f"/cases/{sendable_case.pk}/"
    page = client.get(first.url)
    shown = texts(page)
    assert shown == ["Case sent to the oncologist for review."], shown


def test_the_review_form_carries_a_fresh_token_each_time(client, coordinator, sendable_case):
    client.force_login(coordinator)
    url = f"/cases/{sendable_case.pk}/step/review/"
    tokens = [client.get(url).content.decode().split('name="submit_token" value="')[1][:36] for _ in range(2)]
    assert tokens[0] != tokens[1]
    uuid.UUID(tokens[0])


def test_choose_double_click_makes_one_draft(client, coordinator, oncologist):
    case = make_planned_case(coordinator)
    client.force_login(oncologist)
    payload = {"case_version": case.version, "regimen": "tucatinib-trastuzumab", "start_date": START.isoformat(),
               "submit_token": str(uuid.uuid4())}
    first = client.post(f"/plans/choose/{case.pk}/", payload)
    second = client.post(f"/plans/choose/{case.pk}/", payload)
    assert TreatmentPlan.objects.filter(case=case).count() == 1
    assert first.url == second.url


def test_approve_double_click_signs_once_with_one_message(client, coordinator, oncologist):
    plan = draft_plan(make_planned_case(coordinator), oncologist)
    client.force_login(oncologist)
    payload = {"password": password_of("oliver"), "submit_token": str(uuid.uuid4())}
    client.post(f"/plans/{plan.pk}/approve/", payload)
    client.post(f"/plans/{plan.pk}/approve/", payload)
    shown = texts(client.get(f"/plans/{plan.pk}/"))
    assert shown == [f"Version {plan.version} approved and signed. Its PDF is being prepared."], shown


def test_a_new_token_is_a_new_action(client, coordinator, oncologist):
    case = make_planned_case(coordinator)
    client.force_login(oncologist)
    for _ in range(2):
        client.post(f"/plans/choose/{case.pk}/", {"case_version": case.version, "regimen": "tucatinib-trastuzumab",
                                                  "start_date": START.isoformat(), "submit_token": str(uuid.uuid4())})
    assert TreatmentPlan.objects.filter(case=case).count() == 2
