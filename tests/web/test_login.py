from django.contrib.auth.models import Group, Permission

from conftest import password_of
from her2app.accounts import roles


def test_anonymous_home_is_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_roles_exist_as_groups_after_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ALL_ROLES)


def test_after_migration_each_role_holds_its_permissions_and_the_admin_role_every_one(db):
    def held(role: str) -> set[str]:
        group = Group.objects.get(name=role)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}

    for role, permissions in roles.ROLE_PERMISSIONS.items():
        assert held(role) == set(permissions), role
    every = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    assert held(roles.ADMIN) == every


def test_coordinator_lands_on_case_list_after_sign_in(client, coordinator):
    response = client.post("/accounts/login/", {"username": "cora", "password": password_of("cora")})
    assert response.status_code == 302
    assert client.get("/").url == "/cases/"
