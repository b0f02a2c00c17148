"""Every clinical fact the engine uses, each citing its item in
../shared/clinical/reference.md (ruleset 2026.2).

Rules, doses and the web app's validators read from here; no dose or
threshold literal lives anywhere else.
"""

from dataclasses import dataclass

RULESET_VERSION = "2026.2"


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
# A copy number below the normal two copies cannot be an amplification (contract, design.md); the engine
# applies no amplification threshold to the copy number itself (H4).
NGS_NORMAL_COPY_NUMBER = 2


# --- R: definitions used by the decision rules -----------------------------

REFRACTORY_AGENTS = frozenset({"fluoropyrimidine", "oxaliplatin", "irinotecan"})  # R definitions
# R definitions: "prior anti-HER2"
ANTI_HER2_AGENTS = frozenset(
    {"trastuzumab", "pertuzumab", "lapatinib", "tucatinib", "trastuzumab_deruxtecan", "trastuzumab_emtansine"}
)
ECOG_TRIAL_MAX = 2  # S8: trials enrolled ECOG 0-2
LVEF_MIN_PERCENT = 50  # S2: trials required LVEF >= 50%

# Tiers from best to worst (display order). Rank: safety modifiers only ever lower a rank; consider and
# subsequent_line share a rank ("consider, subsequent_line" are listed together in the safety modifiers),
# for display order only: neither is ever a top option that needs no override reason ("Override reasons").
TIERS = ("preferred", "alternative", "consider", "subsequent_line", "not_recommended", "contraindicated")
TIER_RANK = {
    "contraindicated": 0,
    "not_recommended": 1,
    "consider": 2,
    "subsequent_line": 2,
    "alternative": 3,
    "preferred": 4,
}
NO_REASON_NEEDED_TIER = "preferred"  # "Override reasons": every other tier needs a recorded reason
RECOMMENDATIONS = ("anti_her2", "standard_therapy_first", "complete_her2_testing", "not_indicated")
HER2_STATUSES = ("positive", "negative", "equivocal", "untested")
SEVERITIES = ("info", "caution", "blocking")


# --- D: drugs, doses and dispensing ----------------------------------------


def sentence_start(text: str) -> str:
    """The text with its first letter upper-cased and the rest kept (brands stay in capitals)."""
    return text[:1].upper() + text[1:]


# D10: drug names on screens and on paper: the nonproprietary name with its brand, never an internal code.
DRUG_NAMES = {
    "trastuzumab": "trastuzumab",
    "pertuzumab": "pertuzumab (PERJETA)",
    "tucatinib": "tucatinib (TUKYSA)",
    "lapatinib": "lapatinib (TYKERB)",
    "trastuzumab_deruxtecan": "fam-trastuzumab deruxtecan-nxki (ENHERTU)",
    "trastuzumab_emtansine": "ado-trastuzumab emtansine (KADCYLA)",
}
# D10: the two conjugates are never shortened to "trastuzumab"; each of their dose lines says this.
DO_NOT_SUBSTITUTE = {
    "trastuzumab_deruxtecan": f"Do not substitute {DRUG_NAMES['trastuzumab_deruxtecan']} for or with trastuzumab "
    f"or {DRUG_NAMES['trastuzumab_emtansine']}.",
    "trastuzumab_emtansine": f"Do not substitute {DRUG_NAMES['trastuzumab_emtansine']} for or with trastuzumab "
    f"or {DRUG_NAMES['trastuzumab_deruxtecan']}.",
}
TDXD_NAME = DRUG_NAMES["trastuzumab_deruxtecan"]
TDM1_NAME = DRUG_NAMES["trastuzumab_emtansine"]


@dataclass(frozen=True)
class DoseFact:
    """One dose line of a regimen: either mg/kg (weight-based) or a fixed mg dose, and how it is given (D9)."""

    drug: str
    phase: str  # loading | maintenance | continuous
    route: str  # IV | PO
    frequency: str  # once | q21d | q3w | weekly | daily | BID
    days: tuple[int, ...]
    ref: str
    mg_per_kg: float | None = None
    fixed_mg: float | None = None
    administration: str = ""  # D9: printed beside the dose

    @property
    def weight_based(self) -> bool:
        return self.mg_per_kg is not None


CYCLE_21_DAYS = 21  # D: "21-day cycles unless stated"
EVERY_DAY_OF_CYCLE = tuple(range(1, CYCLE_21_DAYS + 1))  # D1/D4 "days 1-21"
WEEKLY_DAYS = (1, 8, 15)  # D4

