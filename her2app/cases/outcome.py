"""The engine's reading of a case, arranged for the case pages.

The engine runs through her2app.cases.clinical; its output is shown as it is (the
same dict the CLI prints). This module only orders it and maps field paths to
the wizard step that fixes them.
"""

from dataclasses import dataclass, field
from functools import cached_property

from her2app.cases.models import Case
from her2app.cases.wizard import STEP_BY_SLUG
from her2app.cases.clinical import EngineRun, run_for_case
from regimens import vocabulary

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


@dataclass(frozen=True)
class EngineOutcome:
    """The engine's result for a case, or the input error it raised, as the case pages show it.

    Its lists are worked out once: a page reads each of them several times.
    """

    run: EngineRun

    @property
    def result(self) -> dict | None:
        return self.run.result

    @property
    def error_message(self) -> str:
        return self.run.error_message

    @property
    def error_field(self) -> str:
        return self.run.error_field

    @property
    def error_step(self) -> str:
        return step_for_field(self.error_field) if self.error_field else "patient"

    @property
    def error_step_title(self) -> str:
        return STEP_BY_SLUG[self.error_step].title

    @cached_property
    def missing(self) -> list[MissingItem]:
        paths = (self.result or {}).get("missing_data", [])
        return [MissingItem(path, vocabulary.field_label(path), step_for_field(path)) for path in paths]

    @cached_property
    def warnings(self) -> list[dict]:
        return vocabulary.ordered_warnings((self.result or {}).get("warnings", []))

    @cached_property
    def blocking_warnings(self) -> list[dict]:
        return [warning for warning in self.warnings if warning.get("severity") == "blocking"]

    @cached_property
    def tier_groups(self) -> list[TierGroup]:
        """Options grouped by tier, groups in the one display order (vocabulary.ordered_options)."""
        groups: dict[str, TierGroup] = {}
        for option in vocabulary.ordered_options((self.result or {}).get("options", [])):
            tier = option.get("tier")
            groups.setdefault(tier, TierGroup(tier, vocabulary.tier_label(tier))).options.append(option)
        return list(groups.values())

    @cached_property
    def every_anti_her2_option_contraindicated(self) -> bool:
        """True when safety modifiers leave no anti-HER2 regimen to give (e.g. pregnancy, S1).

        The engine's recommendation code stays as the rules set it (modifiers never
        change it), so the page says this next to the headline.
        """
        options = (self.result or {}).get("options", [])
        anti_her2 = [option for option in options if option.get("regimen") != "clinical-trial"]
        return bool(anti_her2) and all(option.get("tier") == "contraindicated" for option in anti_her2)

    @cached_property
    def best_option(self) -> dict | None:
        """The option the summary names (vocabulary.best_option); its doses are shown first."""
        return vocabulary.best_option((self.result or {}).get("options", []))


def evaluate(case: Case) -> EngineOutcome:
    return EngineOutcome(run_for_case(case))
