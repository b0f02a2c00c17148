"""recommend(): validated input -> HER2 status -> rules -> safety -> doses -> contract-v1 output dict."""

from dataclasses import asdict

from regimens import catalogue as cat
from regimens import vocabulary as vocab
from regimens.doses import Dose, DoseAdjustments, has_weight_based_dose, regimen_doses
from regimens.her2 import Her2Status, classify_her2
from regimens.inputs import CaseInput, parse_case
from regimens.monitoring import monitoring_refs, monitoring_texts
from regimens.rules import OptionDecision, RuleOutcome, decide
from regimens.safety import SafetyOutcome, apply_safety, case_warnings

_WARNING_JSON = {code: asdict(fact) for code, fact in cat.WARNINGS.items()}
# Per regimen, the option fields that never depend on the case (E and M items).
STATIC_OPTION_FIELDS: dict[str, dict[str, list]] = {
    code: {
        "evidence": [asdict(item) for item in cat.EVIDENCE[code]],
        "monitoring": monitoring_texts(code),
        "monitoring_refs": monitoring_refs(code),
    }
    for code in cat.REGIMEN_CODES
}
_REGIMEN_NOTE_CODES = frozenset(code for codes in cat.REGIMEN_NOTES.values() for code in codes)
# A note that names the dose it describes; left out when that dose is the oncologist's to set (S4, S5).
_DOSE_NOTES = {"lapatinib_trial_dose": "lapatinib"}
# Case-level warnings a summary may name beside its best option (the rest are about anti-EGFR therapy).
_SUMMARY_CASE_WARNINGS = frozenset({"her2_discordant", "ngs_copy_number_without_call", "ras_unknown", "msi_high"})

_CONTEXT = {
    "R3": "chemotherapy-refractory with RAS status unknown",
    "R5": "not chemotherapy-refractory and not fit for intensive therapy",
    "R6": "chemotherapy-refractory, RAS wild-type, no prior anti-HER2 therapy",
    "R7": "progressed on prior anti-HER2 therapy",
    "R8": "RAS mutant",
    "R9": f"after {cat.TDXD_NAME}",
}
# Why the rules themselves give no preferred option.
_NO_PREFERRED_BECAUSE = {
    "R3": "RAS status is unknown",
    "R5": "first-line anti-HER2 therapy is only an option to consider for a patient not fit for intensive therapy",
    "R8": "the signal-transduction regimens have limited activity in RAS-mutant disease",
}
_STANDARD_CHEMOTHERAPY = (
    "standard chemotherapy (fluoropyrimidine with oxaliplatin or irinotecan) plus bevacizumab, or plus "
    "anti-EGFR for RAS wild-type left-sided tumours, comes first"
)


def _warning_json(codes: tuple[str, ...] | list[str]) -> list[dict]:
    ordered = vocab.ordered_warnings([_WARNING_JSON[code] for code in dict.fromkeys(codes)])
    return [dict(warning) for warning in ordered]


def _dose_json(dose: Dose) -> dict:
    return {
        "drug": dose.drug,
        "drug_name": vocab.drug_name(dose.drug),
        "phase": dose.phase,
        "dose_mg": dose.dose_mg,
        "calculated_mg": dose.calculated_mg,
        "basis": dose.basis,
        "route": dose.route,
        "frequency": dose.frequency,
        "days": list(dose.days),
        "units": dose.units,
        "mg_per_kg": dose.mg_per_kg,
        "ref": dose.ref,
        "administration": dose.administration,
        "do_not_substitute": cat.DO_NOT_SUBSTITUTE.get(dose.drug),
        "clinician_sets_dose": dose.clinician_sets_dose,
    }


def _option_json(option: OptionDecision, weight_kg: float | None, adjustments: DoseAdjustments) -> dict:
    code = option.regimen
    static = STATIC_OPTION_FIELDS[code]
    notes = tuple(
        note for note in cat.REGIMEN_NOTES.get(code, ()) if _DOSE_NOTES.get(note) not in adjustments.clinician_sets
    )
    warnings = option.warnings + notes
    doses_omitted = weight_kg is None and has_weight_based_dose(code)
    if doses_omitted:
        warnings += ("weight_missing",)
    return {
        "regimen": code,
        "name": vocab.regimen_title(code),
        "tier": option.tier,
        "rationale": option.rationale,
        "refs": list(dict.fromkeys(option.refs + (cat.REGIMEN_REFS[code],))),
        "evidence": [dict(item) for item in static["evidence"]],
        "warnings": _warning_json(warnings),
        "cycle_days": cat.CYCLE_DAYS[code],
        "doses": [_dose_json(dose) for dose in regimen_doses(code, weight_kg, adjustments)],
        "doses_incomplete": doses_omitted,
        "monitoring": list(static["monitoring"]),
        "monitoring_refs": list(static["monitoring_refs"]),
    }


# --- the summary: one reading of the result, in display names ---------------------


def _in_sentence(regimen: str) -> str:
    return "a clinical trial" if regimen == vocab.CLINICAL_TRIAL else vocab.regimen_name(regimen)


def _best_phrase(best: dict | None) -> str:
    if best is None or best["regimen"] == vocab.CLINICAL_TRIAL and best["tier"] != "preferred":
        return "no anti-HER2 regimen can be given as things stand; a clinical trial can be considered"
    return f"{_in_sentence(best['regimen'])} {vocab.TIER_PHRASES[best['tier']]}"


def _lowered_preferred(outcome: RuleOutcome, options: list[dict]) -> dict | None:
    """The option the rules preferred, when a safety modifier lowered it."""
    by_rules = next((o.regimen for o in outcome.options if o.tier == "preferred"), None)
    return next((o for o in options if o["regimen"] == by_rules and o["tier"] != "preferred"), None)


