"""The printable treatment-plan PDF (WeasyPrint): templates/pdf/plan.html with
static/css/plan-pdf.css. A4, black-and-white safe, patient identifiers and
"Page X of Y" on every page.

WeasyPrint is imported on the first render, not with the app: it costs about 0.5 s of CPU, which every
manage.py command, web and test process that never prints would otherwise pay at start-up.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from her2app.plans.as_given import ScheduleAsGiven
from her2app.plans.content import plan_content
from her2app.plans.models import TreatmentPlan
from her2app.rendering.fonts import font_config
from her2app.rendering.jobs import RenderRefused

if TYPE_CHECKING:
    from weasyprint import CSS

STYLESHEET = "css/plan-pdf.css"
# Compressed streams (the default): uncompressed_pdf saves no measurable time
# and makes the file about 7x larger. There are no images to optimise.
PDF_OPTIONS: dict = {"uncompressed_pdf": False}


@cache
def _stylesheet() -> CSS:
    from weasyprint import CSS

    path = finders.find(STYLESHEET)
    if path is None:
        raise FileNotFoundError(f"static file {STYLESHEET} not found")
    return CSS(filename=path)


def plan_context(plan: TreatmentPlan, printed_at: datetime | None = None,
                 schedule: ScheduleAsGiven | None = None) -> dict:
    """What the PDF prints. `schedule`: the doses as given and re-flowed (plans.as_given), printed instead of the
    signed calendar, and its upcoming doses on the paper record; None: the calendar as signed."""
    return {
        **plan_content(plan, schedule),
        "printed_at": timezone.localtime(printed_at or timezone.now()),
        "engine": plan.engine_output,
    }


def render_plan_html(plan: TreatmentPlan, printed_at: datetime | None = None,
                     schedule: ScheduleAsGiven | None = None) -> str:
    return render_to_string("pdf/plan.html", plan_context(plan, printed_at, schedule))


class OverPageBudget(RenderRefused):
    """The plan would print on more pages than PLAN_PDF_MAX_PAGES allows."""


def render_plan_pdf(plan: TreatmentPlan, printed_at: datetime | None = None,
                    schedule: ScheduleAsGiven | None = None) -> bytes:
    """The plan as PDF bytes; refuses (OverPageBudget) a plan longer than the page budget."""
    from weasyprint import HTML

    html = render_plan_html(plan, printed_at, schedule)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[_stylesheet()], font_config=font_config()
    )
    if len(document.pages) > settings.PLAN_PDF_MAX_PAGES:
        raise OverPageBudget(
            f"The plan would print on {len(document.pages)} pages, more than the {settings.PLAN_PDF_MAX_PAGES} "
            "pages allowed. Shorten the notes or reasons in a revised version."
        )
    return document.write_pdf(**PDF_OPTIONS)
