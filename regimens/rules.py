"""Decision rules R1-R12 with the reference's precedence.

For a HER2-positive case: R8 (RAS mutant) first, then R9 (prior trastuzumab
deruxtecan), R7 (other prior anti-HER2), R6/R3 (refractory), R4/R5 (not
refractory); R3 (RAS unknown) then caps every tier at `consider`; R10 and R11
place the two fixed options. Safety modifiers (S1-S9) come afterwards, in
safety.py.
"""

from dataclasses import dataclass, replace

from regimens import catalogue as cat
from regimens.her2 import Her2Status
from regimens.inputs import CaseInput

ST = cat.SIGNAL_TRANSDUCTION_REGIMENS
TDXD = "trastuzumab-deruxtecan"
PTDM1 = "pertuzumab-trastuzumab-emtansine"
TRIAL = "clinical-trial"


@dataclass(frozen=True)
class OptionDecision:
    regimen: str
    tier: str
    rationale: str
    refs: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # warning codes (catalogue.WARNINGS)


@dataclass(frozen=True)
class RuleOutcome:
    recommendation: str
    rule: str
    options: tuple[OptionDecision, ...] = ()
    warnings: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


# --- definitions (R, "Definitions") -----------------------------------------


def refractory_to_chemotherapy(prior: frozenset[str]) -> bool:
    """Refractory = prior fluoropyrimidine AND oxaliplatin AND irinotecan."""
    return cat.REFRACTORY_AGENTS <= prior


def prior_anti_her2(prior: frozenset[str]) -> frozenset[str]:
    return prior & cat.ANTI_HER2_AGENTS


def already_received(regimen: str, prior: frozenset[str]) -> bool:
    """A regimen counts as already received when all its drugs are in prior therapies."""
    agents = cat.REGIMEN_AGENTS[regimen]
    return bool(agents) and agents <= prior


# --- tiering by rule ----------------------------------------------------------


def _decision(regimen: str, tier: str, rationale: str, *refs: str) -> OptionDecision:
    return OptionDecision(regimen, tier, rationale, refs)


def _fixed_options(after_trastuzumab_deruxtecan: bool = False) -> list[OptionDecision]:
    """R10 and R11 (R9 makes the clinical trial preferred): the two options no other rule tiers."""
    if after_trastuzumab_deruxtecan:
        trial = _decision(
            TRIAL,
            "preferred",
            "No further anti-HER2 therapy is established after trastuzumab deruxtecan; a clinical trial is preferred.",
            "R9",
        )
    else:
        trial = _decision(TRIAL, "consider", "Clinical trial participation is encouraged.", "R11")
    ptdm1 = _decision(
        PTDM1, "not_recommended", "HERACLES-B missed its primary endpoint (ORR 9.7%); shown for completeness.", "R10"
    )
    return [ptdm1, trial]


def _received_or_consider(regimen: str, prior: frozenset[str], rule: str) -> OptionDecision:
    if already_received(regimen, prior):
        return _decision(regimen, "not_recommended", "Already received: disease progressed on it.", rule)
    return _decision(regimen, "consider", "Not yet received; an option after prior anti-HER2 therapy.", rule)


def _tdxd_after_tdxd() -> OptionDecision:
    return _decision(TDXD, "not_recommended", "Already received: disease progressed on trastuzumab deruxtecan.", "R9")


def ras_mutant_options(prior: frozenset[str]) -> list[OptionDecision]:
    """R8 (with R9 for trastuzumab deruxtecan itself once it has been received)."""
    options = [
        _decision(code, "not_recommended", "Limited activity in RAS-mutant disease.", "R8") for code in ST
    ]
    if "trastuzumab_deruxtecan" in prior:
        options.append(_tdxd_after_tdxd())
        return options + _fixed_options(after_trastuzumab_deruxtecan=True)
    options.append(
        _decision(
            TDXD,
            "consider",
            "An antibody-drug conjugate may retain activity in RAS-mutant disease (DESTINY-CRC02 enrolled RAS "
            "wild-type or mutant); tumour-agnostic approval for HER2 IHC 3+ after prior systemic therapy.",
            "R8",
            "D5",
        )
    )
    return options + _fixed_options()


def after_trastuzumab_deruxtecan_options(prior: frozenset[str]) -> list[OptionDecision]:
    """R9: prior trastuzumab deruxtecan."""
    options = [_received_or_consider(code, prior, "R9") for code in ST]
    return options + [_tdxd_after_tdxd()] + _fixed_options(after_trastuzumab_deruxtecan=True)


def after_other_anti_her2_options(prior: frozenset[str]) -> list[OptionDecision]:
    """R7: progressed on prior anti-HER2 other than trastuzumab deruxtecan."""
    options = [_received_or_consider(code, prior, "R7") for code in ST]
    options.append(
        _decision(
            TDXD, "preferred", "Progressed on prior anti-HER2 therapy: trastuzumab deruxtecan is preferred.", "R7"
        )
    )
    return options + _fixed_options()


