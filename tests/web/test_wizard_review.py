"""Step 5: review shows exactly the engine's result; "Send to oncologist" marks the case ready."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.models import Case
from tests.factories import make_case
from tests.web.case_helpers import post_step
from her2app.cases.models import combined_ras_fields

REFRACTORY = [["fluoropyrimidine", "oxaliplatin"], ["fluoropyrimidine", "irinotecan"]]
HER2_POSITIVE = {"her2_ihc": "3+", "her2_ihc_percent_cells": 80, **combined_ras_fields("wild_type"), "braf_v600e": "wild_type",
                 "msi": "mss"}
FIT = {"weight_kg": 70, "lvef_percent": 60, "ecog": 1, "fit_for_intensive_therapy": True, "ild_history": False,
       "pregnant": False, "breastfeeding": False, "hepatic_impairment": "none", "strong_cyp2c8_inhibitor": False}


@pytest.fixture
def refractory_case(coordinator):
    return make_case(coordinator, profile=HER2_POSITIVE, clinical=FIT, lines=REFRACTORY, primary_site="left_colon")


def review(client, case, **headers):
    return client.get(f"/cases/{case.pk}/step/review/", headers=headers)


def test_review_result_is_exactly_what_the_cli_prints_for_the_same_case(client, coordinator, refractory_case):
    client.force_login(coordinator)
    shown = review(client, refractory_case).context["outcome"].result
    cli = subprocess.run([sys.executable, "-m", "regimens", "recommend", "-"], cwd=settings.BASE_DIR,
                         input=json.dumps(case_to_engine_input(refractory_case)), capture_output=True, text=True,
                         check=True)
    assert shown == json.loads(cli.stdout)


def test_review_shows_status_recommendation_tiers_evidence_and_top_dose_table(client, coordinator, refractory_case):
    client.force_login(coordinator)
    html = review(client, refractory_case).content.decode()
    assert "HER2-positive" in html and "Anti-HER2 therapy" in html
    assert "Doses: Tucatinib (TUKYSA) + trastuzumab" in html
    assert '<h4>Tucatinib (TUKYSA) + trastuzumab <span class="badge tier-preferred">Preferred</span></h4>' in html
    assert "MOUNTAINEER" in html
    dose_table = html.split('class="dose-table"')[1].split("</table>")[0]
    assert "560 mg" in dose_table and "Loading" in dose_table
    assert "IV infusion over 90 minutes." in dose_table, "D9: how each dose is given is in the dose table"
    assert "about 12 hours apart, swallowed whole" in dose_table
    assert "waste" not in dose_table, "D7: no waste is shown for the multi-dose trastuzumab vial"
    assert "LVEF" in html.split("<h3>Monitoring</h3>")[1].split("</ul>")[0]
    for tier_heading in ("Preferred", "Alternative", "Subsequent line", "Not recommended"):
        assert f'<h3 class="tier-heading">{tier_heading}</h3>' in html


def test_missing_data_items_link_to_the_step_that_fixes_them(client, coordinator):
    case = make_case(coordinator, profile={**HER2_POSITIVE, "kras": "unknown"}, lines=REFRACTORY)
    client.force_login(coordinator)
    missing = review(client, case).content.decode().split('class="missing-data"')[1].split("</ul>")[0]
    assert f'<a href="/cases/{case.pk}/step/tumour/">RAS status</a>' in missing
    assert f'<a href="/cases/{case.pk}/step/fitness/">Weight</a>' in missing


def test_blocking_warnings_come_first(client, coordinator):
    case = make_case(coordinator, profile=HER2_POSITIVE, clinical={**FIT, "lvef_percent": 40, "ecog": 3},
                     lines=REFRACTORY)
    client.force_login(coordinator)
    outcome = review(client, case).context["outcome"]
    severities = [warning["severity"] for warning in outcome.warnings]
    assert severities[0] == "blocking"
    assert severities == sorted(severities, key=["blocking", "caution", "info"].index)


def test_invalid_engine_input_shows_the_message_and_links_to_its_step(client, coordinator):
    case = make_case(coordinator, profile={"her2_ihc": "3+", "her2_ish": "not_amplified", "her2_ish_ratio": 3})
    client.force_login(coordinator)
    html = review(client, case).content.decode()
    assert "cannot read this case" in html
    assert f'href="/cases/{case.pk}/step/tumour/"' in html.split("cannot read this case")[1]
    assert "Tumour and molecular profile" in html.split("cannot read this case")[1]
    assert 'value="send"' not in html
    response = post_step(client, case, "review")
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT and response.status_code == 200


def test_send_to_oncologist_marks_the_case_ready(client, coordinator, refractory_case):
    client.force_login(coordinator)
    response = post_step(client, refractory_case, "review")
    refractory_case.refresh_from_db()
    assert response.url == f"/cases/{refractory_case.pk}/"
    assert refractory_case.status == Case.Status.READY
    assert refractory_case.version == 2


def test_send_over_htmx_redirects_the_whole_page(client, coordinator, refractory_case):
    client.force_login(coordinator)
    response = client.post(f"/cases/{refractory_case.pk}/step/review/",
                           {"version": refractory_case.version, "action": "send"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"/cases/{refractory_case.pk}/"


def test_sending_twice_does_not_change_a_case_already_sent(client, coordinator, refractory_case):
    refractory_case.status = Case.Status.PLANNED
    refractory_case.save()
    client.force_login(coordinator)
    post_step(client, refractory_case, "review")
    refractory_case.refresh_from_db()
    assert refractory_case.status == Case.Status.PLANNED


def test_blocking_warnings_are_announced_above_the_recommendation(client, coordinator):
    case = make_case(coordinator, profile=HER2_POSITIVE, clinical={**FIT, "pregnant": True}, lines=REFRACTORY)
    client.force_login(coordinator)
    html = review(client, case).content.decode()
    banner = html.split('class="warning warning-blocking" role="alert"')[1].split("</div>")[0]
    assert "cannot be approved without a recorded override reason" in banner
    assert html.index("cannot be approved") < html.index("engine-headline")


def test_S1_pregnancy_headline_says_every_regimen_is_contraindicated(client, coordinator, refractory_case):
    """The recommendation code stays anti_her2 (modifiers never change it), so the headline must not read as a go."""
    pregnant = make_case(coordinator, profile=HER2_POSITIVE, clinical={**FIT, "pregnant": True}, lines=REFRACTORY)
    client.force_login(coordinator)
    headline = review(client, pregnant).content.decode().split('class="card engine-headline"')[1].split("</h2>")[0]
    assert "Anti-HER2 therapy: every regimen is contraindicated" in headline
    usual = review(client, refractory_case).content.decode().split('class="card engine-headline"')[1].split("</h2>")[0]
    assert "contraindicated" not in usual


def test_no_dose_table_when_the_best_option_is_a_clinical_trial(client, coordinator):
    case = make_case(coordinator, profile=HER2_POSITIVE, clinical={**FIT, "pregnant": True}, lines=REFRACTORY)
    client.force_login(coordinator)
    html = review(client, case).content.decode()
    assert "Doses:" not in html and "No doses for this option" not in html
    assert '<h4>Clinical trial <span class="badge tier-consider">Consider</span></h4>' in html


def test_sending_for_review_keeps_the_result_shown_for_the_recheck(client, coordinator, refractory_case):
    client.force_login(coordinator)
    shown = review(client, refractory_case).context["outcome"].result
    post_step(client, refractory_case, "review")
    refractory_case.refresh_from_db()
    assert refractory_case.sent_engine_output == shown
    assert refractory_case.sent_engine_input == case_to_engine_input(refractory_case)
    assert refractory_case.sent_at is not None