# D9: administration printed beside each dose (dose table and PDF).
_PERTUZUMAB_AFTER = (
    "observe 30 to 60 minutes after each pertuzumab infusion before the next infusion. Pertuzumab and "
    "trastuzumab are given one after the other, in either order, never mixed in one bag."
)
ADMINISTRATION = {
    "trastuzumab_3weekly_loading": "IV infusion over 90 minutes.",
    "trastuzumab_3weekly_maintenance": "IV infusion over 30 to 90 minutes (30 minutes if earlier infusions were "
    "tolerated).",
    "trastuzumab_weekly_loading": "IV infusion over 90 minutes.",
    "trastuzumab_weekly_maintenance": "IV infusion over 30 minutes.",
    "pertuzumab_loading": f"IV infusion over 60 minutes; {_PERTUZUMAB_AFTER}",
    "pertuzumab_maintenance": f"IV infusion over 30 to 60 minutes; {_PERTUZUMAB_AFTER}",
    "trastuzumab_deruxtecan": "IV infusion: the first over 90 minutes, later ones over 30 minutes if tolerated; slow "
    "or interrupt for infusion-related symptoms. Premedication: it is moderately emetogenic, so give prophylactic "
    "antiemetics before each dose (for example dexamethasone with a 5-HT3 and/or NK1 receptor antagonist) per "
    "institutional guideline.",
    "trastuzumab_emtansine": "IV infusion: the first over 90 minutes, later ones over 30 minutes if tolerated.",
    "tucatinib": "By mouth, about 12 hours apart, swallowed whole, with or without food; a missed or vomited dose "
    "is not made up.",  # D1
    "lapatinib": "By mouth, at least 1 hour before or 1 hour after food; no grapefruit.",  # D4
}

# Doses per regimen (D1, D3, D4, D5, D6).
TRASTUZUMAB_3WEEKLY = (
    DoseFact("trastuzumab", "loading", "IV", "once", (1,), "D1", mg_per_kg=8,
             administration=ADMINISTRATION["trastuzumab_3weekly_loading"]),
    DoseFact("trastuzumab", "maintenance", "IV", "q21d", (1,), "D1", mg_per_kg=6,
             administration=ADMINISTRATION["trastuzumab_3weekly_maintenance"]),
)
PERTUZUMAB_LOADING_MG = 840  # D3, D6, D8
PERTUZUMAB_MAINTENANCE_MG = 420  # D3, D6, D8


def _pertuzumab(ref: str) -> tuple["DoseFact", ...]:
    return (
        DoseFact("pertuzumab", "loading", "IV", "once", (1,), ref, fixed_mg=PERTUZUMAB_LOADING_MG,
                 administration=ADMINISTRATION["pertuzumab_loading"]),
        DoseFact("pertuzumab", "maintenance", "IV", "q3w", (1,), ref, fixed_mg=PERTUZUMAB_MAINTENANCE_MG,
                 administration=ADMINISTRATION["pertuzumab_maintenance"]),
    )


TUCATINIB_START_MG = 300  # D1: 300 mg PO twice daily
TUCATINIB_SEVERE_HEPATIC_MG = 200  # D2/S4: Child-Pugh C starting dose 200 mg BID
TUCATINIB_STRONG_CYP2C8_MG = 100  # D2/S5: strong CYP2C8 inhibitor unavoidable
TUCATINIB_DOSE_LEVELS_MG = (300, 250, 200, 150)  # D2 reductions; below 150 mg BID -> discontinue
TDXD_DOSE_LEVELS_MG_PER_KG = (5.4, 4.4, 3.2)  # D5 reductions, then discontinue; never re-escalate
LAPATINIB_TRIAL_MG = 1000  # D4: the HERACLES-A trial dose, once daily

