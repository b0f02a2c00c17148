"""Demo series: every demo case's record values start its series; a case with a signed plan also gets a
liver-test panel two days ago, so its readiness checklist shows every kind of line."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from her2app.cases.models import Case
from her2app.monitoring.models import Kind, Measurement
from her2app.monitoring.readiness import treating_plans
from her2app.monitoring.series import record_from_case

DEMO_LIVER_TESTS = {Kind.ALT: ("24", "U/L"), Kind.AST: ("22", "U/L"), Kind.BILIRUBIN: ("9", "µmol/L")}


def record_demo_series(cases: list[Case], user) -> None:
    measured_on = timezone.localdate() - timedelta(days=2)
    for case in cases:
        record_from_case(case, user)
        if treating_plans(case) and not case.measurements.filter(
                kind=Kind.ALT).exists():
            for kind, (value, unit) in DEMO_LIVER_TESTS.items():
                Measurement.objects.create(case=case, kind=kind, value=Decimal(value), unit=unit,
                                           measured_on=measured_on, recorded_by=user)
