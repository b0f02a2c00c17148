from django.contrib.auth.models import Group

from her2app.accounts import roles


def test_anonymous_home_is_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_roles_exist_as_groups_after_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ALL_ROLES)


def test_coordinator_lands_on_case_list_after_sign_in(client, coordinator):
    response = client.post("/accounts/login/", {"username": "cora", "password": "cora-test-pass"})
    assert response.status_code == 302
    assert client.get("/").url == "/cases/"