REGIMEN_DOSES: dict[str, tuple[DoseFact, ...]] = {
    "tucatinib-trastuzumab": (
        DoseFact("tucatinib", "continuous", "PO", "BID", EVERY_DAY_OF_CYCLE, "D1", fixed_mg=TUCATINIB_START_MG,
                 administration=ADMINISTRATION["tucatinib"]),
        *TRASTUZUMAB_3WEEKLY,
    ),
    "pertuzumab-trastuzumab": (
        *_pertuzumab("D3"),
        DoseFact("trastuzumab", "loading", "IV", "once", (1,), "D3", mg_per_kg=8,
                 administration=ADMINISTRATION["trastuzumab_3weekly_loading"]),
        DoseFact("trastuzumab", "maintenance", "IV", "q3w", (1,), "D3", mg_per_kg=6,
                 administration=ADMINISTRATION["trastuzumab_3weekly_maintenance"]),
    ),
    "lapatinib-trastuzumab": (
        DoseFact("trastuzumab", "loading", "IV", "once", (1,), "D4", mg_per_kg=4,
                 administration=ADMINISTRATION["trastuzumab_weekly_loading"]),
        DoseFact("trastuzumab", "maintenance", "IV", "weekly", WEEKLY_DAYS, "D4", mg_per_kg=2,
                 administration=ADMINISTRATION["trastuzumab_weekly_maintenance"]),
        DoseFact("lapatinib", "continuous", "PO", "daily", EVERY_DAY_OF_CYCLE, "D4", fixed_mg=LAPATINIB_TRIAL_MG,
                 administration=ADMINISTRATION["lapatinib"]),
    ),
    "trastuzumab-deruxtecan": (
        DoseFact("trastuzumab_deruxtecan", "maintenance", "IV", "q3w", (1,), "D5",
                 mg_per_kg=TDXD_DOSE_LEVELS_MG_PER_KG[0], administration=ADMINISTRATION["trastuzumab_deruxtecan"]),
    ),
    "pertuzumab-trastuzumab-emtansine": (
        *_pertuzumab("D6"),
        DoseFact("trastuzumab_emtansine", "maintenance", "IV", "q3w", (1,), "D6", mg_per_kg=3.6,
                 administration=ADMINISTRATION["trastuzumab_emtansine"]),
    ),
    "clinical-trial": (),
}
REGIMEN_CODES = tuple(REGIMEN_DOSES)
CYCLE_DAYS: dict[str, int | None] = {code: (CYCLE_21_DAYS if doses else None) for code, doses in REGIMEN_DOSES.items()}
# S4: no lapatinib dose is validated for this regimen in severe hepatic impairment; the oncologist sets it.
CLINICIAN_SET_DOSE_BASIS = {
    "lapatinib": "No lapatinib dose is validated for this regimen in severe hepatic impairment (Child-Pugh C): "
    "the oncologist sets and justifies the dose (S4).",
}

# The drugs of each regimen, in the order its name says them (D10); they are also the agents of the
# prior_therapies vocabulary: a regimen is "already received" when all of them were given (R precedence).
REGIMEN_DRUGS: dict[str, tuple[str, ...]] = {
    "tucatinib-trastuzumab": ("tucatinib", "trastuzumab"),
    "pertuzumab-trastuzumab": ("pertuzumab", "trastuzumab"),
    "lapatinib-trastuzumab": ("lapatinib", "trastuzumab"),
    "trastuzumab-deruxtecan": ("trastuzumab_deruxtecan",),
    "pertuzumab-trastuzumab-emtansine": ("pertuzumab", "trastuzumab_emtansine"),
    "clinical-trial": (),
}
REGIMEN_AGENTS: dict[str, frozenset[str]] = {code: frozenset(drugs) for code, drugs in REGIMEN_DRUGS.items()}
# D10: regimen names built from the drug names, as they read mid-sentence.
REGIMEN_NAMES: dict[str, str] = {
    code: " + ".join(DRUG_NAMES[drug] for drug in drugs) or "clinical trial" for code, drugs in REGIMEN_DRUGS.items()
}
SIGNAL_TRANSDUCTION_REGIMENS = ("tucatinib-trastuzumab", "pertuzumab-trastuzumab", "lapatinib-trastuzumab")
ANTI_HER2_REGIMENS = tuple(code for code in REGIMEN_CODES if code != "clinical-trial")
TRASTUZUMAB_FAMILY = frozenset({"trastuzumab", "trastuzumab_deruxtecan", "trastuzumab_emtansine"})  # S2

# D7 (and D1, D4): dispensing units.
VIAL_SIZES_MG: dict[str, tuple[float, ...]] = {
    "trastuzumab": (150, 420),  # 150 mg single-dose, 420 mg multi-dose (D7)
    "trastuzumab_deruxtecan": (100,),  # D7
    "pertuzumab": (420,),  # 420 mg/14 mL (D7)
    "trastuzumab_emtansine": (100, 160),  # single-dose (D7)
}
# D7: a multi-dose vial reconstituted with bacteriostatic water keeps for later doses, so its remainder is
# not waste; for a patient hypersensitive to benzyl alcohol it is reconstituted with sterile water and is
# single-use.
MULTI_DOSE_VIALS_MG: dict[str, frozenset[float]] = {"trastuzumab": frozenset({420})}
MULTI_DOSE_VIAL_KEEPS_DAYS = 28  # D7: refrigerated
TABLET_SIZES_MG: dict[str, tuple[float, ...]] = {
    "tucatinib": (50, 150),  # D1
    "lapatinib": (250,),  # D4: only 250 mg tablets
}
PERCENT = 100  # unit conversion, not a clinical fact
FLOAT_NOISE_DIGITS = 6  # comparisons round away binary floating-point noise, not a clinical fact
DOSE_DECIMALS = 1  # D7: rounded to 1 decimal place for display

# D8: missed doses.
MISSED_TRASTUZUMAB_MAX_DAYS_LATE = 7  # up to 1 week late -> maintenance dose
MISSED_DOSE_MG_PER_KG = {  # schedule -> (maintenance, re-load)
    "q3w": (6, 8),
    "weekly": (2, 4),
}
SCHEDULE_INTERVAL_DAYS = {"q3w": 21, "weekly": 7}
PERTUZUMAB_RELOAD_AFTER_WEEKS = 6
TDXD_INTERVAL_DAYS = 21  # D8: after a delayed dose the schedule moves to keep 3 weeks between doses


