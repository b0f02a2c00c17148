"""Treatment plans: the oncologist's chosen regimen, signed and versioned.

A plan keeps a snapshot of the engine input and output (with the ruleset
version) so an old plan can be explained later. States move only along
TRANSITIONS; every move goes through her2app.plans.actions, which also writes
a PlanTransition audit row. Once a plan leaves the draft state its clinical
content never changes: an edit is a new version that supersedes the old one.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from simple_history.models import HistoricalRecords

from her2app.cases.models import Case
from her2app.plans.calendar import readable_event
from her2app.rendering.models import StoredPdf
from regimens import catalogue, vocabulary


# Policy, not a clinical figure: the longest clinician note or reason accepted
# (about two printed pages of the plan PDF). Forms say so at the field; the
# models validate it and the database refuses longer text (CHECK constraints).
FREE_TEXT_MAX_CHARS = 4000


def bounded_text(verbose_name: str | None = None, **kwargs) -> models.TextField:
    return models.TextField(
        verbose_name, blank=True, max_length=FREE_TEXT_MAX_CHARS,
        validators=[MaxLengthValidator(FREE_TEXT_MAX_CHARS)], **kwargs
    )


def bounded_text_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), FREE_TEXT_MAX_CHARS), name=name)


class IllegalTransition(Exception):
    """A plan was asked to move to a state its current state cannot reach."""


class ImmutablePlanError(Exception):
    """Someone tried to change the clinical content of a signed or closed plan."""


class OverrideReasonMissing(Exception):
    """A plan chose an option that needs a recorded override reason ("Override reasons") without one."""


class VerifierIsApprover(Exception):
    """The person verifying a plan is the one who approved it; verification must be independent."""


class NotAdministrable(Exception):
    """A dose of a plan that is not released to nurses (not verified, or on hold) was to be given."""


class PlanState(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved, awaiting verification"
    VERIFIED = "verified", "Verified"
    ON_HOLD = "on_hold", "On hold, review needed"
    SUPERSEDED = "superseded", "Superseded"
    CANCELLED = "cancelled", "Cancelled"


def in_state(state: PlanState) -> property:
    """A read-only plan property that is true while the plan is in `state` (`plan.is_draft`)."""
    return property(lambda plan: plan.state == state, doc=f"The plan is {state.label.lower()}.")


# The one map of allowed moves: each state lists the states it may move to.
# draft -> approved (oncologist signs) -> verified (pharmacist signs: released to nurses);
# approved or verified -> on hold (the case changed, or the verifier returned it);
# on hold -> approved (the oncologist resumes it: verified again before release).
TRANSITIONS: dict[str, frozenset[str]] = {
    PlanState.DRAFT: frozenset({PlanState.APPROVED, PlanState.CANCELLED}),
    PlanState.APPROVED: frozenset({PlanState.VERIFIED, PlanState.ON_HOLD, PlanState.SUPERSEDED, PlanState.CANCELLED}),
    PlanState.VERIFIED: frozenset({PlanState.ON_HOLD, PlanState.SUPERSEDED, PlanState.CANCELLED}),
    PlanState.ON_HOLD: frozenset({PlanState.APPROVED, PlanState.SUPERSEDED, PlanState.CANCELLED}),
    PlanState.SUPERSEDED: frozenset(),
    PlanState.CANCELLED: frozenset(),
}
# Signed plans that are still in force: a newer approval supersedes them, a case change may hold them.
SIGNED_STATES = (PlanState.APPROVED, PlanState.VERIFIED, PlanState.ON_HOLD)

# Everything a signature covers; frozen once the plan leaves the draft state.
CLINICAL_FIELDS = (
    "case_id",
    "version",
    "regimen",
    "tier",
    "engine_input",
    "engine_output",
    "ruleset_version",
    "start_date",
    "cycle_days",
    "calendar",
    "monitoring",
    "clinician_notes",
    "override_reason",
    "chosen_by_id",
    "approved_by_id",
    "approved_at",
    "supersedes_id",
)


class TreatmentPlan(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField(help_text="1, 2, 3 ... per case")
    regimen = models.CharField("Chosen regimen", max_length=64)
    tier = models.CharField("Engine tier of the chosen option", max_length=20)
    engine_input = models.JSONField(help_text="Engine input at the time of choice (contract v1)")
    engine_output = models.JSONField(help_text="Engine output at the time of choice (contract v1)")
    ruleset_version = models.CharField(max_length=20)
    start_date = models.DateField()
    cycle_days = models.PositiveSmallIntegerField()
    calendar = models.JSONField(default=list, help_text="Administration events of the first cycles")
    monitoring = models.JSONField(default=list)
    clinician_notes = bounded_text()
    override_reason = bounded_text()
    state = models.CharField(max_length=12, choices=PlanState.choices, default=PlanState.DRAFT, db_index=True)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="superseded_by", null=True, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the plan was last released to nurses; cleared when it is resumed"
    )
    edit_version = models.PositiveIntegerField(
        default=1, help_text="Increases on every save of the draft; detects edit conflicts"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="plan_version_unique_per_case"),
            bounded_text_check("clinician_notes", "plan_notes_bounded"),
            bounded_text_check("override_reason", "plan_override_reason_bounded"),
        ]
        permissions = [
            ("approve_treatmentplan", "Can approve (sign) treatment plans"),
            ("view_approved_plan", "Can view approved plans"),
            ("verify_treatmentplan", "Can verify (release to nurses) approved treatment plans"),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} v{self.version} ({self.regimen}, {self.state})"

    # --- state -------------------------------------------------------------
    is_draft = in_state(PlanState.DRAFT)
    is_approved = in_state(PlanState.APPROVED)
    is_verified = in_state(PlanState.VERIFIED)
    is_on_hold = in_state(PlanState.ON_HOLD)
    is_superseded = in_state(PlanState.SUPERSEDED)

    @property
    def was_released(self) -> bool:
        """Verified, or held after it was verified: nurses know this plan."""
        return self.verified_at is not None and self.state in (PlanState.VERIFIED, PlanState.ON_HOLD)

    @property
    def dosing_weight_kg(self) -> float | None:
        """The weight the doses were calculated from (the engine input the plan was chosen on)."""
        return (self.engine_input.get("patient") or {}).get("weight_kg")

    def revision_chain(self) -> Iterator["TreatmentPlan"]:
        """This plan and the versions it revised, newest first (each read as it is reached)."""
        plan = self
        while plan is not None:
            yield plan
            plan = plan.supersedes

    def option_as_signed(self) -> dict:
        """The engine's option with the plan's final doses: what the calendar and the re-flow schedule."""
        return {**self.option, "doses": [dose.as_engine_dose() for dose in self.doses.all()]}

    def check_administrable(self) -> None:
        """Raise unless a dose of this plan may be given now: only a verified plan, never one on hold."""
        if not self.is_verified:
            raise NotAdministrable(f"{self.state_sentence}; none of its doses may be given.")

    @property
    def hold_reason(self) -> str:
        """Why the plan is on hold (the reason of the move that held it); empty when it is not."""
        if not self.is_on_hold:
            return ""
        move = self.transitions.filter(to_state=PlanState.ON_HOLD).order_by("-at", "-pk").first()
        return move.reason if move else ""

    @property
    def state_sentence(self) -> str:
        """'Version 2 is approved': the start of every "cannot do that" message."""
        return f"Version {self.version} is {self.get_state_display().lower()}"

    def can_move_to(self, new_state: str) -> bool:
        return new_state in TRANSITIONS[self.state]

    def set_state(self, new_state: str, by, reason: str = "") -> str:
        """Move to `new_state`, save, and write its transition row; return the old state.

        Raises IllegalTransition (and changes nothing) when the map forbids the move."""
        if not self.can_move_to(new_state):
            raise IllegalTransition(f"plan {self.pk}: {self.state} -> {new_state} is not allowed")
        old_state = self.state
        self.state = new_state
        self.save()
        PlanTransition.objects.create(plan=self, from_state=old_state, to_state=new_state, by=by, reason=reason)
        return old_state

    def record_created(self, by, reason: str) -> None:
        """The transition row of a new draft (chosen from the engine, or a revision)."""
        PlanTransition.objects.create(plan=self, from_state="", to_state=PlanState.DRAFT, by=by, reason=reason)

    # --- invariants --------------------------------------------------------
    def save(self, *args, **kwargs) -> None:
        if self.state == PlanState.VERIFIED and self.verified_by_id in (None, self.approved_by_id):
            raise VerifierIsApprover(f"plan {self.pk}: a verified plan needs a verifier other than its approver")
        if self.pk is not None:
            self._check_stored_invariants()
        elif self.override_reasons_needed and not self.override_reason.strip():
            raise OverrideReasonMissing(
                f"plan for case {self.case_id}: {self.regimen} needs an override reason "
                f"({'; '.join(self.override_reasons_needed)})"
            )
        super().save(*args, **kwargs)

    def _check_stored_invariants(self) -> None:
        stored = TreatmentPlan.objects.filter(pk=self.pk).values("state", *CLINICAL_FIELDS).first()
        if stored is None:
            return
        if stored["state"] != self.state and self.state not in TRANSITIONS[stored["state"]]:
            raise IllegalTransition(f"plan {self.pk}: {stored['state']} -> {self.state} is not allowed")
        if stored["state"] == PlanState.DRAFT:
            return
        changed = [name for name in CLINICAL_FIELDS if _comparable(stored[name]) != _comparable(getattr(self, name))]
        if changed:
            raise ImmutablePlanError(
                f"plan {self.pk} is {stored['state']}; its content cannot change ({', '.join(changed)}). "
                "Revise it to create a new version."
            )

    # --- derived views of the snapshot -------------------------------------
    @property
    def option(self) -> dict:
        """The engine option the oncologist chose, from the snapshot."""
        for option in self.engine_output.get("options", []):
            if option.get("regimen") == self.regimen:
                return option
        return {}

    @property
    def warnings(self) -> list[dict]:
        """The chosen option's warnings, then case-level warnings that belong to no option."""
        options = self.engine_output.get("options", [])
        option_codes = {warning.get("code") for option in options for warning in option.get("warnings", [])}
        case_level = [w for w in self.engine_output.get("warnings", []) if w.get("code") not in option_codes]
        return [*self.option.get("warnings", []), *case_level]

    @property
    def blocking_warnings(self) -> list[dict]:
        """Blocking warnings the plan was signed over (each needed the override reason)."""
        return [warning for warning in self.warnings if warning.get("severity") == "blocking"]

    @property
    def signed_over_blocking_warning(self) -> bool:
        return bool(self.blocking_warnings)

    @property
    def evidence(self) -> list[dict]:
        return self.option.get("evidence", [])

    @property
    def tier_label(self) -> str:
        return vocabulary.tier_label(self.tier)

    @property
    def regimen_label(self) -> str:
        return vocabulary.regimen_title(self.regimen)

    @property
    def override_reasons_needed(self) -> list[str]:
        """Why this choice needs a recorded override reason, from the engine result it was made from."""
        return vocabulary.override_reasons(self.option, self.engine_output.get("options", [])) if self.option else []

    @property
    def doses_to_set(self) -> list["PlanDose"]:
        """Dose lines the oncologist must still set, with the reason the reference asks for (S4)."""
        return [dose for dose in self.doses.all() if not dose.is_set]

    @property
    def benzyl_alcohol_hypersensitivity(self) -> bool:
        """D7: shown on the plan; the multi-dose trastuzumab vial is then single-use."""
        return (self.engine_input.get("patient") or {}).get("benzyl_alcohol_hypersensitivity") is True

    @property
    def latest_document(self) -> "PlanDocument | None":
        return self.documents.order_by("-version").first()

    def calendar_events(self) -> list[dict]:
        """The stored calendar with dates as date objects (JSON keeps ISO strings).

        An event that lacks what a calendar row needs (a hand-made or damaged
        record) is left out rather than breaking every page that lists plans;
        `calendar_is_complete` tells the pages to say so.
        """
        return [readable for event in self.calendar if (readable := readable_event(event)) is not None]

    @property
    def calendar_is_complete(self) -> bool:
        return all(readable_event(event) is not None for event in self.calendar)


