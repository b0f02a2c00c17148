"""generate_cases: synthetic cases in bulk that walk every clinical path of the reference."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

import regimens
from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.management.commands.generate_cases import SCENARIOS, generate_cases
from her2app.cases.models import Case, ClinicalStatus, MolecularProfile, Patient

pytestmark = pytest.mark.django_db
ANTI_HER2_REGIMENS = {"tucatinib-trastuzumab", "pertuzumab-trastuzumab", "lapatinib-trastuzumab",
                      "trastuzumab-deruxtecan", "pertuzumab-trastuzumab-emtansine"}


def synthetic_cases() -> list[Case]:
    return list(Case.objects.filter(patient__mrn__startswith="SYN").order_by("pk")
                .select_related("patient", "profile", "clinical").prefetch_related("treatment_lines"))


def engine_results() -> list[dict]:
    return [regimens.recommend(case_to_engine_input(case)) for case in synthetic_cases()]


def test_command_creates_complete_records_for_each_case(coordinator):
    out = StringIO()
    call_command("generate_cases", "40", "--user", coordinator.username, stdout=out)
    assert "Created 40 synthetic cases" in out.getvalue()
    assert Case.objects.filter(created_by=coordinator).count() == 40
    assert MolecularProfile.objects.count() == ClinicalStatus.objects.count() == 40
    assert Patient.objects.filter(mrn__startswith="SYN").values("mrn").distinct().count() == 40
    assert Case.history.count() == 40, "each case carries its 'created' audit row"


def test_every_scenario_reaches_the_recommendation_it_is_named_for(coordinator):
    generate_cases(len(SCENARIOS), author=coordinator)
    for scenario, result in zip(SCENARIOS, engine_results(), strict=True):
        assert result["recommendation"] == scenario.expected, (
            f"{scenario.name}: engine said {result['recommendation']} ({result['summary']})"
        )


def test_scenarios_cover_all_four_recommendations_and_the_safety_rules(coordinator):
    generate_cases(len(SCENARIOS), author=coordinator)
    results = engine_results()
    assert {r["recommendation"] for r in results} == {
        "anti_her2", "standard_therapy_first", "complete_her2_testing", "not_indicated"}
    assert {r["her2_status"] for r in results} == {"positive", "negative", "equivocal", "untested"}
    warnings = {w["code"] for r in results for w in r["warnings"]}
    # S1-S8 and H5 each leave their own warning on at least one case.
    for code in ("pregnancy", "lvef_low", "lvef_unknown", "ild_history", "hepatic_severe_tucatinib",
                 "cyp2c8_inhibitor", "msi_high", "braf_v600e", "ecog_high", "weight_missing", "her2_discordant",
                 "anti_egfr_switch", "ras_unknown"):
        assert code in warnings, f"no synthetic case triggers warning {code}"


def test_pregnant_patient_has_every_anti_her2_option_contraindicated(coordinator):
    generate_cases(len(SCENARIOS), author=coordinator)
    index = next(i for i, s in enumerate(SCENARIOS) if s.name.startswith("pregnant"))
    case, result = synthetic_cases()[index], engine_results()[index]
    assert case.clinical.pregnant is True and case.patient.sex == "female"
    tiers = {o["regimen"]: o["tier"] for o in result["options"] if o["regimen"] in ANTI_HER2_REGIMENS}
    assert tiers and set(tiers.values()) == {"contraindicated"}, tiers


def test_repeated_runs_continue_mrn_numbering_and_keep_timestamps_spread(coordinator):
    generate_cases(5, author=coordinator)
    generate_cases(5, author=coordinator, seed=2)
    mrns = sorted(Patient.objects.values_list("mrn", flat=True))
    assert mrns == [f"SYN{n:08d}" for n in range(1, 11)]
    assert Case.objects.values("created_at").distinct().count() == 10, "creation times are spread, not all now"
    field = Case._meta.get_field("created_at")
    assert field.auto_now_add, "the model's auto_now_add is restored after generation"


def test_same_seed_gives_the_same_patients(coordinator):
    generate_cases(3, author=coordinator, seed=7)
    first = list(Patient.objects.order_by("mrn").values_list("given_name", "family_name", "date_of_birth"))
    Case.objects.all().delete()
    Patient.objects.all().delete()
    generate_cases(3, author=coordinator, seed=7)
    again = list(Patient.objects.order_by("mrn").values_list("given_name", "family_name", "date_of_birth"))
    assert first == again


@pytest.mark.parametrize(("args", "message"), [(["0"], "positive"), (["3", "--user", "nobody"], "No user named")])
def test_bad_arguments_are_refused_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_cases", *args)
    assert not Case.objects.exists()
