"""Step 4: fitness and safety, with the ranges of reference S9."""

from functools import partial

import pytest

from her2app.cases.models import ClinicalStatus
from tests.web.case_helpers import field_block, post_step
from tests.factories import make_case


post = partial(post_step, step="fitness")


def test_valid_fitness_is_saved_and_goes_to_review(client, coordinator, case):
    client.force_login(coordinator)
    response = post(client, case, hepatic_impairment="severe", strong_cyp2c8_inhibitor="true", pregnant="unknown")
    clinical = ClinicalStatus.objects.get(case=case)
    assert response.url == f"/cases/{case.pk}/step/review/"
    assert (float(clinical.weight_kg), clinical.ecog, clinical.lvef_percent) == (70.0, 1, 60)
    assert (clinical.hepatic_impairment, clinical.strong_cyp2c8_inhibitor, clinical.pregnant) == ("severe", True, None)


@pytest.mark.parametrize("name, value, message", [
    ("weight_kg", "19.9", "Weight must be a number from 20 to 350 kg."),
    ("weight_kg", "351", "Weight must be a number from 20 to 350 kg."),
    ("weight_kg", "640", "Weight must be a number from 20 to 350 kg."),
    ("height_cm", "99", "Height must be a number from 100 to 250 cm."),
    ("height_cm", "251", "Height must be a number from 100 to 250 cm."),
    ("lvef_percent", "4", "LVEF must be a number from 5 to 90%."),
    ("lvef_percent", "91", "LVEF must be a number from 5 to 90%."),
    ("ecog", "5", "ECOG performance status must be a number from 0 to 4."),
    ("weight_kg", "seventy", "Weight must be a number from 20 to 350 kg."),
    ("weight_date", "2999-01-01", "cannot be in the future"),
    ("hepatic_impairment", "awful", "Select a valid choice"),
])
def test_out_of_range_values_are_refused_at_the_field_and_kept(client, coordinator, case, name, value, message):
    client.force_login(coordinator)
    html = post(client, case, **{name: value}).content.decode()
    block = field_block(html, name)
    assert message in block
    assert value in block, "the typed value is shown back"
    assert not ClinicalStatus.objects.filter(case=case).exists()


def test_D7_benzyl_alcohol_hypersensitivity_is_recorded_in_the_fitness_step(client, coordinator, case):
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/step/fitness/").content.decode()
    assert "Hypersensitive to benzyl alcohol" in field_block(html, "benzyl_alcohol_hypersensitivity")
    post(client, case, benzyl_alcohol_hypersensitivity="true")
    assert ClinicalStatus.objects.get(case=case).benzyl_alcohol_hypersensitivity is True


def test_S1_pregnant_male_patient_is_refused_at_the_field(client, coordinator):
    case = make_case(coordinator)
    case.patient.sex = "male"
    case.patient.save()
    client.force_login(coordinator)
    html = post(client, case, pregnant="true", weight_kg="82").content.decode()
    assert "The patient is recorded as male" in field_block(html, "pregnant")
    assert 'value="82"' in field_block(html, "weight_kg"), "nothing typed is lost"
    assert not ClinicalStatus.objects.filter(case=case).exists()


def test_S10_unknown_pregnancy_is_explained_at_the_field(client, coordinator, case):
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/step/fitness/").content.decode()
    assert "blocks anti-HER2 therapy until it is verified" in field_block(html, "pregnant")
