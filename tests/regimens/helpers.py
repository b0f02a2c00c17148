"""Case builders, measurements, day counts and lookups shared by the engine tests."""

import copy
import json
from datetime import date, timedelta
from pathlib import Path

import regimens
from regimens.measurements import Measurement

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"
REFRACTORY = ["fluoropyrimidine", "oxaliplatin", "irinotecan"]

BASE_CASE = {
    "patient": {"weight_kg": 70, "height_cm": 170, "age": 61, "sex": "female", "pregnant": False,
                "breastfeeding": False},
    "tumour": {"primary_site": "left_colon", "metastatic": True},
    "her2": {"ihc": "3+", "ihc_percent_cells": 60},
    "ras": "wild_type",
    "braf_v600e": "wild_type",
    "msi": "mss",
    "prior_therapies": REFRACTORY,
    "fit_for_intensive_therapy": True,
    "ecog": 1,
    "lvef_percent": 60,
    "ild_history": False,
    "hepatic_impairment": "none",
    "strong_cyp2c8_inhibitor": False,
}


def make_case(**changes) -> dict:
    """BASE_CASE (refractory, RAS wild-type, IHC 3+ in 60%, 70 kg) with changes; 'patient__weight_kg' style
    keys change a nested field."""
    case = copy.deepcopy(BASE_CASE)
    for key, value in changes.items():
        if "__" in key:
            outer, inner = key.split("__")
            case[outer][inner] = value
        else:
            case[key] = value
    return case


def run(**changes) -> dict:
    return regimens.recommend(make_case(**changes))


def option(result: dict, regimen: str) -> dict:
    matches = [o for o in result["options"] if o["regimen"] == regimen]
    assert len(matches) == 1, f"{regimen} should appear exactly once in the options"
    return matches[0]


def tiers(result: dict) -> dict[str, str]:
    return {o["regimen"]: o["tier"] for o in result["options"]}


def warning_codes(result_or_option: dict) -> list[str]:
    return [w["code"] for w in result_or_option["warnings"]]


def dose(opt: dict, drug: str, phase: str) -> dict:
    matches = [d for d in opt["doses"] if d["drug"] == drug and d["phase"] == phase]
    assert len(matches) == 1, f"expected one {phase} dose of {drug} in {opt['regimen']}"
    return matches[0]


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def lvef(day: date, percent: float) -> Measurement:
    """An LVEF measurement (%) taken on `day`."""
    return Measurement(day, percent, "%")


def days(n: int) -> timedelta:
    return timedelta(days=n)
