from django.db import migrations


def sync_plan_roles(apps, schema_editor):
    from her2app.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        ("plans", "0001_initial"),
    ]
    operations = [migrations.RunPython(sync_plan_roles, migrations.RunPython.noop)]