# --- Warnings (code -> severity, text, ref) --------------------------------


@dataclass(frozen=True)
class WarningFact:
    code: str
    severity: str  # info | caution | blocking
    text: str
    ref: str


def _warnings(*facts: WarningFact) -> dict[str, WarningFact]:
    return {fact.code: fact for fact in facts}


_ST_NAMES = ", ".join(REGIMEN_NAMES[code] for code in SIGNAL_TRANSDUCTION_REGIMENS[:-1]) + (
    f" and {REGIMEN_NAMES[SIGNAL_TRANSDUCTION_REGIMENS[-1]]}"
)

WARNINGS: dict[str, WarningFact] = _warnings(
    WarningFact(
        "her2_discordant",
        "caution",
        "HER2 results are discordant (IHC 0/1+ with ISH or NGS amplification): counted as positive, "
        "but the tumour board should review the pathology.",
        "H5",
    ),
    WarningFact(
        "her2_ihc_ish_disagree",
        "info",
        "IHC 3+ with ISH not amplified: IHC and ISH disagree. HER2 stays positive (ISH is optional at IHC 3+), "
        "but the pathology should be reviewed.",
        "H1",
    ),
    WarningFact(
        "ngs_copy_number_without_call",
        "caution",
        "An NGS ERBB2 copy number without the laboratory's amplification call is not a HER2 result: copy-number "
        "cut-offs differ between assays, so the laboratory's own call is needed.",
        "H4",
    ),
    WarningFact(
        "her2_not_confirmed",
        "caution",
        "HER2 positivity is not confirmed: test at a qualified laboratory with a validated method (IHC, ISH "
        "or NGS) before any anti-HER2 therapy.",
        "H6",
    ),
    WarningFact(
        "her2_prevalence",
        "info",
        "HER2 amplification/overexpression is found in about 2% of unselected mCRC (range 1-5%) and about 5-6% "
        "of RAS wild-type mCRC (HERACLES screen: 5.3%), more often in left-sided and rectal tumours; it is "
        "associated with resistance to anti-EGFR antibodies.",
        "H7",
    ),
    WarningFact(
        "ras_unknown",
        "caution",
        f"RAS status unknown: {_ST_NAMES} need RAS wild-type confirmed, so none of them is above "
        "consider until RAS is known.",
        "R3",
    ),
    WarningFact(
        "anti_egfr_resistance",
        "caution",
        "HER2 amplification predicts resistance to anti-EGFR antibodies.",
        "R4",
    ),
    WarningFact(
        "tdxd_her2_expression",
        "caution",
        f"{sentence_start(TDXD_NAME)} is at most consider here: it is preferred only with IHC 3+ or IHC 2+ with ISH "
        "amplification. DESTINY-CRC01 saw no responses in its IHC 2+/ISH-negative and IHC 1+ cohorts; the "
        "tumour-agnostic approval covers IHC 3+.",
        "R7",
    ),
    WarningFact(
        "tdxd_ihc_unknown",
        "caution",
        f"HER2 IHC was not done: {TDXD_NAME} is preferred only with IHC 3+ or IHC 2+ with ISH amplification, "
        "so it is at most consider until the IHC score is known.",
        "R7",
    ),
    WarningFact(
        "anti_egfr_switch",
        "caution",
        "Do not switch one anti-EGFR antibody for another after failure.",
        "R12",
    ),
    WarningFact(
        "pregnancy",
        "blocking",
        "Pregnant or breastfeeding: anti-HER2 therapy is contraindicated (embryo-fetal toxicity; "
        "trastuzumab: oligohydramnios).",
        "S1",
    ),
    WarningFact(
        "pregnancy_unknown",
        "blocking",
        "Pregnancy status is not recorded for a female patient: verify it before starting (the labels of "
        f"trastuzumab, {DRUG_NAMES['pertuzumab']}, {DRUG_NAMES['tucatinib']} and {TDXD_NAME} ask for it in "
        'females of reproductive potential). Recording "not pregnant" (for example after menopause) clears this.',
        "S10",
    ),
    WarningFact(
        "lvef_low",
        "blocking",
        "LVEF below 50%: trastuzumab and trastuzumab conjugates are contraindicated (trials required "
        "LVEF >= 50%).",
        "S2",
    ),
    WarningFact(
        "lvef_unknown",
        "caution",
        "Baseline LVEF is required before trastuzumab (echocardiogram or MUGA).",
        "S2",
    ),
    WarningFact(
        "ild_history",
        "blocking",
        f"ILD/pneumonitis history: {TDXD_NAME} is not recommended (boxed warning; such patients were excluded "
        "from the trials).",
        "S3",
    ),
    WarningFact(
        "hepatic_severe_tucatinib",
        "caution",
        f"Severe hepatic impairment (Child-Pugh C): {DRUG_NAMES['tucatinib']} starting dose "
        f"{TUCATINIB_SEVERE_HEPATIC_MG} mg twice daily.",
        "S4",
    ),
    WarningFact(
        "hepatic_severe_lapatinib",
        "blocking",
        f"Severe hepatic impairment (Child-Pugh C): {REGIMEN_NAMES['lapatinib-trastuzumab']} is not "
        "recommended. No lapatinib dose is validated for this regimen in severe hepatic impairment (the "
        "label's hepatic dose reductions belong to other regimens), so the oncologist must set and justify the "
        "lapatinib dose. Lapatinib carries a boxed hepatotoxicity warning.",
        "S4",
    ),
    WarningFact(
        "cyp2c8_inhibitor",
        "caution",
        f"Strong CYP2C8 inhibitor: avoid the combination with {DRUG_NAMES['tucatinib']}; if unavoidable, reduce "
        f"tucatinib to {TUCATINIB_STRONG_CYP2C8_MG} mg twice daily and return to the prior dose three elimination "
        "half-lives after the inhibitor stops.",
        "S5",
    ),
    WarningFact(
        "tucatinib_hepatic_and_cyp2c8",
        "caution",
        "Severe hepatic impairment (Child-Pugh C) and a strong CYP2C8 inhibitor together: this combination has "
        f"not been studied and the inhibitor should be avoided. {sentence_start(DRUG_NAMES['tucatinib'])} starting "
        f"dose "
        f"{TUCATINIB_STRONG_CYP2C8_MG} mg twice daily (the lower of the two adjustments).",
        "S4, S5",
    ),
    WarningFact(
        "msi_high",
        "caution",
        "MSI-high: immune checkpoint inhibitor therapy is standard for MSI-H/dMMR mCRC and should be "
        "considered first.",
        "S6",
    ),
    WarningFact(
        "braf_v600e",
        "caution",
        f"BRAF V600E mutant: NCCN lists {_ST_NAMES} for RAS and BRAF wild-type disease; HERACLES-B enrolled "
        "RAS/BRAF wild-type.",
        "S7",
    ),
    WarningFact(
        "braf_targeted_therapy",
        "info",
        "BRAF V600E: BRAF-targeted therapy (encorafenib + cetuximab) is the standard option after first line.",
        "S7",
    ),
    WarningFact(
        "ecog_high",
        "caution",
        "ECOG performance status 3 or worse: the trials enrolled ECOG 0-2.",
        "S8",
    ),
    WarningFact(
        "weight_missing",
        "caution",
        "Weight is required for weight-based doses; those doses are omitted until weight is recorded.",
        "S9",
    ),
    WarningFact(
        "benzyl_alcohol_hypersensitivity",
        "info",
        "Benzyl alcohol hypersensitivity: the 420 mg multi-dose trastuzumab vial is reconstituted with sterile "
        "water, is single-use, and its remainder is waste.",
        "D7",
    ),
    WarningFact(
        "lapatinib_trial_dose",
        "info",
        f"{sentence_start(DRUG_NAMES['lapatinib'])} {LAPATINIB_TRIAL_MG} mg once daily is the HERACLES-A trial dose (and the EU "
        "breast-cancer combination dose), not a US-label dose.",
        "D4",
    ),
    WarningFact(
        "lapatinib_kras_exon2",
        "info",
        "HERACLES-A required KRAS exon 2 wild-type only.",
        "D4",
    ),
    WarningFact(
        "tdxd_tumour_agnostic",
        "info",
        "Tumour-agnostic approval (5 April 2024): HER2 IHC 3+ solid tumours after prior systemic treatment with "
        "no satisfactory alternative options. DESTINY-CRC02 enrolled RAS wild-type or mutant.",
        "D5",
    ),
    WarningFact(
        "tdxd_not_interchangeable",
        "info",
        f"{sentence_start(TDXD_NAME)} is not interchangeable with trastuzumab or {TDM1_NAME}.",
        "D5",
    ),
)


