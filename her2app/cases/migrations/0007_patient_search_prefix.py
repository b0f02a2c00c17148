"""B-tree indexes in pattern order for the case search's one- and two-character prefixes (PostgreSQL).

A search of one or two characters finds the MRNs and names that start with them,
which PostgreSQL runs as UPPER(column) LIKE 'AN%'. A trigram index cannot serve
fewer than three characters, and unless the database collation is "C" a plain
B-tree cannot serve LIKE either: text_pattern_ops orders the index by bytes.
"""

from django.db import migrations

SEARCHED_COLUMNS = {
    "mrn": "cases_patient_mrn_prefix",
    "given_name": "cases_patient_given_prefix",
    "family_name": "cases_patient_family_prefix",
}


def create_prefix_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, index in SEARCHED_COLUMNS.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON cases_patient (UPPER({column}) text_pattern_ops)")


def drop_prefix_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in SEARCHED_COLUMNS.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_patient_search_trigram_without_pending_list")]

    operations = [migrations.RunPython(create_prefix_indexes, drop_prefix_indexes, elidable=False)]
