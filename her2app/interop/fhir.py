"""FHIR export of a case and its treatment plan as a collection Bundle (mCODE STU4, 4.0.0).

Built with fhir.resources' R4B models (`fhir.resources.R4B`, FHIR 4.3.0;
the package's top-level models are R5). The resources used here have the
same shape in R4 (4.0.1), which mCODE is based on. Every model validates on
construction; the suite also checks every exported bundle with an independent
validator (the FHIR R4 JSON schema and the mCODE 4.0.0 profiles, see
tests/fhir_validator/).

Codes come from her2app.interop.codes, each with its source; anything not
verified is CodeableConcept.text only.
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import NAMESPACE_URL, uuid5

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.condition import Condition, ConditionStage
from fhir.resources.R4B.dosage import Dosage, DosageDoseAndRate
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.timing import Timing, TimingRepeat

from her2app.cases.models import Case, ClinicalStatus, MarkerMethod, MolecularProfile, TreatmentLine
from her2app.interop import codes
from her2app.interop.codes import Code
from her2app.plans.models import PlanDose, PlanState, TreatmentPlan
from regimens import vocabulary
from regimens.schedule import build_schedule

MEDICATION_STATUS = {
    PlanState.DRAFT: "draft",
    PlanState.APPROVED: "active",
    PlanState.VERIFIED: "active",
    PlanState.ON_HOLD: "on-hold",
    PlanState.SUPERSEDED: "stopped",
    PlanState.CANCELLED: "cancelled",
}
CAREPLAN_STATUS = {
    PlanState.DRAFT: "draft",
    PlanState.APPROVED: "active",
    PlanState.VERIFIED: "active",
    PlanState.ON_HOLD: "on-hold",
    PlanState.SUPERSEDED: "revoked",
    PlanState.CANCELLED: "revoked",
}
# Engine frequency -> (frequency, period, periodUnit); "once" is a count of 1.
TIMING_REPEATS = {
    "q21d": (1, 21, "d"),
    "q3w": (1, 3, "wk"),
    "weekly": (1, 1, "wk"),
    "daily": (1, 1, "d"),
    "BID": (2, 1, "d"),
}
MRN_TYPE = Coding(system=codes.TERMINOLOGY + "v2-0203", code="MR", display="Medical record number")
# Treatment line's reason stopped -> MedicationStatement.status.
STATEMENT_STATUS = {"ongoing": "active", "completed": "completed", "progression": "stopped", "toxicity": "stopped",
                    "other": "stopped"}
# HER2 statuses the export interprets (an untested case has no HER2 finding to send).
INTERPRETED_HER2 = ("positive", "negative", "equivocal")


def coding(code: Code) -> Coding:
    return Coding(**code.as_dict())


def concept(text: str, *coded: Code) -> CodeableConcept:
    return CodeableConcept(coding=[coding(code) for code in coded] or None, text=text)


def system_concept(system: str, code: str) -> CodeableConcept:
    return CodeableConcept(coding=[Coding(system=codes.TERMINOLOGY + system, code=code)])


def ucum(value, unit: str, code: str) -> Quantity:
    return Quantity(value=value, unit=unit, system=codes.UCUM, code=code)


@dataclass(frozen=True)
class MarkerTest:
    """How one marker was tested: method, laboratory, specimen and date (each marker its own)."""

    method: str = ""
    method_label: str = ""
    laboratory: str = ""
    specimen: str = ""
    tested_on: date | None = None


def marker_test(profile: MolecularProfile, marker: str) -> MarkerTest:
    if marker != "her2":  # never borrow the HER2 test's method or date
        method = getattr(profile, f"{marker}_method")
        return MarkerTest(
            method=method,
            method_label=MarkerMethod(method).label if method else "",
            laboratory=getattr(profile, f"{marker}_laboratory"),
            tested_on=getattr(profile, f"{marker}_test_date"),
        )
    return MarkerTest(
        method=profile.test_method,
        method_label=profile.get_test_method_display() if profile.test_method else "",
        laboratory=profile.laboratory,
        specimen=profile.specimen,
        tested_on=profile.test_date,
    )


class CaseBundleBuilder:
    """Builds the Bundle for one case (and optionally one of its plans)."""

    def __init__(self, case: Case, plan: TreatmentPlan | None, engine_result: dict | None, now: datetime | None = None):
        self.case = case
        self.plan = plan
        self.engine_result = engine_result or {}
        self.now = now or timezone.now()
        self.entries: list[BundleEntry] = []
        self.patient_ref: Reference | None = None

    # --- identity and references ------------------------------------------
    def _uuid(self, *parts: object) -> str:
        """Stable ids: the same case and plan always export the same ids."""
        return str(uuid5(NAMESPACE_URL, "her2app:" + ":".join(str(part) for part in parts)))

    def _add(self, resource: Resource) -> Reference:
        full_url = f"urn:uuid:{resource.id}"
        self.entries.append(BundleEntry(fullUrl=full_url, resource=resource))
        return Reference(reference=full_url)

    # --- resources ----------------------------------------------------------
    def build(self) -> Bundle:
        self.patient_ref = self._add(self.patient())
        condition = self._add(self.condition())
        observations = [self._add(observation) for observation in self.observations()]
        for statement in self.prior_therapy(condition):
            self._add(statement)
        if self.plan is not None:
            prescriber = self._add(self.practitioner(self.plan.approved_by or self.plan.chosen_by))
            requests = [self._add(request) for request in self.medication_requests(condition, prescriber)]
            self._add(self.care_plan(condition, observations, requests, prescriber))
        return Bundle(
            id=self._uuid("bundle", self.case.pk, self.plan.pk if self.plan else "none", self.now.isoformat()),
            type="collection",
            timestamp=self.now,
            entry=self.entries,
        )

    def patient(self) -> Patient:
        person = self.case.patient
        return Patient(
            id=self._uuid("patient", person.pk),
            meta=Meta(profile=[codes.PROFILE_PATIENT]),
            identifier=[Identifier(type=CodeableConcept(coding=[MRN_TYPE]), system=settings.FHIR_MRN_SYSTEM,
                                   value=person.mrn)],
            name=[HumanName(family=person.family_name, given=[person.given_name])],
            gender=person.sex,
            birthDate=person.date_of_birth,
        )

    def practitioner(self, user) -> Practitioner:
        """The oncologist who signed the plan (or chose it, while it is a draft)."""
        name = HumanName(family=user.last_name or user.username, given=[user.first_name] if user.first_name else None)
        return Practitioner(
            id=self._uuid("practitioner", user.pk),
            identifier=[Identifier(system=settings.FHIR_PRACTITIONER_SYSTEM, value=user.username)],
            name=[name],
        )

    def condition(self) -> Condition:
        site = codes.PRIMARY_SITES.get(self.case.primary_site)
        stage = "Metastatic colorectal cancer" if self.case.metastatic else "Colorectal cancer"
        onset = earliest_evidence_of_disease(self.case)
        return Condition(
            id=self._uuid("condition", self.case.pk),
            meta=Meta(profile=[codes.PROFILE_PRIMARY_CANCER]),
            clinicalStatus=system_concept("condition-clinical", "active"),
            verificationStatus=system_concept("condition-ver-status", "confirmed"),
            category=[system_concept("condition-category", "problem-list-item")],
            extension=[histology] if (histology := histology_extension(self.case.histology)) else None,
            code=concept(f"{stage} ({site.text.lower()} primary)" if site else stage, *(site.disorder if site else ())),
            bodySite=[body_site(site)] if site else None,
            onsetPeriod=Period(end=onset) if onset else None,
            recordedDate=self.case.created_at,
            stage=[ConditionStage(summary=concept("Metastatic (stage IV)"))] if self.case.metastatic else None,
            subject=self.patient_ref,
        )

    def observations(self) -> list[Observation]:
        profile: MolecularProfile | None = getattr(self.case, "profile", None)
        clinical: ClinicalStatus | None = getattr(self.case, "clinical", None)
        found = []
        if profile is not None:
            found += [
                self.her2_observation(profile, marker_test(profile, "her2")),
                self.ras_observation(profile, marker_test(profile, "ras")),
                self.braf_observation(profile.braf_v600e, profile.get_braf_v600e_display(),
                                      marker_test(profile, "braf")),
                self.msi_observation(profile.msi, profile.get_msi_display(), marker_test(profile, "msi")),
            ]
        if clinical is not None:
            found += [self.ecog_observation(clinical), self.weight_observation(clinical),
                      self.height_observation(clinical), self.lvef_observation(clinical),
                      *[self.safety_fact(clinical, name) for name in codes.SAFETY_FACT_TEXTS]]
        return [observation for observation in found if observation is not None]

    # --- tumour markers (mCODE TumorMarkerTest: value[x] 1..1) ---------------
    def _tumour_marker(self, key: str, code: CodeableConcept, test: MarkerTest, value: CodeableConcept,
                       **extra) -> Observation:
        lab = "; ".join(filter(None, [
            f"Laboratory: {test.laboratory}" if test.laboratory else "",
            f"Specimen: {test.specimen}" if test.specimen else "",
        ]))
        return Observation(
            id=self._uuid("observation", self.case.pk, key),
            meta=Meta(profile=[codes.PROFILE_TUMOR_MARKER]),
            status="final",
            category=[system_concept("observation-category", "laboratory")],
            code=code,
            subject=self.patient_ref,
            effectiveDateTime=test.tested_on,
            method=concept(test.method_label) if test.method_label else None,
            valueCodeableConcept=value,
            note=[Annotation(text=lab)] if lab else None,
            **extra,
        )

    def her2_observation(self, profile: MolecularProfile, test: MarkerTest) -> Observation | None:
        """HER2 with the engine's reading as its value and the raw results as components.

        mCODE requires a value; a result the engine could not read is exported as a
        plain Observation (no mCODE claim) with a data-absent reason instead.
        """
        components = list(her2_components(profile))
        if not components:
            return None
        status = self.engine_result.get("her2_status", "")
        code = concept("HER2 status", codes.HER2)
        if status not in INTERPRETED_HER2:
            return Observation(
                id=self._uuid("observation", self.case.pk, "her2"),
                status="final",
                category=[system_concept("observation-category", "laboratory")],
                code=code,
                subject=self.patient_ref,
                effectiveDateTime=test.tested_on,
                dataAbsentReason=CodeableConcept(
                    coding=[Coding(system=codes.TERMINOLOGY + "data-absent-reason", code="unknown")],
                    text="Not interpreted: the case data could not be assessed by the engine",
                ),
                component=components,
            )
        basis = self.engine_result.get("her2_basis", "")
        label = vocabulary.her2_status_label(status) + (f" ({basis})" if basis else "")
        value = concept(label, *filter(None, [codes.HER2_VALUES.get(status)]))
        return self._tumour_marker("her2", code, test, value, component=components)

    def ras_observation(self, profile: MolecularProfile, test: MarkerTest) -> Observation | None:
        """The derived RAS result under LOINC 81420-2, with KRAS and NRAS and their exons as components."""
        if profile.ras in ("", "unknown"):
            return None  # an unknown result is not a finding
        return self._tumour_marker("ras", concept("RAS (KRAS/NRAS) mutation status", codes.RAS), test,
                                   concept(profile.get_ras_display()), component=list(ras_components(profile)))

    def braf_observation(self, result: str, display: str, test: MarkerTest) -> Observation | None:
        if result in ("", "unknown"):
            return None
        code = codes.braf_code(test.method)
        return self._tumour_marker("braf", concept("BRAF V600E mutation status", *filter(None, [code])), test,
                                   concept(display))

    def msi_observation(self, result: str, display: str, test: MarkerTest) -> Observation | None:
        if result in ("", "unknown"):
            return None
        return self._tumour_marker("msi", concept("Microsatellite instability", codes.MSI), test,
                                   concept(display, *filter(None, [codes.MSI_VALUES.get(result)])))

    # --- fitness and safety ------------------------------------------------
    def ecog_observation(self, clinical: ClinicalStatus) -> Observation | None:
        if clinical.ecog is None:
            return None
        return Observation(
            id=self._uuid("observation", self.case.pk, "ecog"),
            meta=Meta(profile=[codes.PROFILE_ECOG]),
            status="final",
            category=[system_concept("observation-category", "survey")],
            code=concept("ECOG performance status", codes.ECOG),
            subject=self.patient_ref,
            valueInteger=clinical.ecog,
        )

    def _measurement(self, key: str, category: str, code: CodeableConcept, measured_on: date | None,
                     value: Quantity, profile: str | None = None) -> Observation:
        return Observation(
            id=self._uuid("observation", self.case.pk, key),
            meta=Meta(profile=[profile]) if profile else None,
            status="final",
            category=[system_concept("observation-category", category)],
            code=code,
            subject=self.patient_ref,
            effectiveDateTime=measured_on,
            valueQuantity=value,
        )

    def weight_observation(self, clinical: ClinicalStatus) -> Observation | None:
        """Body weight; it claims the FHIR vital-signs profile only with a date, which that profile requires."""
        if clinical.weight_kg is None:
            return None
        return self._measurement("weight", "vital-signs", concept("Body weight", codes.BODY_WEIGHT),
                                 clinical.weight_date, ucum(clinical.weight_kg, "kg", "kg"),
                                 codes.PROFILE_BODY_WEIGHT if clinical.weight_date else None)

    def height_observation(self, clinical: ClinicalStatus) -> Observation | None:
        if clinical.height_cm is None:
            return None  # no date is recorded, which the vital-signs profile requires: no profile claimed
        return self._measurement("height", "vital-signs", concept("Body height", codes.BODY_HEIGHT), None,
                                 ucum(clinical.height_cm, "cm", "cm"))

    def safety_fact(self, clinical: ClinicalStatus, name: str) -> Observation | None:
        """A yes/no (or Child-Pugh) fact the engine reads; text-coded, see codes.SAFETY_FACT_TEXTS."""
        value = getattr(clinical, name)
        if value in (None, ""):
            return None
        shown = {"valueBoolean": value} if isinstance(value, bool) else {
            "valueCodeableConcept": concept(clinical.get_hepatic_impairment_display())}
        return Observation(id=self._uuid("observation", self.case.pk, name), status="final",
                           code=concept(codes.SAFETY_FACT_TEXTS[name]), subject=self.patient_ref, **shown)

    def lvef_observation(self, clinical: ClinicalStatus) -> Observation | None:
        if clinical.lvef_percent is None:
            return None
        return self._measurement("lvef", "imaging", concept("Left ventricular ejection fraction", codes.LVEF),
                                 clinical.lvef_date, ucum(clinical.lvef_percent, "%", "%"))

    # --- prior therapy ------------------------------------------------------
    def prior_therapy(self, condition: Reference) -> list[MedicationStatement]:
        """One MedicationStatement per agent of each treatment line (drugs as text, like the plan's)."""
        return [
            self._statement(line, agent, condition)
            for line in self.case.treatment_lines.all() for agent in line.agents
        ]

    def _statement(self, line: TreatmentLine, agent: str, condition: Reference) -> MedicationStatement:
        period = Period(start=line.start_date, end=line.end_date) if line.start_date or line.end_date else None
        facts = [f"Treatment line {line.line_number}"]
        if line.best_response:
            facts.append(f"best response: {line.get_best_response_display().lower()}")
        if line.reason_stopped:
            facts.append(f"stopped: {line.get_reason_stopped_display().lower()}")
        return MedicationStatement(
            id=self._uuid("medicationstatement", self.case.pk, line.pk, agent),
            status=STATEMENT_STATUS.get(line.reason_stopped, "completed" if line.end_date else "unknown"),
            medicationCodeableConcept=concept(vocabulary.agent_label(agent)),
            subject=self.patient_ref,
            effectivePeriod=period,
            reasonReference=[condition],
            note=[Annotation(text="; ".join(facts))],
        )

    # --- the plan ------------------------------------------------------------
    def medication_requests(self, condition: Reference, prescriber: Reference) -> list[MedicationRequest]:
        """One request per drug; its loading and maintenance phases are dosage instructions 1, 2."""
        by_drug: dict[str, list[PlanDose]] = {}
        for dose in self.plan.doses.all():
            by_drug.setdefault(dose.drug, []).append(dose)
        starts = phase_starts(self.plan)
        return [
            self._medication_request(drug, doses, condition, prescriber, starts) for drug, doses in by_drug.items()
        ]

    def _medication_request(self, drug: str, doses: list[PlanDose], condition: Reference, prescriber: Reference,
                            starts: dict[tuple[str, str], date]) -> MedicationRequest:
        plan = self.plan
        basis = codes.BODY_WEIGHT_BASIS if any("/kg" in dose.basis for dose in doses) else codes.FIXED_DOSE_BASIS
        return MedicationRequest(
            id=self._uuid("medicationrequest", plan.pk, drug),
            meta=Meta(profile=[codes.PROFILE_MEDICATION_REQUEST]),
            extension=[Extension(url=codes.NORMALIZATION_BASIS, valueCodeableConcept=concept(basis.display, basis))],
            status=MEDICATION_STATUS[plan.state],
            intent="plan",
            medicationCodeableConcept=concept(vocabulary.drug_name(drug)),
            subject=self.patient_ref,
            authoredOn=plan.approved_at or plan.created_at,
            requester=prescriber,
            reasonReference=[condition],
            dosageInstruction=[
                self._dosage(sequence, dose, starts.get((dose.drug, dose.phase), plan.start_date))
                for sequence, dose in enumerate(doses, start=1)
            ],
            note=[Annotation(text=dose_note(dose)) for dose in doses],
        )

    def _dosage(self, sequence: int, dose: PlanDose, start: date) -> Dosage:
        route = codes.ROUTES.get(dose.route)
        return Dosage(
            sequence=sequence,
            text=dosage_text(dose, self.plan.cycle_days),
            additionalInstruction=[concept(text) for text in (dose.administration, dose.do_not_substitute) if text]
            or None,
            timing=Timing(repeat=timing_repeat(dose, self.plan.cycle_days, start)),
            route=concept(dose.route, *filter(None, [route])),
            doseAndRate=None if dose.final_mg is None else [DosageDoseAndRate(doseQuantity=ucum(dose.final_mg, "mg", "mg"))],
        )

    def care_plan(self, condition: Reference, observations: list[Reference], requests: list[Reference],
                  author: Reference) -> CarePlan:
        plan = self.plan
        description = (
            f"{plan.regimen_label}, {plan.cycle_days}-day cycles, "
            f"plan version {plan.version} ({plan.get_state_display().lower()}). "
            f"Engine tier: {plan.tier_label}; ruleset {plan.ruleset_version}."
        )
        override = f"Override reason: {plan.override_reason}" if plan.override_reason else ""
        notes = [text for text in (plan.clinician_notes, override) if text]
        return CarePlan(
            id=self._uuid("careplan", plan.pk),
            identifier=[Identifier(system="urn:her2app:plan", value=f"{plan.case_id}-v{plan.version}")],
            status=CAREPLAN_STATUS[plan.state],
            intent="plan",
            title=f"Anti-HER2 treatment plan: {plan.regimen_label}",
            description=description,
            subject=self.patient_ref,
            period=Period(start=plan.start_date),
            created=plan.created_at,
            author=author,
            addresses=[condition],
            supportingInfo=observations or None,
            activity=[CarePlanActivity(reference=request) for request in requests],
            note=[Annotation(text=text) for text in notes] or None,
        )


def body_site(site: codes.PrimarySite) -> CodeableConcept:
    extension = None
    if site.laterality:
        extension = [Extension(url=codes.LATERALITY_EXTENSION, valueCodeableConcept=concept(
            site.laterality.display, site.laterality))]
    return CodeableConcept(extension=extension, coding=[coding(site.body_site)], text=site.text)


def histology_extension(histology: str) -> Extension | None:
    """mCODE HistologyMorphologyBehavior for the case's histology (none when not recorded)."""
    if histology not in codes.HISTOLOGY:
        return None
    text, coded = codes.HISTOLOGY[histology]
    return Extension(url=codes.HISTOLOGY_EXTENSION, valueCodeableConcept=concept(text, *coded))


def earliest_evidence_of_disease(case: Case) -> date | None:
    """The first date the case records the cancer: a treatment line start or the HER2 test.

    Exported as the end of Condition.onsetPeriod: the disease began on or before it.
    """
    profile = getattr(case, "profile", None)
    dates = [line.start_date for line in case.treatment_lines.all() if line.start_date]
    if profile is not None and profile.test_date:
        dates.append(profile.test_date)
    return min(dates, default=None)


def ras_components(profile: MolecularProfile):
    """KRAS and NRAS results and the exons tested (text codes: no gene-level code is verified in mCODE's sets)."""
    for gene in ("kras", "nras"):
        name = gene.upper()
        yield ObservationComponent(code=concept(name),
                                   valueCodeableConcept=concept(getattr(profile, f"get_{gene}_display")()))
        exons = getattr(profile, f"{gene}_exons")
        if exons:
            yield ObservationComponent(code=concept(f"{name} exons tested"),
                                       valueString=", ".join(str(exon) for exon in sorted(exons)))


def her2_components(profile: MolecularProfile):
    """IHC score, ISH result and ratio, NGS amplification and copy number (text codes)."""
    if profile.her2_ihc:
        yield ObservationComponent(code=concept("HER2 IHC score"), valueCodeableConcept=concept(profile.her2_ihc))
    if profile.her2_ihc_percent_cells is not None:
        yield ObservationComponent(code=concept("HER2 IHC stained tumour cells"),
                                   valueQuantity=ucum(profile.her2_ihc_percent_cells, "%", "%"))
    if profile.her2_ish:
        yield ObservationComponent(code=concept("HER2 ISH result"),
                                   valueCodeableConcept=concept(profile.get_her2_ish_display()))
    if profile.her2_ish_ratio is not None:
        yield ObservationComponent(code=concept("HER2:CEP17 ratio by ISH"),
                                   valueQuantity=ucum(profile.her2_ish_ratio, "ratio", "{ratio}"))
    if profile.ngs_erbb2_amplified is not None:
        yield ObservationComponent(code=concept("ERBB2 amplification by NGS"), valueBoolean=profile.ngs_erbb2_amplified)
    if profile.ngs_copy_number is not None:
        yield ObservationComponent(code=concept("ERBB2 copy number by NGS"),
                                   valueQuantity=ucum(profile.ngs_copy_number, "copies", "{copies}"))


def phase_starts(plan: TreatmentPlan) -> dict[tuple[str, str], date]:
    """The first date of each drug and phase in the plan's own cycle calendar.

    Two cycles reach every phase: a 3-weekly maintenance dose starts on cycle 2
    day 1; on the weekly schedule (D4) it starts on cycle 1 day 8, because the
    loading dose replaces the day-1 maintenance dose.
    """
    option = {"cycle_days": plan.cycle_days, "doses": [dose.as_engine_dose() for dose in plan.doses.all()]}
    starts: dict[tuple[str, str], date] = {}
    for event in build_schedule(option, plan.start_date, cycles=2):
        starts.setdefault((event["drug"], event["phase"]), event["date"])
    return starts


def timing_repeat(dose: PlanDose, cycle_days: int, start: date) -> TimingRepeat:
    bounds = Period(start=start)
    if dose.frequency == "once":
        return TimingRepeat(boundsPeriod=bounds, count=1)
    frequency, period, unit = TIMING_REPEATS.get(dose.frequency, (1, cycle_days, "d"))
    return TimingRepeat(boundsPeriod=bounds, frequency=frequency, period=period, periodUnit=unit)


def dosage_text(dose: PlanDose, cycle_days: int) -> str:
    when = "cycle 1 day 1" if dose.frequency == "once" else f"{dose.days_label} of each {cycle_days}-day cycle"
    frequency = "" if dose.frequency == "once" else f" {vocabulary.frequency_label(dose.frequency)}"
    amount = "dose to be set by the oncologist" if dose.final_mg is None else f"{dose.final_mg} mg"
    return (f"{vocabulary.drug_name(dose.drug)} {amount} {vocabulary.route_label(dose.route)}{frequency}, {when} "
            f"({vocabulary.phase_label(dose.phase).lower()})")


def dose_note(dose: PlanDose) -> str:
    phase = vocabulary.phase_label(dose.phase)
    if dose.clinician_sets_dose:
        note = f"{phase}: no dose proposed ({dose.basis}); final {dose.final_mg} mg."
        return note + (f" Why: {dose.adjustment_reason}" if dose.adjustment_reason else "")
    note = f"{phase}: calculated {dose.calculated_mg} mg ({dose.basis}); final {dose.final_mg} mg."
    if dose.adjustment_reason:
        note += f" Adjusted: {dose.adjustment_reason}"
    return note


def build_case_bundle(case: Case, plan: TreatmentPlan | None, engine_result: dict | None,
                      now: datetime | None = None) -> Bundle:
    return CaseBundleBuilder(case, plan, engine_result, now).build()
