"""Every URL x every role: who gets in, who is refused, who is sent to sign in.

The URL list comes from the resolver, so a new URL without a row in EXPECTED
fails `test_every_url_has_a_row`. To add one: append a Row to EXPECTED with
the URL name, the method, the URL arguments taken from the World objects, and
the outcome for each role (anonymous defaults to LOGIN). Add one Row per
object the outcome depends on (a draft and an approved plan, a missing id).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from her2app.accounts import roles
from her2app.plans.models import PlanState
from tests.web.security_fixtures import FAKE_PDF, audited_case, make_document, make_plan

ROLES = ("anonymous", "coordinator", "oncologist", "pharmacist", "nurse", "admin")
LOGIN, OK, DENIED, MISSING = "sign-in redirect", "allowed", "403", "404"
NOWHERE = 999_999  # an id that exists for no object: guessing gets 404, or 403 without the role


@dataclass
class World:
    """A case with a draft, an approved and a verified plan (each with a PDF), and a meeting with the case on it."""

    case: object
    draft: object
    approved: object
    verified: object
    approved_document: object
    verified_document: object
    draft_document: object
    meeting: object
    item: object
    unprinted_meeting: object


@dataclass(frozen=True)
class Row:
    name: str
    args: Callable[[World], dict] = lambda w: {}
    coordinator: str = OK
    oncologist: str = OK
    pharmacist: str = DENIED
    nurse: str = DENIED
    admin: str = OK
    anonymous: str = LOGIN
    method: str = "GET"
    data: dict = field(default_factory=dict)
    variant: str = ""

    def outcome(self, role: str) -> str:
        return getattr(self, role)

    @property
    def label(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def case(w): return {"pk": w.case.pk}
def draft(w): return {"pk": w.draft.pk}
def approved(w): return {"pk": w.approved.pk}
def verified(w): return {"pk": w.verified.pk}
def meeting(w): return {"pk": w.meeting.pk}
def item(w): return {"pk": w.meeting.pk, "item_pk": w.item.pk}
def nowhere(w): return {"pk": NOWHERE}


EVERYONE = dict(coordinator=OK, oncologist=OK, pharmacist=OK, nurse=OK, admin=OK)
DECIDERS = dict(coordinator=DENIED, oncologist=OK, nurse=DENIED, admin=OK)
NURSING = dict(coordinator=DENIED, oncologist=DENIED, nurse=OK, admin=OK)
# Issue 14: the pharmacist verifies (a second oncologist only where PLAN_ONCOLOGIST_MAY_VERIFY is on).
VERIFIERS = dict(coordinator=DENIED, oncologist=DENIED, pharmacist=OK, nurse=DENIED, admin=OK)
PLAN_READERS = dict(pharmacist=OK)

EXPECTED: list[Row] = [
    Row("home", anonymous=OK, **EVERYONE),
    Row("login", anonymous=OK, **EVERYONE),
    # Signing out lands everyone on the sign-in page.
    Row("logout", method="POST", coordinator=LOGIN, oncologist=LOGIN, pharmacist=LOGIN, nurse=LOGIN, admin=LOGIN),
    Row("sign_out_everywhere", **EVERYONE),
    Row("no_role", **EVERYONE),
    Row("cases:list"),
    Row("cases:new"),
    Row("cases:new_for_patient", lambda w: {"patient_pk": w.case.patient_id}, method="POST"),
    Row("cases:detail", case),
    Row("cases:detail", nowhere, variant="missing", coordinator=MISSING, oncologist=MISSING, admin=MISSING),
    Row("cases:step", lambda w: {"pk": w.case.pk, "step": "tumour"}),
    Row("cases:step", lambda w: {"pk": w.case.pk, "step": "nosuchstep"}, variant="unknown step",
        coordinator=MISSING, oncologist=MISSING, admin=MISSING),
    Row("audit:case_history", case),
    Row("audit:case_history", nowhere, variant="missing", coordinator=MISSING, oncologist=MISSING, admin=MISSING),
    Row("plans:choose", lambda w: {"case_pk": w.case.pk}, **DECIDERS),
    Row("plans:detail", draft, variant="draft", **PLAN_READERS),
    Row("plans:detail", approved, variant="approved", **PLAN_READERS),
    Row("plans:detail", nowhere, variant="missing", coordinator=MISSING, oncologist=MISSING, pharmacist=MISSING,
        admin=MISSING),
    Row("plans:edit", draft, **DECIDERS),
    Row("plans:approve", draft, method="POST", data={"password": "not-the-password"}, **DECIDERS),
    Row("plans:revise", approved, method="POST", **DECIDERS),
    Row("plans:cancel", draft, method="POST", data={"reason": "matrix"}, **DECIDERS),
    Row("plans:render", approved, method="POST", **DECIDERS),
    Row("plans:document", lambda w: {"pk": w.verified_document.pk}, variant="verified", **EVERYONE),
    # Nurses never see a plan before it is verified: not its page, not its PDF; "not yours" answers as
    # "does not exist".
    Row("plans:document", lambda w: {"pk": w.approved_document.pk}, variant="approved", nurse=MISSING,
        **PLAN_READERS),
    Row("plans:document", lambda w: {"pk": w.draft_document.pk}, variant="draft", nurse=MISSING, **PLAN_READERS),
    Row("plans:document", nowhere, variant="missing", coordinator=MISSING, oncologist=MISSING, pharmacist=MISSING,
        nurse=MISSING, admin=MISSING),
    Row("plans:verification_worklist", **VERIFIERS),
    Row("plans:verify", approved, **VERIFIERS),
    Row("plans:return", approved, method="POST", data={"reason": ""}, **VERIFIERS),
    Row("plans:hold_worklist", **DECIDERS),
    Row("plans:resume", approved, method="POST", data={"reason": "matrix"}, **DECIDERS),
    Row("plans:nurse_worklist", **NURSING),
    Row("plans:nurse_plan", verified, variant="verified", **NURSING),
    Row("plans:nurse_plan", approved, variant="approved, not verified", coordinator=DENIED, oncologist=DENIED,
        nurse=MISSING, admin=MISSING),
    Row("plans:nurse_plan", draft, variant="draft", coordinator=DENIED, oncologist=DENIED, nurse=MISSING,
        admin=MISSING),
    Row("interop:case_bundle", case),
    Row("interop:import_bundle"),
    Row("interop:import_bundle", method="POST", data={"text": "not json"}, variant="refused bundle"),
    Row("meetings:list"),
    Row("meetings:new"),
    Row("meetings:detail", meeting),
    Row("meetings:detail", nowhere, variant="missing", coordinator=MISSING, oncologist=MISSING, admin=MISSING),
    Row("meetings:edit", meeting),
    Row("meetings:agenda_add", meeting, method="POST"),
    Row("meetings:agenda_move", item, method="POST", data={"direction": "down"}),
    Row("meetings:agenda_remove", item, method="POST"),
    Row("meetings:decision", item),  # issue 16: the coordinator records the minutes
    # Only the meeting's chair signs the minutes off (the chair's journey is in test_meeting_minutes).
    Row("meetings:sign_off", meeting, variant="not the chair", coordinator=DENIED, oncologist=DENIED, admin=DENIED),
    Row("meetings:agenda_pdf", meeting, variant="printed"),
    Row("meetings:agenda_pdf", lambda w: {"pk": w.unprinted_meeting.pk}, variant="not printed yet",
        coordinator=MISSING, oncologist=MISSING, admin=MISSING),
    Row("meetings:agenda_print", meeting, method="POST"),
    Row("recheck:list", **DECIDERS),
    Row("monitoring:series", lambda w: {"case_pk": w.case.pk}, **EVERYONE),
    Row("monitoring:series", lambda w: {"case_pk": w.case.pk}, method="POST", variant="add a weight",
        data={"form": "weight", "weight-value": "70", "weight-measured_on": "2026-11-01"},
        **(EVERYONE | dict(pharmacist=DENIED))),
    Row("monitoring:plan_days", lambda w: {"plan_pk": w.approved.pk}, variant="approved", **EVERYONE),
    Row("monitoring:plan_days", lambda w: {"plan_pk": w.draft.pk}, variant="draft", coordinator=MISSING,
        oncologist=MISSING, pharmacist=MISSING, nurse=MISSING, admin=MISSING),
    # The matrix's plan has no calendar: no day has a checklist (the readiness tests cover real days).
    Row("monitoring:day", lambda w: {"plan_pk": w.approved.pk, "day": date(2026, 12, 1)}, variant="no administration",
        coordinator=MISSING, oncologist=MISSING, pharmacist=MISSING, nurse=MISSING, admin=MISSING),
    # The administration record: nurses record, oncologists confirm a re-load, pharmacists read; verified plans.
    Row("administration:plan", lambda w: {"plan_pk": w.verified.pk}, variant="verified",
        **(EVERYONE | dict(coordinator=DENIED))),
    Row("administration:plan", lambda w: {"plan_pk": w.approved.pk}, variant="not verified", coordinator=DENIED,
        oncologist=MISSING, pharmacist=MISSING, nurse=MISSING, admin=MISSING),
    # The matrix's plan gives no pertuzumab: no such dose to record (the administration tests cover real doses).
    Row("administration:record", lambda w: {"plan_pk": w.verified.pk, "drug": "pertuzumab", "cycle": 1, "day": 1},
        variant="no such dose", coordinator=DENIED, oncologist=DENIED, nurse=MISSING, admin=MISSING),
    Row("administration:reduce", lambda w: {"plan_pk": w.verified.pk}, coordinator=DENIED, pharmacist=DENIED),
    Row("administration:supply", lambda w: {"plan_pk": w.verified.pk, "drug": "tucatinib", "cycle": 1},
        coordinator=DENIED, oncologist=DENIED, nurse=OK),
    Row("administration:confirm_reload",
        lambda w: {"plan_pk": w.verified.pk, "drug": "trastuzumab", "cycle": 1, "day": 1}, method="POST",
        coordinator=DENIED),
]


# --- discovering the URLs --------------------------------------------------
def discovered_url_names(patterns=None, namespace: str = "", prefix: str = "") -> set[str]:
    """Every named URL pattern, namespaced, except the Django admin's and static files'."""
    names: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("admin/", "static/", "media/")):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= discovered_url_names(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route}>")
    return names


def test_every_url_has_a_row():
    missing = discovered_url_names() - {row.name for row in EXPECTED}
    assert not missing, f"URLs without a row in EXPECTED ({__file__}): {sorted(missing)}"


def test_no_row_is_stale():
    stale = {row.name for row in EXPECTED} - discovered_url_names()
    assert not stale, f"rows for URLs that no longer exist: {sorted(stale)}"


def test_the_discovery_sees_nested_namespaces_and_skips_the_admin():
    names = discovered_url_names()
    assert {"home", "cases:detail", "plans:nurse_plan", "audit:case_history"} <= names
    assert not any(name.startswith("admin:") for name in names)


# --- the matrix --------------------------------------------------------------
@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture
def media_root(settings, matrix_media) -> Path:
    """The module's one media folder (the world's documents live there), in place of the root conftest's
    folder per test; passwords already hash with MD5 (tests/settings.py)."""
    settings.MEDIA_ROOT = matrix_media
    return matrix_media


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, matrix_media) -> Iterator[World]:
    """The world, built once for this module's several hundred tests inside a transaction rolled back after
    them; what a test changes rolls back to it (each test runs in a savepoint of its own)."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=matrix_media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(db, module_world) -> World:
    return module_world


