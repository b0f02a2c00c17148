"""Demo cases: the reverse of engine_input, from engine JSON (CLI contract v1)
to Patient, Case, MolecularProfile, TreatmentLine and ClinicalStatus.

Only for local trials (load_demo): patients get made-up names and DEMO- MRNs.
"""

import json
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

import regimens
from her2app.cases import actions as case_actions
from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.models import Case, ClinicalStatus, MolecularProfile, Patient, TreatmentLine, combined_ras_fields

GIVEN_NAMES = ("Maria", "John", "Aisha", "Tomasz", "Mei", "Oluwaseun", "Ingrid", "Rahul", "Sofia", "Kwame",
               "Elena", "Hiroshi", "Fatima", "Liam", "Priya", "Mateo", "Anna", "Yusuf", "Chloe", "Dmitri")
FAMILY_NAMES = ("Okafor", "Lindqvist", "Moreau", "Nakamura", "Kowalski", "Haddad", "Fernandes", "O'Brien",
                "Petrov", "Mensah", "Rossi", "Chen", "Novak", "Singh", "Garcia", "Müller", "Andersen", "Yilmaz",
                "Dubois", "Kim")
# Prior therapies grouped into plausible lines, in order; each line takes the agents of its group that the
# patient received and is skipped when it would add nothing new.
LINE_GROUPS = (
    ("fluoropyrimidine", "oxaliplatin", "bevacizumab"),
    ("fluoropyrimidine", "irinotecan", "anti_egfr"),
    ("trastuzumab", "pertuzumab", "lapatinib", "tucatinib"),
    ("trastuzumab_emtansine", "pertuzumab"),
    ("trastuzumab_deruxtecan",),
    ("immunotherapy", "other"),
)


def demo_identity(index: int) -> tuple[str, str, str]:
    """(MRN, given name, family name) for the index-th demo patient."""
    given = GIVEN_NAMES[index % len(GIVEN_NAMES)]
    family = FAMILY_NAMES[(index * 7) % len(FAMILY_NAMES)]
    return f"DEMO-{index + 1:04d}", given, family


def lines_from_prior_therapies(prior: list[str]) -> list[list[str]]:
    placed: set[str] = set()
    lines = []
    for group in LINE_GROUPS:
        agents = [agent for agent in group if agent in prior]
        if agents and not set(agents) <= placed:
            lines.append(agents)
            placed.update(agents)
    leftovers = [agent for agent in prior if agent not in placed]
    return lines + ([leftovers] if leftovers else [])


def _text(value: str | None, unknown: str = "") -> str:
    return unknown if value in (None, "unknown") else value


def _status(value: str | None) -> str:
    return value or "unknown"


@transaction.atomic
def create_case_from_engine_input(data: dict, user, index: int, today: date | None = None,
                                  status: str = Case.Status.DRAFT) -> Case:
    """Create a demo case whose engine input (case_to_engine_input) matches `data`."""
    today = today or date.today()
    person, tumour, her2 = data.get("patient") or {}, data.get("tumour") or {}, data.get("her2") or {}
    mrn, given, family = demo_identity(index)
    age = person.get("age") or 60
    patient = Patient.objects.create(
        mrn=mrn, given_name=given, family_name=family, date_of_birth=date(today.year - age, 1, 1),
        sex=_status(person.get("sex")),
    )
    case = Case.objects.create(
        patient=patient, status=status, created_by=user, updated_by=user,
        primary_site=_status(tumour.get("primary_site")), metastatic=tumour.get("metastatic", True) is not False,
    )
    MolecularProfile.objects.create(
        case=case, her2_ihc=her2.get("ihc") or "", her2_ihc_percent_cells=her2.get("ihc_percent_cells"),
        her2_ish=her2.get("ish") or "", her2_ish_ratio=her2.get("ish_ratio"),
        ngs_erbb2_amplified=her2.get("ngs_erbb2_amplified"), ngs_copy_number=her2.get("ngs_copy_number"),
        test_method=MolecularProfile.Method.IHC_ISH if her2 else "", test_date=today - timedelta(days=30),
        laboratory="Demo pathology laboratory" if her2 else "",
        **combined_ras_fields(_status(data.get("ras"))), braf_v600e=_status(data.get("braf_v600e")), msi=_status(data.get("msi")),
    )
    for number, agents in enumerate(lines_from_prior_therapies(data.get("prior_therapies") or []), start=1):
        TreatmentLine.objects.create(case=case, line_number=number, agents=agents)
    ClinicalStatus.objects.create(
        case=case, weight_kg=person.get("weight_kg"), height_cm=person.get("height_cm"),
        weight_date=today if person.get("weight_kg") is not None else None,
        pregnant=person.get("pregnant"), breastfeeding=person.get("breastfeeding"),
        fit_for_intensive_therapy=data.get("fit_for_intensive_therapy"), ecog=data.get("ecog"),
        lvef_percent=data.get("lvef_percent"),
        lvef_date=today - timedelta(days=14) if data.get("lvef_percent") is not None else None,
        ild_history=data.get("ild_history"), hepatic_impairment=_text(data.get("hepatic_impairment")),
        strong_cyp2c8_inhibitor=data.get("strong_cyp2c8_inhibitor"),
        benzyl_alcohol_hypersensitivity=person.get("benzyl_alcohol_hypersensitivity"),
    )
    if status == Case.Status.READY:
        engine_input = case_to_engine_input(case, today)
        case_actions.send_for_review(case, engine_input, regimens.recommend(engine_input))
    return case


def demo_case_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def load_demo_cases(folder: Path, user, ready_when=lambda data: False) -> list[Case]:
    """Create one case per JSON file in `folder`; files whose MRN already exists are skipped."""
    created = []
    for index, path in enumerate(demo_case_files(folder)):
        if Patient.objects.filter(mrn=demo_identity(index)[0]).exists():
            continue
        data = json.loads(path.read_text())
        status = Case.Status.READY if ready_when(data) else Case.Status.DRAFT
        created.append(create_case_from_engine_input(data, user, index, status=status))
    return created
