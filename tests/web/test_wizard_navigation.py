"""Back and Next, htmx partials versus full pages, and input that must never cause a 500."""

import re

import pytest

from her2app.cases.models import ClinicalStatus, MolecularProfile
from tests.web.case_helpers import field_block, fitness_payload, post_step, tumour_payload
from tests.factories import make_case


def test_back_saves_a_valid_step_and_goes_to_the_previous_step(client, coordinator, case):
    client.force_login(coordinator)
    response = post_step(client, case, "fitness", action="back")
    assert response.url == f"/cases/{case.pk}/step/history/"
    assert ClinicalStatus.objects.filter(case=case, weight_kg=70).exists()


def test_back_on_an_invalid_step_stays_and_keeps_the_values(client, coordinator, case):
    client.force_login(coordinator)
    response = post_step(client, case, "fitness", action="back", weight_kg="900", height_cm="171")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Weight must be a number from 20 to 350 kg." in field_block(html, "weight_kg")
    assert 'value="171"' in field_block(html, "height_cm")
    assert not ClinicalStatus.objects.filter(case=case).exists()


def test_htmx_next_returns_the_next_step_partial_and_pushes_its_url(client, coordinator, case):
    client.force_login(coordinator)
    response = client.post(f"/cases/{case.pk}/step/tumour/", tumour_payload(case.version),
                           headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"/cases/{case.pk}/step/history/"
    assert html.lstrip().startswith('<div id="wizard"') and "<html" not in html
    current = re.findall(r'<li[^>]*aria-current="step"[^>]*>\s*([^<]+?)\s*<', html)
    assert current == ["Treatment history"], "exactly one step is current: the history step"
    assert "Treatment history</h1>" in html
    assert 'name="version" value="2"' in html
    assert MolecularProfile.objects.filter(case=case).exists()


def test_without_htmx_a_step_is_a_full_page_with_progress_and_a_plain_form(client, coordinator, case):
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/step/tumour/").content.decode()
    assert "<html" in html and '<ol class="steps">' in html
    assert f'method="post" action="/cases/{case.pk}/step/tumour/"' in html
    assert 'hx-post=' in html and 'hx-target="#wizard"' in html


def test_progress_marks_recorded_steps_done(client, coordinator):
    case = make_case(coordinator, profile={"her2_ihc": "3+"})
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/step/fitness/").content.decode()
    assert 'class="done"' in html.split("Tumour and molecular profile")[0].rsplit("<li", 1)[1]
    assert 'class="done"' not in html.split("Treatment history")[0].rsplit("<li", 1)[1]


@pytest.mark.parametrize("version", ["", "abc", "-1", "0", "99999999999999999999", "1.5"])
def test_malformed_version_is_a_form_error_never_a_500(client, coordinator, case, version):
    client.force_login(coordinator)
    response = client.post(f"/cases/{case.pk}/step/fitness/", fitness_payload(version, weight_kg="66"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "lost its edit marker" in html
    assert 'value="66"' in field_block(html, "weight_kg")
    assert f'name="version" value="{case.version}"' in html


@pytest.mark.parametrize("path", ["/cases/{pk}/step/unknown/", "/cases/999999/step/patient/", "/cases/999999/"])
def test_unknown_step_or_case_is_404(client, coordinator, case, path):
    client.force_login(coordinator)
    assert client.get(path.format(pk=case.pk)).status_code == 404


@pytest.mark.parametrize("action", ["", "explode", "remove:", "remove:../../etc", "add_line"])
def test_unexpected_actions_never_fail_the_server(client, coordinator, case, action):
    client.force_login(coordinator)
    response = post_step(client, case, "fitness", action=action)
    assert response.status_code in (200, 302)


def test_empty_post_to_every_step_is_answered_with_errors_not_a_500(client, coordinator, case):
    client.force_login(coordinator)
    for step in ("patient", "tumour", "history", "fitness", "review"):
        response = client.post(f"/cases/{case.pk}/step/{step}/", {})
        assert response.status_code == 200, step
        assert b"error-summary" in response.content, step


@pytest.mark.parametrize("form_class", ["PatientForm", "TumourForm", "FitnessForm"])
def test_every_field_of_a_step_form_is_shown_exactly_once(form_class):
    from her2app.cases import forms

    form = getattr(forms, form_class)
    grouped = [name for _, names in form.fieldsets for name in names]
    shown_when_asked = {"confirm_weight"}  # the plausibility tick joins the weight's group when asked
    assert sorted(grouped) == sorted(name for name in form.base_fields if name != "version"
                                     and name not in shown_when_asked)


def test_htmx_history_restore_gets_the_full_page(client, coordinator, case):
    """Browser Back after htmx pushed a step URL: htmx re-fetches the page and needs all of it."""
    client.force_login(coordinator)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get(f"/cases/{case.pk}/step/tumour/", headers=headers).content.decode()
    assert "<html" in html and '<div id="wizard"' in html


@pytest.mark.parametrize("step, saved, shown", [
    ("tumour", {"her2_ish_ratio": "2.6", "her2_ish": "amplified"},
     {"her2_ish_ratio": 'value="2.60"', "her2_ihc": '<option value="3+" selected>'}),
    ("fitness", {"weight_kg": "81.5", "ild_history": "true"},
     {"weight_kg": 'value="81.5"', "ild_history": '<option value="true" selected>'}),
])
def test_resuming_a_step_shows_its_saved_values(client, coordinator, case, step, saved, shown):
    client.force_login(coordinator)
    post_step(client, case, step, **saved)
    html = client.get(f"/cases/{case.pk}/step/{step}/").content.decode()
    for name, text in shown.items():
        assert text in field_block(html, name), f"{step} step: {name} is not shown as saved"
