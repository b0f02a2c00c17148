"""Sync the roles once more after every app's migrations: the admin role holds every permission, and on a new
database the last earlier sync ran before the render jobs' and sessions' permissions existed."""

from django.db import migrations


def sync_every_role(apps, schema_editor):
    from her2app.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_submit_token"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("administration", "0001_squashed_0003_scheduled_on_is_the_reflowed_date"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
        ("cases", "0001_squashed_0007_patient_search_prefix"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("interop", "0001_bundle_import_and_imported_values"),
        ("meetings", "0003_minutes_attendance_outcomes_and_sign_off"),
        ("monitoring", "0001_squashed_0003_monitoring_roles"),
        ("plans", "0001_squashed_0004_verification_and_hold"),
        ("rendering", "0001_render_jobs"),
        ("sessions", "0001_initial"),
    ]
    operations = [migrations.RunPython(sync_every_role, migrations.RunPython.noop)]
