"""Trigram indexes for the case search (MRN, given and family name) on PostgreSQL.

The case list searches with `icontains`, which PostgreSQL runs as
UPPER(column) LIKE UPPER('%text%'): a B-tree cannot serve a leading
wildcard, so at 100,000 patients every search was a sequential scan.
GIN indexes over UPPER(column) with pg_trgm's operator class serve those
LIKEs directly. Other databases (SQLite in development) are left alone.
"""

from django.db import migrations

SEARCHED_COLUMNS = {"mrn": "cases_patient_mrn_trgm", "given_name": "cases_patient_given_trgm",
                    "family_name": "cases_patient_family_trgm"}


def create_trigram_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column, index in SEARCHED_COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON cases_patient USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in SEARCHED_COLUMNS.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):

    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False)]
