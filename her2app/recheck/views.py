from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

import regimens
from her2app.accounts.access import role_required
from her2app.recheck.compare import never_sent_drafts, recheck_all


@role_required("plans.approve_treatmentplan")
def recheck_list(request: HttpRequest) -> HttpResponse:
    """Saved cases and approved plans whose result differs for the case's current data and ruleset."""
    results = recheck_all()
    context = {
        "ruleset_version": regimens.RULESET_VERSION,
        "checked": len(results),
        "differing": [result for result in results if result.differs],
        "never_sent": never_sent_drafts(),
    }
    return render(request, "interop/recheck.html", context)
