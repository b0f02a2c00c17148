"""Re-check saved results against the current ruleset and each case's current data.

Two kinds of saved result are checked:
- every signed plan in force (approved, verified or on hold): what was signed (its engine snapshot) against the engine
  run now on the case's current data. The plan keeps its own ruleset version;
  a difference means the plan needs review, not that it changes.
- every case without an approved plan that has a saved result: the newest of
  the result stored when the case was sent for review and the snapshot of its
  newest draft plan, against the engine run now on the case's current data.

A case or plan is listed when the result differs (HER2 status, recommendation,
best option, any tier, the doses of the chosen or best option, blocking
warnings, missing data). The data changes since then are shown beside it, so a
reader sees why ("Weight: 70 kg -> 60 kg").
"""

from dataclasses import dataclass, field
from datetime import datetime

import regimens
from her2app.cases.clinical import run_for_case
from her2app.cases.models import Case
from her2app.plans.models import SIGNED_STATES, PlanState, TreatmentPlan
from regimens import vocabulary

NOT_LISTED = "not listed"
SIGNED_LABELS = {PlanState.APPROVED: "approved plan", PlanState.VERIFIED: "verified plan",
                 PlanState.ON_HOLD: "plan on hold"}
NONE = "none"


@dataclass(frozen=True)
class Change:
    what: str
    stored: str
    current: str


@dataclass(frozen=True)
class Saved:
    """A saved engine result: the input and output it was made from, and what it was."""

    case: Case
    engine_input: dict
    engine_output: dict
    label: str  # "approved plan version 2", "sent for review", ...
    at: datetime | None
    plan: TreatmentPlan | None = None

    @property
    def ruleset_version(self) -> str:
        return self.engine_output.get("ruleset_version", "")

    @property
    def regimen(self) -> str:
        """The regimen whose doses are compared: the plan's choice, else the saved best option."""
        if self.plan is not None:
            return self.plan.regimen
        best = vocabulary.best_option(self.engine_output.get("options", []))
        return best["regimen"] if best else ""


@dataclass(frozen=True)
class Recheck:
    saved: Saved
    current_version: str
    changes: list[Change] = field(default_factory=list)
    data_changes: list[Change] = field(default_factory=list)
    error: str = ""

    @property
    def differs(self) -> bool:
        return bool(self.changes or self.error)

    @property
    def case(self) -> Case:
        return self.saved.case

    @property
    def plan(self) -> TreatmentPlan | None:
        return self.saved.plan


def saved_results() -> list[Saved]:
    """Every approved plan, and every case without one whose engine result was saved."""
    plans = (
        TreatmentPlan.objects.filter(state__in=[*SIGNED_STATES, PlanState.DRAFT])
        .select_related("case__patient")
        .order_by("case_id", "-version")
    )
    approved: list[Saved] = []
    newest_draft: dict[int, TreatmentPlan] = {}
    for plan in plans:
        if plan.state in SIGNED_STATES:
            label = f"{SIGNED_LABELS[plan.state]} version {plan.version}"
            approved.append(Saved(plan.case, plan.engine_input, plan.engine_output, label, plan.approved_at, plan))
        else:
            newest_draft.setdefault(plan.case_id, plan)
    with_approved = {saved.case.pk for saved in approved}
    cases = [saved for saved in _case_results(newest_draft) if saved.case.pk not in with_approved]
    return approved + cases


def _case_results(newest_draft: dict[int, TreatmentPlan]) -> list[Saved]:
    results = []
    sent = Case.objects.filter(sent_engine_output__isnull=False).select_related("patient")
    sent_by_pk = {case.pk: case for case in sent}
    for pk in sorted(set(sent_by_pk) | set(newest_draft)):
        draft, case = newest_draft.get(pk), sent_by_pk.get(pk)
        if draft is not None and (case is None or case.sent_at is None or draft.created_at >= case.sent_at):
            results.append(Saved(draft.case, draft.engine_input, draft.engine_output,
                                 f"draft plan version {draft.version}", draft.created_at, draft))
        else:
            results.append(Saved(case, case.sent_engine_input or {}, case.sent_engine_output, "sent for review",
                                 case.sent_at))
    return results


def recheck(saved: Saved) -> Recheck:
    run = run_for_case(saved.case)
    data_changes = compare_inputs(saved.engine_input, run.engine_input)
    if not run.ok:
        message = f"The case's current data cannot be assessed under the current rules: {run.error}"
        return Recheck(saved, regimens.RULESET_VERSION, data_changes=data_changes, error=message)
    current = run.result
    changes = compare_results(saved.engine_output, current, saved.regimen)
    return Recheck(saved, current.get("ruleset_version", ""), changes, data_changes)


def recheck_all() -> list[Recheck]:
    return [recheck(saved) for saved in saved_results()]


