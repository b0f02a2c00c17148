"""Create N synthetic cases in bulk, cycling through every clinical path.

    python manage.py generate_cases 100000 [--seed 1] [--batch-size 5000] [--user NAME]

For scale tests and benchmarks only: patients are fictional (MRNs start with
"SYN"), data follow the engine's vocabularies and ranges (reference S9), and
the scenarios walk through every rule of the clinical reference (H1-H5,
R1-R9, S1-S8), so any N >= len(SCENARIOS) holds at least one case of each.
Rows are written with bulk_create in batches; each case gets one "created"
audit row (simple_history), the related records none.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from her2app.cases.models import Case, ClinicalStatus, MolecularProfile, Patient, TreatmentLine, combined_ras_fields

MRN_PREFIX = "SYN"
GENERATOR_USERNAME = "synthetic-data"

# Chemotherapy lines; "refractory" (reference R) = fluoropyrimidine, oxaliplatin and irinotecan received.
FOLFOX_BEV = ["fluoropyrimidine", "oxaliplatin", "bevacizumab"]
FOLFIRI_BEV = ["fluoropyrimidine", "irinotecan", "bevacizumab"]
REFRACTORY = [FOLFOX_BEV, FOLFIRI_BEV]
HER2_POSITIVE = {"her2_ihc": "3+", "her2_ihc_percent_cells": 80, "test_method": "ihc_ish"}
RAS_WILD_TYPE = {**combined_ras_fields("wild_type"), "braf_v600e": "wild_type", "msi": "mss"}


@dataclass(frozen=True)
class Scenario:
    """One clinical path: overrides on top of a complete, fit, refractory HER2+ RAS wild-type case."""

    name: str
    profile: dict = field(default_factory=dict)
    clinical: dict = field(default_factory=dict)
    lines: list[list[str]] = field(default_factory=lambda: REFRACTORY)
    sex: str | None = None
    status: str = Case.Status.READY
    expected: str = "anti_her2"  # the engine's recommendation for this path (checked by the tests)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("refractory, preferred tucatinib-trastuzumab (R6)"),
    Scenario("HER2 untested (H4, R1)", profile={"her2_ihc": "", "her2_ihc_percent_cells": None, "test_method": ""},
             status=Case.Status.DRAFT, expected="complete_her2_testing"),
    Scenario("IHC 2+ without ISH: equivocal (H2, R1)", profile={"her2_ihc": "2+", "her2_ihc_percent_cells": 70},
             expected="complete_her2_testing"),
    Scenario("IHC 3+ in < 50% of cells: equivocal (H1, H2)", profile={"her2_ihc_percent_cells": 30},
             expected="complete_her2_testing"),
    Scenario("IHC 1+: negative (H3, R2)", profile={"her2_ihc": "1+", "her2_ihc_percent_cells": 40},
             expected="not_indicated"),
    Scenario("IHC 2+ ISH not amplified: negative (H3)",
             profile={"her2_ihc": "2+", "her2_ish": "not_amplified", "her2_ish_ratio": Decimal("1.40")},
             expected="not_indicated"),
    Scenario("IHC 1+ with ISH amplification: discordant (H5)",
             profile={"her2_ihc": "1+", "her2_ish": "amplified", "her2_ish_ratio": Decimal("2.60")}),
    Scenario("NGS amplification only (H1)",
             profile={"her2_ihc": "", "her2_ihc_percent_cells": None, "ngs_erbb2_amplified": True,
                      "ngs_copy_number": Decimal("12.0"), "test_method": "ngs"}),
    Scenario("IHC 2+ ISH amplified, refractory (H1, R6)",
             profile={"her2_ihc": "2+", "her2_ish": "amplified", "her2_ish_ratio": Decimal("3.10")}),
    Scenario("RAS unknown (R3)", profile={"kras": "unknown"}),
    Scenario("not refractory, fit: standard therapy first (R4)", lines=[FOLFOX_BEV], expected="standard_therapy_first"),
    Scenario("first line, not fit for intensive therapy (R5)", lines=[],
             clinical={"fit_for_intensive_therapy": False, "ecog": 2}),
    Scenario("progressed on tucatinib-trastuzumab (R7)", lines=[*REFRACTORY, ["tucatinib", "trastuzumab"]]),
    Scenario("RAS mutant, refractory (R8)", profile={"kras": "mutant"}),
    Scenario("prior trastuzumab deruxtecan (R9)",
             lines=[*REFRACTORY, ["tucatinib", "trastuzumab"], ["trastuzumab_deruxtecan"]]),
    Scenario("every anti-HER2 option already received (R9)", expected="not_indicated",
             lines=[*REFRACTORY, ["tucatinib", "trastuzumab"], ["pertuzumab", "trastuzumab"],
                    ["lapatinib", "trastuzumab"], ["trastuzumab_deruxtecan"]]),
    Scenario("pregnant: all anti-HER2 contraindicated (S1)", sex="female", clinical={"pregnant": True}),
    Scenario("breastfeeding (S1)", sex="female", clinical={"breastfeeding": True}),
    Scenario("LVEF below 50% (S2)", clinical={"lvef_percent": 42}),
    Scenario("LVEF unknown (S2)", clinical={"lvef_percent": None, "lvef_date": None}),
    Scenario("ILD history (S3)", clinical={"ild_history": True}),
    Scenario("severe hepatic impairment (S4)", clinical={"hepatic_impairment": "severe"}),
    Scenario("strong CYP2C8 inhibitor (S5)", clinical={"strong_cyp2c8_inhibitor": True}),
    Scenario("MSI-high (S6)", profile={"msi": "msi_high"}),
    Scenario("BRAF V600E mutant (S7)", profile={"braf_v600e": "mutant"}),
    Scenario("ECOG 3 (S8)", clinical={"ecog": 3}),
    Scenario("weight missing (S9)", clinical={"weight_kg": None, "weight_date": None}, status=Case.Status.DRAFT),
    Scenario("prior anti-EGFR, RAS wild-type (R12)", lines=[[*FOLFOX_BEV[:2], "anti_egfr"], FOLFIRI_BEV]),
    Scenario("closed case", status=Case.Status.CLOSED),
)

GIVEN_NAMES = (
    "Amelia", "Oliver", "Aisha", "Mohammed", "Sofia", "Jack", "Priya", "Liam", "Chloe", "Noah", "Fatima", "George",
    "Mei", "Harry", "Zara", "Arjun", "Grace", "Tomasz", "Olga", "Kwame", "Isla", "Diego", "Hannah", "Yusuf",
    "Eleanor", "Ravi", "Niamh", "Samuel", "Leah", "Kofi", "Ingrid", "Mateo", "Ruth", "Hiroshi", "Ana", "Dmitri",
)
FAMILY_NAMES = (
    "Smith", "Jones", "Patel", "Williams", "Brown", "Khan", "Taylor", "Davies", "Evans", "Wilson", "Nowak",
    "Okafor", "Chen", "Murphy", "O'Brien", "Singh", "Kowalski", "Thompson", "Ahmed", "Roberts", "Garcia",
    "Walker", "Wright", "Hughes", "Edwards", "Green", "Hall", "Wood", "Nguyen", "Mensah", "Ivanova", "Rossi",
    "Fernandes", "Campbell", "Bianchi", "Yamamoto", "Andersson", "MacLeod", "Dubois", "Haddad",
)
LABORATORIES = ("Regional Molecular Pathology", "University Hospital Histopathology", "Cancer Centre Genomics")
SPECIMENS = ("primary resection", "liver biopsy", "colonoscopic biopsy", "peritoneal biopsy")
PRIMARY_SITES = ("left_colon", "left_colon", "rectum", "rectum", "right_colon", "unknown")


@contextlib.contextmanager
def explicit_timestamps(model: type[models.Model], *names: str) -> Iterator[None]:
    """Let bulk_create keep our spread-out timestamps instead of auto_now(_add) = now."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class CaseFactory:
    """Builds unsaved model instances for one batch of synthetic cases."""

    def __init__(self, rng: random.Random, author: User, first_number: int, today: date):
        self.rng = rng
        self.author = author
        self.next_number = first_number
        self.today = today
        self.now = timezone.now()

    def patient(self, scenario: Scenario) -> Patient:
        rng = self.rng
        mrn = f"{MRN_PREFIX}{self.next_number:08d}"
        self.next_number += 1
        if scenario.sex == "female":
            age = rng.randint(26, 42)
        else:
            age = rng.randint(38, 86)
        born = self.today - timedelta(days=age * 365 + rng.randint(0, 364))
        sex = scenario.sex or rng.choice(("female", "male"))
        return Patient(mrn=mrn, given_name=rng.choice(GIVEN_NAMES), family_name=rng.choice(FAMILY_NAMES),
                       date_of_birth=born, sex=sex)

    def case(self, patient: Patient, scenario: Scenario) -> Case:
        created = self.now - timedelta(minutes=self.rng.randint(10, 3 * 365 * 24 * 60))
        return Case(patient=patient, status=scenario.status, primary_site=self.rng.choice(PRIMARY_SITES),
                    metastatic=True, created_at=created, updated_at=created, created_by=self.author,
                    updated_by=self.author)

    def profile(self, case: Case, scenario: Scenario) -> MolecularProfile:
        values = {
            **HER2_POSITIVE, **RAS_WILD_TYPE,
            "laboratory": self.rng.choice(LABORATORIES), "specimen": self.rng.choice(SPECIMENS),
            "test_date": self._days_ago(20, 400), **scenario.profile,
        }
        return MolecularProfile(case=case, **values).with_derived_ras()  # bulk_create skips save()

    def clinical(self, case: Case, scenario: Scenario) -> ClinicalStatus:
        rng = self.rng
        values = {
            "weight_kg": Decimal(rng.randint(480, 1050)) / 10, "weight_date": self._days_ago(0, 14),
            "height_cm": Decimal(rng.randint(1500, 1950)) / 10, "ecog": rng.choice((0, 1, 1, 2)),
            "fit_for_intensive_therapy": True, "lvef_percent": rng.randint(52, 68),
            "lvef_date": self._days_ago(5, 60), "ild_history": False, "hepatic_impairment": "none",
            "pregnant": False if scenario.sex == "female" or rng.random() < 0.5 else None,
            "breastfeeding": False, "strong_cyp2c8_inhibitor": False, **scenario.clinical,
        }
        return ClinicalStatus(case=case, **values)

    def lines(self, case: Case, scenario: Scenario) -> list[TreatmentLine]:
        lines = []
        end = self._days_ago(14, 60)
        for number in range(len(scenario.lines), 0, -1):
            start = end - timedelta(days=self.rng.randint(90, 300))
            lines.append(TreatmentLine(
                case=case, line_number=number, agents=list(scenario.lines[number - 1]), start_date=start,
                end_date=end, best_response=self.rng.choice(("PR", "SD", "SD", "PD")),
                reason_stopped=TreatmentLine.StopReason.PROGRESSION,
            ))
            end = start - timedelta(days=self.rng.randint(7, 40))
        return lines

    def _days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))


