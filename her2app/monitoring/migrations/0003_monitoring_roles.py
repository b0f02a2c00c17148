from django.db import migrations


def sync_monitoring_roles(apps, schema_editor):
    from her2app.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_pharmacist_role"),
        ("monitoring", "0002_series_from_case_records"),
    ]
    operations = [migrations.RunPython(sync_monitoring_roles, migrations.RunPython.noop)]
