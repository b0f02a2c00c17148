"""`{% monitoring_panel case %}`: the case page's section on measurements, readiness and LVEF monitoring."""

from django import template

from her2app.monitoring.lvef import lvef_status
from her2app.monitoring.series import pregnancy_applies
from her2app.monitoring.readiness import treating_plans

register = template.Library()


@register.inclusion_tag("monitoring/_case_panel.html", takes_context=True)
def monitoring_panel(context, case):
    return {
        "case": case,
        "perms": context.get("perms"),
        "lvef": lvef_status(case),
        "pregnancy_applies": pregnancy_applies(case),
        "treating_plans": treating_plans(case),
    }
