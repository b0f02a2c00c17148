"""The clinical vocabulary people read, derived from the catalogue: one place for
tier order and labels, what the "best option" is, severity order, the labels of
recommendations, HER2 statuses, drugs and regimens (D10), dose fields and input
field paths, and why a choice needs an override reason ("Override reasons").

Every screen, the PDF, the meeting agenda, the FHIR text and the re-check use
these; no consumer turns an engine code into words on its own.
"""

from functools import partial

from regimens import catalogue as cat
from regimens.catalogue import sentence_start

__all__ = ["sentence_start"]

CLINICAL_TRIAL = "clinical-trial"

# --- tiers -------------------------------------------------------------------
# Tiers best first (catalogue.TIERS). consider and subsequent_line share a rank: options of the two are shown in
# regimen order (ordered_options), and neither is ever the top option that needs no override reason.
TIER_LABELS = {
    "preferred": "Preferred",
    "alternative": "Alternative",
    "consider": "Consider",
    "subsequent_line": "Subsequent line",
    "not_recommended": "Not recommended",
    "contraindicated": "Contraindicated",
}
# Tiers an option can be proposed at (the best option is chosen among these).
PROPOSABLE_TIERS = frozenset(tier for tier in cat.TIERS if cat.TIER_RANK[tier] >= cat.TIER_RANK["consider"])
TIER_PHRASES = {  # "<regimen> ..."
    "preferred": "is preferred",
    "alternative": "is an alternative",
    "consider": "can be considered",
    "subsequent_line": "is for a subsequent line",
    "not_recommended": "is not recommended",
    "contraindicated": "is contraindicated",
}

# --- warnings ----------------------------------------------------------------
SEVERITY_ORDER: tuple[str, ...] = tuple(reversed(cat.SEVERITIES))  # blocking, caution, info
SEVERITY_LABELS = {"blocking": "Blocking", "caution": "Caution", "info": "Note"}

# --- results -----------------------------------------------------------------
RECOMMENDATION_LABELS = {
    "anti_her2": "Anti-HER2 therapy",
    "standard_therapy_first": "Standard therapy first",
    "complete_her2_testing": "Complete HER2 testing",
    "not_indicated": "Anti-HER2 therapy not indicated",
}
HER2_STATUS_LABELS = {
    "positive": "HER2-positive",
    "negative": "HER2-negative",
    "equivocal": "HER2 equivocal",
    "untested": "HER2 untested",
}
ISH_LABELS = {"amplified": "amplified", "not_amplified": "not amplified"}

# --- drugs, regimens and dose lines (D10) ------------------------------------
DRUG_NAMES = cat.DRUG_NAMES
REGIMEN_NAMES = cat.REGIMEN_NAMES
PHASE_LABELS = {"loading": "Loading", "maintenance": "Maintenance", "continuous": "Continuous"}
FREQUENCY_LABELS = {
    "once": "once",
    "q21d": "every 21 days",
    "q3w": "every 3 weeks",
    "weekly": "weekly",
    "daily": "once daily",
    "BID": "twice daily",
}
ROUTE_LABELS = {"IV": "IV", "PO": "by mouth"}

# Prior therapies (the prior_therapies vocabulary): the anti-HER2 agents by their D10 names.
AGENT_LABELS: dict[str, str] = {
    "fluoropyrimidine": "Fluoropyrimidine (5-FU, capecitabine)",
    "oxaliplatin": "Oxaliplatin",
    "irinotecan": "Irinotecan",
    "bevacizumab": "Bevacizumab",
    "anti_egfr": "Anti-EGFR antibody (cetuximab, panitumumab)",
    **{agent: sentence_start(DRUG_NAMES[agent]) for agent in sorted(cat.ANTI_HER2_AGENTS)},
    "immunotherapy": "Immune checkpoint inhibitor",
    "other": "Other",
}

# --- answers a case records (the input vocabularies of the CLI contract) --------
PRIMARY_SITE_LABELS = {"left_colon": "Left colon", "right_colon": "Right colon", "rectum": "Rectum",
                       "unknown": "Unknown"}
IHC_LABELS = {score: score for score in cat.IHC_SCORES}
ISH_RESULT_LABELS = {"amplified": "Amplified", "not_amplified": "Not amplified"}
MUTATION_LABELS = {"wild_type": "Wild type", "mutant": "Mutant", "unknown": "Unknown"}
MSI_LABELS = {"mss": "MSS", "msi_high": "MSI-high", "unknown": "Unknown"}
HEPATIC_LABELS = {"none": "No hepatic impairment", "mild": "Mild (Child-Pugh A)",
                  "moderate": "Moderate (Child-Pugh B)", "severe": "Severe (Child-Pugh C)"}


