"""Every clinical fact the engine uses, each citing its item in
../shared/clinical/reference.md (ruleset 2026.1).

Rules, doses and the web app's validators read from here; no dose or
threshold literal lives anywhere else.
"""

from dataclasses import dataclass

RULESET_VERSION = "2026.1"


@dataclass(frozen=True)
class Limit:
    """An accepted numeric range for one input field (inclusive)."""

    low: float
    high: float
    unit: str
    ref: str


# S9: input ranges; anything outside is invalid input.
INPUT_LIMITS: dict[str, Limit] = {
    "patient.weight_kg": Limit(20, 350, "kg", "S9"),
    "patient.height_cm": Limit(100, 250, "cm", "S9"),
    "lvef_percent": Limit(5, 90, "%", "S9"),
    "her2.ihc_percent_cells": Limit(0, 100, "%", "S9"),
    "her2.ish_ratio": Limit(0, 50, "", "S9"),
}

# Vocabularies of the CLI contract v1 (design.md).
PRIOR_THERAPY_AGENTS = (
    "fluoropyrimidine",
    "oxaliplatin",
    "irinotecan",
    "bevacizumab",
    "anti_egfr",
    "trastuzumab",
    "pertuzumab",
    "lapatinib",
    "tucatinib",
    "trastuzumab_deruxtecan",
    "trastuzumab_emtansine",
    "immunotherapy",
    "other",
)
IHC_SCORES = ("0", "1+", "2+", "3+")
ISH_RESULTS = ("amplified", "not_amplified")
PRIMARY_SITES = ("left_colon", "right_colon", "rectum", "unknown")
MUTATION_STATUSES = ("wild_type", "mutant", "unknown")
MSI_STATUSES = ("mss", "msi_high", "unknown")
HEPATIC_IMPAIRMENT = ("none", "mild", "moderate", "severe")
SEXES = ("female", "male", "other", "unknown")
ECOG_RANGE = (0, 4)

# H1: HER2 thresholds (colorectal criteria).
IHC_3PLUS_MIN_PERCENT_CELLS = 50  # HERACLES: >= 50% of tumour cells (H1)
ISH_AMPLIFIED_MIN_RATIO = 2.0  # HER2:CEP17 >= 2.0 means amplified (H1)
