from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

import regimens
from django.utils import timezone

from her2app.demo.administration import record_demo_history, start_for_third_cycle
from her2app.demo.users import create_demo_users
from her2app.demo.cases import demo_case_files, demo_identity, load_demo_cases
from her2app.cases.models import Case
from her2app.demo.meetings import create_demo_meeting, request_demo_minutes
from her2app.demo.monitoring import record_demo_series
from her2app.demo.plans import approve_top_option, hold_after_weight_loss, verify_demo_plan

DEMO_CASES = settings.BASE_DIR / "fixtures" / "cases"
# The demo case whose plan the demo oncologist has signed and the demo pharmacist verified (nurses see it).
SIGNED_DEMO_CASE = "refractory_ras_wt_ihc3.json"
# Signed, waiting for the pharmacist's verification.
WAITING_DEMO_CASE = "ihc2_ish_amplified_refractory.json"
# Signed and verified, then held: the patient's weight fell after approval.
HELD_DEMO_CASE = "msi_high_refractory.json"
# Verified and under way: in its third cycle, with cycles 1-3 recorded in the administration record.
TREATING_DEMO_CASE = "benzyl_alcohol_hypersensitivity_refractory.json"


def ready_for_oncologist(data: dict) -> bool:
    """Demo cases the engine proposes anti-HER2 therapy for start as sent to the oncologist."""
    return regimens.recommend(data)["recommendation"] == "anti_her2"


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo cases. Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo only runs with DEBUG=1: it creates users with known passwords.")
        passwords = create_demo_users()
        self.stdout.write("Demo users (username / password):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<12} {password}")
        cases = load_demo_cases(DEMO_CASES, User.objects.get(username="coordinator"), ready_for_oncologist)
        self.stdout.write(f"Demo cases created: {len(cases)} (from {DEMO_CASES.relative_to(settings.BASE_DIR)})")
        self.sign_demo_plans()
        record_demo_series(cases, User.objects.get(username="coordinator"))
        self.record_treatment_history()
        self.hold_demo_meeting(cases)

    def record_treatment_history(self) -> None:
        plan = self.sign_demo_plan(TREATING_DEMO_CASE, start_for_third_cycle(timezone.localdate()))
        if plan is None:
            return
        verify_demo_plan(plan, User.objects.get(username="pharmacist"))
        plan.refresh_from_db()
        record_demo_history(plan, nurse=User.objects.get(username="nurse"),
                            second_nurse=User.objects.get(username="nurse2"),
                            oncologist=User.objects.get(username="oncologist"))
        self.stdout.write(f"Demo plan in its third cycle with an administration history: plan {plan.pk}")

    def hold_demo_meeting(self, cases: list[Case]) -> None:
        planned = [case for case in cases if case.plans.exists()]
        others = [case for case in cases if not case.plans.exists()]
        coordinator, chair = User.objects.get(username="coordinator"), User.objects.get(username="oncologist")
        if meeting := create_demo_meeting(planned[:2] + others[:1], coordinator, chair):
            request_demo_minutes(meeting)
            self.stdout.write(f"Demo tumour-board meeting {meeting.pk}: minutes signed off by the oncologist (chair)")

    def sign_demo_plans(self) -> None:
        pharmacist = User.objects.get(username="pharmacist")
        if plan := self.sign_demo_plan(SIGNED_DEMO_CASE):
            verify_demo_plan(plan, pharmacist)
            self.stdout.write(f"Demo plan verified: plan {plan.pk} is on the nurse's worklist")
        if plan := self.sign_demo_plan(WAITING_DEMO_CASE):
            self.stdout.write(f"Demo plan waiting for verification: plan {plan.pk}")
        if plan := self.sign_demo_plan(HELD_DEMO_CASE):
            verify_demo_plan(plan, pharmacist)
            hold_after_weight_loss(plan, User.objects.get(username="coordinator"))
            self.stdout.write(f"Demo plan on hold after a weight change: plan {plan.pk}")

    def sign_demo_plan(self, filename: str, start=None):
        files = [path.name for path in demo_case_files(DEMO_CASES)]
        mrn = demo_identity(files.index(filename))[0]
        case = Case.objects.filter(patient__mrn=mrn).first()
        plan = case and approve_top_option(case, User.objects.get(username="oncologist"), start)
        if plan:
            self.stdout.write(f"Demo plan signed: case {case.pk}, {plan.regimen}, version {plan.version}")
        return plan