def choices(values: tuple[str, ...], labels: dict[str, str]) -> list[tuple[str, str]]:
    """Form and model choices for one input vocabulary; every value must have its label."""
    return [(value, labels[value]) for value in values]


# --- case fields (CLI contract input paths) ------------------------------------
FIELD_LABELS = {
    "her2": "HER2 test result (IHC, ISH or NGS)",
    "her2.ihc": "HER2 IHC score",
    "her2.ihc_percent_cells": "HER2 IHC % of tumour cells",
    "her2.ish": "HER2 ISH result",
    "her2.ish_ratio": "HER2:CEP17 ratio",
    "her2.ngs_erbb2_amplified": "NGS ERBB2 amplification call (the laboratory's)",
    "her2.ngs_copy_number": "NGS ERBB2 copy number",
    "ras": "RAS status",
    "braf_v600e": "BRAF V600E status",
    "msi": "MSI status",
    "tumour": "Tumour",
    "tumour.primary_site": "Primary tumour site",
    "tumour.metastatic": "Metastatic disease",
    "patient": "Patient",
    "patient.weight_kg": "Weight",
    "patient.height_cm": "Height",
    "patient.age": "Age",
    "patient.sex": "Sex",
    "patient.pregnant": "Pregnancy status",
    "patient.breastfeeding": "Breastfeeding",
    "patient.benzyl_alcohol_hypersensitivity": "Benzyl alcohol hypersensitivity",
    "prior_therapies": "Treatment history",
    "fit_for_intensive_therapy": "Fitness for intensive therapy",
    "ecog": "ECOG performance status",
    "lvef_percent": "LVEF",
    "ild_history": "History of ILD / pneumonitis",
    "hepatic_impairment": "Hepatic impairment (Child-Pugh)",
    "strong_cyp2c8_inhibitor": "Strong CYP2C8 inhibitor",
}


_VALUE_LABELS = {
    "tumour.primary_site": PRIMARY_SITE_LABELS,
    "her2.ish": ISH_RESULT_LABELS,
    "ras": MUTATION_LABELS,
    "braf_v600e": MUTATION_LABELS,
    "msi": MSI_LABELS,
    "hepatic_impairment": HEPATIC_LABELS,
}
_UNITS = {"patient.weight_kg": " kg", "patient.height_cm": " cm", "lvef_percent": "%", "her2.ihc_percent_cells": "%",
          "patient.age": " years"}


def input_value_label(path: str, value) -> str:
    """A case's input value as a person reads it ("70 kg", "Yes", "Wild type", "not recorded")."""
    if value is None or value == "":
        return "not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple)):
        return ", ".join(agent_label(item) for item in value) or "none"
    if isinstance(value, (int, float)):
        return f"{value:g}{_UNITS.get(path, '')}"
    labels = _VALUE_LABELS.get(path, {})
    return labels.get(value, sentence_start(str(value)))


def _require_labels(codes, labels: dict[str, str]) -> None:
    """Every code the catalogue defines has its words here (checked once, at import)."""
    missing = set(codes) - set(labels)
    if missing:
        raise LookupError(f"no label for {sorted(missing)}")


for _codes, _labels in (
    (cat.TIERS, TIER_LABELS), (cat.SEVERITIES, SEVERITY_LABELS), (cat.RECOMMENDATIONS, RECOMMENDATION_LABELS),
    (cat.HER2_STATUSES, HER2_STATUS_LABELS), (cat.ISH_RESULTS, ISH_LABELS), (cat.ISH_RESULTS, ISH_RESULT_LABELS),
    (cat.PRIMARY_SITES, PRIMARY_SITE_LABELS), (cat.IHC_SCORES, IHC_LABELS), (cat.MUTATION_STATUSES, MUTATION_LABELS),
    (cat.MSI_STATUSES, MSI_LABELS), (cat.HEPATIC_IMPAIRMENT, HEPATIC_LABELS), (cat.PRIOR_THERAPY_AGENTS, AGENT_LABELS),
    (cat.REGIMEN_CODES, REGIMEN_NAMES),
):
    _require_labels(_codes, _labels)


def _label(labels: dict[str, str], code: str | None) -> str:
    """The label of a code; an empty code is empty. A code outside the vocabulary is returned unchanged."""
    if not code:
        return ""
    return labels.get(code, code)


