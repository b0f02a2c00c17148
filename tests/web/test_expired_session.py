"""Issue 16 item 2: an htmx request from an expired session gets a full-page sign-in (HX-Redirect) that
comes back to the page the person was on, never the sign-in form swapped into the wizard."""

from tests.factories import make_case


def test_htmx_post_without_a_session_redirects_the_whole_page_to_sign_in(client, coordinator):
    case = make_case(coordinator)
    step = f"/cases/{case.pk}/step/fitness/"
    response = client.post(step, {"weight_kg": "71"}, headers={
        "HX-Request": "true", "HX-Current-URL": f"http://testserver{step}"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/login/?next={step}"
    assert b"Username" not in response.content, "no sign-in form to swap into the page"


def test_the_current_page_wins_over_the_requested_url(client, coordinator):
    case = make_case(coordinator)
    response = client.get(f"/cases/{case.pk}/step/review/", headers={
        "HX-Request": "true", "HX-Current-URL": f"http://testserver/cases/{case.pk}/step/history/"})
    assert response["HX-Redirect"].endswith(f"next=/cases/{case.pk}/step/history/")


def test_another_sites_current_url_is_not_followed(client, coordinator):
    case = make_case(coordinator)
    response = client.get(f"/cases/{case.pk}/", headers={
        "HX-Request": "true", "HX-Current-URL": "https://elsewhere.example/phish"})
    assert "elsewhere" not in response["HX-Redirect"]
    assert response["HX-Redirect"].endswith(f"next=/cases/{case.pk}/")


def test_a_plain_request_still_gets_the_normal_redirect(client, coordinator):
    case = make_case(coordinator)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")
