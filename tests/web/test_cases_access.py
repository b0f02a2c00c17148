"""Role x URL for the case pages: anonymous users sign in first; nurses never see case records."""

import pytest


STEPS = ["patient", "tumour", "history", "fitness", "review"]


def case_urls(pk: int) -> list[str]:
    urls = ["/cases/", "/cases/new/", f"/cases/{pk}/", *[f"/cases/{pk}/step/{step}/" for step in STEPS]]
    assert len(urls) == 8, "the loops below check every case URL, never none"
    return urls


def test_anonymous_is_sent_to_sign_in_for_every_case_url(client, case):
    for url in case_urls(case.pk):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response.url.startswith("/accounts/login/?next="), url


def test_nurse_is_forbidden_every_case_url(client, nurse, case):
    client.force_login(nurse)
    for url in case_urls(case.pk):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "next"}).status_code == 403, url


@pytest.mark.parametrize("role", ["coordinator", "oncologist", "admin_user"])
def test_coordinator_oncologist_and_admin_may_open_every_case_url(client, request, case, role):
    client.force_login(request.getfixturevalue(role))
    for url in case_urls(case.pk):
        response = client.get(url)
        assert response.status_code == 200, url
        assert case.patient.mrn.encode() in response.content or url.endswith(("/cases/new/",)), url


def test_user_without_a_role_is_forbidden(client, db, django_user_model, case):
    nobody = django_user_model.objects.create_user("nobody", password="x-long-password-1")
    client.force_login(nobody)
    assert all(client.get(url).status_code == 403 for url in case_urls(case.pk))