def _why_not_preferred(outcome: RuleOutcome, options: list[dict]) -> str:
    lowered = _lowered_preferred(outcome, options)
    if lowered is not None:
        return (
            f"{vocab.regimen_title(lowered['regimen'])} would be preferred by the rules but is "
            f"{vocab.tier_label(lowered['tier']).lower()} here."
        )
    if outcome.rule == "R7":
        ihc_unknown = "her2.ihc" in outcome.missing
        return (
            f"No option is preferred: {'HER2 IHC was not done, and ' if ihc_unknown else ''}{cat.TDXD_NAME} is "
            "preferred only with IHC 3+ or IHC 2+ with ISH amplification."
        )
    return f"No option is preferred: {_NO_PREFERRED_BECAUSE.get(outcome.rule, 'no rule makes one preferred')}."


def _strongest_on(best: dict | None, outcome: RuleOutcome, options: list[dict], case_level: list[dict]) -> str:
    """The strongest caution or blocking warning on the best option (its own first, then the one that lowered
    the rules' preferred option, then the case's)."""
    lowered = _lowered_preferred(outcome, options)
    candidates = (best or {}).get("warnings", []) + (lowered or {}).get("warnings", [])
    candidates += [w for w in case_level if w["code"] in _SUMMARY_CASE_WARNINGS]
    strongest = vocab.strongest_warning(candidates)
    return f" {vocab.severity_label(strongest['severity'])}: {strongest['text']}" if strongest else ""


def _positive_summary(case: CaseInput, status: Her2Status, outcome: RuleOutcome, options: list[dict],
                      case_level: list[dict]) -> str:
    head = f"HER2 positive ({status.basis})"
    best = vocab.best_option(options)
    tail = _strongest_on(best, outcome, options, case_level)
    name = _in_sentence(best["regimen"]) if best else "no anti-HER2 regimen"
    if outcome.recommendation == "standard_therapy_first" and outcome.rule == "R8":
        return (
            f"{head}, RAS mutant and not chemotherapy-refractory: standard therapy per guideline comes first, so no "
            f"option is preferred; {name} can be considered later.{tail}"
        )
    if outcome.recommendation == "standard_therapy_first":
        history = (
            "treatment history unknown, so not counted as chemotherapy-refractory"
            if case.history_unknown else "not chemotherapy-refractory"
        )
        return (
            f"{head}, {history}: {_STANDARD_CHEMOTHERAPY}, so no anti-HER2 option is preferred; {name} "
            f"{vocab.TIER_PHRASES.get(best['tier'] if best else '', 'is not proposed')}.{tail}"
        )
    if outcome.recommendation == "not_indicated":
        return (
            f"{head} after {cat.TDXD_NAME} with no untried anti-HER2 option: no further anti-HER2 therapy; a "
            f"clinical trial is preferred, or best supportive care.{tail}"
        )
    why = "" if best and best["tier"] == "preferred" else f" {_why_not_preferred(outcome, options)}"
    return f"{head}, {_CONTEXT.get(outcome.rule, '')}: {_best_phrase(best)}.{why}{tail}"


def _summary(case: CaseInput, status: Her2Status, outcome: RuleOutcome, options: list[dict],
             case_level: list[dict]) -> str:
    if status.status == "untested":
        return "HER2 has not been tested: test HER2 (IHC, ISH or NGS) before any anti-HER2 therapy."
    if status.status == "equivocal":
        return f"HER2 is equivocal ({status.basis}): complete testing with ISH or NGS before any anti-HER2 therapy."
    if status.status == "negative":
        return (
            f"HER2 negative ({status.basis}): anti-HER2 therapy is not indicated; continue standard therapy per "
            "guideline and consider clinical trials."
        )
    return _positive_summary(case, status, outcome, options, case_level)


def _missing_data(
    status: Her2Status, outcome: RuleOutcome, safety: SafetyOutcome | None, weight_missing: bool
) -> list[str]:
    missing = list(status.missing) + list(outcome.missing)
    if safety is not None:
        missing += safety.missing
    if weight_missing:
        missing.append("patient.weight_kg")
    return list(dict.fromkeys(missing))


def recommend_case(case: CaseInput) -> dict:
    """The contract-v1 output for a validated case."""
    status = classify_her2(case.her2)
    outcome = decide(case, status)
    case_level = _warning_json(list(status.warnings) + list(outcome.warnings) + list(case_warnings(case)))
    safety = apply_safety(case, outcome.options) if outcome.options else None
    options: list[dict] = []
    if safety is not None:
        weight = case.patient.weight_kg
        options = vocab.ordered_options([_option_json(option, weight, safety.doses) for option in safety.options])
    option_warnings = [
        w["code"] for option in options for w in option["warnings"] if w["code"] not in _REGIMEN_NOTE_CODES
    ]
    weight_missing = any(option["doses_incomplete"] for option in options)
    best = vocab.best_option(options)
    return {
        "ruleset_version": cat.RULESET_VERSION,
        "her2_status": status.status,
        "her2_basis": status.basis,
        "her2_ref": status.ref,
        "recommendation": outcome.recommendation,
        "rule": outcome.rule,
        "summary": _summary(case, status, outcome, options, case_level),
        "best_option": best["regimen"] if best else None,
        "missing_data": _missing_data(status, outcome, safety, weight_missing),
        "warnings": _warning_json([w["code"] for w in case_level] + option_warnings),
        "options": options,
    }


def recommend(data: dict) -> dict:
    """Validate a contract-v1 input dict and return the JSON-ready contract-v1 output dict.

    Raises InvalidInput (a ValueError) with `.field` and `.message` for invalid input.
    """
    return recommend_case(parse_case(data))
