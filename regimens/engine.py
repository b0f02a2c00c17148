"""recommend(): validated input -> HER2 status -> rules -> safety -> doses -> contract-v1 output dict."""

from dataclasses import asdict

from regimens import catalogue as cat
from regimens.doses import Dose, has_weight_based_dose, regimen_doses
from regimens.her2 import Her2Status, classify_her2
from regimens.inputs import CaseInput, parse_case
from regimens.monitoring import monitoring_refs, monitoring_texts
from regimens.rules import OptionDecision, RuleOutcome, decide
from regimens.safety import SafetyOutcome, apply_safety, case_warnings

_SEVERITY_ORDER = {"blocking": 0, "caution": 1, "info": 2}
_TIER_ORDER = {tier: index for index, tier in enumerate(cat.TIERS)}
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

_TIER_PHRASES = {
    "preferred": "is preferred",
    "alternative": "is an alternative",
    "consider": "can be considered",
    "subsequent_line": "is for a subsequent line",
}
_CONTEXT = {
    "R3": "chemotherapy-refractory with RAS status unknown",
    "R5": "not chemotherapy-refractory and not fit for intensive therapy",
    "R6": "chemotherapy-refractory, RAS wild-type, no prior anti-HER2 therapy",
    "R7": "progressed on prior anti-HER2 therapy",
    "R8": "RAS mutant",
    "R9": "after trastuzumab deruxtecan",
}


def _warning_json(codes: tuple[str, ...] | list[str]) -> list[dict]:
    ordered = sorted(dict.fromkeys(codes), key=lambda code: _SEVERITY_ORDER[cat.WARNINGS[code].severity])
    return [dict(_WARNING_JSON[code]) for code in ordered]


def _dose_json(dose: Dose) -> dict:
    return {
        "drug": dose.drug,
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
    }


def _option_json(option: OptionDecision, weight_kg: float | None, tucatinib_mg: float) -> dict:
    code = option.regimen
    static = STATIC_OPTION_FIELDS[code]
    warnings = option.warnings + cat.REGIMEN_NOTES.get(code, ())
    doses_omitted = weight_kg is None and has_weight_based_dose(code)
    if doses_omitted:
        warnings += ("weight_missing",)
    return {
        "regimen": code,
        "name": cat.REGIMEN_NAMES[code],
        "tier": option.tier,
        "rationale": option.rationale,
        "refs": list(dict.fromkeys(option.refs + (cat.REGIMEN_REFS[code],))),
        "evidence": [dict(item) for item in static["evidence"]],
        "warnings": _warning_json(warnings),
        "cycle_days": cat.CYCLE_DAYS[code],
        "doses": [_dose_json(dose) for dose in regimen_doses(code, weight_kg, tucatinib_mg)],
        "doses_incomplete": doses_omitted,
        "monitoring": list(static["monitoring"]),
        "monitoring_refs": list(static["monitoring_refs"]),
    }


def _context(outcome: RuleOutcome) -> str:
    return _CONTEXT.get(outcome.rule, "")


def _summary(status: Her2Status, outcome: RuleOutcome, options: list[dict]) -> str:
    basis = status.basis
    if status.status == "untested":
        return "HER2 has not been tested: test HER2 (IHC, ISH or NGS) before any anti-HER2 therapy."
    if status.status == "equivocal":
        return f"HER2 is equivocal ({basis}): complete testing with ISH or NGS before any anti-HER2 therapy."
    if status.status == "negative":
        return (
            f"HER2 negative ({basis}): anti-HER2 therapy is not indicated; continue standard therapy per "
            "guideline and consider clinical trials."
        )
    if outcome.recommendation == "standard_therapy_first" and outcome.rule == "R8":
        return (
            f"HER2 positive ({basis}), RAS mutant and not chemotherapy-refractory: standard therapy per guideline "
            "comes first; trastuzumab deruxtecan can be considered later."
        )
    if outcome.recommendation == "standard_therapy_first":
        return (
            f"HER2 positive ({basis}) but not chemotherapy-refractory: standard chemotherapy "
            "(fluoropyrimidine with oxaliplatin or irinotecan) plus bevacizumab, or plus anti-EGFR for RAS "
            "wild-type left-sided tumours, comes first; anti-HER2 therapy is for a later line."
        )
    if outcome.recommendation == "not_indicated":
        return (
            f"HER2 positive ({basis}) after trastuzumab deruxtecan with no untried anti-HER2 option: no further "
            "anti-HER2 therapy; a clinical trial or best supportive care."
        )
    return f"HER2 positive ({basis}), {_context(outcome)}: {_best_option_phrase(options)}.{_blocking_tail(options)}"


def _usable(option: dict) -> bool:
    return cat.TIER_RANK[option["tier"]] >= cat.TIER_RANK["consider"]


def _best_option_phrase(options: list[dict]) -> str:
    if any(_usable(o) for o in options if o["regimen"] != "clinical-trial"):
        best = options[0]
        return f"{best['name'].lower()} {_TIER_PHRASES[best['tier']]}"
    return "no anti-HER2 regimen can be given as things stand; a clinical trial can be considered"


def _blocking_tail(options: list[dict]) -> str:
    codes = dict.fromkeys(w["code"] for o in options for w in o["warnings"] if w["severity"] == "blocking")
    if not codes:
        return ""
    return f" Blocking warnings: {', '.join(code.replace('_', ' ') for code in codes)}."


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
    warnings = (["her2_discordant"] if status.discordant else []) + list(outcome.warnings) + list(case_warnings(case))
    safety = apply_safety(case, outcome.options) if outcome.options else None
    options: list[dict] = []
    if safety is not None:
        weight = case.patient.weight_kg
        options = [_option_json(option, weight, safety.tucatinib_start_mg) for option in safety.options]
        options.sort(key=lambda option: _TIER_ORDER[option["tier"]])
    all_warnings = warnings + [
        w["code"] for option in options for w in option["warnings"] if w["code"] not in _REGIMEN_NOTE_CODES
    ]
    weight_missing = any(option["doses_incomplete"] for option in options)
    return {
        "ruleset_version": cat.RULESET_VERSION,
        "her2_status": status.status,
        "her2_basis": status.basis,
        "her2_ref": status.ref,
        "recommendation": outcome.recommendation,
        "rule": outcome.rule,
        "summary": _summary(status, outcome, options),
        "missing_data": _missing_data(status, outcome, safety, weight_missing),
        "warnings": _warning_json(all_warnings),
        "options": options,
    }


def recommend(data: dict) -> dict:
    """Validate a contract-v1 input dict and return the JSON-ready contract-v1 output dict.

    Raises InvalidInput (a ValueError) with `.field` and `.message` for invalid input.
    """
    return recommend_case(parse_case(data))
