"""A case's audit trail, gathered from django-simple-history.

Every tracked model that belongs to a case (patient, case, molecular profile,
treatment lines, fitness and safety, treatment plans and their dose rows) is
read with one query per model, plus one for the users named, however long
the history is. Tumour-board agenda items (questions and decisions) for the
case are included too. Each historical record is compared with the previous record
of the same object to list the fields that changed, old and new value.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from her2app.accounts.people import person_name
from her2app.cases.changes import Change
from her2app.cases.models import Case, ClinicalStatus, MolecularProfile, Patient, TreatmentLine
from her2app.meetings.models import AgendaItem
from her2app.monitoring.models import Kind, Measurement, PregnancyStatus, ReadinessDecision
from her2app.plans.models import PlanDocument, PlanDose, TreatmentPlan
from regimens import vocabulary
from regimens.measurements import format_date
from regimens.readiness import CHECK_LABELS

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping that changes on every save, and the links to the case, patient or
# plan the row belongs to (the "What" column already says it): nothing a reader needs.
NOT_SHOWN = {"id", "updated_at", "created_at", "version", "case", "patient", "meeting"}
# Engine snapshots and the calendar derived from them are machine records: the plan and case pages show them.
NOT_SHOWN_FOR = {
    PlanDose: {"plan"},
    TreatmentPlan: {"engine_input", "engine_output", "calendar"},
    Case: {"sent_engine_input", "sent_engine_output"},
    Measurement: {"kind"},
    ReadinessDecision: {"plan", "check_name"},
}
# Engine codes stored in a field, shown in the clinical vocabulary's words.
VALUE_LABELS: dict[tuple[type, str], Callable] = {
    (TreatmentPlan, "regimen"): vocabulary.regimen_title,
    (TreatmentPlan, "tier"): vocabulary.tier_label,
    (PlanDose, "drug"): vocabulary.drug_title,
    (PlanDose, "phase"): vocabulary.phase_label,
    (PlanDose, "frequency"): vocabulary.frequency_label,
    (PlanDose, "route"): vocabulary.route_label,
    (TreatmentLine, "agents"): lambda agents: ", ".join(vocabulary.agent_label(agent) for agent in agents),
}
LONGEST_VALUE = 160
EMPTY = "—"


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    subject: str
    action: str
    changes: tuple[Change, ...]
    reason: str = ""
    order: int = 0  # history_id: breaks ties between records saved in the same instant

    @property
    def shows_old_values(self) -> bool:
        return self.action == "changed"


def case_history_entries(case: Case) -> list[HistoryEntry]:
    """Every recorded change to `case` and what belongs to it, newest first."""
    plan_records = list(TreatmentPlan.history.filter(case_id=case.pk).order_by("history_id"))
    plan_versions = {record.id: record.version for record in plan_records}
    sources: list[tuple[Iterable, Callable[[models.Model], str]]] = [
        (Patient.history.filter(id=case.patient_id), lambda r: "Patient"),
        (Case.history.filter(id=case.pk), lambda r: "Case"),
        (MolecularProfile.history.filter(case_id=case.pk), lambda r: "Molecular profile"),
        (TreatmentLine.history.filter(case_id=case.pk), lambda r: f"Treatment line {r.line_number}"),
        (ClinicalStatus.history.filter(case_id=case.pk), lambda r: "Fitness and safety"),
        (plan_records, lambda r: f"Plan v{r.version}"),
        (
            PlanDose.history.filter(plan_id__in=list(plan_versions)),
            lambda r: f"Plan v{plan_versions.get(r.plan_id, '?')} dose: {vocabulary.drug_name(r.drug)} "
                      f"({vocabulary.phase_label(r.phase).lower()})",
        ),
        (AgendaItem.history.filter(case_id=case.pk), lambda r: f"Tumour board agenda (meeting #{r.meeting_id})"),
        (Measurement.history.filter(case_id=case.pk), lambda r: f"Measurement: {Kind(r.kind).label}"),
        (PregnancyStatus.history.filter(case_id=case.pk), lambda r: "Pregnancy status"),
        (
            ReadinessDecision.history.filter(plan_id__in=list(plan_versions)),
            lambda r: f"Plan v{plan_versions.get(r.plan_id, '?')} readiness {format_date(r.day)}: "
                      f"{CHECK_LABELS.get(r.check_name, r.check_name)}",
        ),
    ]
    records_by_source = [(list(_ordered(records)), subject) for records, subject in sources]
    users = _user_names(record for records, _ in records_by_source for record in records)
    entries = _document_entries(case)
    for records, subject in records_by_source:
        entries += _entries(records, subject, users)
    return sorted(entries, key=lambda e: (e.when, e.order), reverse=True)


def _document_entries(case: Case) -> list[HistoryEntry]:
    """Each stored plan PDF (documents are never edited, so their creation is their history)."""
    documents = PlanDocument.objects.filter(plan__case=case).select_related("plan", "created_by")
    return [
        HistoryEntry(
            when=document.created_at,
            who=person_name(document.created_by),
            subject=f"Plan v{document.plan.version} PDF {document.version}",
            action="stored",
            changes=(
                Change("Plan state printed", EMPTY, document.get_plan_state_display()),
                Change("SHA-256", EMPTY, document.sha256),
            ),
            order=document.pk,
        )
        for document in documents
    ]


def _ordered(records: Iterable) -> Iterable:
    if isinstance(records, list):
        return records
    return records.order_by("history_id")


def _user_names(records: Iterable) -> dict[int, str]:
    records = list(records)
    user_ids = {record.history_user_id for record in records if record.history_user_id}
    for record in records:
        user_ids |= {getattr(record, field.attname) for field in _user_fields(record) if getattr(record, field.attname)}
    User = get_user_model()
    return {user.pk: person_name(user) for user in User.objects.filter(pk__in=user_ids)}


def _entries(records: list, subject: Callable, users: dict[int, str]) -> list[HistoryEntry]:
    previous_of_object: dict = {}
    entries = []
    for record in records:
        previous = previous_of_object.get(record.id)
        previous_of_object[record.id] = record
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=users.get(record.history_user_id, "system"),
                subject=subject(record),
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=tuple(_changes(record, previous, users)) if record.history_type != "-" else (),
                reason=record.history_change_reason or "",
                order=record.history_id,
            )
        )
    return entries


def _tracked_fields(record) -> list[models.Field]:
    hidden = NOT_SHOWN | NOT_SHOWN_FOR.get(record.instance_type, set())
    return [field for field in record.instance_type._meta.concrete_fields if field.name not in hidden]


def _user_fields(record) -> list[models.Field]:
    User = get_user_model()
    return [f for f in _tracked_fields(record) if f.is_relation and f.related_model is User]


def _changes(record, previous, users: dict[int, str]) -> Iterable[Change]:
    for field in _tracked_fields(record):
        new = getattr(record, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if previous is None and new in (None, "", [], {}):
            continue
        if previous is not None and old == new:
            continue
        yield Change(
            capfirst(str(field.verbose_name)), _shown(record, field, old, users), _shown(record, field, new, users)
        )


def _shown(record, field: models.Field, value, users: dict[int, str]) -> str:
    label = VALUE_LABELS.get((record.instance_type, field.name))
    if label is None or value in (None, "", []):
        return _display(field, value, users)
    return label(value)


def _display(field: models.Field, value, users: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.is_relation:
        return users.get(value, f"#{value}") if field.related_model is get_user_model() else f"#{value}"
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return f"{format_date(local)} {local:%H:%M}"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(field, models.JSONField):
        return _shorten(_json_text(value))
    return _shorten(str(value))


def _json_text(value) -> str:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return json.dumps(value, default=str, ensure_ascii=False)


def _shorten(text: str) -> str:
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"
