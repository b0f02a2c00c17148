"""FHIR export of a case and its treatment plan as a collection Bundle.

Built with fhir.resources' R4B models (`fhir.resources.R4B`, FHIR 4.3.0;
the package's top-level models are R5). The resources used here (Patient,
Condition, Observation, MedicationRequest, CarePlan) have the same shape in
R4 (4.0.1), which the mCODE profiles named in `meta.profile` are based on.
Every model validates on construction, so an invalid bundle raises here
instead of leaving the server.

Codes: only codes we have checked are sent as codings; everything else is
`CodeableConcept.text` (see the constants below).
"""

from collections.abc import Iterable
from datetime import datetime
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
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.timing import Timing, TimingRepeat

from her2app.cases.models import Case, MolecularProfile
from her2app.plans.models import PlanDose, PlanState, TreatmentPlan
from regimens import vocabulary

FHIR_VERSION = "4.3.0 (R4B models; R4-compatible for the resources exported)"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
PROFILE_PATIENT = MCODE + "mcode-cancer-patient"
PROFILE_PRIMARY_CANCER = MCODE + "mcode-primary-cancer-condition"
PROFILE_TUMOR_MARKER = MCODE + "mcode-tumor-marker-test"
PROFILE_MEDICATION_REQUEST = MCODE + "mcode-cancer-related-medication-request"
NORMALIZATION_BASIS = MCODE + "mcode-normalization-basis"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
UCUM = "http://unitsofmeasure.org"
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/"
# The hospital's MRN namespace; set FHIR_MRN_SYSTEM to the site's own URI.
DEFAULT_MRN_SYSTEM = "urn:her2app:mrn"

# mCODE NormalizationBasisVS (SNOMED CT).
BODY_WEIGHT = Coding(system=SNOMED, code="363804004", display="Body weight characteristic")
FIXED_DOSE = Coding(system=SNOMED, code="1157245009", display="Fixed dose")
ROUTES = {
    "IV": Coding(system=SNOMED, code="47625008", display="Intravenous route"),
    "PO": Coding(system=SNOMED, code="26643006", display="Oral route"),
}
HER2_CODE = Coding(system=LOINC, code="48676-1", display="HER2 [Interpretation] in Tissue")
MSI_CODE = Coding(
    system=LOINC, code="81695-9", display="Microsatellite instability [Interpretation] in Cancer specimen Qualitative"
)
HER2_VALUES = {
    "positive": Coding(system=LOINC, code="LA6576-8", display="Positive"),
    "negative": Coding(system=LOINC, code="LA6577-6", display="Negative"),
}
MSI_VALUES = {"mss": Coding(system=LOINC, code="LA14122-8", display="Stable")}
# Primary site -> codings. Colon: SNOMED "Primary malignant neoplasm of colon"
# and ICD-10 C18.9; rectum: ICD-10 C20 only; unknown site: text only.
SITE_CODINGS: dict[str, list[Coding]] = {
    "left_colon": [
        Coding(system=SNOMED, code="93761005", display="Primary malignant neoplasm of colon"),
        Coding(system=ICD10, code="C18.9", display="Malignant neoplasm of colon, unspecified"),
    ],
    "rectum": [Coding(system=ICD10, code="C20", display="Malignant neoplasm of rectum")],
}
SITE_CODINGS["right_colon"] = SITE_CODINGS["left_colon"]

