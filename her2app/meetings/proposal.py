"""What the board sees for each agenda item: a short case summary and the
engine's current proposal (computed under the current ruleset)."""

from dataclasses import dataclass, field
from datetime import date

import regimens
from her2app.cases.clinical import run_for_case
from her2app.cases.models import Case
from her2app.meetings.models import AgendaItem, Meeting
from regimens import vocabulary

BOARD_WARNINGS = ("blocking", "caution")


@dataclass(frozen=True)
class Proposal:
    ruleset_version: str = ""
    her2_status: str = ""
    recommendation: str = ""
    summary: str = ""
    best_tier: str = ""
    best_regimen: str = ""  # the option the summary names (vocabulary.best_option)
    warnings: tuple[tuple[str, str], ...] = ()
    missing_data: tuple[str, ...] = ()
    error: str = ""

    @property
    def missing_data_labels(self) -> list[str]:
        return [vocabulary.field_label(path) for path in self.missing_data]


@dataclass(frozen=True)
class AgendaEntry:
    item: AgendaItem
    facts: list[tuple[str, str]] = field(default_factory=list)
    prior_lines: list[str] = field(default_factory=list)
    proposal: Proposal = field(default_factory=Proposal)


def engine_proposal(case: Case) -> Proposal:
    """Run the engine on the case as it is now; an invalid case gives a readable error."""
    run = run_for_case(case)
    if not run.ok:
        message = f"The engine could not assess this case: {run.error}"
        return Proposal(ruleset_version=regimens.RULESET_VERSION, error=message)
    return proposal_from_result(run.result)


def proposal_from_result(result: dict) -> Proposal:
    best = vocabulary.best_option(result.get("options", [])) or {}
    return Proposal(
        ruleset_version=result.get("ruleset_version", ""),
        her2_status=result.get("her2_status", ""),
        recommendation=result.get("recommendation", ""),
        summary=result.get("summary", ""),
        best_tier=best.get("tier", ""),
        best_regimen=best.get("regimen", ""),
        warnings=tuple(
            (w["severity"], w["text"]) for w in result.get("warnings", []) if w.get("severity") in BOARD_WARNINGS
        ),
        missing_data=tuple(result.get("missing_data", [])),
    )


def case_facts(case: Case, today: date | None = None) -> list[tuple[str, str]]:
    """The few facts a board needs at a glance, as (label, value) rows."""
    today = today or date.today()
    patient = case.patient
    facts = [
        ("Patient", f"{patient.full_name}, MRN {patient.mrn}"),
        ("Age, sex", f"{patient.age_on(today)}, {patient.get_sex_display().lower()}"),
        ("Primary site", case.get_primary_site_display() or "Unknown"),
    ]
    profile = getattr(case, "profile", None)
    if profile:
        facts += [("HER2", _her2_text(profile)), ("RAS / BRAF V600E / MSI", _markers_text(profile))]
    else:
        facts.append(("Molecular profile", "Not recorded"))
    clinical = getattr(case, "clinical", None)
    if clinical:
        facts.append(("ECOG, LVEF, weight", _fitness_text(clinical)))
    return facts


def _her2_text(profile) -> str:
    parts = []
    if profile.her2_ihc:
        cells = f" in {profile.her2_ihc_percent_cells}% of cells" if profile.her2_ihc_percent_cells is not None else ""
        parts.append(f"IHC {profile.her2_ihc}{cells}")
    if profile.her2_ish:
        ratio = f" (ratio {profile.her2_ish_ratio})" if profile.her2_ish_ratio is not None else ""
        parts.append(f"ISH {profile.get_her2_ish_display().lower()}{ratio}")
    if profile.ngs_erbb2_amplified is not None:
        copies = f", copy number {profile.ngs_copy_number}" if profile.ngs_copy_number is not None else ""
        parts.append(f"NGS ERBB2 {'amplified' if profile.ngs_erbb2_amplified else 'not amplified'}{copies}")
    return "; ".join(parts) or "Not tested"


def _markers_text(profile) -> str:
    return " / ".join(
        [profile.get_ras_display(), profile.get_braf_v600e_display(), profile.get_msi_display()]
    )


def _fitness_text(clinical) -> str:
    ecog = f"ECOG {clinical.ecog}" if clinical.ecog is not None else "ECOG not recorded"
    lvef = f"LVEF {clinical.lvef_percent}%" if clinical.lvef_percent is not None else "LVEF not recorded"
    weight = f"{clinical.weight_kg} kg" if clinical.weight_kg is not None else "weight not recorded"
    return f"{ecog}, {lvef}, {weight}"


def prior_lines(case: Case) -> list[str]:
    lines = []
    for line in case.treatment_lines.all():
        agents = ", ".join(vocabulary.agent_label(agent) for agent in line.agents) or "agents not recorded"
        outcome = f" (best response {line.best_response})" if line.best_response else ""
        lines.append(f"Line {line.line_number}: {agents}{outcome}")
    return lines


def agenda_entries(meeting: Meeting) -> list[AgendaEntry]:
    return [
        AgendaEntry(item=item, facts=case_facts(item.case), prior_lines=prior_lines(item.case),
                    proposal=engine_proposal(item.case))
        for item in meeting.agenda().prefetch_related("case__treatment_lines")
    ]
