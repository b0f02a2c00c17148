"""Issue 16 item 5: plausibility checks ask, they don't refuse. A weight outside 35-200 kg, or more than 10%
from the last recorded weight, is saved only with a confirmation tick; reference S9's 20-350 kg stays hard."""

import re
from decimal import Decimal
from functools import partial

import pytest

from her2app.cases.models import ClinicalStatus
from tests.factories import make_case
from tests.web.case_helpers import field_block, post_step


post = partial(post_step, step="fitness")


def saved_weight(case):
    return ClinicalStatus.objects.filter(case=case).values_list("weight_kg", flat=True).first()


@pytest.mark.parametrize("weight, question", [
    ("164", None),
    ("201", "201 kg is outside the usual 35-200 kg."),
    ("34.5", "34.5 kg is outside the usual 35-200 kg."),
])
def test_weight_outside_35_to_200_kg_asks_for_a_tick(client, coordinator, weight, question):
    case = make_case(coordinator)
    client.force_login(coordinator)
    response = post(client, case, weight_kg=weight)
    if question is None:
        assert response.status_code == 302 and saved_weight(case) == Decimal(weight)
        return
    html = response.content.decode()
    assert question in field_block(html, "weight_kg")
    assert "I have checked this weight" in html and f'name="confirm_weight" value="{weight}"' in html
    assert saved_weight(case) is None
    assert post(client, case, weight_kg=weight, confirm_weight=weight).status_code == 302
    assert saved_weight(case) == Decimal(weight)


def test_a_weight_more_than_10_percent_from_the_last_recorded_asks_for_a_tick(client, coordinator):
    case = make_case(coordinator, clinical={"weight_kg": Decimal("140")})
    client.force_login(coordinator)
    html = post(client, case, weight_kg="164").content.decode()
    assert "164 kg is 17% more than the last recorded weight (140 kg)." in field_block(html, "weight_kg")
    assert saved_weight(case) == Decimal("140")
    post(client, case, weight_kg="164", confirm_weight="164")
    assert saved_weight(case) == Decimal("164")


def test_a_tick_given_for_one_weight_does_not_confirm_a_weight_typed_afterwards(client, coordinator):
    case = make_case(coordinator, clinical={"weight_kg": Decimal("70")})
    client.force_login(coordinator)
    post(client, case, weight_kg="90")
    html = post(client, case, weight_kg="55", confirm_weight="90").content.decode()
    assert "55 kg is 21% less than the last recorded weight (70 kg)." in field_block(html, "weight_kg")
    tick = re.search(r'<input type="checkbox" name="confirm_weight"[^>]*>', html).group()
    assert 'value="55"' in tick and "checked" not in tick
    assert saved_weight(case) == Decimal("70")
    assert post(client, case, weight_kg="55.0", confirm_weight="55").status_code == 302
    assert saved_weight(case) == Decimal("55")


def test_a_change_of_10_percent_or_less_is_saved_without_a_question(client, coordinator):
    case = make_case(coordinator, clinical={"weight_kg": Decimal("70")})
    client.force_login(coordinator)
    assert post(client, case, weight_kg="77").status_code == 302
    assert saved_weight(case) == Decimal("77")


def test_the_last_recorded_weight_can_come_from_the_patients_earlier_case(client, coordinator):
    earlier = make_case(coordinator, mrn="PL-1", clinical={"weight_kg": Decimal("80")})
    later = make_case(coordinator, mrn="PL-2")
    later.patient = earlier.patient
    later.save()
    client.force_login(coordinator)
    html = post(client, later, weight_kg="60").content.decode()
    assert "60 kg is 25% less than the last recorded weight (80 kg)." in html


def test_S9_hard_limit_is_not_overridden_by_the_tick(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    html = post(client, case, weight_kg="640", confirm_weight="640").content.decode()
    assert "Weight must be a number from 20 to 350 kg." in field_block(html, "weight_kg")
    assert saved_weight(case) is None
