"""Safety modifiers S1-S8, applied after the decision rules.

They only ever lower a tier (the strongest wins) and add warnings; they never
change the recommendation. S9 (weight) lives with the doses.
"""

from dataclasses import dataclass, replace

from regimens import catalogue as cat
from regimens.inputs import CaseInput
from regimens.rules import OptionDecision

_TUCATINIB = "tucatinib-trastuzumab"
_HEPATIC_WARNINGS = {  # S4
    "tucatinib-trastuzumab": "hepatic_severe_tucatinib",
    "lapatinib-trastuzumab": "hepatic_severe_lapatinib",
}
_TDXD = "trastuzumab-deruxtecan"
_TRASTUZUMAB_CONTAINING = frozenset(
    code for code, agents in cat.REGIMEN_AGENTS.items() if agents & cat.TRASTUZUMAB_FAMILY
)


@dataclass(frozen=True)
class SafetyOutcome:
    options: tuple[OptionDecision, ...]
    missing: tuple[str, ...]
    tucatinib_start_mg: float


# A finding: (tier to lower to, or None for a warning only; reference item; warning code).
Finding = tuple[str | None, str, str]


def apply_findings(option: OptionDecision, findings: list[Finding]) -> OptionDecision:
    """Lower (never raise) the option's tier to the strongest finding and attach every finding's warning."""
    if not findings:
        return option
    tier, refs, warnings, rationale = option.tier, option.refs, option.warnings, option.rationale
    for target, ref, warning in findings:
        if target is not None and cat.TIER_RANK[target] < cat.TIER_RANK[tier]:
            tier, refs = target, refs + (ref,)
            why = cat.WARNINGS[warning].text
            rationale = f"{option.rationale} Lowered to {target.replace('_', ' ')} ({ref}): {why}"
        if warning not in warnings:
            warnings += (warning,)
    return replace(option, tier=tier, refs=refs, warnings=warnings, rationale=rationale)


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


def findings_for(regimen: str, case: CaseInput) -> list[Finding]:
    """Every safety modifier S1-S8 that applies to one regimen in this case."""
    found: list[Finding] = []
    if regimen in cat.ANTI_HER2_REGIMENS and pregnant_or_breastfeeding(case):
        found.append(("contraindicated", "S1", "pregnancy"))
    if regimen in _TRASTUZUMAB_CONTAINING:
        if lvef_below_trial_minimum(case):
            found.append(("contraindicated", "S2", "lvef_low"))
        elif case.lvef_percent is None:
            found.append((None, "S2", "lvef_unknown"))
    if regimen == _TDXD and case.ild_history is True:
        found.append(("not_recommended", "S3", "ild_history"))
    if case.hepatic_impairment == "severe" and regimen in _HEPATIC_WARNINGS:
        found.append((None, "S4", _HEPATIC_WARNINGS[regimen]))
    if regimen == _TUCATINIB and case.strong_cyp2c8_inhibitor is True:
        found.append((None, "S5", "cyp2c8_inhibitor"))
    if regimen in cat.SIGNAL_TRANSDUCTION_REGIMENS and case.braf_v600e == "mutant":
        found.append((None, "S7", "braf_v600e"))
    if case.ecog is not None and case.ecog > cat.ECOG_TRIAL_MAX:
        found.append((None, "S8", "ecog_high"))
    return found


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
    modified = tuple(apply_findings(option, findings_for(option.regimen, case)) for option in options)
    missing = ("lvef_percent",) if options and case.lvef_percent is None else ()
    return SafetyOutcome(modified, missing, tucatinib_start_dose_mg(case))
