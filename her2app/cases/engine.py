"""Run the regimen engine on a case and arrange its result for display.

The engine's output is shown as it is (the same dict the CLI prints); this
module only orders it and maps field paths to the wizard step that fixes them.
"""

from dataclasses import dataclass, field

import regimens
import regimens.catalogue
from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.models import Case
from her2app.cases.wizard import STEP_BY_SLUG

TIER_ORDER = ("preferred", "alternative", "subsequent_line", "consider", "not_recommended", "contraindicated")
TIER_LABELS = {
    "preferred": "Preferred",
    "alternative": "Alternative",
    "subsequent_line": "Subsequent line",
    "consider": "Consider",
    "not_recommended": "Not recommended",
    "contraindicated": "Contraindicated",
}
SEVERITY_ORDER = ("blocking", "caution", "info")
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
REGIMEN_LABELS = regimens.catalogue.REGIMEN_NAMES
# Engine field paths (CLI contract v1) -> readable name and the wizard step that records them.
FIELD_LABELS = {
    "her2": "HER2 test result (IHC, ISH or NGS)",
    "her2.ihc": "HER2 IHC score",
    "her2.ish": "HER2 ISH result",
    "her2.ish_ratio": "HER2:CEP17 ratio",
    "her2.ihc_percent_cells": "HER2 IHC % of tumour cells",
    "ras": "RAS status",
    "braf_v600e": "BRAF V600E status",
    "msi": "MSI status",
    "patient.weight_kg": "Weight",
    "patient.height_cm": "Height",
    "lvef_percent": "LVEF",
    "fit_for_intensive_therapy": "Fitness for intensive therapy",
    "ecog": "ECOG performance status",
    "prior_therapies": "Treatment history",
}
_TUMOUR_FIELDS = ("her2", "tumour", "ras", "braf_v600e", "msi")
_PATIENT_FIELDS = ("patient.age", "patient.sex")


def step_for_field(path: str) -> str:
    """The wizard step slug where the engine field `path` is entered."""
    head = path.split(".")[0].split("[")[0]
    if path in _PATIENT_FIELDS:
        return "patient"
    if head in _TUMOUR_FIELDS:
        return "tumour"
    if head == "prior_therapies":
        return "history"
    return "fitness"


def label_for_field(path: str) -> str:
    return FIELD_LABELS.get(path, path.replace("_", " ").replace(".", ": "))


@dataclass(frozen=True)
class MissingItem:
    path: str
    label: str
    step: str


@dataclass
class TierGroup:
    tier: str
    label: str
    options: list[dict] = field(default_factory=list)


@dataclass
class EngineOutcome:
    """The engine's result for a case, or the input error it raised."""

    engine_input: dict
    result: dict | None = None
    error_message: str = ""
    error_field: str = ""

    @property
    def error_step(self) -> str:
        return step_for_field(self.error_field) if self.error_field else "patient"

    @property
    def error_step_title(self) -> str:
        return STEP_BY_SLUG[self.error_step].title

    @property
    def missing(self) -> list[MissingItem]:
        paths = (self.result or {}).get("missing_data", [])
        return [MissingItem(path, label_for_field(path), step_for_field(path)) for path in paths]

    @property
    def warnings(self) -> list[dict]:
        warnings = (self.result or {}).get("warnings", [])
        return sorted(warnings, key=lambda warning: _rank(SEVERITY_ORDER, warning.get("severity")))

    @property
    def blocking_warnings(self) -> list[dict]:
        return [warning for warning in self.warnings if warning.get("severity") == "blocking"]

    @property
    def tier_groups(self) -> list[TierGroup]:
        groups = {tier: TierGroup(tier, TIER_LABELS[tier]) for tier in TIER_ORDER}
        for option in (self.result or {}).get("options", []):
            tier = option.get("tier")
            group = groups.setdefault(tier, TierGroup(tier, TIER_LABELS.get(tier, str(tier))))
            group.options.append(option)
        return [group for group in groups.values() if group.options]

    @property
    def every_anti_her2_option_contraindicated(self) -> bool:
        """True when safety modifiers leave no anti-HER2 regimen to give (e.g. pregnancy, S1).

        The engine's recommendation code stays as the rules set it (modifiers never
        change it), so the page says this next to the headline.
        """
        options = (self.result or {}).get("options", [])
        anti_her2 = [option for option in options if option.get("regimen") != "clinical-trial"]
        return bool(anti_her2) and all(option.get("tier") == "contraindicated" for option in anti_her2)

    @property
    def top_option(self) -> dict | None:
        groups = self.tier_groups
        return groups[0].options[0] if groups else None


def _rank(order: tuple[str, ...], value: str | None) -> int:
    return order.index(value) if value in order else len(order)


def evaluate(case: Case) -> EngineOutcome:
    engine_input = case_to_engine_input(case)
    try:
        return EngineOutcome(engine_input, result=regimens.recommend(engine_input))
    except regimens.InvalidInput as error:
        return EngineOutcome(engine_input, error_message=error.message, error_field=error.field)
