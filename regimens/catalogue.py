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
ISH_MIN_PERCENT_CELLS = 50  # ratio >= 2.0 in >= 50% of cells (H1); no input field carries it (lab's call)


# --- R: definitions used by the decision rules -----------------------------

REFRACTORY_AGENTS = frozenset({"fluoropyrimidine", "oxaliplatin", "irinotecan"})  # R definitions
# R definitions: "prior anti-HER2"
ANTI_HER2_AGENTS = frozenset(
    {"trastuzumab", "pertuzumab", "lapatinib", "tucatinib", "trastuzumab_deruxtecan", "trastuzumab_emtansine"}
)
ECOG_TRIAL_MAX = 2  # S8: trials enrolled ECOG 0-2
LVEF_MIN_PERCENT = 50  # S2: trials required LVEF >= 50%

# Tiers from best to worst (display order). Rank: safety modifiers only ever
# lower a rank; consider and subsequent_line share a rank (S, "consider,
# subsequent_line" are listed together in the reference).
TIERS = ("preferred", "alternative", "consider", "subsequent_line", "not_recommended", "contraindicated")
TIER_RANK = {
    "contraindicated": 0,
    "not_recommended": 1,
    "consider": 2,
    "subsequent_line": 2,
    "alternative": 3,
    "preferred": 4,
}
RECOMMENDATIONS = ("anti_her2", "standard_therapy_first", "complete_her2_testing", "not_indicated")
HER2_STATUSES = ("positive", "negative", "equivocal", "untested")
SEVERITIES = ("info", "caution", "blocking")


# --- D: drugs, doses and dispensing ----------------------------------------


@dataclass(frozen=True)
class DoseFact:
    """One dose line of a regimen: either mg/kg (weight-based) or a fixed mg dose."""

    drug: str
    phase: str  # loading | maintenance | continuous
    route: str  # IV | PO
    frequency: str  # once | q21d | q3w | weekly | daily | BID
    days: tuple[int, ...]
    ref: str
    mg_per_kg: float | None = None
    fixed_mg: float | None = None

    @property
    def weight_based(self) -> bool:
        return self.mg_per_kg is not None


CYCLE_21_DAYS = 21  # D: "21-day cycles unless stated"
EVERY_DAY_OF_CYCLE = tuple(range(1, CYCLE_21_DAYS + 1))  # D1/D4 "days 1-21"
WEEKLY_DAYS = (1, 8, 15)  # D4

# Doses per regimen (D1, D3, D4, D5, D6).
TRASTUZUMAB_3WEEKLY = (
    DoseFact("trastuzumab", "loading", "IV", "once", (1,), "D1", mg_per_kg=8),
    DoseFact("trastuzumab", "maintenance", "IV", "q21d", (1,), "D1", mg_per_kg=6),
)
TUCATINIB_START_MG = 300  # D1: 300 mg PO twice daily
TUCATINIB_SEVERE_HEPATIC_MG = 200  # D2/S4: Child-Pugh C starting dose 200 mg BID
TUCATINIB_STRONG_CYP2C8_MG = 100  # D2/S5: strong CYP2C8 inhibitor unavoidable
TUCATINIB_DOSE_LEVELS_MG = (300, 250, 200, 150)  # D2 reductions; below 150 mg BID -> discontinue
TDXD_DOSE_LEVELS_MG_PER_KG = (5.4, 4.4, 3.2)  # D5 reductions, then discontinue; never re-escalate

REGIMEN_DOSES: dict[str, tuple[DoseFact, ...]] = {
    "tucatinib-trastuzumab": (
        DoseFact("tucatinib", "continuous", "PO", "BID", EVERY_DAY_OF_CYCLE, "D1", fixed_mg=TUCATINIB_START_MG),
        *TRASTUZUMAB_3WEEKLY,
    ),
    "pertuzumab-trastuzumab": (
        DoseFact("pertuzumab", "loading", "IV", "once", (1,), "D3", fixed_mg=840),
        DoseFact("pertuzumab", "maintenance", "IV", "q3w", (1,), "D3", fixed_mg=420),
        DoseFact("trastuzumab", "loading", "IV", "once", (1,), "D3", mg_per_kg=8),
        DoseFact("trastuzumab", "maintenance", "IV", "q3w", (1,), "D3", mg_per_kg=6),
    ),
    "lapatinib-trastuzumab": (
        DoseFact("trastuzumab", "loading", "IV", "once", (1,), "D4", mg_per_kg=4),
        DoseFact("trastuzumab", "maintenance", "IV", "weekly", WEEKLY_DAYS, "D4", mg_per_kg=2),
        DoseFact("lapatinib", "continuous", "PO", "daily", EVERY_DAY_OF_CYCLE, "D4", fixed_mg=1000),
    ),
    "trastuzumab-deruxtecan": (
        DoseFact(
            "trastuzumab_deruxtecan", "maintenance", "IV", "q3w", (1,), "D5", mg_per_kg=TDXD_DOSE_LEVELS_MG_PER_KG[0]
        ),
    ),
    "pertuzumab-trastuzumab-emtansine": (
        DoseFact("pertuzumab", "loading", "IV", "once", (1,), "D6", fixed_mg=840),
        DoseFact("pertuzumab", "maintenance", "IV", "q3w", (1,), "D6", fixed_mg=420),
        DoseFact("trastuzumab_emtansine", "maintenance", "IV", "q3w", (1,), "D6", mg_per_kg=3.6),
    ),
    "clinical-trial": (),
}
REGIMEN_CODES = tuple(REGIMEN_DOSES)
CYCLE_DAYS: dict[str, int | None] = {code: (CYCLE_21_DAYS if doses else None) for code, doses in REGIMEN_DOSES.items()}