def build_world() -> World:
    roles.ensure_roles()  # a transactional test run earlier on this worker may have flushed the migrations' groups
    author = User.objects.create_user("matrix-author", password="unused-password-1")
    author.groups.add(Group.objects.get(name=roles.ONCOLOGIST))
    the_case = audited_case(author)
    approved_plan = make_plan(the_case, author, version=1, state=PlanState.APPROVED)
    draft_plan = make_plan(the_case, author, version=2)
    verified_plan = make_plan(the_case, author, version=3, state=PlanState.VERIFIED, schedulable=True)
    from her2app.meetings.actions import add_case_to_agenda
    from her2app.meetings.models import Meeting

    from her2app.meetings.documents import store_agenda_document

    board = Meeting.objects.create(date=date(2026, 12, 3), created_by=author)
    store_agenda_document(board, FAKE_PDF, author)
    return World(
        case=the_case, draft=draft_plan, approved=approved_plan, verified=verified_plan,
        approved_document=make_document(approved_plan, author), draft_document=make_document(draft_plan, author),
        verified_document=make_document(verified_plan, author),
        meeting=board, item=add_case_to_agenda(board, the_case),
        unprinted_meeting=Meeting.objects.create(date=date(2026, 12, 10), created_by=author),
    )


def client_for(role: str, request) -> Client:
    client = Client()
    if role != "anonymous":
        fixture = "admin_user" if role == "admin" else role
        client.force_login(request.getfixturevalue(fixture))
    return client