# --- E: evidence shown with each option -------------------------------------

SOURCES = {
    "MOUNTAINEER": "Strickler JH et al., Lancet Oncol 2023 (MOUNTAINEER)",
    "MyPathway": "Meric-Bernstam F et al., Lancet Oncol 2019 (MyPathway HER2 CRC)",
    "HERACLES-A": "Sartore-Bianchi A et al., Lancet Oncol 2016 (HERACLES-A)",
    "HERACLES-B": "Sartore-Bianchi A et al., Lancet Oncol 2020 (HERACLES-B)",
    "DESTINY-CRC01": "Siena S et al., Lancet Oncol 2021 (DESTINY-CRC01)",
    "DESTINY-CRC02": "Raghav K et al., Lancet Oncol 2024 (DESTINY-CRC02)",
    "ESMO": "Cervantes A et al., Ann Oncol 2023 (ESMO mCRC guideline)",
    "article": 'Source article: "Anti-HER2 Treatment for HER2-Positive Metastatic Colorectal Cancer" '
    "(Dr.Oracle, updated 2025-12-26)",
    "NCCN": "NCCN Clinical Practice Guidelines in Oncology: Colon Cancer and Rectal Cancer (current versions), "
    "systemic therapy for advanced disease",
    "TRIUMPH": "Nakamura Y et al., Nat Med 2021 (TRIUMPH)",
}


