"""List saved plans whose engine result differs under the current ruleset.

Run it after deploying a new RULESET_VERSION; the same list is on the
/recheck/ page for oncologists. Output names case and plan ids only (no
patient identifiers), so it is safe for deployment logs.
"""

from django.core.management.base import BaseCommand, CommandError

import regimens
from her2app.recheck.compare import Recheck, recheck_all


class Command(BaseCommand):
    help = "Re-run the engine on every case's current plan and list the ones whose result changed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fail-on-change", action="store_true",
                            help="Exit with status 1 when any plan's result differs (for deployment checks).")

    def handle(self, *args, fail_on_change: bool = False, **options) -> None:
        results = recheck_all()
        differing = [result for result in results if result.differs]
        self.stdout.write(
            f"Ruleset now {regimens.RULESET_VERSION}. Checked {len(results)} saved plan(s); {len(differing)} differ."
        )
        for result in differing:
            self.stdout.write(self._describe(result))
        if fail_on_change and differing:
            raise CommandError(f"{len(differing)} saved plan(s) need review under ruleset {regimens.RULESET_VERSION}.")

    @staticmethod
    def _describe(result: Recheck) -> str:
        plan = result.plan
        lines = [f"\nCase {plan.case_id}, plan {plan.pk} v{plan.version} ({plan.state}, {plan.regimen}), "
                 f"made with ruleset {plan.ruleset_version}:"]
        if result.error:
            lines.append(f"  {result.error}")
        lines += [f"  {change.what}: {change.stored} -> {change.current}" for change in result.changes]
        return "\n".join(lines)
