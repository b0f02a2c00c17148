"""List saved cases and signed plans whose engine result differs today.

Run it after deploying a new RULESET_VERSION (and whenever case data may have
changed after approval); the same list is on the /recheck/ page for
oncologists. Each approved plan is re-run on its case's current data under the
current ruleset and compared with what was signed; each case without an
approved plan is compared with the result saved when it was sent for review
(or its newest draft plan). Output names case and plan ids only (no patient
identifiers), so it is safe for deployment logs.

With --hold-as, plans in force that meet a hold condition (her2app.plans.holds)
are put on hold first; a difference that is not a hold condition is only listed.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

import regimens
from her2app.plans import holds
from her2app.recheck.compare import Recheck, never_sent_drafts, recheck_all


class Command(BaseCommand):
    help = "Re-run the engine on every saved case and approved plan and list the ones whose result changed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fail-on-change", action="store_true",
                            help="Exit with status 1 when any result differs (for deployment checks).")
        parser.add_argument("--hold-as", metavar="USERNAME",
                            help="Also put on hold, recorded as done by USERNAME, every approved or verified plan "
                                 "that meets a hold condition (dose beyond rounding, new blocking warning, tier "
                                 "fall, a dose or safety value missing). Other differences are only listed.")

    def handle(self, *args, fail_on_change: bool = False, hold_as: str | None = None, **options) -> None:
        if hold_as:
            self._hold(hold_as)
        results = recheck_all()
        differing = [result for result in results if result.differs]
        plans = sum(1 for result in results if result.plan is not None and result.plan.approved_at is not None)
        self.stdout.write(
            f"Ruleset now {regimens.RULESET_VERSION}. Checked {plans} approved plan(s) and {len(results) - plans} "
            f"other saved case(s); {len(differing)} differ. {never_sent_drafts()} draft case(s) never sent for "
            "review have no saved result to compare."
        )
        for result in differing:
            self.stdout.write(self._describe(result))
        if fail_on_change and differing:
            raise CommandError(f"{len(differing)} saved result(s) need review under ruleset {regimens.RULESET_VERSION}.")

    def _hold(self, username: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--hold-as: no user named {username!r}.")
        held = holds.review_all(user)
        self.stdout.write(f"Plans put on hold: {len(held)}" + "".join(f"\n  plan {plan.pk}: {plan.hold_reason}"
                                                                     for plan in held))

    @staticmethod
    def _describe(result: Recheck) -> str:
        saved = result.saved
        plan = f", plan {saved.plan.pk}" if saved.plan is not None else ""
        lines = [f"\nCase {saved.case.pk}{plan}: {saved.label}, made with ruleset {saved.ruleset_version}:"]
        if result.error:
            lines.append(f"  {result.error}")
        lines += [f"  {change.label}: {change.old} -> {change.new}" for change in result.changes]
        if result.data_changes:
            lines.append("  Case data changed since then:")
            lines += [f"    {change.label}: {change.old} -> {change.new}" for change in result.data_changes]
        return "\n".join(lines)
