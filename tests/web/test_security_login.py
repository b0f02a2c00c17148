"""Sign-in protections: throttling, idle timeout, signing out everywhere."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import at, password_of

LOGIN = "/accounts/login/"


def sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_sixth_attempt_is_refused_even_with_the_right_password(client, coordinator):
    """After AXES_FAILURE_LIMIT wrong passwords, the right one no longer gets in."""
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        response = sign_in(client, "cora", "wrong-password")
        assert not is_signed_in(client)
    assert response.status_code == 429, "the 5th failure already locks the username+address pair"

    response = sign_in(client, "cora", password_of("cora"))

    assert response.status_code == 429
    assert not is_signed_in(client)
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "try again in 15 minutes" in page
    assert "even with the right password" in page


def test_four_failures_still_allow_the_right_password(client, coordinator):
    for _ in range(4):
        assert sign_in(client, "cora", "wrong-password").status_code == 200
    assert sign_in(client, "cora", password_of("cora")).status_code == 302
    assert is_signed_in(client)


def test_lockout_is_per_username_and_address(client, coordinator, oncologist):
    """Someone hammering one account does not lock a colleague at the same workstation out."""
    for _ in range(5):
        sign_in(client, "cora", "wrong-password")
    assert sign_in(client, "oliver", password_of("oliver")).status_code == 302


def test_wrong_password_message_is_shown_next_to_the_form(client, coordinator):
    response = sign_in(client, "cora", "wrong-password")
    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert b'value="cora"' in response.content, "the typed username is kept"


@pytest.fixture
def signed_in(client, coordinator) -> Client:
    assert sign_in(client, "cora", password_of("cora")).status_code == 302
    return client


def later(minutes: float):
    """Travel forward in time for everything that asks django.utils.timezone."""
    return at(timezone.now() + timedelta(minutes=minutes))


def test_idle_session_expires_after_the_configured_minutes(signed_in):
    assert settings.SESSION_IDLE_MINUTES == 30
    with later(31):
        response = signed_in.get("/cases/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_activity_keeps_the_session_alive(signed_in):
    """The limit counts idle time, not time since sign-in: each request restarts the clock."""
    with later(20):
        assert signed_in.get("/cases/").status_code == 200
    with later(40):
        assert signed_in.get("/cases/").status_code == 200
    with later(71):
        assert signed_in.get("/cases/").status_code == 302


def test_session_expiry_is_stored_server_side(signed_in):
    """Expiry lives in the session table, so a copied cookie cannot outlive it."""
    session = Session.objects.get(session_key=signed_in.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_sign_out_everywhere_ends_every_session_of_the_user(coordinator, oncologist):
    desk, ward, colleague = Client(), Client(), Client()
    for client, (username, password) in (
        (desk, ("cora", password_of("cora"))),
        (ward, ("cora", password_of("cora"))),
        (colleague, ("oliver", password_of("oliver"))),
    ):
        assert sign_in(client, username, password).status_code == 302
    assert ward.get("/cases/").status_code == 200

    confirm = desk.get(reverse("sign_out_everywhere"))
    assert "signed in on 2 browsers" in confirm.content.decode()
    response = desk.post(reverse("sign_out_everywhere"))

    assert response.status_code == 302 and response.url == reverse("login")
    assert ward.get("/cases/").status_code == 302, "the other computer is signed out too"
    assert desk.get("/cases/").status_code == 302
    assert colleague.get("/cases/").status_code == 200, "another user's session is untouched"


def test_sign_out_everywhere_needs_a_signed_in_user(client, db):
    response = client.post(reverse("sign_out_everywhere"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_sign_out_everywhere_confirm_page_changes_nothing(signed_in):
    assert signed_in.get(reverse("sign_out_everywhere")).status_code == 200
    assert signed_in.get("/cases/").status_code == 200


def test_signature_passwords_are_throttled_like_sign_in(client, coordinator, oncologist):
    """Approving re-enters the password; guessing it there is limited by the same lockout."""
    from her2app.plans.models import PlanState
    from tests.web.security_fixtures import audited_case, make_plan

    plan = make_plan(audited_case(coordinator), oncologist)
    client.force_login(oncologist)
    url = reverse("plans:approve", args=[plan.pk])
    statuses = [client.post(url, {"password": f"guess-{n}"}).status_code for n in range(5)]
    assert statuses[:4] == [400] * 4 and statuses[4] == 429

    response = client.post(url, {"password": password_of("oliver")})

    assert response.status_code == 429
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT, "a locked-out signature signs nothing"


def test_an_expired_session_is_explained_once_at_the_sign_in_page(signed_in):
    with later(31):
        page = signed_in.get("/cases/", follow=True)
        again = signed_in.get(reverse("login"))
    assert page.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Your session ended (after 30 minutes without activity" in page.content.decode()
    assert "Your session ended" not in again.content.decode(), "shown once"


def test_no_session_notice_on_a_first_visit_or_after_signing_out(client, coordinator):
    assert "Your session ended" not in client.get(reverse("login")).content.decode()
    assert sign_in(client, "cora", password_of("cora")).status_code == 302
    page = client.post(reverse("logout"), follow=True)
    assert "Your session ended" not in page.content.decode()


# --- the client's address: behind a reverse proxy, and directly exposed -------------------
PROXY = "10.0.0.2"


def sign_in_from(client: Client, username: str, password: str, *, forwarded_for: str | None = None,
                 remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = [f"{PROXY}/32"]


def test_behind_the_proxy_a_stranger_cannot_lock_the_real_nurse_out(client, nurse, behind_one_proxy):
    """Five wrong passwords for nina from somewhere else must not stop nina at her own workstation."""
    for _ in range(5):
        sign_in_from(Client(), "nina", "wrong-password", forwarded_for="203.0.113.7")
    assert sign_in_from(Client(), "nina", "wrong-password", forwarded_for="203.0.113.7").status_code == 429

    response = sign_in_from(client, "nina", password_of("nina"), forwarded_for="198.51.100.20")
    assert response.status_code == 302 and is_signed_in(client)


def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_lock(nurse, behind_one_proxy):
    """The client may prepend anything; the proxy appends the address it really saw, and only that counts."""
    for attempt in range(5):
        sign_in_from(Client(), "nina", "wrong-password", forwarded_for=f"192.0.2.{attempt}, 203.0.113.7")
    response = sign_in_from(Client(), "nina", password_of("nina"), forwarded_for="192.0.2.99, 203.0.113.7")
    assert response.status_code == 429


def test_forwarded_for_from_an_untrusted_peer_is_ignored(nurse, behind_one_proxy):
    """Someone reaching the app around the proxy cannot pick their address with the header."""
    for attempt in range(5):
        sign_in_from(Client(), "nina", "wrong-password", forwarded_for=f"192.0.2.{attempt}", remote="203.0.113.50")
    response = sign_in_from(Client(), "nina", password_of("nina"), forwarded_for="192.0.2.77", remote="203.0.113.50")
    assert response.status_code == 429


def test_directly_exposed_a_spoofed_forwarded_for_is_ignored(nurse, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(5):
        sign_in_from(Client(), "nina", "wrong-password", forwarded_for=f"192.0.2.{attempt}", remote="203.0.113.9")
    response = sign_in_from(Client(), "nina", password_of("nina"), forwarded_for="192.0.2.200", remote="203.0.113.9")
    assert response.status_code == 429, "a new X-Forwarded-For value each time must not reset the count"


def test_many_usernames_from_one_address_lock_that_address(nurse, settings):
    """Guessing across usernames: AXES_ADDRESS_FAILURE_LIMIT failures from one address lock it for everyone."""
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 20
    for number in range(19):
        assert sign_in_from(Client(), f"guess{number}", "wrong-password", remote="203.0.113.30").status_code == 200
    assert sign_in_from(Client(), "guess19", "wrong-password", remote="203.0.113.30").status_code == 429
    locked = sign_in_from(Client(), "nina", password_of("nina"), remote="203.0.113.30")
    assert locked.status_code == 429 and "20 for all accounts together" in locked.content.decode()
    elsewhere = sign_in_from(Client(), "nina", password_of("nina"), remote="198.51.100.31")
    assert elsewhere.status_code == 302, "the address is locked, not the account"
