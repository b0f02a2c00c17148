"""Case detail: everything recorded, the current engine result, and a link to edit each section."""

from tests.factories import make_case
from her2app.cases.models import combined_ras_fields


def test_detail_shows_every_recorded_section_and_edit_links(client, coordinator):
    case = make_case(
        coordinator, mrn="DET-1", primary_site="rectum",
        profile={"her2_ihc": "2+", "her2_ish": "amplified", "her2_ish_ratio": 2.5, "laboratory": "Lab North",
                 **combined_ras_fields("wild_type"), "braf_v600e": "mutant", "msi": "msi_high"},
        clinical={"weight_kg": 64.5, "lvef_percent": 58, "ecog": 2, "hepatic_impairment": "moderate"},
        lines=[["fluoropyrimidine", "oxaliplatin", "bevacizumab"]],
    )
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    for text in ("DET-1", "Rectum", "Amplified (ratio 2.50)", "Lab North", "MSI-high", "Mutant", "64.5 kg", "58%",
                 "Moderate (Child-Pugh B)", "Fluoropyrimidine (5-FU, capecitabine), Oxaliplatin, Bevacizumab",
                 "HER2-positive"):
        assert text in html, text
    for step in ("patient", "tumour", "history", "fitness", "review"):
        assert f'href="/cases/{case.pk}/step/{step}/"' in html, step
    assert '<section id="plans"' in html


def test_detail_of_an_empty_draft_says_what_is_not_recorded(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Not recorded yet" in html and "HER2 untested" in html
    assert "No prior treatment recorded" in html
