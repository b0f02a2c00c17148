from django.db import migrations


def sync_administration_roles(apps, schema_editor):
    from her2app.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_monitoring_roles"),
        ("administration", "0001_initial"),
    ]
    operations = [migrations.RunPython(sync_administration_roles, migrations.RunPython.noop)]
