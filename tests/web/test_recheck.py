"""Re-check: every approved plan and every saved case is re-run on the case's CURRENT data under the current
ruleset and compared with what was signed or saved; those that differ are listed with a readable diff (the
result, and the case data that changed since). Approved plans keep the ruleset they were signed under."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

import regimens
from her2app.demo.management.commands.load_demo import DEMO_CASES
from her2app.demo.cases import demo_case_files, demo_identity, load_demo_cases
from her2app.cases.models import Case, ClinicalStatus, TreatmentLine
from her2app.cases.wizard import ReviewEditor
from her2app.plans import actions
from her2app.demo.plans import approve_top_option
from her2app.plans.models import PlanState, TreatmentPlan
from her2app.cases.changes import Change, compare_results
from her2app.recheck.compare import recheck_all
from tests.web.board_fixtures import make_board_case, make_engine_plan

pytestmark = pytest.mark.django_db
# The demo cases' results under ruleset 2026.1, saved before the upgrade (evidence and monitoring left out).
RESULTS_2026_1 = json.loads((Path(__file__).parent / "data" / "demo_results_2026_1.json").read_text())


def option(result: dict, regimen: str) -> dict:
    return next(o for o in result["options"] if o["regimen"] == regimen)


def as_if_made_under_an_older_ruleset(plan: TreatmentPlan) -> dict:
    """Store an output the current rules no longer give (queryset update: a signed plan's snapshot cannot
    change through the model, by design)."""
    old = copy.deepcopy(plan.engine_output)
    old["ruleset_version"] = "2025.2"
    old["her2_status"] = "equivocal"
    old["recommendation"] = "complete_her2_testing"
    option(old, "tucatinib-trastuzumab")["tier"] = "consider"
    loading = next(d for d in option(old, "tucatinib-trastuzumab")["doses"] if d["phase"] == "loading")
    loading["dose_mg"] = 520.0
    old["options"] = [o for o in old["options"] if o["regimen"] != "clinical-trial"]
    TreatmentPlan.objects.filter(pk=plan.pk).update(engine_output=old, ruleset_version="2025.2")
    return old


def test_compare_results_names_each_change_in_clinical_words():
    current = {
        "her2_status": "positive", "recommendation": "anti_her2", "missing_data": [],
        "options": [{"regimen": "tucatinib-trastuzumab", "tier": "preferred", "warnings": [],
                     "doses": [{"drug": "trastuzumab", "phase": "loading", "dose_mg": 560.0, "route": "IV",
                                "frequency": "once", "days": [1], "basis": "8 mg/kg x 70 kg"}]},
                    {"regimen": "clinical-trial", "tier": "consider", "doses": [], "warnings": []}],
    }
    stored = copy.deepcopy(current)
    stored["her2_status"] = "equivocal"
    stored["options"][0]["tier"] = "subsequent_line"
    stored["options"][0]["doses"][0]["dose_mg"] = 520.0
    stored["missing_data"] = ["lvef_percent"]
    del stored["options"][1]

    changes = compare_results(stored, current, "tucatinib-trastuzumab")

    assert changes == [
        Change("HER2 status", "HER2 equivocal", "HER2-positive"),
        Change("Tier of Tucatinib (TUKYSA) + trastuzumab", "Subsequent line", "Preferred"),
        Change("Tier of Clinical trial", "not listed", "Consider"),
        Change("Tucatinib (TUKYSA) + trastuzumab: trastuzumab (loading)",
               "520 mg IV once (8 mg/kg x 70 kg)", "560 mg IV once (8 mg/kg x 70 kg)"),
        Change("Missing data", "LVEF", "none"),
    ]
    assert compare_results(current, copy.deepcopy(current), "tucatinib-trastuzumab") == []


def test_a_plan_made_under_the_current_rules_for_unchanged_data_is_not_listed(oncologist):
    make_engine_plan(make_board_case(oncologist), oncologist, approve=True)
    (result,) = recheck_all()
    assert not result.differs and result.data_changes == []


def test_approved_plan_is_rechecked_on_the_cases_current_data(oncologist):
    """Issue: after approval the weight went 70 -> 60 kg and LVEF 60 -> 45%, and the re-check (which re-ran
    only the stored plan input) said nothing differed."""
    case = make_board_case(oncologist)
    plan = make_engine_plan(case, oncologist, approve=True)
    ClinicalStatus.objects.filter(case=case).update(weight_kg=Decimal("60.0"), lvef_percent=45)

    (result,) = recheck_all()

    assert result.differs and result.plan == plan
    assert Change("Weight", "70 kg", "60 kg") in result.data_changes
    assert Change("LVEF", "62%", "45%") in result.data_changes
    assert Change("Tier of Tucatinib (TUKYSA) + trastuzumab", "Preferred", "Contraindicated") in result.changes
    assert Change("Tucatinib (TUKYSA) + trastuzumab: trastuzumab (loading)", "560 mg IV once (8 mg/kg x 70 kg)",
                  "480 mg IV once (8 mg/kg x 60 kg)") in result.changes
    assert any(change.label == "Blocking warning on Tucatinib (TUKYSA) + trastuzumab"
               and "LVEF below 50%" in change.new for change in result.changes)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.ruleset_version == regimens.RULESET_VERSION
    assert plan.engine_input["patient"]["weight_kg"] == 70.0, "the signed plan itself does not change"


def test_a_case_sent_for_review_keeps_what_was_shown_and_is_compared_with_its_current_data(oncologist):
    case = make_board_case(oncologist)
    ReviewEditor(case).save()
    case.refresh_from_db()
    assert case.status == Case.Status.READY and case.sent_engine_output["ruleset_version"] == regimens.RULESET_VERSION
    assert case.sent_engine_input["patient"]["weight_kg"] == 70.0
    assert not any(result.differs for result in recheck_all())

    ClinicalStatus.objects.filter(case=case).update(pregnant=None)
    (result,) = recheck_all()
    assert result.differs and result.plan is None and result.saved.label == "sent for review"
    assert Change("Pregnancy status", "No", "not recorded") in result.data_changes
    assert Change("Missing data", "none", "Pregnancy status") in result.changes


def test_a_case_whose_newest_result_is_a_draft_plan_is_compared_with_that_draft(oncologist):
    case = make_board_case(oncologist)
    ReviewEditor(case).save()
    draft = make_engine_plan(Case.objects.get(pk=case.pk), oncologist)
    TreatmentLine.objects.filter(case=case).update(agents=["fluoropyrimidine", "oxaliplatin"])
    (result,) = recheck_all()
    assert result.plan == draft and result.saved.label == "draft plan version 1"
    assert Change("Recommendation", "Anti-HER2 therapy", "Standard therapy first") in result.changes
    assert Change("Treatment history", "Fluoropyrimidine (5-FU, capecitabine), Irinotecan, Oxaliplatin",
                  "Fluoropyrimidine (5-FU, capecitabine), Oxaliplatin") in result.data_changes
    assert Change("Best option", "Tucatinib (TUKYSA) + trastuzumab (preferred)",
                  "Tucatinib (TUKYSA) + trastuzumab (subsequent line)") not in result.changes, "same regimen"


def test_command_lists_what_differs_in_clinical_words_and_ids_only(oncologist, capsys):
    plan = make_engine_plan(make_board_case(oncologist), oncologist, approve=True)
    make_engine_plan(make_board_case(oncologist, mrn="MRN-SAME"), oncologist)
    as_if_made_under_an_older_ruleset(plan)

    call_command("recheck_cases")
    output = capsys.readouterr().out

    assert f"Ruleset now {regimens.RULESET_VERSION}. Checked 1 approved plan(s) and 1 other saved case(s); 1 differ." \
        in output
    assert f"Case {plan.case_id}, plan {plan.pk}: approved plan version 1, made with ruleset 2025.2:" in output
    assert "HER2 status: HER2 equivocal -> HER2-positive" in output
    assert "Recommendation: Complete HER2 testing -> Anti-HER2 therapy" in output
    assert "Tier of Tucatinib (TUKYSA) + trastuzumab: Consider -> Preferred" in output
    assert "Tier of Clinical trial: not listed -> Consider" in output
    assert ("Tucatinib (TUKYSA) + trastuzumab: trastuzumab (loading): 520 mg IV once (8 mg/kg x 70 kg) -> 560 mg IV "
            "once") in output
    assert "Brightwater" not in output, "command output carries ids, not patient names"


def test_command_can_fail_a_deployment_check(oncologist):
    plan = make_engine_plan(make_board_case(oncologist), oncologist)
    call_command("recheck_cases", "--fail-on-change")  # nothing differs: no error
    as_if_made_under_an_older_ruleset(plan)
    with pytest.raises(CommandError, match="1 saved result"):
        call_command("recheck_cases", "--fail-on-change")


def test_superseded_versions_are_history_not_rechecked(oncologist):
    case = make_board_case(oncologist)
    first = make_engine_plan(case, oncologist, approve=True)
    revision = actions.revise_plan(TreatmentPlan.objects.get(pk=first.pk), oncologist)
    actions.approve_plan(revision, oncologist)
    as_if_made_under_an_older_ruleset(first)  # what the superseded version said no longer matters

    results = recheck_all()

    assert [result.plan.pk for result in results] == [revision.pk]
    assert not results[0].differs


def test_current_data_that_is_now_invalid_is_reported_not_a_crash(oncologist):
    case = make_board_case(oncologist)
    make_engine_plan(case, oncologist)
    ClinicalStatus.objects.filter(case=case).update(weight_kg=Decimal("999.0"))
    (result,) = recheck_all()
    assert result.differs
    assert "cannot be assessed under the current rules" in result.error and "weight_kg" in result.error
    assert Change("Weight", "70 kg", "999 kg") in result.data_changes


def test_page_shows_the_diff_to_an_oncologist(client, oncologist):
    plan = make_engine_plan(make_board_case(oncologist), oncologist, approve=True)
    as_if_made_under_an_older_ruleset(plan)
    ClinicalStatus.objects.filter(case=plan.case).update(weight_kg=Decimal("60.0"))
    client.force_login(oncologist)
    response = client.get(reverse("recheck:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>1</strong> differs now" in page
    assert "Case %d: Alma Brightwater" % plan.case_id in page
    assert '<th scope="row">HER2 status</th><td>HER2 equivocal</td><td><strong>HER2-positive</strong></td>' in page
    assert "made with ruleset 2025.2" in page and "Approved plans keep the ruleset they were signed under" in page
    assert "<li>Weight: 70 kg → <strong>60 kg</strong></li>" in page


def test_page_says_so_when_nothing_changed(client, oncologist):
    make_engine_plan(make_board_case(oncologist), oncologist)
    client.force_login(oncologist)
    page = client.get(reverse("recheck:list")).content.decode()
    assert "Every saved case and approved plan gives the same result for its current data" in page


# What re-checking the demo data after the upgrade to 2026.2 must show: fixture -> the lines that differ.
DEMO_DIFFS_AFTER_UPGRADE = {
    "severe_hepatic_cyp2c8_refractory": {  # S4: lapatinib in Child-Pugh C
        "Tier of Lapatinib (TYKERB) + trastuzumab": ("Alternative", "Not recommended"),
        "Blocking warning on Lapatinib (TYKERB) + trastuzumab": ("none", None),
    },
}


def test_demo_data_rechecked_after_the_upgrade_shows_the_expected_diffs(oncologist):
    """Load the demo, put back what each saved case and the signed plan showed under 2026.1, re-check."""
    coordinator = User.objects.create_user("demo-coordinator")
    load_demo_cases(DEMO_CASES, coordinator, lambda data: regimens.recommend(data)["recommendation"] == "anti_her2")
    by_mrn = {demo_identity(index)[0]: path.stem for index, path in enumerate(demo_case_files(DEMO_CASES))}
    signed = approve_top_option(Case.objects.get(patient__mrn=next(m for m, n in by_mrn.items()
                                                                    if n == "refractory_ras_wt_ihc3")), oncologist)
    for case in Case.objects.filter(sent_engine_output__isnull=False).select_related("patient"):
        name = by_mrn[case.patient.mrn]
        if name in RESULTS_2026_1:
            Case.objects.filter(pk=case.pk).update(sent_engine_output=RESULTS_2026_1[name])
    TreatmentPlan.objects.filter(pk=signed.pk).update(engine_output=RESULTS_2026_1["refractory_ras_wt_ihc3"],
                                                      ruleset_version="2026.1")

    results = recheck_all()
    differing = {by_mrn[result.case.patient.mrn]: result for result in results if result.differs}

    assert set(differing) == set(DEMO_DIFFS_AFTER_UPGRADE)
    assert any(result.plan and result.plan.pk == signed.pk for result in results), "the signed plan is checked"
    for name, expected in DEMO_DIFFS_AFTER_UPGRADE.items():
        shown = {change.label: (change.old, change.new) for change in differing[name].changes}
        assert set(shown) == set(expected), name
        for what, (before, after) in expected.items():
            assert shown[what][0] == before and (after is None or shown[what][1] == after), (name, what)
        assert differing[name].saved.ruleset_version == "2026.1" and differing[name].current_version == "2026.2"
    assert "lapatinib" in differing["severe_hepatic_cyp2c8_refractory"].changes[-1].new.lower()
    assert TreatmentPlan.objects.get(pk=signed.pk).ruleset_version == "2026.1", "a signed plan keeps its ruleset"


@pytest.mark.parametrize("role", ["coordinator", "nurse"])
def test_only_oncologists_see_the_recheck_page(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("recheck:list")).status_code == 403


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("recheck:list"))
    assert response.status_code == 302 and "login" in response["Location"]
