"""Plans and agendas print with the thread's one WeasyPrint font configuration (her2app/rendering/fonts.py):
a fresh one per render keeps about 0.3 MB of native memory that is never returned, in a worker that prints for
months."""

from datetime import date
from unittest import mock

from weasyprint.text.fonts import FontConfiguration

from her2app.meetings.models import Meeting
from her2app.meetings.pdf import render_meeting_pdf
from her2app.plans.pdf import render_plan_pdf
from her2app.rendering.fonts import font_config
from tests.factories import plannable_case
from tests.web.plan_helpers import approved_plan


def test_plans_and_agendas_render_with_the_threads_one_font_configuration(oncologist, coordinator):
    plan = approved_plan(plannable_case(oncologist), oncologist)
    meeting = Meeting.objects.create(date=date(2026, 12, 3), title="Colorectal MDT", created_by=coordinator)
    shared = font_config()  # made by the thread's first print (here, or an earlier test's)
    created = []
    make = FontConfiguration.__init__

    def counted(self, *args, **kwargs):
        created.append(self)
        make(self, *args, **kwargs)

    with mock.patch.object(FontConfiguration, "__init__", counted):
        for _ in range(2):
            assert render_plan_pdf(plan).startswith(b"%PDF")
            assert render_meeting_pdf(meeting).startswith(b"%PDF")
    assert created == [] and font_config() is shared
