"""Step 2: tumour and molecular profile, validated as in reference S9 and H1."""

from functools import partial

import pytest

from her2app.cases.models import MolecularProfile
from tests.web.case_helpers import field_block, post_step


post = partial(post_step, step="tumour")


def test_valid_profile_is_saved_with_site_and_goes_to_history(client, coordinator, case):
    client.force_login(coordinator)
    response = post(client, case, her2_ihc="2+", her2_ish="amplified", her2_ish_ratio="2.4", kras="mutant")
    profile = MolecularProfile.objects.get(case=case)
    case.refresh_from_db()
    assert response.url == f"/cases/{case.pk}/step/history/"
    assert (profile.her2_ihc, profile.her2_ish, str(profile.her2_ish_ratio), profile.ras) == (
        "2+", "amplified", "2.40", "mutant")
    assert case.primary_site == "left_colon" and case.version == 2


@pytest.mark.parametrize("ish, ratio, expected", [
    ("not_amplified", "2.0", "is amplified"),
    ("not_amplified", "3.5", "is amplified"),
    ("amplified", "1.99", "is not amplified"),
])
def test_ish_result_contradicting_its_ratio_is_refused_at_the_ish_field(client, coordinator, case, ish, ratio,
                                                                        expected):
    client.force_login(coordinator)
    html = post(client, case, her2_ish=ish, her2_ish_ratio=ratio, laboratory="Kept Lab").content.decode()
    assert expected in field_block(html, "her2_ish")
    assert f'value="{ratio}"' in field_block(html, "her2_ish_ratio")
    assert 'value="Kept Lab"' in field_block(html, "laboratory")
    assert not MolecularProfile.objects.filter(case=case).exists()


@pytest.mark.parametrize("name, value, message", [
    ("her2_ihc_percent_cells", "101", "HER2 IHC % of tumour cells must be a number from 0 to 100%."),
    ("her2_ish_ratio", "50.5", "HER2:CEP17 ratio must be a number from 0 to 50."),
    ("her2_ish_ratio", "-1", "HER2:CEP17 ratio must be a number from 0 to 50."),
    ("her2_ihc", "4+", "Select a valid choice"),
    ("kras", "maybe", "Select a valid choice"),
    ("her2_ish_ratio", "two", "HER2:CEP17 ratio must be a number from 0 to 50."),
])
def test_out_of_range_values_are_refused_at_the_field(client, coordinator, case, name, value, message):
    client.force_login(coordinator)
    html = post(client, case, **{name: value}).content.decode()
    assert message in field_block(html, name)
    assert not MolecularProfile.objects.filter(case=case).exists()
