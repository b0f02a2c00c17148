"""Issue 16 item 6: KRAS and NRAS are recorded separately; the engine's `ras` is derived in one place
(models.derive_ras, run on every save): mutant if either is mutant, wild type only if both are wild type with
exons 2, 3 and 4 tested, otherwise unknown."""

import pytest

from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.models import MolecularProfile, derive_ras
from tests.factories import make_case
from tests.web.case_helpers import post_step, tumour_payload

ALL = [2, 3, 4]


@pytest.mark.parametrize("kras, kras_exons, nras, nras_exons, expected", [
    ("mutant", [2], "wild_type", ALL, "mutant"),
    ("wild_type", ALL, "mutant", [], "mutant"),
    ("mutant", [], "unknown", [], "mutant"),
    ("wild_type", ALL, "wild_type", ALL, "wild_type"),
    ("wild_type", [2], "wild_type", ALL, "unknown"),  # KRAS exon 2 only is not extended RAS testing
    ("wild_type", ALL, "wild_type", [2, 3], "unknown"),
    ("wild_type", ALL, "unknown", [], "unknown"),
    ("unknown", [], "unknown", [], "unknown"),
])
def test_derive_ras(kras, kras_exons, nras, nras_exons, expected):
    assert derive_ras(kras, kras_exons, nras, nras_exons) == expected


def test_the_engine_reads_the_derived_value(coordinator):
    case = make_case(coordinator, profile={"kras": "wild_type", "kras_exons": ALL, "nras": "wild_type",
                                           "nras_exons": [2]})
    assert case_to_engine_input(case)["ras"] == "unknown"
    profile = case.profile
    profile.nras_exons = ALL
    profile.save(update_fields=["nras_exons"])
    profile.refresh_from_db()
    assert profile.ras == "wild_type"
    assert case_to_engine_input(case)["ras"] == "wild_type"


def test_the_tumour_step_records_kras_nras_histology_and_each_markers_own_test(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    payload = tumour_payload(case.version, kras="mutant", kras_exons=["2"], nras="wild_type", nras_exons=["2", "3", "4"],
                             histology="signet_ring", ras_method="pcr", ras_laboratory="Molecular lab",
                             ras_test_date="2026-09-01", braf_method="ihc", braf_test_date="2026-09-02",
                             msi_method="ihc", msi_laboratory="Pathology", msi_test_date="2026-09-03")
    response = client.post(f"/cases/{case.pk}/step/tumour/", payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = MolecularProfile.objects.get(case=case)
    case.refresh_from_db()
    assert (profile.kras, profile.kras_exons, profile.nras, profile.nras_exons, profile.ras) == (
        "mutant", [2], "wild_type", ALL, "mutant")
    assert case.histology == "signet_ring"
    assert (profile.ras_method, profile.ras_laboratory, str(profile.ras_test_date)) == ("pcr", "Molecular lab",
                                                                                         "2026-09-01")
    assert (profile.braf_method, str(profile.braf_test_date)) == ("ihc", "2026-09-02")
    assert (profile.msi_method, profile.msi_laboratory, str(profile.msi_test_date)) == ("ihc", "Pathology",
                                                                                         "2026-09-03")
    assert str(profile.test_date) == "2026-10-01", "the HER2 test keeps its own date"


def test_a_marker_test_date_in_the_future_is_refused(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    html = post_step(client, case, "tumour", braf_test_date="2999-01-01").content.decode()
    assert "The bRAF test date cannot be in the future." not in html
    assert "The BRAF test date cannot be in the future." in html
    assert not MolecularProfile.objects.filter(case=case).exists()
