"""What must be recorded before a case goes to the oncologist: the data the engine needs for doses and safety
checks (weight, LVEF, pregnancy status for a female patient, RAS, a complete HER2 result). Each item links to
the field in its step; sending is refused until every item is recorded."""

from dataclasses import dataclass

from her2app.cases.outcome import EngineOutcome
from her2app.cases.models import Case

# HER2 results the engine cannot act on yet: no result at all, or IHC 2+ without ISH/NGS (reference H2, H4).
INCOMPLETE_HER2 = ("untested", "equivocal")


@dataclass(frozen=True)
class CheckItem:
    label: str
    recorded: bool
    step: str
    field: str
    missing: str

    @property
    def anchor(self) -> str:
        return f"id_{self.field}"


def send_checklist(case: Case, outcome: EngineOutcome) -> list[CheckItem]:
    clinical = getattr(case, "clinical", None)
    profile = getattr(case, "profile", None)
    items = [
        CheckItem("Weight", _has(clinical, "weight_kg"), "fitness", "weight_kg", "no weight: every dose needs it"),
        CheckItem("LVEF", _has(clinical, "lvef_percent"), "fitness", "lvef_percent",
                  "no LVEF: trastuzumab needs a baseline"),
    ]
    if case.patient.sex == "female":
        items.append(CheckItem("Pregnancy status", _has(clinical, "pregnant"), "fitness", "pregnant",
                               "unknown: anti-HER2 therapy is blocked until it is verified (reference S10)"))
    items += [
        CheckItem("RAS", profile is not None and profile.ras != "unknown", "tumour", "kras",
                  "RAS unknown: record KRAS and NRAS (exons 2-4)"),
        CheckItem("HER2", _her2_complete(outcome), "tumour", "her2_ihc", "HER2 testing incomplete"),
    ]
    return items


def ready_to_send(items: list[CheckItem]) -> bool:
    return all(item.recorded for item in items)


def _has(record, name: str) -> bool:
    return record is not None and getattr(record, name) is not None


def _her2_complete(outcome: EngineOutcome) -> bool:
    result = outcome.result or {}
    missing_her2 = any(path.startswith("her2.") for path in result.get("missing_data", []))
    return bool(result) and result.get("her2_status") not in INCOMPLETE_HER2 and not missing_her2
