"""Safety modifiers S1-S8, applied after the decision rules.

They only ever lower a tier (the strongest wins) and add warnings; they never
change the recommendation. S9 (weight) lives with the doses.
"""

from dataclasses import dataclass, replace

from regimens import catalogue as cat
from regimens.inputs import CaseInput
from regimens.rules import OptionDecision

_TUCATINIB = "tucatinib-trastuzumab"
_LAPATINIB = "lapatinib-trastuzumab"
_TDXD = "trastuzumab-deruxtecan"
_TRASTUZUMAB_CONTAINING = frozenset(
    code for code, agents in cat.REGIMEN_AGENTS.items() if agents & cat.TRASTUZUMAB_FAMILY
)


@dataclass(frozen=True)
class SafetyOutcome:
    options: tuple[OptionDecision, ...]
    warnings: tuple[str, ...]  # case-level warning codes
    missing: tuple[str, ...]
    tucatinib_start_mg: float


def lower_tier(option: OptionDecision, tier: str, ref: str, warning: str) -> OptionDecision:
    """Lower (never raise) an option's tier and attach the warning that explains it."""
    if cat.TIER_RANK[tier] < cat.TIER_RANK[option.tier]:
        option = replace(option, tier=tier, refs=option.refs + (ref,))
    return add_warning(option, warning)


def add_warning(option: OptionDecision, warning: str) -> OptionDecision:
    if warning in option.warnings:
        return option
    return replace(option, warnings=option.warnings + (warning,))


def pregnant_or_breastfeeding(case: CaseInput) -> bool:
    return case.patient.pregnant is True or case.patient.breastfeeding is True


def lvef_below_trial_minimum(case: CaseInput) -> bool:
    return case.lvef_percent is not None and case.lvef_percent < cat.LVEF_MIN_PERCENT


def tucatinib_start_dose_mg(case: CaseInput) -> float:
    """D1 300 mg BID; S4/D2 200 mg BID in severe hepatic impairment; S5/D2 100 mg BID with a strong
    CYP2C8 inhibitor. When both apply the lower dose is shown (the reference does not combine them)."""
    dose = cat.TUCATINIB_START_MG
    if case.hepatic_impairment == "severe":
        dose = min(dose, cat.TUCATINIB_SEVERE_HEPATIC_MG)
    if case.strong_cyp2c8_inhibitor is True:
        dose = min(dose, cat.TUCATINIB_STRONG_CYP2C8_MG)
    return dose


def _modify(option: OptionDecision, case: CaseInput) -> OptionDecision:
    code = option.regimen
    anti_her2 = code in cat.ANTI_HER2_REGIMENS
    if anti_her2 and pregnant_or_breastfeeding(case):
        option = lower_tier(option, "contraindicated", "S1", "pregnancy")
    if code in _TRASTUZUMAB_CONTAINING:
        if lvef_below_trial_minimum(case):
            option = lower_tier(option, "contraindicated", "S2", "lvef_low")
        elif case.lvef_percent is None:
            option = add_warning(option, "lvef_unknown")
    if code == _TDXD and case.ild_history is True:
        option = lower_tier(option, "not_recommended", "S3", "ild_history")
    if code == _TUCATINIB and case.hepatic_impairment == "severe":
        option = add_warning(option, "hepatic_severe_tucatinib")
    if code == _LAPATINIB and case.hepatic_impairment == "severe":
        option = add_warning(option, "hepatic_severe_lapatinib")
    if code == _TUCATINIB and case.strong_cyp2c8_inhibitor is True:
        option = add_warning(option, "cyp2c8_inhibitor")
    if code in cat.SIGNAL_TRANSDUCTION_REGIMENS and case.braf_v600e == "mutant":
        option = add_warning(option, "braf_v600e")
    if case.ecog is not None and case.ecog > cat.ECOG_TRIAL_MAX:
        option = add_warning(option, "ecog_high")
    return option


def case_warnings(case: CaseInput) -> tuple[str, ...]:
    """Warnings about the case rather than one option (S6, S7 info, R12)."""
    warnings = []
    if case.msi == "msi_high":
        warnings.append("msi_high")
    if case.braf_v600e == "mutant":
        warnings.append("braf_targeted_therapy")
    if "anti_egfr" in case.prior and case.ras == "wild_type":
        warnings.append("anti_egfr_switch")
    return tuple(warnings)


def apply_safety(case: CaseInput, options: tuple[OptionDecision, ...]) -> SafetyOutcome:
    modified = tuple(_modify(option, case) for option in options)
    missing = ("lvef_percent",) if options and case.lvef_percent is None else ()
    return SafetyOutcome(modified, case_warnings(case), missing, tucatinib_start_dose_mg(case))