def _tdxd_reserved(rule: str) -> OptionDecision:
    return _decision(
        TDXD,
        "subsequent_line",
        "Reserved for progression on other HER2-targeted therapy, because of ILD risk.",
        rule,
    )


def refractory_options() -> list[OptionDecision]:
    """R6 (and R3, which tiers as if RAS wild-type)."""
    return [
        _decision(
            "tucatinib-trastuzumab",
            "preferred",
            "Chemotherapy-refractory, RAS wild-type, no prior anti-HER2: tucatinib-trastuzumab is preferred "
            "(MOUNTAINEER).",
            "R6",
        ),
        _decision("pertuzumab-trastuzumab", "alternative", "Alternative regimen (MyPathway).", "R6"),
        _decision("lapatinib-trastuzumab", "alternative", "Alternative regimen (HERACLES-A).", "R6"),
        _tdxd_reserved("R6"),
    ] + _fixed_options()


def not_fit_first_line_options() -> list[OptionDecision]:
    """R5: not refractory, not fit for intensive therapy, RAS wild-type."""
    options = [
        _decision(
            code,
            "consider",
            "First-line anti-HER2 therapy is an option only for patients not appropriate for intensive therapy.",
            "R5",
        )
        for code in ST
    ]
    return options + [_tdxd_reserved("R5")] + _fixed_options()


def standard_therapy_first_options() -> list[OptionDecision]:
    """R4: not refractory and fit for intensive therapy."""
    text = "Not yet chemotherapy-refractory: standard chemotherapy first; anti-HER2 therapy in a later line."
    options = [_decision(code, "subsequent_line", text, "R4") for code in ST + (TDXD,)]
    return options + _fixed_options()


def cap_at_consider(options: list[OptionDecision]) -> list[OptionDecision]:
    """R3: RAS unknown, so no option is preferred (best is consider)."""
    capped = []
    for option in options:
        if cat.TIER_RANK[option.tier] > cat.TIER_RANK["consider"]:
            option = replace(
                option,
                tier="consider",
                rationale=f"{option.rationale} RAS status is unknown, so at most consider until RAS wild-type "
                "is confirmed.",
                refs=option.refs + ("R3",),
            )
        capped.append(option)
    return capped


# --- the decision --------------------------------------------------------------


def _not_positive(status: Her2Status) -> RuleOutcome:
    if status.status == "negative":
        return RuleOutcome("not_indicated", "R2")
    warnings = ("her2_not_confirmed", "her2_prevalence") if status.status == "untested" else ("her2_not_confirmed",)
    return RuleOutcome("complete_her2_testing", "R1", warnings=warnings, missing=status.missing)


def _positive_options(case: CaseInput, prior: frozenset[str], refractory: bool) -> tuple[str, list[OptionDecision]]:
    """The deciding rule and its options, by the reference's precedence."""
    if case.ras == "mutant":
        return "R8", ras_mutant_options(prior)
    if "trastuzumab_deruxtecan" in prior:
        return "R9", after_trastuzumab_deruxtecan_options(prior)
    if prior_anti_her2(prior):
        return "R7", after_other_anti_her2_options(prior)
    if refractory:
        return "R6", refractory_options()
    if case.fit_for_intensive_therapy is False:
        return "R5", not_fit_first_line_options()
    return "R4", standard_therapy_first_options()


def _recommendation(rule: str, refractory: bool, options: list[OptionDecision], prior: frozenset[str]) -> str:
    if rule == "R4":
        return "standard_therapy_first"
    if rule == "R8" and not refractory:
        return "standard_therapy_first"
    if "trastuzumab_deruxtecan" in prior:
        untried = any(o.tier == "consider" and o.regimen in ST + (TDXD,) for o in options)
        return "anti_her2" if untried else "not_indicated"
    return "anti_her2"


def decide(case: CaseInput, status: Her2Status) -> RuleOutcome:
    """Apply R1-R12 to a validated case whose HER2 status is known."""
    if status.status != "positive":
        return _not_positive(status)
    prior = case.prior
    refractory = refractory_to_chemotherapy(prior)
    rule, options = _positive_options(case, prior, refractory)
    warnings: list[str] = []
    missing: list[str] = []
    if case.ras in ("unknown", None):
        options = cap_at_consider(options)
        rule = "R3" if rule == "R6" else rule
        warnings.append("ras_unknown")
        missing.append("ras")
    if rule == "R4":
        warnings.append("anti_egfr_resistance")
        if case.fit_for_intensive_therapy is None:
            missing.append("fit_for_intensive_therapy")
    recommendation = _recommendation(rule, refractory, options, prior)
    return RuleOutcome(recommendation, rule, tuple(options), tuple(warnings), tuple(missing))
