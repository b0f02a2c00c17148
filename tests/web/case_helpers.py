"""Test helpers: the POST payload of each wizard step (cases come from tests.factories)."""

import re
from her2app.cases.models import combined_ras_fields


def patient_payload(**overrides) -> dict:
    return {"mrn": "MRN-1001", "given_name": "Grace", "family_name": "Hopper", "date_of_birth": "1958-12-09",
            "sex": "female", "action": "next", **overrides}


def tumour_payload(version: int, **overrides) -> dict:
    return {"version": version, "primary_site": "left_colon", "metastatic": "on", "her2_ihc": "3+",
            "her2_ihc_percent_cells": "80", "her2_ish": "", "her2_ish_ratio": "", "ngs_erbb2_amplified": "unknown",
            "ngs_copy_number": "", "test_method": "ihc_ish", "laboratory": "City Pathology",
            "specimen": "liver biopsy", "test_date": "2026-10-01", **combined_ras_fields("wild_type"), "braf_v600e": "wild_type",
            "msi": "mss", "action": "next", **overrides}


def fitness_payload(version: int, **overrides) -> dict:
    return {"version": version, "weight_kg": "70", "weight_date": "2026-11-20", "height_cm": "170", "ecog": "1",
            "fit_for_intensive_therapy": "true", "lvef_percent": "60", "lvef_date": "2026-11-01",
            "ild_history": "false", "hepatic_impairment": "none", "pregnant": "false", "breastfeeding": "false",
            "strong_cyp2c8_inhibitor": "false", "action": "next", **overrides}


def history_payload(version: int, lines: list[dict], initial: int = 0, action: str = "next") -> dict:
    """Formset data: each line dict may hold id, agents, start_date, end_date, best_response, reason_stopped."""
    data: dict = {"version": version, "action": action, "lines-TOTAL_FORMS": len(lines),
                  "lines-INITIAL_FORMS": initial, "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000}
    for index, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{index}-{key}"] = value
    return data


def review_payload(version: int, **overrides) -> dict:
    return {"version": version, "action": "send", **overrides}


STEP_PAYLOADS = {"tumour": tumour_payload, "history": history_payload, "fitness": fitness_payload,
                 "review": review_payload}


def post_step(client, case, step: str, **overrides):
    """POST a valid payload of the wizard step, changed by `overrides`, from the case's current version (the
    history step needs its `lines`)."""
    case.refresh_from_db()
    return client.post(f"/cases/{case.pk}/step/{step}/", STEP_PAYLOADS[step](case.version, **overrides))


def field_block(html: str, name: str) -> str:
    """The rendered `.field` block (label, error, input) holding the input called `name`."""
    for chunk in re.split(r'(?=<div class="field)', html):
        if f'name="{name}"' in chunk:
            return chunk
    raise AssertionError(f"no field named {name!r} on the page")