# Agents (prior_therapies vocabulary) that make up each regimen: a regimen is
# "already received" when all of them are in prior_therapies (R precedence).
REGIMEN_AGENTS: dict[str, frozenset[str]] = {
    "tucatinib-trastuzumab": frozenset({"tucatinib", "trastuzumab"}),
    "pertuzumab-trastuzumab": frozenset({"pertuzumab", "trastuzumab"}),
    "lapatinib-trastuzumab": frozenset({"lapatinib", "trastuzumab"}),
    "trastuzumab-deruxtecan": frozenset({"trastuzumab_deruxtecan"}),
    "pertuzumab-trastuzumab-emtansine": frozenset({"pertuzumab", "trastuzumab_emtansine"}),
    "clinical-trial": frozenset(),
}
SIGNAL_TRANSDUCTION_REGIMENS = ("tucatinib-trastuzumab", "pertuzumab-trastuzumab", "lapatinib-trastuzumab")
ANTI_HER2_REGIMENS = tuple(code for code in REGIMEN_CODES if code != "clinical-trial")
TRASTUZUMAB_FAMILY = frozenset({"trastuzumab", "trastuzumab_deruxtecan", "trastuzumab_emtansine"})  # S2

# D7 (and D1, D4): dispensing units.
VIAL_SIZES_MG: dict[str, tuple[float, ...]] = {
    "trastuzumab": (150, 420),  # 150 mg single-dose, 420 mg multi-dose (D7)
    "trastuzumab_deruxtecan": (100,),  # D7
    "pertuzumab": (420,),  # 420 mg/14 mL (D7)
}
TABLET_SIZES_MG: dict[str, tuple[float, ...]] = {
    "tucatinib": (50, 150),  # D1
    "lapatinib": (250,),  # D4: only 250 mg tablets
}
DRUG_NAMES = {
    "trastuzumab": "trastuzumab",
    "pertuzumab": "pertuzumab",
    "tucatinib": "tucatinib",
    "lapatinib": "lapatinib",
    "trastuzumab_deruxtecan": "trastuzumab deruxtecan",
    "trastuzumab_emtansine": "trastuzumab emtansine",
}
PERCENT = 100  # unit conversion, not a clinical fact
FLOAT_NOISE_DIGITS = 6  # comparisons round away binary floating-point noise, not a clinical fact
DOSE_DECIMALS = 1  # D7: rounded to 1 decimal place for display
ROUNDING_TOLERANCE_EXAMPLES_PERCENT = (5, 10)  # D7: institutional setting, e.g. 5% or 10%

# D8: missed doses.
MISSED_TRASTUZUMAB_MAX_DAYS_LATE = 7  # up to 1 week late -> maintenance dose
MISSED_DOSE_MG_PER_KG = {  # schedule -> (maintenance, re-load)
    "q3w": (6, 8),
    "weekly": (2, 4),
}
SCHEDULE_INTERVAL_DAYS = {"q3w": 21, "weekly": 7}
PERTUZUMAB_RELOAD_AFTER_WEEKS = 6
PERTUZUMAB_LOADING_MG = 840
PERTUZUMAB_MAINTENANCE_MG = 420


# --- Warnings (code -> severity, text, ref) --------------------------------


@dataclass(frozen=True)
class WarningFact:
    code: str
    severity: str  # info | caution | blocking
    text: str
    ref: str


def _warnings(*facts: WarningFact) -> dict[str, WarningFact]:
    return {fact.code: fact for fact in facts}