def generator_user() -> User:
    """The author of synthetic cases: an account nobody can sign in to."""
    user, created = User.objects.get_or_create(
        username=GENERATOR_USERNAME, defaults={"first_name": "Synthetic", "last_name": "Data", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def next_mrn_number() -> int:
    last = (Patient.objects.filter(mrn__startswith=MRN_PREFIX).order_by("-mrn")
            .values_list("mrn", flat=True).first())
    return int(last[len(MRN_PREFIX):]) + 1 if last else 1


def create_batch(factory: CaseFactory, scenarios: list[Scenario], batch_size: int) -> None:
    patients = Patient.objects.bulk_create([factory.patient(s) for s in scenarios], batch_size=batch_size)
    unsaved_cases = [factory.case(p, s) for p, s in zip(patients, scenarios)]
    with explicit_timestamps(Case, "created_at", "updated_at"):
        cases = bulk_create_with_history(unsaved_cases, Case, batch_size=batch_size, default_user=factory.author,
                                         default_date=factory.now)
    MolecularProfile.objects.bulk_create([factory.profile(c, s) for c, s in zip(cases, scenarios)],
                                         batch_size=batch_size)
    ClinicalStatus.objects.bulk_create([factory.clinical(c, s) for c, s in zip(cases, scenarios)],
                                       batch_size=batch_size)
    TreatmentLine.objects.bulk_create([line for c, s in zip(cases, scenarios) for line in factory.lines(c, s)],
                                      batch_size=batch_size)


def generate_cases(count: int, *, seed: int = 1, batch_size: int = 5000, author: User | None = None,
                   progress=None) -> int:
    """Create `count` synthetic cases; return how many were created."""
    factory = CaseFactory(random.Random(seed), author or generator_user(), next_mrn_number(), date.today())
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        scenarios = [SCENARIOS[(done + i) % len(SCENARIOS)] for i in range(size)]
        with transaction.atomic():
            create_batch(factory, scenarios, batch_size)
        done += size
        if progress:
            progress(done)
    return done


class Command(BaseCommand):
    help = "Create N synthetic cases (fictional patients, MRN SYN...) covering every clinical path, in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="how many cases to create")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
        parser.add_argument("--batch-size", type=int, default=5000, help="cases per transaction")
        parser.add_argument("--user", help="username recorded as the author (default: an inactive "
                                           f"'{GENERATOR_USERNAME}' account)")

    def handle(self, *args, count: int, seed: int, batch_size: int, user: str | None, **options) -> None:
        if count < 1 or batch_size < 1:
            raise CommandError("count and --batch-size must be positive integers.")
        author = None
        if user:
            author = User.objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"No user named {user!r}.")
        started = time.monotonic()
        verbose = options["verbosity"] >= 2

        def progress(done: int) -> None:
            if verbose or done == count:
                self.stdout.write(f"{done:,} / {count:,} cases ({time.monotonic() - started:.1f} s)")

        generate_cases(count, seed=seed, batch_size=batch_size, author=author, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Created {count:,} synthetic cases in {time.monotonic() - started:.1f} s "
            f"({min(count, len(SCENARIOS))} of {len(SCENARIOS)} clinical scenarios)."
        ))