def never_sent_drafts() -> int:
    """Draft cases with no saved result: nothing was shown or signed, so there is nothing to compare."""
    return Case.objects.filter(sent_engine_output__isnull=True, plans__isnull=True).count()


# --- the readable diff --------------------------------------------------------------


def compare_inputs(stored: dict, current: dict) -> list[Change]:
    """The case data that changed, by field label ("Weight: 70 kg -> 60 kg")."""
    before, after = _flatten(stored), _flatten(current)
    return [
        Change(vocabulary.field_label(path), vocabulary.input_value_label(path, before.get(path)),
               vocabulary.input_value_label(path, after.get(path)))
        for path in dict.fromkeys([*before, *after])
        if _comparable(before.get(path)) != _comparable(after.get(path))
    ]


def _flatten(data: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _comparable(value):
    if isinstance(value, list):
        return sorted(value)
    if value == "unknown":
        return None
    return value


def compare_results(stored: dict, current: dict, regimen: str) -> list[Change]:
    """What a clinician needs to see: status, recommendation, best option, every tier, the doses of the
    chosen (or best) regimen, blocking warnings and missing data. Wording changes alone are not listed."""
    changes = [
        Change(label, labelled(stored.get(key)) or NOT_LISTED, labelled(current.get(key)) or NOT_LISTED)
        for key, label, labelled in (
            ("her2_status", "HER2 status", vocabulary.her2_status_label),
            ("recommendation", "Recommendation", vocabulary.recommendation_label),
        )
        if stored.get(key) != current.get(key)
    ]
    changes += _keyed_changes("Best option", {"": _best(stored)}, {"": _best(current)})
    changes += _keyed_changes("Tier of {}", _tiers(stored), _tiers(current))
    changes += _keyed_changes(f"{vocabulary.regimen_title(regimen)}: {{}}", _doses(stored, regimen),
                              _doses(current, regimen))
    changes += _keyed_changes("Blocking warning on {}", _blocking(stored), _blocking(current), (None, NONE))
    changes += _keyed_changes("Missing data", {"": _missing(stored)}, {"": _missing(current)})
    return changes


def _keyed_changes(template: str, stored: dict[str, tuple], current: dict[str, tuple],
                   absent: tuple = (None, NOT_LISTED)) -> list[Change]:
    """Values are (compared, shown) pairs: only what is compared decides whether a line changed."""
    keys = list(dict.fromkeys([*stored, *current]))
    return [
        Change(template.format(key) if key else template, stored.get(key, absent)[1], current.get(key, absent)[1])
        for key in keys
        if stored.get(key, absent)[0] != current.get(key, absent)[0]
    ]


def _best(result: dict) -> tuple:
    best = vocabulary.best_option(result.get("options", []))
    if not best:
        return (None, NONE)
    return (best["regimen"], f"{vocabulary.regimen_title(best['regimen'])} ({vocabulary.tier_label(best['tier']).lower()})")


def _tiers(result: dict) -> dict[str, tuple]:
    return {
        vocabulary.regimen_title(option["regimen"]): (option.get("tier"), vocabulary.tier_label(option.get("tier")))
        for option in result.get("options", [])
    }


def _doses(result: dict, regimen: str) -> dict[str, tuple]:
    option = next((o for o in result.get("options", []) if o.get("regimen") == regimen), {})
    return {
        f"{vocabulary.drug_name(dose['drug'])} ({vocabulary.phase_label(dose.get('phase')).lower()})": (
            (dose["dose_mg"], dose.get("route"), dose.get("frequency"), tuple(dose.get("days", []))),
            _dose_text(dose),
        )
        for dose in option.get("doses", [])
    }


def _dose_text(dose: dict) -> str:
    amount = "set by the oncologist" if dose["dose_mg"] is None else f"{dose['dose_mg']:g} mg"
    route = vocabulary.route_label(dose.get("route"))
    basis = f" ({dose['basis']})" if dose.get("basis") and dose["dose_mg"] is not None else ""
    return f"{amount} {route} {vocabulary.frequency_label(dose.get('frequency'))}{basis}"


def _blocking(result: dict) -> dict[str, tuple]:
    found: dict[str, tuple] = {}
    for option in result.get("options", []):
        codes = sorted(w["code"] for w in vocabulary.blocking_warnings(option))
        texts = "; ".join(w["text"] for w in vocabulary.blocking_warnings(option))
        if codes:
            found[vocabulary.regimen_title(option["regimen"])] = (tuple(codes), texts)
    return found


def _missing(result: dict) -> tuple:
    paths = tuple(result.get("missing_data", []))
    return (tuple(sorted(paths)), "; ".join(vocabulary.field_label(path) for path in paths) or NONE)