def observed(response) -> str:
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    if response.status_code in (200, 302, 400):  # 400: the view ran and refused the (empty) form
        return OK
    return {403: DENIED, 404: MISSING}.get(response.status_code, f"HTTP {response.status_code}")


CELLS = [(row, role) for row in EXPECTED for role in ROLES]


@pytest.mark.parametrize("row, role", CELLS, ids=[f"{row.label}-{role}" for row, role in CELLS])
def test_role_gets_the_expected_outcome(row: Row, role: str, world: World, request):
    client = client_for(role, request)
    url = reverse(row.name, kwargs=row.args(world))
    response = client.post(url, row.data) if row.method == "POST" else client.get(url)
    assert observed(response) == row.outcome(role), f"{role} {row.method} {url}: HTTP {response.status_code}"
    assert response.status_code < 500
    assert "Content-Security-Policy" in response.headers


def test_get_on_an_action_url_changes_nothing(world, oncologist, client):
    """Approve, cancel and revise only act on POST; a link or a prefetch cannot sign or cancel a plan."""
    client.force_login(oncologist)
    for name, plan in (("plans:approve", world.draft), ("plans:cancel", world.draft), ("plans:revise", world.approved)):
        assert client.get(reverse(name, kwargs={"pk": plan.pk})).status_code == 405
    world.draft.refresh_from_db()
    world.approved.refresh_from_db()
    assert (world.draft.state, world.approved.state) == (PlanState.DRAFT, PlanState.APPROVED)


def test_nurse_worklist_shows_verified_plans_and_no_draft_or_unverified_plan(world, nurse, client):
    client.force_login(nurse)
    page = client.get(reverse("plans:nurse_worklist")).content.decode()
    assert reverse("plans:nurse_plan", kwargs={"pk": world.verified.pk}) in page
    assert reverse("plans:nurse_plan", kwargs={"pk": world.approved.pk}) not in page
    assert reverse("plans:nurse_plan", kwargs={"pk": world.draft.pk}) not in page
    assert reverse("plans:document", kwargs={"pk": world.draft_document.pk}) not in page
