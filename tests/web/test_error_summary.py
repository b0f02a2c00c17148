"""Issue 16 item 1: every failing form shows one error summary at the top (GOV.UK pattern):
role="alert", a link to each field in error, messages that name the unit and the allowed range."""

import re

import pytest

from tests.factories import make_case
from tests.web.case_helpers import fitness_payload, post_step
from tests.web.plan_helpers import draft_plan
from tests.factories import plannable_case as make_planned_case


def summary(html: str) -> str:
    match = re.search(r'<div class="error-summary" role="alert" id="error-summary".*?</div>', html, re.S)
    assert match, "the page shows the error summary"
    return match.group(0)


def test_wizard_summary_links_to_the_weight_and_names_range_and_unit(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    html = post_step(client, case, "fitness", weight_kg="640").content.decode()
    box = summary(html)
    assert '<a href="#id_weight_kg">Weight (kg): Weight must be a number from 20 to 350 kg.</a>' in box
    assert html.index('id="error-summary"') < html.index('id="id_weight_kg"'), "the summary comes before the form"


def test_htmx_step_swap_carries_the_same_summary(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    html = client.post(f"/cases/{case.pk}/step/fitness/", fitness_payload(case.version, lvef_percent="4"),
                       HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html, "a partial"
    assert '<a href="#id_lvef_percent">LVEF (%): LVEF must be a number from 5 to 90%.</a>' in summary(html)


def test_choosing_no_regimen_puts_the_summary_above_the_options(client, coordinator, oncologist):
    case = make_planned_case(coordinator)
    client.force_login(oncologist)
    response = client.post(f"/plans/choose/{case.pk}/", {"case_version": case.version, "start_date": ""})
    html = response.content.decode()
    box = summary(html)
    assert 'href="#id_regimen_0"' in box, "the link goes to the first regimen radio"
    assert 'id="id_regimen_0"' in html
    assert html.index('id="error-summary"') < html.index('class="card option"')


def test_signing_with_a_wrong_password_shows_the_summary_at_the_top(client, coordinator, oncologist):
    plan = draft_plan(make_planned_case(coordinator), oncologist)
    client.force_login(oncologist)
    response = client.post(f"/plans/{plan.pk}/approve/", {"password": "wrong"})
    html = response.content.decode()
    box = summary(html)
    assert 'href="#id_password"' in box
    assert html.index('id="error-summary"') < html.index("<h2 id=\"documents\">PDF documents</h2>") < html.index('id="id_password"')


@pytest.mark.parametrize("url", ["/meetings/new/"])
def test_meeting_form_summary(client, coordinator, url):
    client.force_login(coordinator)
    html = client.post(url, {"title": "", "date": "not a date"}).content.decode()
    box = summary(html)
    assert 'href="#id_date"' in box


def test_a_form_without_errors_has_no_summary(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/step/fitness/").content.decode()
    assert "error-summary" not in html
