"""Decision rules R1-R12 with the reference's precedence.

For a HER2-positive case: R8 (RAS mutant) first, then R9 (prior trastuzumab
deruxtecan), R7 (other prior anti-HER2), R6/R3 (refractory), R4/R5 (not
refractory); R3 (RAS unknown) then caps the signal-transduction regimens at
`consider`; R10 and R11 place the two fixed options. Safety modifiers (S1-S10)
come afterwards, in safety.py.
"""

from dataclasses import dataclass, replace

from regimens import catalogue as cat
from regimens.her2 import Her2Status
from regimens.inputs import CaseInput, Her2Input

ST = cat.SIGNAL_TRANSDUCTION_REGIMENS
TDXD = "trastuzumab-deruxtecan"
PTDM1 = "pertuzumab-trastuzumab-emtansine"
TRIAL = "clinical-trial"
TDXD_NAME = cat.TDXD_NAME


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


def _decision(regimen: str, tier: str, rationale: str, *refs: str, warnings: tuple[str, ...] = ()) -> OptionDecision:
    return OptionDecision(regimen, tier, rationale, refs, warnings)


def _fixed_options(after_trastuzumab_deruxtecan: bool = False) -> list[OptionDecision]:
    """R10 and R11 (R9 makes the clinical trial preferred): the two options no other rule tiers."""
    if after_trastuzumab_deruxtecan:
        trial = _decision(
            TRIAL,
            "preferred",
            f"No further anti-HER2 therapy is established after {TDXD_NAME}; a clinical trial is preferred.",
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
    return _decision(TDXD, "not_recommended", f"Already received: disease progressed on {TDXD_NAME}.", "R9")


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


def her2_expression_for_tdxd(her2: Her2Input) -> bool:
    """R7: trastuzumab deruxtecan is preferred only with IHC 3+ or IHC 2+ with ISH amplification."""
    return her2.ihc == "3+" or (her2.ihc == "2+" and her2.ish_result == "amplified")


def tdxd_after_anti_her2(her2: Her2Input) -> tuple[OptionDecision, tuple[str, ...]]:
    """R7's trastuzumab deruxtecan option, and the missing data that keeps it below preferred."""
    if her2_expression_for_tdxd(her2):
        text = f"Progressed on prior anti-HER2 therapy: {TDXD_NAME} is preferred."
        return _decision(TDXD, "preferred", text, "R7"), ()
    if her2.ihc is None:
        text = f"Progressed on prior anti-HER2 therapy, but HER2 IHC was not done: {TDXD_NAME} is at most consider."
        return _decision(TDXD, "consider", text, "R7", warnings=("tdxd_ihc_unknown",)), ("her2.ihc",)
    text = (
        f"Progressed on prior anti-HER2 therapy, but HER2 positivity does not rest on IHC 3+ or IHC 2+ with ISH "
        f"amplification: {TDXD_NAME} is at most consider."
    )
    missing = ("her2.ish",) if her2.ihc == "2+" and her2.ish_result is None else ()
    return _decision(TDXD, "consider", text, "R7", warnings=("tdxd_her2_expression",)), missing


def after_other_anti_her2_options(prior: frozenset[str], her2: Her2Input) -> list[OptionDecision]:
    """R7: progressed on prior anti-HER2 other than trastuzumab deruxtecan. When trastuzumab deruxtecan is not
    preferred, no other option takes its place."""
    options = [_received_or_consider(code, prior, "R7") for code in ST]
    options.append(tdxd_after_anti_her2(her2)[0])
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
            "Chemotherapy-refractory, RAS wild-type, no prior anti-HER2: "
            f"{cat.REGIMEN_NAMES['tucatinib-trastuzumab']} is preferred (MOUNTAINEER).",
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


def cap_signal_transduction_at_consider(options: list[OptionDecision]) -> list[OptionDecision]:
    """R3: RAS unknown, so no signal-transduction regimen is above consider. Trastuzumab deruxtecan and the
    clinical trial keep the tier R6, R7 or R9 gives them (DESTINY-CRC02 enrolled RAS wild-type and mutant)."""
    capped = []
    for option in options:
        if option.regimen in ST and cat.TIER_RANK[option.tier] > cat.TIER_RANK["consider"]:
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
        return "R7", after_other_anti_her2_options(prior, case.her2)
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
    missing: list[str] = ["prior_therapies"] if case.history_unknown else []
    if rule == "R7":
        missing += tdxd_after_anti_her2(case.her2)[1]
    if case.ras in ("unknown", None):
        options = cap_signal_transduction_at_consider(options)
        rule = "R3" if rule == "R6" else rule
        warnings.append("ras_unknown")
        missing.append("ras")
    if rule == "R4":
        warnings.append("anti_egfr_resistance")
        if case.fit_for_intensive_therapy is None:
            missing.append("fit_for_intensive_therapy")
    recommendation = _recommendation(rule, refractory, options, prior)
    return RuleOutcome(recommendation, rule, tuple(options), tuple(warnings), tuple(missing))
