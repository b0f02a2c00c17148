"""Safety modifiers S1-S10, applied after the decision rules.

They only ever lower a tier (the strongest wins) and add warnings; they never
change the recommendation. S9 (weight) lives with the doses.
"""

from dataclasses import dataclass, replace

from regimens import catalogue as cat
from regimens.doses import DoseAdjustments
from regimens.inputs import CaseInput
from regimens.rules import OptionDecision
from regimens.vocabulary import tier_label

_TUCATINIB = "tucatinib-trastuzumab"
_LAPATINIB = "lapatinib-trastuzumab"
_TDXD = "trastuzumab-deruxtecan"
_TRASTUZUMAB_CONTAINING = frozenset(
    code for code, agents in cat.REGIMEN_AGENTS.items() if agents & cat.TRASTUZUMAB_FAMILY
)
_MULTI_DOSE_VIAL_REGIMENS = frozenset(  # D7: regimens dispensed from a multi-dose vial
    code for code, agents in cat.REGIMEN_AGENTS.items() if agents & set(cat.MULTI_DOSE_VIALS_MG)
)


@dataclass(frozen=True)
class SafetyOutcome:
    options: tuple[OptionDecision, ...]
    missing: tuple[str, ...]
    doses: DoseAdjustments


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
            rationale = f"{option.rationale} Lowered to {tier_label(target).lower()} ({ref}): {why}"
        if warning not in warnings:
            warnings += (warning,)
    return replace(option, tier=tier, refs=refs, warnings=warnings, rationale=rationale)


def pregnant_or_breastfeeding(case: CaseInput) -> bool:
    return case.patient.pregnant is True or case.patient.breastfeeding is True


def pregnancy_status_unknown(case: CaseInput) -> bool:
    """S10: a female patient whose pregnancy status is not recorded."""
    return case.patient.sex == "female" and case.patient.pregnant is None


def lvef_below_trial_minimum(case: CaseInput) -> bool:
    return case.lvef_percent is not None and case.lvef_percent < cat.LVEF_MIN_PERCENT


def severe_hepatic_impairment(case: CaseInput) -> bool:
    return case.hepatic_impairment == "severe"


def tucatinib_start_dose_mg(case: CaseInput) -> float:
    """D1 300 mg BID; S4/D2 200 mg BID in severe hepatic impairment; S5/D2 100 mg BID with a strong
    CYP2C8 inhibitor. Both together: one dose line at the lower dose, 100 mg BID (S4, S5)."""
    dose = cat.TUCATINIB_START_MG
    if severe_hepatic_impairment(case):
        dose = min(dose, cat.TUCATINIB_SEVERE_HEPATIC_MG)
    if case.strong_cyp2c8_inhibitor is True:
        dose = min(dose, cat.TUCATINIB_STRONG_CYP2C8_MG)
    return dose


def dose_adjustments(case: CaseInput) -> DoseAdjustments:
    """What the safety modifiers change in the dose lines (S4, S5, D7)."""
    return DoseAdjustments(
        tucatinib_mg=tucatinib_start_dose_mg(case),
        clinician_sets=frozenset({"lapatinib"}) if severe_hepatic_impairment(case) else frozenset(),
        multi_dose_vials_single_use=case.patient.benzyl_alcohol_hypersensitivity is True,
    )


def _tucatinib_findings(case: CaseInput) -> list[Finding]:
    """S4 and S5 for tucatinib; together they give one caution that names only the dose on the line."""
    hepatic, inhibitor = severe_hepatic_impairment(case), case.strong_cyp2c8_inhibitor is True
    if hepatic and inhibitor:
        return [(None, "S4", "tucatinib_hepatic_and_cyp2c8")]
    if hepatic:
        return [(None, "S4", "hepatic_severe_tucatinib")]
    if inhibitor:
        return [(None, "S5", "cyp2c8_inhibitor")]
    return []


def findings_for(regimen: str, case: CaseInput) -> list[Finding]:
    """Every safety modifier S1-S10 (and the D7 vial note) that applies to one regimen in this case."""
    found: list[Finding] = []
    if regimen in cat.ANTI_HER2_REGIMENS:
        if pregnant_or_breastfeeding(case):
            found.append(("contraindicated", "S1", "pregnancy"))
        if pregnancy_status_unknown(case):
            found.append((None, "S10", "pregnancy_unknown"))
    if regimen in _TRASTUZUMAB_CONTAINING:
        if lvef_below_trial_minimum(case):
            found.append(("contraindicated", "S2", "lvef_low"))
        elif case.lvef_percent is None:
            found.append((None, "S2", "lvef_unknown"))
    if regimen == _TDXD and case.ild_history is True:
        found.append(("not_recommended", "S3", "ild_history"))
    if regimen == _TUCATINIB:
        found += _tucatinib_findings(case)
    if regimen == _LAPATINIB and severe_hepatic_impairment(case):
        found.append(("not_recommended", "S4", "hepatic_severe_lapatinib"))
    if regimen in cat.SIGNAL_TRANSDUCTION_REGIMENS and case.braf_v600e == "mutant":
        found.append((None, "S7", "braf_v600e"))
    if case.ecog is not None and case.ecog > cat.ECOG_TRIAL_MAX:
        found.append((None, "S8", "ecog_high"))
    if regimen in _MULTI_DOSE_VIAL_REGIMENS and case.patient.benzyl_alcohol_hypersensitivity is True:
        found.append((None, "D7", "benzyl_alcohol_hypersensitivity"))
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


def _missing(case: CaseInput) -> tuple[str, ...]:
    missing = []
    if case.lvef_percent is None:
        missing.append("lvef_percent")  # S2
    if pregnancy_status_unknown(case):
        missing.append("patient.pregnant")  # S10
    return tuple(missing)


def apply_safety(case: CaseInput, options: tuple[OptionDecision, ...]) -> SafetyOutcome:
    modified = tuple(apply_findings(option, findings_for(option.regimen, case)) for option in options)
    return SafetyOutcome(modified, _missing(case) if options else (), dose_adjustments(case))
