"""Concurrent edits and approvals on PostgreSQL, each thread on its own connection.

SQLite serialises every writer, so these races only mean something on
PostgreSQL; elsewhere they are skipped (the one allowed skip).
"""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, transaction

from her2app.cases.actions import claim_version
from her2app.cases.models import Case, ClinicalStatus, EditConflict
from her2app.plans.actions import approve_plan
from her2app.plans.models import PlanState, PlanTransition, TreatmentPlan
from tests.web.security_fixtures import audited_case, make_plan

WRITERS = 8

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after a transactional test would otherwise drop the role groups.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-level races need PostgreSQL; SQLite serialises writers")


def run_at_once(work: Callable[[int], object], count: int = WRITERS) -> list:
    """Run work(0..count-1) in threads released together; return each result or exception."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return results


def test_concurrent_saves_of_one_draft_exactly_one_wins(coordinator):
    """N editors save from version 1 at once: one save lands, the others get a conflict, none is silently lost."""
    case = audited_case(coordinator, weight="70.0")
    assert case.version == 1
    weights = [Decimal(f"{71 + i}.0") for i in range(WRITERS)]

    def save_weight(index: int) -> Decimal:
        editor_copy = Case.objects.get(pk=case.pk)
        with transaction.atomic():
            claim_version(editor_copy, 1, coordinator)
            clinical = ClinicalStatus.objects.get(case=editor_copy)
            clinical.weight_kg = weights[index]
            clinical._history_user = coordinator
            clinical.save()
        return weights[index]

    results = run_at_once(save_weight)

    winners = [r for r in results if isinstance(r, Decimal)]
    conflicts = [r for r in results if isinstance(r, EditConflict)]
    assert len(winners) == 1, results
    assert len(conflicts) == WRITERS - 1, results
    assert all(conflict.case.version == 2 for conflict in conflicts), "each loser is told the current version"
    case.refresh_from_db()
    assert case.version == 2
    assert case.clinical.weight_kg == winners[0], "the stored weight is the winner's"
    changes = ClinicalStatus.history.filter(case_id=case.pk, history_type="~")
    assert changes.count() == 1, "no loser's write slipped in"


def test_double_submitted_approval_approves_once(coordinator, oncologist):
    case = audited_case(coordinator)
    plan = make_plan(case, oncologist)

    results = run_at_once(lambda index: approve_plan(TreatmentPlan.objects.get(pk=plan.pk), oncologist))

    assert not [r for r in results if isinstance(r, Exception)], results
    approved_now = [approved for _, approved in results if approved]
    assert len(approved_now) == 1, "exactly one submit approves; the others see it already approved"
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert PlanTransition.objects.filter(plan=plan, to_state=PlanState.APPROVED).count() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.PLANNED
    assert case.version == 2, "the case version moved once"


def test_approving_two_drafts_at_once_leaves_one_approved_plan(coordinator, oncologist):
    """Two oncologists approve different drafts of one case: the case lock orders them, one supersedes the other."""
    case = audited_case(coordinator)
    drafts = [make_plan(case, oncologist, version=1), make_plan(case, oncologist, version=2)]

    results = run_at_once(lambda index: approve_plan(drafts[index], oncologist), count=2)

    assert not [r for r in results if isinstance(r, Exception)], results
    states = sorted(TreatmentPlan.objects.filter(case=case).values_list("state", flat=True))
    assert states == [PlanState.APPROVED, PlanState.SUPERSEDED]


def test_eight_people_saving_one_wizard_step_at_once(coordinator, oncologist):
    """Through the whole stack: one save lands; the other seven see the conflict with their own values still typed."""
    from django.test import Client

    from tests.web.case_helpers import fitness_payload

    case = audited_case(coordinator, weight="70.0")
    clients = []
    for _ in range(WRITERS):
        client = Client()
        client.force_login(coordinator)
        clients.append(client)
    weights = [f"{70.5 + i / 2:.1f}" for i in range(WRITERS)]  # within 10% of 70 kg: no plausibility question

    def submit(index: int):
        data = fitness_payload(1, weight_kg=weights[index], weight_date="2026-11-01", action="save")
        return clients[index].post(f"/cases/{case.pk}/step/fitness/", data)

    responses = run_at_once(submit)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    saved = [i for i, r in enumerate(responses) if r.status_code == 302]
    assert len(saved) == 1, [r.status_code for r in responses]
    case.refresh_from_db()
    assert str(case.clinical.weight_kg) == weights[saved[0]]
    for index, response in enumerate(responses):
        if index in saved:
            continue
        page = response.content.decode()
        assert "Someone else saved this case" in page
        assert f'value="{weights[index]}"' in page, "the loser's typed weight is still in the form"


def test_eight_people_saving_one_draft_plan_at_once(oncologist):
    """Through the whole stack: one save lands; the other seven get the conflict, their notes still typed."""
    from django.test import Client

    from tests.web.plan_helpers import draft_plan
    from tests.factories import plannable_case

    plan = draft_plan(plannable_case(oncologist), oncologist)
    base = {"start_date": plan.start_date.isoformat(), "edit_version": "1"}
    for dose in plan.doses.all():
        base[f"dose-{dose.pk}-final_mg"] = str(dose.final_mg)
        base[f"dose-{dose.pk}-adjustment_reason"] = ""
    clients = []
    for _ in range(WRITERS):
        client = Client()
        client.force_login(oncologist)
        clients.append(client)
    notes = [f"Note from editor {i}: check LVEF." for i in range(WRITERS)]

    responses = run_at_once(
        lambda index: clients[index].post(f"/plans/{plan.pk}/edit/", {**base, "clinician_notes": notes[index]})
    )

    assert not [r for r in responses if isinstance(r, Exception)], responses
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302] + [409] * (WRITERS - 1), statuses
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    plan.refresh_from_db()
    assert (plan.clinician_notes, plan.edit_version) == (notes[winner], 2)
    for index, response in enumerate(responses):
        if index != winner:
            assert f"{notes[index]}</textarea>" in response.content.decode(), "the loser's notes are kept"