@dataclass(frozen=True)
class Evidence:
    trial: str
    result: str
    source: str
    ref: str


ESMO_GRADING = Evidence(
    "ESMO mCRC guideline",
    "Anti-HER2 therapy optional from third line onward in RAS wild-type HER2-positive mCRC "
    "(ESMO level III, C; ESCAT II-B, as cited by the source article)",
    SOURCES["ESMO"],
    "E6",
)
NCCN_SIGNAL_TRANSDUCTION = Evidence(
    "NCCN",
    "Lists trastuzumab + (tucatinib or pertuzumab or lapatinib) for HER2-amplified RAS and BRAF wild-type "
    "disease; first-line anti-HER2 only for patients not appropriate for intensive therapy",
    SOURCES["NCCN"],
    "E6",
)
NCCN_TDXD = Evidence("NCCN", f"Lists {TDXD_NAME} as subsequent therapy", SOURCES["NCCN"], "E6")

EVIDENCE: dict[str, tuple[Evidence, ...]] = {
    "tucatinib-trastuzumab": (
        Evidence(
            "MOUNTAINEER",
            "ORR 38% (95% CI 28-49), median duration of response 12.4 months; 81% of responders >= 6 months "
            "and 34% >= 12 months; median PFS 8.2 months, median OS 24.1 months",
            SOURCES["MOUNTAINEER"],
            "E1",
        ),
        Evidence("MOUNTAINEER (final analysis)", "ORR 39.3%, median DOR 15.2 months", SOURCES["MOUNTAINEER"], "E1"),
        ESMO_GRADING,
        NCCN_SIGNAL_TRANSDUCTION,
    ),
    "pertuzumab-trastuzumab": (
        Evidence(
            "MyPathway",
            "ORR 32% (95% CI 20-45); disease control 50-54%; ORR 40% in KRAS wild-type vs 8% in "
            "KRAS-mutant tumours",
            SOURCES["MyPathway"],
            "E2",
        ),
        Evidence("TRIUMPH", "ORR 30% (RAS wild-type, tissue or ctDNA HER2-positive)", SOURCES["TRIUMPH"], "E2"),
        ESMO_GRADING,
        NCCN_SIGNAL_TRANSDUCTION,
    ),
    "lapatinib-trastuzumab": (
        Evidence("HERACLES-A", "ORR 30% (95% CI 14-50); grade 3 adverse events 22%", SOURCES["HERACLES-A"], "E3"),
        ESMO_GRADING,
        NCCN_SIGNAL_TRANSDUCTION,
    ),
    "trastuzumab-deruxtecan": (
        Evidence(
            "DESTINY-CRC01",
            "ORR 45.3% in HER2 IHC 3+ or IHC 2+/ISH+ (6.4 mg/kg); adjudicated ILD 9.3%",
            SOURCES["DESTINY-CRC01"],
            "E4",
        ),
        Evidence(
            "DESTINY-CRC02",
            "ORR 37.8% at 5.4 mg/kg (27.5% at 6.4 mg/kg); no responses in IHC 2+/ISH-negative or IHC 1+ tumours",
            SOURCES["DESTINY-CRC02"],
            "E4",
        ),
        NCCN_TDXD,
    ),
    "pertuzumab-trastuzumab-emtansine": (
        Evidence(
            "HERACLES-B",
            "ORR 9.7% (primary endpoint not met); stable disease 67.7%, disease control 77.4%",
            SOURCES["HERACLES-B"],
            "E5",
        ),
    ),
    "clinical-trial": (),
}


# --- M: monitoring printed on every plan ------------------------------------


@dataclass(frozen=True)
class MonitoringFact:
    text: str
    ref: str
    agents: frozenset[str]  # printed for a regimen containing any of these agents


