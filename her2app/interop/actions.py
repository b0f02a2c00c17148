"""State changes of the interop app: start a case from a read bundle, confirm imported values.

Each writes its record: the BundleImport (who, when, which file, what was not
imported) and one ImportedValue per value, confirmed by the person who saves
the step it belongs to. django-simple-history keeps every version.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from her2app.cases.forms import FitnessForm, PatientForm, TumourForm
from her2app.cases.models import Case, ClinicalStatus, MolecularProfile, Patient, TreatmentLine
from her2app.interop.bundle_reader import BundleError, ImportedField, Reading
from her2app.interop.models import BundleImport, ImportedValue

STEP_FORMS = {"patient": PatientForm, "tumour": TumourForm, "fitness": FitnessForm}


def label_for(step: str, name: str) -> str:
    return str(STEP_FORMS[step].base_fields[name].label)


def _checked(record: models.Model, step: str) -> models.Model:
    """Run the model's own validation (ranges, ISH ratio vs call) before saving an imported record."""
    try:
        record.full_clean(exclude=["case", "patient"], validate_unique=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        where = label_for(step, name) if name in STEP_FORMS[step].base_fields else "The bundle"
        raise BundleError(f"{where}: {messages[0]}") from None
    record.save()
    return record


def _patient(values: dict) -> tuple[Patient, bool]:
    """The patient with the bundle's MRN (same name and birth date), or a new one. True when new."""
    existing = Patient.objects.filter(mrn=values["mrn"]).first()
    if existing is None:
        return _checked(Patient(**values), "patient"), True
    same = (existing.given_name.casefold(), existing.family_name.casefold(), existing.date_of_birth) == (
        values["given_name"].casefold(), values["family_name"].casefold(), values["date_of_birth"])
    if not same:
        raise BundleError(f"MRN {values['mrn']} belongs to a patient with another name or date of birth: "
                          "check the bundle before importing it.")
    return existing, False


@transaction.atomic
def import_case(reading: Reading, user, raw: bytes, filename: str = "") -> Case:
    """A draft case filled from the bundle; raises BundleError (and saves nothing) when a value is refused."""
    patient, new_patient = _patient(reading.values("patient"))
    tumour = reading.values("tumour")
    case = Case.objects.create(
        patient=patient, created_by=user, updated_by=user,
        primary_site=tumour.pop("primary_site", "unknown"), metastatic=tumour.pop("metastatic", True),
        histology=tumour.pop("histology", ""),
    )
    if tumour:
        _checked(MolecularProfile(case=case, **tumour), "tumour")
    if fitness := reading.values("fitness"):
        _checked(ClinicalStatus(case=case, **fitness), "fitness")
    for number, line in enumerate(reading.lines, start=1):
        TreatmentLine(case=case, line_number=number, agents=list(line.agents), start_date=line.start_date,
                      end_date=line.end_date).save()
    record = BundleImport.objects.create(
        case=case, imported_by=user, filename=filename[:200], sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
        unrecognised=[{"source": item.reference, "reason": item.reason} for item in reading.unrecognised],
    )
    fields = [item for item in reading.fields if new_patient or item.step != "patient"]
    ImportedValue.objects.bulk_create([_mark(record, item) for item in fields] + [
        ImportedValue(bundle_import=record, step="history", field=f"line-{number}", label=f"Treatment line {number}",
                      shown=line.shown[:300], source=_sources(line.sources), source_date=line.start_date)
        for number, line in enumerate(reading.lines, start=1)
    ])
    return case


def _mark(record: BundleImport, item: ImportedField) -> ImportedValue:
    return ImportedValue(bundle_import=record, step=item.step, field=item.field, label=label_for(item.step, item.field),
                         shown=item.shown[:300], source=item.source.reference[:200], source_date=item.source.on)


def _sources(sources) -> str:
    first = sources[0].reference
    return first if len(sources) == 1 else f"{first} and {len(sources) - 1} more"


def pending_values(case: Case, step: str) -> list[ImportedValue]:
    return list(ImportedValue.objects.filter(bundle_import__case=case, step=step, confirmed_at__isnull=True))


def confirm_step(sender, case: Case, step: str, user, **kwargs) -> list[str]:
    """A person saved this wizard step (the cases app's `case_data_saved`): its imported values are now theirs."""
    now = timezone.now()
    for value in pending_values(case, step):
        value.confirmed_by, value.confirmed_at = user, now
        value.save(update_fields=["confirmed_by", "confirmed_at"])
    return []
