"""Clinician notes and reasons have a maximum (FREE_TEXT_MAX_CHARS, 4000): the
form says so at the field and keeps the text, the model and the database
refuse longer text, so no note can make a PDF of hundreds of pages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given, settings as hypothesis_settings, strategies as st

from her2app.meetings.forms import DecisionForm
from her2app.plans.forms import CancelPlanForm, DraftPlanForm
from her2app.plans.models import FREE_TEXT_MAX_CHARS, PlanDose, PlanTransition, TreatmentPlan
from tests.factories import plannable_case
from tests.web.plan_helpers import draft_plan

LIMIT = FREE_TEXT_MAX_CHARS


@pytest.fixture
def plan(oncologist) -> TreatmentPlan:
    return draft_plan(plannable_case(oncologist), oncologist)


def test_limit_is_a_few_thousand_characters():
    assert LIMIT == 4000


def test_overlong_notes_are_refused_at_the_field_and_kept(client, oncologist, plan):
    notes = ("Long history. " * 300).strip()  # 4199 characters
    data = {"start_date": plan.start_date.isoformat(), "clinician_notes": notes, "edit_version": "1"}
    for dose in plan.doses.all():
        data[f"dose-{dose.pk}-final_mg"] = str(dose.final_mg)
        data[f"dose-{dose.pk}-adjustment_reason"] = ""
    client.force_login(oncologist)
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"This text has {len(notes)} characters; at most 4000 are accepted." in page
    assert f"{notes}</textarea>" in page, "the text typed is still there to shorten"
    assert "maxlength" not in page, "a browser would silently cut pasted text at a maxlength"
    assert "At most 4000 characters." in page
    plan.refresh_from_db()
    assert plan.clinician_notes == ""


@hypothesis_settings(max_examples=25, deadline=None)
@given(length=st.integers(min_value=LIMIT - 50, max_value=LIMIT + 50))
def test_every_bounded_form_field_accepts_exactly_up_to_the_limit(length):
    text = "x" * length
    forms = [
        (DraftPlanForm({"start_date": "2026-12-01", "clinician_notes": text, "edit_version": "1"}), "clinician_notes"),
        (CancelPlanForm({"reason": text}), "reason"),
    ]
    for form, field in forms:
        form.is_valid()
        assert (field in form.errors) == (length > LIMIT), (field, length)


def test_board_decision_is_bounded_too(db, coordinator):
    from datetime import date

    from her2app.meetings.actions import add_case_to_agenda
    from her2app.meetings.models import Meeting

    meeting = Meeting.objects.create(date=date(2026, 12, 3), created_by=coordinator)
    item = add_case_to_agenda(meeting, plannable_case(coordinator))
    form = DecisionForm({"decision_text": "d" * (LIMIT + 1)}, item=item)
    assert not form.is_valid() and "at most 4000" in form.errors["decision_text"][0]


def test_models_validate_the_limit(plan):
    plan.clinician_notes = "n" * (LIMIT + 1)
    with pytest.raises(ValidationError) as raised:
        plan.full_clean()
    assert "clinician_notes" in raised.value.message_dict


@pytest.mark.parametrize("model, field", [
    (TreatmentPlan, "clinician_notes"), (TreatmentPlan, "override_reason"),
    (PlanDose, "adjustment_reason"), (PlanTransition, "reason"),
])
def test_the_database_refuses_longer_text(plan, model, field):
    row = model.objects.filter(plan=plan) if model is not TreatmentPlan else model.objects.filter(pk=plan.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.update(**{field: "z" * (LIMIT + 1)})
    row.update(**{field: "z" * LIMIT})  # exactly the limit is fine
