"""Re-check: after a ruleset change, saved plans whose stored engine result
differs under the current rules are listed with a readable diff (HER2 status,
recommendation, tier per regimen, doses of the chosen regimen)."""

import copy

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

import regimens
from her2app.plans import actions
from her2app.plans.engine import run_engine
from her2app.plans.models import TreatmentPlan
from her2app.recheck.compare import Change, compare_results, recheck_all
from tests.web.board_fixtures import make_board_case, make_engine_plan

pytestmark = pytest.mark.django_db


def option(result: dict, regimen: str) -> dict:
    return next(o for o in result["options"] if o["regimen"] == regimen)


def as_if_made_under_an_older_ruleset(plan: TreatmentPlan) -> dict:
    """Store an output the current rules no longer give (queryset update: a
    signed plan's snapshot cannot change through the model, by design)."""
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
        "her2_status": "positive", "recommendation": "anti_her2",
        "options": [{"regimen": "tucatinib-trastuzumab", "tier": "preferred",
                     "doses": [{"drug": "trastuzumab", "phase": "loading", "dose_mg": 560.0, "route": "IV",
                                "frequency": "once", "basis": "8 mg/kg x 70 kg"}]},
                    {"regimen": "clinical-trial", "tier": "consider", "doses": []}],
    }
    stored = copy.deepcopy(current)
    stored["her2_status"] = "equivocal"
    stored["options"][0]["tier"] = "subsequent_line"
    stored["options"][0]["doses"][0]["dose_mg"] = 520.0
    del stored["options"][1]

    changes = compare_results(stored, current, "tucatinib-trastuzumab")

    assert changes == [
        Change("HER2 status", "HER2 equivocal", "HER2-positive"),
        Change("Tier of Tucatinib + trastuzumab", "Subsequent line", "Preferred"),
        Change("Tier of Clinical trial", "not listed", "Consider"),
        Change("Tucatinib + trastuzumab: trastuzumab (loading)",
               "520 mg IV once [8 mg/kg x 70 kg]", "560 mg IV once [8 mg/kg x 70 kg]"),
    ]
    assert compare_results(current, copy.deepcopy(current), "tucatinib-trastuzumab") == []


def test_a_plan_made_under_the_current_rules_is_not_listed(oncologist):
    make_engine_plan(make_board_case(oncologist), oncologist, approve=True)
    (result,) = recheck_all()
    assert not result.differs


def test_command_lists_a_plan_whose_stored_result_differs(oncologist, capsys):
    plan = make_engine_plan(make_board_case(oncologist), oncologist, approve=True)
    make_engine_plan(make_board_case(oncologist, mrn="MRN-SAME"), oncologist)
    as_if_made_under_an_older_ruleset(plan)

    call_command("recheck_cases")
    output = capsys.readouterr().out

    assert f"Ruleset now {regimens.RULESET_VERSION}. Checked 2 saved plan(s); 1 differ." in output
    assert f"Case {plan.case_id}, plan {plan.pk} v1 (approved, tucatinib-trastuzumab), made with ruleset 2025.2:" in output
    assert "HER2 status: HER2 equivocal -> HER2-positive" in output
    assert "Recommendation: Complete HER2 testing -> Anti-HER2 therapy" in output
    assert "Tier of Tucatinib + trastuzumab: Consider -> Preferred" in output
    assert "Tier of Clinical trial: not listed -> Consider" in output
    assert "Tucatinib + trastuzumab: trastuzumab (loading): 520 mg IV once [8 mg/kg x 70 kg] -> 560 mg IV once" in output
    assert "Brightwater" not in output, "command output carries ids, not patient names"


def test_command_can_fail_a_deployment_check(oncologist):
    plan = make_engine_plan(make_board_case(oncologist), oncologist)
    call_command("recheck_cases", "--fail-on-change")  # nothing differs: no error
    as_if_made_under_an_older_ruleset(plan)
    with pytest.raises(CommandError, match="1 saved plan"):
        call_command("recheck_cases", "--fail-on-change")


def test_only_each_cases_current_plan_is_checked(oncologist):
    case = make_board_case(oncologist)
    first = make_engine_plan(case, oncologist, approve=True)
    as_if_made_under_an_older_ruleset(first)
    revision = actions.revise_plan(TreatmentPlan.objects.get(pk=first.pk), oncologist)
    revision.engine_output = run_engine(case)[1]  # the revision was re-made under the current rules
    revision.save()
    actions.approve_plan(revision, oncologist)

    results = recheck_all()

    assert [result.plan.pk for result in results] == [revision.pk], "the superseded version is history, not re-checked"
    assert not results[0].differs


def test_stored_input_that_is_now_invalid_is_reported_not_a_crash(oncologist):
    plan = make_engine_plan(make_board_case(oncologist), oncologist)
    bad_input = {**plan.engine_input, "patient": {**plan.engine_input["patient"], "weight_kg": 999}}
    TreatmentPlan.objects.filter(pk=plan.pk).update(engine_input=bad_input)
    (result,) = recheck_all()
    assert result.differs
    assert "not valid under the current rules" in result.error and "weight_kg" in result.error


def test_page_shows_the_diff_to_an_oncologist(client, oncologist):
    plan = make_engine_plan(make_board_case(oncologist), oncologist, approve=True)
    as_if_made_under_an_older_ruleset(plan)
    client.force_login(oncologist)
    response = client.get(reverse("recheck:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>1</strong> gives a different result" in page
    assert "Case %d: Alma Brightwater" % plan.case_id in page
    assert "<th scope=\"row\">HER2 status</th><td>HER2 equivocal</td><td><strong>HER2-positive</strong></td>" in page
    assert "made with ruleset 2025.2" in page


def test_page_says_so_when_nothing_changed(client, oncologist):
    make_engine_plan(make_board_case(oncologist), oncologist)
    client.force_login(oncologist)
    page = client.get(reverse("recheck:list")).content.decode()
    assert "Every saved plan gives the same result under the current rules." in page


@pytest.mark.parametrize("role", ["coordinator", "nurse"])
def test_only_oncologists_see_the_recheck_page(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("recheck:list")).status_code == 403


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("recheck:list"))
    assert response.status_code == 302 and "login" in response["Location"]
