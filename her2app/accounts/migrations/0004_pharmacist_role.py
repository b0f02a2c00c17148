from django.db import migrations


def sync_pharmacist_role(apps, schema_editor):
    from her2app.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_meeting_roles"),
        ("plans", "0004_verification_and_hold"),
    ]
    operations = [migrations.RunPython(sync_pharmacist_role, migrations.RunPython.noop)]
