"""The one adapter from case records to the regimen engine's input (CLI contract v1)."""

from datetime import date
from decimal import Decimal

from her2app.cases.models import Case


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _or_null(value: str) -> str | None:
    return value or None


def case_to_engine_input(case: Case, today: date | None = None) -> dict:
    """Build the engine's JSON input from a case and its related records."""
    today = today or date.today()
    patient = case.patient
    profile = getattr(case, "profile", None)
    clinical = getattr(case, "clinical", None)
    prior = sorted({agent for line in case.treatment_lines.all() for agent in line.agents})
    data: dict = {
        "patient": {
            "weight_kg": _number(clinical.weight_kg) if clinical else None,
            "height_cm": _number(clinical.height_cm) if clinical else None,
            "age": patient.age_on(today),
            "sex": patient.sex,
            "pregnant": clinical.pregnant if clinical else None,
            "breastfeeding": clinical.breastfeeding if clinical else None,
            "benzyl_alcohol_hypersensitivity": clinical.benzyl_alcohol_hypersensitivity if clinical else None,
        },
        "tumour": {"primary_site": case.primary_site or "unknown", "metastatic": case.metastatic},
        "prior_therapies": prior,
    }
    if profile:
        data["her2"] = {
            "ihc": _or_null(profile.her2_ihc),
            "ihc_percent_cells": profile.her2_ihc_percent_cells,
            "ish": _or_null(profile.her2_ish),
            "ish_ratio": _number(profile.her2_ish_ratio),
            "ngs_erbb2_amplified": profile.ngs_erbb2_amplified,
            "ngs_copy_number": _number(profile.ngs_copy_number),
        }
        data.update(ras=profile.ras, braf_v600e=profile.braf_v600e, msi=profile.msi)
    else:
        data["her2"] = {}
        data.update(ras="unknown", braf_v600e="unknown", msi="unknown")
    if clinical:
        data.update(
            fit_for_intensive_therapy=clinical.fit_for_intensive_therapy,
            ecog=clinical.ecog,
            lvef_percent=clinical.lvef_percent,
            ild_history=clinical.ild_history,
            hepatic_impairment=clinical.hepatic_impairment or None,
            strong_cyp2c8_inhibitor=clinical.strong_cyp2c8_inhibitor,
        )
    return data
