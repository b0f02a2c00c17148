from django.db import migrations


def sync_meeting_roles(apps, schema_editor):
    from her2app.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_plan_roles"),
        ("meetings", "0001_initial"),
    ]
    operations = [migrations.RunPython(sync_meeting_roles, migrations.RunPython.noop)]