MEDICATION_STATUS = {
    PlanState.DRAFT: "draft",
    PlanState.APPROVED: "active",
    PlanState.SUPERSEDED: "stopped",
    PlanState.CANCELLED: "cancelled",
}
CAREPLAN_STATUS = {
    PlanState.DRAFT: "draft",
    PlanState.APPROVED: "active",
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


def concept(text: str, *codings: Coding) -> CodeableConcept:
    return CodeableConcept(coding=list(codings) or None, text=text)


def system_concept(system: str, code: str) -> CodeableConcept:
    return CodeableConcept(coding=[Coding(system=TERMINOLOGY + system, code=code)])


def ucum(value, unit: str, code: str) -> Quantity:
    return Quantity(value=value, unit=unit, system=UCUM, code=code)


class CaseBundleBuilder:
    """Builds the Bundle for one case (and optionally one of its plans)."""

    def __init__(self, case: Case, plan: TreatmentPlan | None, engine_result: dict | None, now: datetime | None = None):
        self.case = case
        self.plan = plan
        self.engine_result = engine_result or {}
        self.now = now or timezone.now()
        self.entries: list[BundleEntry] = []

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
        patient = self._add(self.patient())
        condition = self._add(self.condition(patient))
        observations = [self._add(observation) for observation in self.observations(patient)]
        if self.plan is not None:
            prescriber = self._add(self.practitioner(self.plan.approved_by or self.plan.chosen_by))
            requests = [self._add(request) for request in self.medication_requests(patient, condition, prescriber)]
            self._add(self.care_plan(patient, condition, observations, requests, prescriber))
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
            meta=Meta(profile=[PROFILE_PATIENT]),
            identifier=[Identifier(system=getattr(settings, "FHIR_MRN_SYSTEM", DEFAULT_MRN_SYSTEM), value=person.mrn)],
            name=[HumanName(family=person.family_name, given=[person.given_name])],
            gender=person.sex,
            birthDate=person.date_of_birth,
        )

    def practitioner(self, user) -> Practitioner:
        """The oncologist who signed the plan (or chose it, while it is a draft)."""
        name = HumanName(family=user.last_name or user.username, given=[user.first_name] if user.first_name else None)
        return Practitioner(id=self._uuid("practitioner", user.pk), name=[name])

    def condition(self, patient: Reference) -> Condition:
        site = self.case.get_primary_site_display().lower() if self.case.primary_site != "unknown" else ""
        stage = "Metastatic colorectal cancer" if self.case.metastatic else "Colorectal cancer"
        text = f"{stage} ({site} primary)" if site else stage
        return Condition(
            id=self._uuid("condition", self.case.pk),
            meta=Meta(profile=[PROFILE_PRIMARY_CANCER]),
            clinicalStatus=system_concept("condition-clinical", "active"),
            verificationStatus=system_concept("condition-ver-status", "confirmed"),
            category=[system_concept("condition-category", "problem-list-item")],
            code=concept(text, *SITE_CODINGS.get(self.case.primary_site, [])),
            stage=[ConditionStage(summary=concept("Metastatic (stage IV)"))] if self.case.metastatic else None,
            subject=patient,
        )

    def observations(self, patient: Reference) -> list[Observation]:
        profile: MolecularProfile | None = getattr(self.case, "profile", None)
        if profile is None:
            return []
        her2 = self._her2_observation(patient, profile)
        markers = [
            self._marker("ras", concept("RAS (KRAS/NRAS) mutation status"), profile.ras,
                         profile.get_ras_display(), patient, profile),
            self._marker("braf", concept("BRAF V600E mutation status"), profile.braf_v600e,
                         profile.get_braf_v600e_display(), patient, profile),
            self._marker("msi", concept("Microsatellite instability", MSI_CODE), profile.msi,
                         profile.get_msi_display(), patient, profile, MSI_VALUES.get(profile.msi)),
        ]
        return [observation for observation in [her2, *markers] if observation is not None]

    def _tumour_marker(self, key: str, code: CodeableConcept, patient: Reference, profile: MolecularProfile,
                       **values) -> Observation:
        lab = "; ".join(filter(None, [
            f"Laboratory: {profile.laboratory}" if profile.laboratory else "",
            f"Specimen: {profile.specimen}" if profile.specimen else "",
        ]))
        return Observation(
            id=self._uuid("observation", self.case.pk, key),
            meta=Meta(profile=[PROFILE_TUMOR_MARKER]),
            status="final",
            category=[system_concept("observation-category", "laboratory")],
            code=code,
            subject=patient,
            effectiveDateTime=profile.test_date,
            method=concept(profile.get_test_method_display()) if profile.test_method else None,
            note=[Annotation(text=lab)] if lab else None,
            **values,
        )

    def _her2_observation(self, patient: Reference, profile: MolecularProfile) -> Observation | None:
        components = list(her2_components(profile))
        status = self.engine_result.get("her2_status", "")
        if not components:
            return None
        basis = self.engine_result.get("her2_basis", "")
        label = vocabulary.her2_status_label(status) + (f" ({basis})" if basis else "") if status else ""
        value = (
            {"valueCodeableConcept": concept(label, *filter(None, [HER2_VALUES.get(status)]))}
            if status and status != "untested"
            else {"dataAbsentReason": concept("Not interpreted")}
        )
        return self._tumour_marker("her2", concept("HER2 status", HER2_CODE), patient, profile,
                                   component=components, **value)

    def _marker(self, key: str, code: CodeableConcept, result: str, display: str, patient: Reference,
                profile: MolecularProfile, value_coding: Coding | None = None) -> Observation | None:
        """RAS, BRAF or MSI; an unknown result is left out rather than exported as a finding."""
        if result in ("", "unknown"):
            return None
        value = concept(display, *filter(None, [value_coding]))
        return self._tumour_marker(key, code, patient, profile, valueCodeableConcept=value)

    def medication_requests(self, patient: Reference, condition: Reference,
                            prescriber: Reference) -> list[MedicationRequest]:
        """One request per drug; its loading and maintenance phases are dosage instructions 1, 2."""
        by_drug: dict[str, list[PlanDose]] = {}
        for dose in self.plan.doses.all():
            by_drug.setdefault(dose.drug, []).append(dose)
        return [
            self._medication_request(drug, doses, patient, condition, prescriber) for drug, doses in by_drug.items()
        ]

    def _medication_request(self, drug: str, doses: list[PlanDose], patient: Reference, condition: Reference,
                            prescriber: Reference) -> MedicationRequest:
        plan = self.plan
        basis = BODY_WEIGHT if any("/kg" in dose.basis for dose in doses) else FIXED_DOSE
        return MedicationRequest(
            id=self._uuid("medicationrequest", plan.pk, drug),
            meta=Meta(profile=[PROFILE_MEDICATION_REQUEST]),
            extension=[Extension(url=NORMALIZATION_BASIS, valueCodeableConcept=concept(basis.display, basis))],
            status=MEDICATION_STATUS[plan.state],
            intent="plan",
            medicationCodeableConcept=concept(drug_label(drug)),
            subject=patient,
            authoredOn=plan.approved_at or plan.created_at,
            requester=prescriber,
            reasonReference=[condition],
            dosageInstruction=[self._dosage(sequence, dose) for sequence, dose in enumerate(doses, start=1)],
            note=[Annotation(text=dose_note(dose)) for dose in doses],
        )

    def _dosage(self, sequence: int, dose: PlanDose) -> Dosage:
        return Dosage(
            sequence=sequence,
            text=dosage_text(dose, self.plan.cycle_days),
            additionalInstruction=[concept(text) for text in (dose.administration, dose.do_not_substitute) if text]
            or None,
            timing=Timing(repeat=timing_repeat(dose, self.plan)),
            route=concept(dose.route, *filter(None, [ROUTES.get(dose.route)])),
            doseAndRate=None if dose.final_mg is None else [DosageDoseAndRate(doseQuantity=ucum(dose.final_mg, "mg", "mg"))],
        )

    def care_plan(self, patient: Reference, condition: Reference, observations: list[Reference],
                  requests: list[Reference], author: Reference) -> CarePlan:
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
            subject=patient,
            period=Period(start=plan.start_date),
            created=plan.created_at,
            author=author,
            addresses=[condition],
            supportingInfo=observations or None,
            activity=[CarePlanActivity(reference=request) for request in requests],
            note=[Annotation(text=text) for text in notes] or None,
        )


def her2_components(profile: MolecularProfile) -> Iterable[ObservationComponent]:
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


def drug_label(drug: str) -> str:
    """D10: the nonproprietary name with its brand."""
    return vocabulary.drug_name(drug)


def timing_repeat(dose: PlanDose, plan: TreatmentPlan) -> TimingRepeat:
    start = Period(start=plan.start_date)
    if dose.frequency == "once":
        return TimingRepeat(boundsPeriod=start, count=1)
    frequency, period, unit = TIMING_REPEATS.get(dose.frequency, (1, plan.cycle_days, "d"))
    return TimingRepeat(boundsPeriod=start, frequency=frequency, period=period, periodUnit=unit)


def dosage_text(dose: PlanDose, cycle_days: int) -> str:
    when = "cycle 1 day 1" if dose.frequency == "once" else f"{dose.days_label} of each {cycle_days}-day cycle"
    frequency = "" if dose.frequency == "once" else f" {vocabulary.frequency_label(dose.frequency)}"
    amount = "dose to be set by the oncologist" if dose.final_mg is None else f"{dose.final_mg} mg"
    return (f"{drug_label(dose.drug)} {amount} {vocabulary.route_label(dose.route)}{frequency}, {when} "
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
