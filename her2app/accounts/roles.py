"""Roles are Django groups; this map says which permissions each one holds.

Views check permissions (never group names), so a site can re-shape roles
in the admin without code changes. `sync_roles` is idempotent and is run by
data migrations whenever the map changes.
"""

COORDINATOR = "coordinator"
ONCOLOGIST = "oncologist"
NURSE = "nurse"
PHARMACIST = "pharmacist"
ADMIN = "admin"

_CASE_EDITING = [
    "cases.view_patient",
    "cases.add_patient",
    "cases.change_patient",
    "cases.view_case",
    "cases.add_case",
    "cases.change_case",
    "cases.view_molecularprofile",
    "cases.change_molecularprofile",
    "cases.view_treatmentline",
    "cases.add_treatmentline",
    "cases.change_treatmentline",
    "cases.delete_treatmentline",
    "cases.view_clinicalstatus",
    "cases.change_clinicalstatus",
]

# Treatment plans (issue 5): only oncologists choose and approve; nurses see
# approved plans and their documents only; coordinators read plans.
_PLAN_READING = ["plans.view_treatmentplan", "plans.view_plandocument"]
_PLAN_DECIDING = [
    "plans.add_treatmentplan",
    "plans.change_treatmentplan",
    "plans.approve_treatmentplan",
    "plans.add_plandocument",
]
# Issue 14: pharmacists verify approved plans (a second signature) before nurses see them.
_PLAN_VERIFYING = ["plans.view_treatmentplan", "plans.view_plandocument", "plans.verify_treatmentplan"]
_PLAN_ADMINISTERING = ["plans.view_approved_plan", "plans.view_plandocument"]

# Tumour-board meetings (issue 8): coordinators (and oncologists) build the
# agenda; coordinators record the minutes (issue 16) and oncologists may too;
# the meeting's chair signs them off.
_MEETING_AGENDA = [
    "meetings.view_meeting",
    "meetings.add_meeting",
    "meetings.change_meeting",
    "meetings.view_agendaitem",
    "meetings.add_agendaitem",
    "meetings.change_agendaitem",
    "meetings.delete_agendaitem",
]
_MEETING_DECIDING = ["meetings.record_decision"]

# Measurements and readiness (issue 15): coordinators, oncologists and nurses record measurements and see the
# readiness checklist; pharmacists read them to verify doses against the weight; the oncologist's go-ahead is
# recorded by a nurse or the oncologist; only oncologists override a line that is not OK.
_MEASUREMENT_READING = [
    "monitoring.view_measurement",
    "monitoring.view_pregnancystatus",
    "monitoring.view_readinessdecision",
]
_MEASURING = _MEASUREMENT_READING + ["monitoring.add_measurement", "monitoring.add_pregnancystatus"]
_GO_AHEAD = ["monitoring.record_go_ahead"]
_OVERRIDING = ["monitoring.override_readiness"]

# The administration record (issue 15): nurses record (a second nurse checks a given dose); everyone treating reads
# it; only oncologists confirm a re-load the schedule proposes (D8).
_ADMINISTRATION_READING = ["administration.view_administration", "administration.view_supplyrecord",
                           "administration.view_reloadconfirmation"]
_ADMINISTERING = _ADMINISTRATION_READING + ["administration.add_administration", "administration.add_supplyrecord"]
_CONFIRMING_RELOAD = ["administration.confirm_reload"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    COORDINATOR: _CASE_EDITING + _PLAN_READING + _MEETING_AGENDA + _MEETING_DECIDING + _MEASURING,
    ONCOLOGIST: _CASE_EDITING + _PLAN_READING + _PLAN_DECIDING + _MEETING_AGENDA + _MEETING_DECIDING + _MEASURING
    + _GO_AHEAD + _OVERRIDING + _ADMINISTRATION_READING + _CONFIRMING_RELOAD,
    NURSE: _PLAN_ADMINISTERING + _MEASURING + _GO_AHEAD + _ADMINISTERING,
    PHARMACIST: _PLAN_VERIFYING + _MEASUREMENT_READING + _ADMINISTRATION_READING,
}
# The admin role holds every permission (see sync_roles).
ALL_ROLES = (COORDINATOR, ONCOLOGIST, PHARMACIST, NURSE, ADMIN)


def sync_roles(apps) -> None:
    """Create the role groups and give each exactly its permissions."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    assign_role_permissions(apps)


def ensure_roles() -> None:
    """Recreate the role groups if a database flush removed them.

    Migrations create the groups; a flush (after each transactional test)
    keeps permissions, which post_migrate recreates, but not the groups.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=ALL_ROLES).count() < len(ALL_ROLES):
        assign_role_permissions(apps)


def assign_role_permissions(apps) -> None:
    """Create the role groups and give each exactly its permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    existing = {f"{permission.content_type.app_label}.{permission.codename}": permission
                for permission in Permission.objects.select_related("content_type")}
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        if role == ADMIN:
            group.permissions.set(existing.values())
            continue
        # An earlier migration runs before later apps' models exist; the
        # migration that depends on that app syncs again and adds them.
        group.permissions.set([existing[dotted] for dotted in ROLE_PERMISSIONS[role] if dotted in existing])
