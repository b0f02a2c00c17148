"""An index in the case list's order (newest first: created_at, then id, both descending).

The list pages with OFFSET; with only the single-column created_at index,
PostgreSQL walked it and then sorted ties by id, which at 100,000 cases made
deep pages slow. Plain SQL so the model state stays as the cases app defines
it; the statement is the same on SQLite and PostgreSQL.
"""

from django.db import migrations

INDEX = "cases_case_list_order"


class Migration(migrations.Migration):

    dependencies = [("cases", "0002_patient_search_trigram")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case (created_at DESC, id DESC)",
            f"DROP INDEX IF EXISTS {INDEX}",
            elidable=False,
        )
    ]
