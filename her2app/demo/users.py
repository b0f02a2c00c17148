"""Demo users for a local trial of the planner (never in production)."""

from django.contrib.auth.models import Group, User

from her2app.accounts import roles

DEMO_USERS = {
    "coordinator": ("Cora", "Coordinator", roles.COORDINATOR),
    "oncologist": ("Oliver", "Oncologist", roles.ONCOLOGIST),
    "pharmacist": ("Phil", "Pharmacist", roles.PHARMACIST),
    "nurse": ("Nina", "Nurse", roles.NURSE),
    "nurse2": ("Nadia", "Second-Nurse", roles.NURSE),  # the second nurse's independent check
    "admin": ("Ada", "Admin", roles.ADMIN),
}


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"


def create_demo_users() -> dict[str, str]:
    """Create (or reset) the demo users; return username -> password."""
    created = {}
    for username, (first, last, role) in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.is_staff = user.is_superuser = role == roles.ADMIN
        user.set_password(demo_password(username))
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        created[username] = demo_password(username)
    return created