MONITORING: tuple[MonitoringFact, ...] = (
    MonitoringFact(
        "LVEF (echocardiogram or MUGA) before the first trastuzumab dose and every 12 weeks during therapy. "
        "Withhold trastuzumab for >= 16 percentage points absolute LVEF decrease from baseline, or LVEF below "
        "the institutional lower limit of normal with >= 10 points decrease; recheck in 4 weeks. Resume if "
        "LVEF recovers within 4-8 weeks; stop permanently if the decline lasts more than 8 weeks or after "
        "more than 3 holds for cardiomyopathy.",
        "M1",
        frozenset({"trastuzumab", "trastuzumab_emtansine"}),
    ),
    MonitoringFact(
        f"{sentence_start(DRUG_NAMES['tucatinib'])}: liver tests (ALT, AST, bilirubin) before starting, every 3 weeks, and as indicated; "
        "diarrhoea management (antidiarrhoeals, fluids, electrolytes). MOUNTAINEER safety (n=86): diarrhoea "
        "64%, fatigue 44%, nausea 35%, infusion reactions 21%; grade >= 3 adverse events 40.7% in the final "
        "analysis, most often hypertension (7%).",
        "M2",
        frozenset({"tucatinib"}),
    ),
    MonitoringFact(
        f"{sentence_start(DRUG_NAMES['tucatinib'])} interactions: raises exposure to CYP3A substrates (avoid narrow-therapeutic-index ones) "
        "and P-gp substrates; avoid strong CYP3A or moderate CYP2C8 inducers; contraception during tucatinib "
        "and for 1 week after.",
        "M2",
        frozenset({"tucatinib"}),
    ),
    MonitoringFact(
        f"{sentence_start(DRUG_NAMES['tucatinib'])} dose reductions "
        f"{' -> '.join(str(mg) for mg in TUCATINIB_DOSE_LEVELS_MG)} mg BID; unable to tolerate "
        f"{TUCATINIB_DOSE_LEVELS_MG[-1]} mg BID -> discontinue. Diarrhoea: grade 3 without antidiarrhoeals -> hold until grade <= 1, resume same dose; "
        "grade 3 despite antidiarrhoeals -> hold, resume at the next lower dose; grade 4 -> discontinue.",
        "D2",
        frozenset({"tucatinib"}),
    ),
    MonitoringFact(
        f"{sentence_start(TDXD_NAME)}: ILD/pneumonitis - advise patients to report cough, dyspnoea, fever; grade 1: "
        "interrupt until resolved; grade >= 2: permanently discontinue and start corticosteroids. Blood counts "
        "before each dose (neutropenia). LVEF before start and periodically. Boxed warnings: ILD/pneumonitis "
        "and embryo-fetal toxicity.",
        "M3",
        frozenset({"trastuzumab_deruxtecan"}),
    ),
    MonitoringFact(
        f"{sentence_start(TDXD_NAME)} dose reductions "
        f"{' -> '.join(f'{level:g}' for level in TDXD_DOSE_LEVELS_MG_PER_KG)} mg/kg, then discontinue; never "
        "re-escalate.",
        "D5",
        frozenset({"trastuzumab_deruxtecan"}),
    ),
    MonitoringFact(
        f"{sentence_start(DRUG_NAMES['lapatinib'])}: liver tests (boxed warning: hepatotoxicity); early-onset "
        "diarrhoea (start loperamide at the first loose stool); rash. HERACLES-A grade 3 adverse events in 22% "
        "(fatigue, rash, increased bilirubin).",
        "M4",
        frozenset({"lapatinib"}),
    ),
    MonitoringFact(
        f"Infusion reactions with trastuzumab and {DRUG_NAMES['pertuzumab']}: observe during and after infusion (first "
        "infusion over 90 minutes; later 30 minutes if tolerated).",
        "M5",
        frozenset({"trastuzumab", "pertuzumab"}),
    ),
    MonitoringFact(
        f"{sentence_start(DRUG_NAMES['pertuzumab'])} has no dose reductions; stop pertuzumab if trastuzumab is "
        "stopped.",
        "D3",
        frozenset({"pertuzumab"}),
    ),
    MonitoringFact(
        "Patients of reproductive potential: effective contraception during and for 7 months after the "
        "last trastuzumab dose.",
        "M6",
        TRASTUZUMAB_FAMILY,
    ),
    MonitoringFact(
        "Embryo-fetal toxicity for all anti-HER2 agents: pregnancy and breastfeeding are contraindications (S1).",
        "M6",
        ANTI_HER2_AGENTS,
    ),
)

REGIMEN_REFS = {
    "tucatinib-trastuzumab": "D1",
    "pertuzumab-trastuzumab": "D3",
    "lapatinib-trastuzumab": "D4",
    "trastuzumab-deruxtecan": "D5",
    "pertuzumab-trastuzumab-emtansine": "D6",
    "clinical-trial": "R11",
}
# Option-level notes printed with a regimen whatever the case (D4, D5).
REGIMEN_NOTES: dict[str, tuple[str, ...]] = {
    "lapatinib-trastuzumab": ("lapatinib_trial_dose", "lapatinib_kras_exon2"),
    "trastuzumab-deruxtecan": ("tdxd_not_interchangeable", "tdxd_tumour_agnostic"),
}


