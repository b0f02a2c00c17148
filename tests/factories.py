"""The one place tests build case records (factory_boy).

`make_case` gives a bare case with only what a test asks for; `plannable_case`
gives the reference's R6 patient (HER2 IHC 3+, RAS/BRAF wild-type,
chemotherapy-refractory, 70 kg, fit): tucatinib + trastuzumab preferred.
Named variants (the board's or the security tests' patient) pass their own
values; the defaults live here only.

`history_user` records the acting user on each row the way simple_history's
request middleware does, for tests that read the audit history.
"""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from her2app.cases.models import Case, ClinicalStatus, MolecularProfile, Patient, TreatmentLine

REFRACTORY = ["fluoropyrimidine", "oxaliplatin", "irinotecan"]


class _Factory(DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, history_user=None, **kwargs):
        instance = model_class(*args, **kwargs)
        if history_user is not None:
            instance._history_user = history_user
        instance.save()
        return instance


class PatientFactory(_Factory):
    class Meta:
        model = Patient

    mrn = factory.Sequence(lambda n: f"T{n + 1:06d}")
    given_name = "Ada"
    family_name = "Lovelace"
    date_of_birth = date(1961, 3, 14)
    sex = "female"


class CaseFactory(_Factory):
    class Meta:
        model = Case

    patient = factory.SubFactory(PatientFactory)
    updated_by = factory.SelfAttribute("created_by")


class MolecularProfileFactory(_Factory):
    class Meta:
        model = MolecularProfile

    her2_ihc = "3+"
    her2_ihc_percent_cells = 80
    kras = "wild_type"
    kras_exons = factory.LazyFunction(lambda: [2, 3, 4])
    nras = "wild_type"
    nras_exons = factory.LazyFunction(lambda: [2, 3, 4])
    braf_v600e = "wild_type"
    msi = "mss"


class ClinicalStatusFactory(_Factory):
    class Meta:
        model = ClinicalStatus

    weight_kg = Decimal("70")
    lvef_percent = 60
    ecog = 1
    fit_for_intensive_therapy = True
    ild_history = False
    hepatic_impairment = "none"
    pregnant = False
    breastfeeding = False
    strong_cyp2c8_inhibitor = False


class TreatmentLineFactory(_Factory):
    class Meta:
        model = TreatmentLine

    line_number = 1
    agents = factory.LazyFunction(lambda: list(REFRACTORY))


def make_case(user, *, mrn: str | None = None, given_name: str = "Ada", family_name: str = "Lovelace",
              date_of_birth: date = date(1961, 3, 14), profile: dict | None = None, clinical: dict | None = None,
              lines: list | None = None, history_user=None, sex: str = "female", **case_fields) -> Case:
    """A case with only the parts asked for: `profile` and `clinical` are the whole rows (no defaults),
    `lines` the agents of each line, or dicts of a line's fields."""
    patient_fields = {"given_name": given_name, "family_name": family_name, "date_of_birth": date_of_birth,
                      "sex": sex}
    if mrn is not None:
        patient_fields["mrn"] = mrn
    patient = PatientFactory(history_user=history_user, **patient_fields)
    case = CaseFactory(patient=patient, created_by=user, history_user=history_user, **case_fields)
    return _add_parts(case, profile, clinical, lines, history_user, defaults=False)


def plannable_case(user, *, mrn: str = "MRN-7001", given_name: str = "Grace", family_name: str = "Hopper",
                   date_of_birth: date = date(1961, 3, 9), weight_kg: str | None = "70", profile: dict | None = None,
                   lines: list | None = None, history_user=None, case_fields: dict | None = None,
                   **clinical) -> Case:
    """The R6 patient, ready for review; `profile` and `clinical` change single fields of the defaults."""
    fields = {"status": Case.Status.READY, "primary_site": "left_colon", **(case_fields or {})}
    patient = PatientFactory(mrn=mrn, given_name=given_name, family_name=family_name, date_of_birth=date_of_birth,
                             history_user=history_user)
    case = CaseFactory(patient=patient, created_by=user, history_user=history_user, **fields)
    clinical = {"weight_kg": Decimal(weight_kg) if weight_kg else None, **clinical}
    return _add_parts(case, profile or {}, clinical, [REFRACTORY] if lines is None else lines, history_user,
                      defaults=True)


def _add_parts(case: Case, profile, clinical, lines, history_user, defaults: bool) -> Case:
    make_profile = MolecularProfileFactory if defaults else _bare(MolecularProfile)
    make_clinical = ClinicalStatusFactory if defaults else _bare(ClinicalStatus)
    if profile is not None:
        make_profile(case=case, history_user=history_user, **profile)
    if clinical is not None:
        make_clinical(case=case, history_user=history_user, **clinical)
    for number, line in enumerate(lines or [], start=1):
        line_fields = line if isinstance(line, dict) else {"agents": line}
        TreatmentLineFactory(case=case, line_number=number, history_user=history_user, **line_fields)
    return case


def _bare(model):
    """A factory for `model` with no defaults: the row holds exactly the fields given."""
    return factory.make_factory(model, FACTORY_CLASS=_Factory)