# The label of each kind of code: label(code) -> str, as `_label` gives it.
tier_label = partial(_label, TIER_LABELS)
severity_label = partial(_label, SEVERITY_LABELS)
recommendation_label = partial(_label, RECOMMENDATION_LABELS)
her2_status_label = partial(_label, HER2_STATUS_LABELS)
phase_label = partial(_label, PHASE_LABELS)
frequency_label = partial(_label, FREQUENCY_LABELS)
route_label = partial(_label, ROUTE_LABELS)
agent_label = partial(_label, AGENT_LABELS)
field_label = partial(_label, FIELD_LABELS)
# D10: the nonproprietary name with its brand, as it reads mid-sentence; the regimen by its drug names
# ("tucatinib (TUKYSA) + trastuzumab").
drug_name = partial(_label, DRUG_NAMES)
regimen_name = partial(_label, REGIMEN_NAMES)


def regimen_title(regimen: str | None) -> str:
    """The regimen name at the start of a heading or sentence."""
    return sentence_start(regimen_name(regimen))


def drug_title(drug: str | None) -> str:
    return sentence_start(drug_name(drug))


def days_label(days: list[int] | tuple[int, ...]) -> str:
    """The days of its cycle a dose is given: [1] -> 'day 1'; [1..21] -> 'days 1-21'; [1, 8, 15] -> 'days 1, 8, 15'."""
    if not days:
        return ""
    if len(days) == 1:
        return f"day {days[0]}"
    if list(days) == list(range(days[0], days[-1] + 1)):
        return f"days {days[0]}-{days[-1]}"
    return "days " + ", ".join(str(day) for day in days)


# --- ordering and the best option ----------------------------------------------


def _rank(order: tuple[str, ...], value: str | None) -> int:
    return order.index(value) if value in order else len(order)


def ordered_options(options: list[dict]) -> list[dict]:
    """Options in the one display order: best tier rank first; consider and subsequent_line rank equal, so
    within a rank the catalogue's regimen order holds (the clinical trial after the regimens)."""
    return sorted(
        options,
        key=lambda option: (-cat.TIER_RANK.get(option.get("tier"), -1), _rank(cat.REGIMEN_CODES, option.get("regimen"))),
    )


def ordered_warnings(warnings: list[dict]) -> list[dict]:
    """Blocking first, then caution, then info (stable within a severity)."""
    return sorted(warnings, key=lambda warning: _rank(SEVERITY_ORDER, warning.get("severity")))


def strongest_warning(warnings: list[dict]) -> dict | None:
    """The first blocking, else caution, warning; notes (info) are never the strongest."""
    serious = [w for w in ordered_warnings(warnings) if w.get("severity") in ("blocking", "caution")]
    return serious[0] if serious else None


def preferred_option(options: list[dict]) -> dict | None:
    return next((option for option in options if option.get("tier") == cat.NO_REASON_NEEDED_TIER), None)


def best_option(options: list[dict]) -> dict | None:
    """The option a summary names and an agenda prints as the best.

    The preferred option when there is one. Otherwise the first anti-HER2 regimen, in display order, that
    can still be proposed (alternative, consider or subsequent line); otherwise the clinical trial when it can
    be proposed; otherwise none. Only a preferred best option needs no override reason.
    """
    preferred = preferred_option(options)
    if preferred is not None:
        return preferred
    proposable = [option for option in ordered_options(options) if option.get("tier") in PROPOSABLE_TIERS]
    anti_her2 = [option for option in proposable if option.get("regimen") != CLINICAL_TRIAL]
    return (anti_her2 or proposable or [None])[0]


def blocking_warnings(option: dict) -> list[dict]:
    return [warning for warning in option.get("warnings", []) if warning.get("severity") == "blocking"]


def override_reasons(option: dict, options: list[dict]) -> list[str]:
    """Why choosing `option` needs a recorded override reason ("Override reasons"); empty when it does not.

    A reason is needed for every option that is not preferred (so for every choice when the result has no
    preferred option) and for every option that carries a blocking warning.
    """
    reasons = []
    tier = option.get("tier")
    if tier != cat.NO_REASON_NEEDED_TIER:
        if preferred_option(options) is None:
            reasons.append(f"no option is preferred for this case (this one is {tier_label(tier).lower()})")
        else:
            reasons.append(f"it is not the preferred option (it is {tier_label(tier).lower()})")
    reasons += [f"it carries a blocking warning: {warning.get('text', '')}" for warning in blocking_warnings(option)]
    return reasons