# === After approval: LVEF monitoring, readiness, re-flow, dose reductions ==========================
# (M1, M2, M3, M4, S1, S2, S10, D1, D2, D3, D5, D8). Used by lvef.py, readiness.py, reflow.py and
# reductions.py. Institutional policies (the weight-change threshold, the LVEF lower limit of normal) are
# NOT here: they are settings of the web app, passed in as inputs.

# M1: LVEF before the first dose and every 12 weeks; the withhold criteria, the recheck and the course of holds.
LVEF_INTERVAL_WEEKS = 12  # M1: every 12 weeks during therapy
LVEF_WITHHOLD_DROP_POINTS = 16  # M1: >= 16 percentage points absolute decrease from baseline
LVEF_WITHHOLD_BELOW_LLN_DROP_POINTS = 10  # M1: below the institutional LLN with >= 10 points decrease
LVEF_RECHECK_WEEKS = 4  # M1: recheck in 4 weeks
LVEF_RECOVERY_WINDOW_WEEKS = (4, 8)  # M1: resume if LVEF recovers within 4-8 weeks
LVEF_MAX_HOLDS = 3  # M1: stop permanently after more than 3 holds for cardiomyopathy
# M1 is printed for (and applies to) the regimens with trastuzumab or trastuzumab emtansine; trastuzumab
# deruxtecan has its own LVEF item, M3 ("before start and periodically", no interval, no criterion).
LVEF_M1_AGENTS: frozenset[str] = next(fact.agents for fact in MONITORING if fact.ref == "M1")
LVEF_M3_AGENTS = frozenset({"trastuzumab_deruxtecan"})  # M3

# M2 / M4: liver tests (ALT, AST, bilirubin). The reference gives NO numeric hold threshold for either drug.
LIVER_TESTS: dict[str, str] = {"alt": "ALT", "ast": "AST", "bilirubin": "bilirubin"}  # M2
TUCATINIB_LIVER_TEST_INTERVAL_WEEKS = 3  # M2: before starting, every 3 weeks, and as indicated
LIVER_TEST_REFS = {"tucatinib": "M2", "lapatinib": "M4"}  # M4 gives no interval for lapatinib

WEIGHT_BASED_DRUGS = frozenset(
    fact.drug for facts in REGIMEN_DOSES.values() for fact in facts if fact.weight_based
)  # D7: dosed by actual body weight

# D2, D5, D3: dose reductions. Only the label steps; anything else is the oncologist's decision.
DOSE_LADDERS: dict[str, tuple[tuple[float, ...], str, str]] = {  # drug -> (levels high to low, unit, ref)
    "tucatinib": (TUCATINIB_DOSE_LEVELS_MG, "mg", "D2"),  # mg twice daily; unable to tolerate 150 -> discontinue
    "trastuzumab_deruxtecan": (TDXD_DOSE_LEVELS_MG_PER_KG, "mg/kg", "D5"),  # then discontinue
}
NEVER_RE_ESCALATE = frozenset({"trastuzumab_deruxtecan"})  # D5
NO_DOSE_REDUCTIONS = {"pertuzumab": "D3"}  # D3: pertuzumab has no dose reductions
STOPS_WITH = {"pertuzumab": "trastuzumab"}  # D3: stop pertuzumab if trastuzumab is stopped


@dataclass(frozen=True)
class DiarrhoeaRule:
    """D2: one tucatinib diarrhoea rule, offered to the oncologist as a choice."""

    code: str
    grade: int  # CTCAE grade
    despite_antidiarrhoeals: bool | None  # None: whatever the antidiarrhoeals
    action: str  # hold_resume_same | hold_resume_lower | discontinue
    situation: str
    ref: str = "D2"


TUCATINIB_DIARRHOEA_RULES = (
    DiarrhoeaRule("grade3_without_antidiarrhoeals", 3, False, "hold_resume_same",
                  "Grade 3 diarrhoea without antidiarrhoeals"),
    DiarrhoeaRule("grade3_despite_antidiarrhoeals", 3, True, "hold_resume_lower",
                  "Grade 3 diarrhoea despite antidiarrhoeals"),
    DiarrhoeaRule("grade4", 4, None, "discontinue", "Grade 4 diarrhoea"),
)
DIARRHOEA_RESUME_MAX_GRADE = 1  # D2: hold until grade <= 1

# D8 / D1 / D3 / D4 / D5: the re-flowed schedule. The interval of each repeating dose, by its frequency.
FREQUENCY_SCHEDULE = {"q21d": "q3w", "q3w": "q3w", "weekly": "weekly"}  # keys of SCHEDULE_INTERVAL_DAYS
MISSED_DOSE_DRUGS = frozenset({"trastuzumab", "pertuzumab", "trastuzumab_deruxtecan"})  # D8 covers these
ORAL_MISSED_DOSE_NOT_MADE_UP = {"tucatinib": "D1"}  # D1: a missed or vomited tucatinib dose is not made up
