from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

import regimens
from her2app.demo.users import create_demo_users
from her2app.demo.cases import demo_case_files, demo_identity, load_demo_cases
from her2app.cases.models import Case
from her2app.demo.plans import approve_top_option

DEMO_CASES = settings.BASE_DIR / "fixtures" / "cases"
# The demo case whose plan the demo oncologist has already signed.
SIGNED_DEMO_CASE = "refractory_ras_wt_ihc3.json"


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
        self.sign_demo_plan()

    def sign_demo_plan(self) -> None:
        files = [path.name for path in demo_case_files(DEMO_CASES)]
        mrn = demo_identity(files.index(SIGNED_DEMO_CASE))[0]
        case = Case.objects.filter(patient__mrn=mrn).first()
        plan = case and approve_top_option(case, User.objects.get(username="oncologist"))
        if plan:
            self.stdout.write(f"Demo plan signed: case {case.pk}, {plan.regimen}, version {plan.version}")