def _comparable(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


class PlanDose(models.Model):
    """One drug/phase row of a plan: the engine's calculated dose and the final dose given."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="doses")
    position = models.PositiveSmallIntegerField(default=0)
    drug = models.CharField(max_length=64)
    phase = models.CharField(max_length=20)
    calculated_mg = models.DecimalField(
        max_digits=8, decimal_places=1, null=True, blank=True, help_text="Empty when the oncologist sets the dose"
    )
    final_mg = models.DecimalField("Final dose (mg)", max_digits=8, decimal_places=1, null=True, blank=True)
    basis = models.CharField(max_length=200, blank=True)
    route = models.CharField(max_length=10)
    frequency = models.CharField(max_length=20)
    days = models.JSONField(default=list)
    units = models.CharField("Dispensing units", max_length=300, blank=True)
    administration = models.TextField("How it is given", blank=True, help_text="Reference D9")
    clinician_sets_dose = models.BooleanField(
        default=False, help_text="No validated dose (reference S4): the oncologist sets and justifies it"
    )
    adjustment_reason = bounded_text()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [bounded_text_check("adjustment_reason", "dose_adjustment_reason_bounded")]

    # The fields a revision copies; the plan and the row's identity are its own.
    COPIED_FIELDS = ("position", "drug", "phase", "calculated_mg", "final_mg", "basis", "route", "frequency", "days",
                     "units", "administration", "clinician_sets_dose", "adjustment_reason")

    def __str__(self) -> str:
        return f"{vocabulary.drug_name(self.drug)} {self.final_mg} mg {self.route} {self.frequency} ({self.phase})"

    @classmethod
    def from_engine(cls, plan: "TreatmentPlan", position: int, dose: dict) -> "PlanDose":
        """A plan's dose row from an engine dose line; a dose the oncologist sets starts empty (S4)."""
        calculated = None if dose["dose_mg"] is None else Decimal(str(dose["dose_mg"])).quantize(Decimal("0.1"))
        return cls(
            plan=plan, position=position, drug=dose["drug"], phase=dose.get("phase", ""),
            calculated_mg=calculated, final_mg=calculated, basis=dose.get("basis", ""), route=dose.get("route", ""),
            frequency=dose.get("frequency", ""), days=list(dose.get("days", [])), units=dose.get("units") or "",
            administration=dose.get("administration") or "", clinician_sets_dose=bool(dose.get("clinician_sets_dose")),
        )

    def as_engine_dose(self) -> dict:
        """This row as an engine dose line, with the final dose (what the calendar is built from)."""
        return {"drug": self.drug, "phase": self.phase, "dose_mg": None if self.final_mg is None else float(self.final_mg),
                "basis": self.basis, "route": self.route, "frequency": self.frequency, "days": self.days,
                "units": self.units}

    def copy_for(self, plan: "TreatmentPlan") -> "PlanDose":
        return PlanDose(plan=plan, **{name: getattr(self, name) for name in self.COPIED_FIELDS})

    @property
    def adjusted(self) -> bool:
        return not self.clinician_sets_dose and self.final_mg != self.calculated_mg

    @property
    def is_set(self) -> bool:
        """A dose the plan can be signed with: a final dose, and for a dose the oncologist sets, the reason."""
        return self.final_mg is not None and (not self.clinician_sets_dose or bool(self.adjustment_reason.strip()))

    @property
    def deviation_percent(self) -> Decimal:
        if not self.calculated_mg or self.final_mg is None:
            return Decimal(0)
        return ((self.final_mg - self.calculated_mg) / self.calculated_mg * 100).quantize(Decimal("0.1"))

    @property
    def do_not_substitute(self) -> str:
        """D10: the line the two conjugates carry."""
        return catalogue.DO_NOT_SUBSTITUTE.get(self.drug, "")

    @property
    def days_label(self) -> str:
        return vocabulary.days_label(self.days)

    def _plan_is_draft(self) -> bool:
        return TreatmentPlan.objects.filter(pk=self.plan_id, state=PlanState.DRAFT).exists()

    def save(self, *args, **kwargs) -> None:
        if not self._plan_is_draft():
            raise ImmutablePlanError(f"plan {self.plan_id} is not a draft; its doses cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self._plan_is_draft():
            raise ImmutablePlanError(f"plan {self.plan_id} is not a draft; its doses cannot change")
        return super().delete(*args, **kwargs)


class PlanTransition(models.Model):
    """Audit row: who moved a plan from which state to which, when and why."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = bounded_text()

    class Meta:
        ordering = ["plan", "at", "pk"]
        constraints = [bounded_text_check("reason", "transition_reason_bounded")]

    @property
    def from_label(self) -> str:
        return PlanState(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return PlanState(self.to_state).label

    def __str__(self) -> str:
        return f"plan {self.plan_id}: {self.from_state or 'new'} -> {self.to_state}"


def document_path(document: "PlanDocument", filename: str) -> str:
    plan = document.plan
    return f"plans/{plan.case_id}/plan-{plan.pk}-v{plan.version}-doc{document.version}.pdf"


class PlanDocument(StoredPdf):
    """A rendered plan PDF in Django storage, with the checksum it was stored with."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveIntegerField(help_text="1, 2, 3 ... per plan")
    plan_state = models.CharField(max_length=12, choices=PlanState.choices, help_text="Plan state when rendered")
    file = models.FileField(upload_to=document_path, max_length=255)

    class Meta:
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="document_version_unique_per_plan")]

    def __str__(self) -> str:
        return f"Document {self.version} of plan {self.plan_id}"

    @property
    def download_name(self) -> str:
        return f"plan-{self.plan.case.patient.mrn}-v{self.plan.version}.pdf"