WARNINGS: dict[str, WarningFact] = _warnings(
    WarningFact(
        "her2_discordant",
        "caution",
        "HER2 results are discordant (IHC 0/1+ with ISH or NGS amplification): counted as positive, "
        "but the tumour board should review the pathology.",
        "H5",
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
        "RAS status unknown: tucatinib-trastuzumab, pertuzumab-trastuzumab and lapatinib-trastuzumab need "
        "RAS wild-type confirmed; no option is preferred until RAS is known.",
        "R3",
    ),
    WarningFact(
        "anti_egfr_resistance",
        "caution",
        "HER2 amplification predicts resistance to anti-EGFR antibodies.",
        "R4",
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
        "ILD/pneumonitis history: trastuzumab deruxtecan is not recommended (boxed warning; such patients "
        "were excluded from the trials).",
        "S3",
    ),
    WarningFact(
        "hepatic_severe_tucatinib",
        "caution",
        "Severe hepatic impairment (Child-Pugh C): tucatinib starting dose 200 mg twice daily.",
        "S4",
    ),
    WarningFact(
        "hepatic_severe_lapatinib",
        "caution",
        "Severe hepatic impairment: lapatinib dose reduction per label.",
        "S4",
    ),
    WarningFact(
        "cyp2c8_inhibitor",
        "caution",
        "Strong CYP2C8 inhibitor: avoid the combination with tucatinib; if unavoidable, reduce tucatinib "
        "to 100 mg twice daily and return to the prior dose three elimination half-lives after the "
        "inhibitor stops.",
        "S5",
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
        "BRAF V600E mutant: NCCN lists the signal-transduction regimens for RAS and BRAF wild-type disease; "
        "HERACLES-B enrolled RAS/BRAF wild-type.",
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
        "lapatinib_trial_dose",
        "info",
        "Lapatinib 1000 mg once daily is the HERACLES-A trial dose (and the EU breast-cancer combination "
        "dose), not a US-label dose.",
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
        "Trastuzumab deruxtecan is not interchangeable with trastuzumab or trastuzumab emtansine.",
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
    "not_listed": "not listed in the clinical reference's sources",
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
    SOURCES["not_listed"],
    "E6",
)
NCCN_TDXD = Evidence(
    "NCCN", "Lists trastuzumab deruxtecan as subsequent therapy", SOURCES["not_listed"], "E6"
)

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
        Evidence("TRIUMPH", "ORR 30% (RAS wild-type, tissue or ctDNA HER2-positive)", SOURCES["not_listed"], "E2"),
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
        "Tucatinib: liver tests (ALT, AST, bilirubin) before starting, every 3 weeks, and as indicated; "
        "diarrhoea management (antidiarrhoeals, fluids, electrolytes). MOUNTAINEER safety (n=86): diarrhoea "
        "64%, fatigue 44%, nausea 35%, infusion reactions 21%; grade >= 3 adverse events 40.7% in the final "
        "analysis, most often hypertension (7%).",
        "M2",
        frozenset({"tucatinib"}),
    ),
    MonitoringFact(
        "Tucatinib interactions: raises exposure to CYP3A substrates (avoid narrow-therapeutic-index ones) "
        "and P-gp substrates; avoid strong CYP3A or moderate CYP2C8 inducers; contraception during tucatinib "
        "and for 1 week after.",
        "M2",
        frozenset({"tucatinib"}),
    ),
    MonitoringFact(
        "Tucatinib tablets about 12 hours apart, swallowed whole, with or without food; a missed or vomited "
        "dose is not made up. Until progression or unacceptable toxicity.",
        "D1",
        frozenset({"tucatinib"}),
    ),
    MonitoringFact(
        "Tucatinib dose reductions 300 -> 250 -> 200 -> 150 mg BID; unable to tolerate 150 mg BID -> "
        "discontinue. Diarrhoea: grade 3 without antidiarrhoeals -> hold until grade <= 1, resume same dose; "
        "grade 3 despite antidiarrhoeals -> hold, resume at the next lower dose; grade 4 -> discontinue.",
        "D2",
        frozenset({"tucatinib"}),
    ),
    MonitoringFact(
        "Trastuzumab deruxtecan: ILD/pneumonitis - advise patients to report cough, dyspnoea, fever; grade 1: "
        "interrupt until resolved; grade >= 2: permanently discontinue and start corticosteroids. Blood counts "
        "before each dose (neutropenia). LVEF before start and periodically. Boxed warnings: ILD/pneumonitis "
        "and embryo-fetal toxicity.",
        "M3",
        frozenset({"trastuzumab_deruxtecan"}),
    ),
    MonitoringFact(
        "Trastuzumab deruxtecan dose reductions 5.4 -> 4.4 -> 3.2 mg/kg, then discontinue; never re-escalate.",
        "D5",
        frozenset({"trastuzumab_deruxtecan"}),
    ),
    MonitoringFact(
        "Lapatinib: liver tests (boxed warning: hepatotoxicity); early-onset diarrhoea (start loperamide at "
        "the first loose stool); rash. HERACLES-A grade 3 adverse events in 22% (fatigue, rash, increased "
        "bilirubin). Take at least 1 hour before or 1 hour after food; no grapefruit.",
        "M4",
        frozenset({"lapatinib"}),
    ),
    MonitoringFact(
        "Infusion reactions with trastuzumab and pertuzumab: observe during and after infusion (first "
        "infusion over 90 minutes; later 30 minutes if tolerated).",
        "M5",
        frozenset({"trastuzumab", "pertuzumab"}),
    ),
    MonitoringFact(
        "Pertuzumab has no dose reductions; stop pertuzumab if trastuzumab is stopped.",
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

REGIMEN_NAMES = {
    "tucatinib-trastuzumab": "Tucatinib + trastuzumab",
    "pertuzumab-trastuzumab": "Pertuzumab + trastuzumab",
    "lapatinib-trastuzumab": "Lapatinib + trastuzumab",
    "trastuzumab-deruxtecan": "Trastuzumab deruxtecan",
    "pertuzumab-trastuzumab-emtansine": "Pertuzumab + trastuzumab emtansine",
    "clinical-trial": "Clinical trial",
}
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
