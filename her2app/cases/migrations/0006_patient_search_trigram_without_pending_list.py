"""The case search's trigram indexes are updated on insert, not through a pending list (PostgreSQL).

A GIN index's "fast update" queues new entries in a pending list that every
search reads in full until VACUUM merges it. After a bulk insert of 100,000
patients each name search read tens of thousands of queued entries per index
(21 ms for an index that held no match). Patients are added a few a day, so
updating the index on insert costs nothing a user notices; the pending list
is merged here once.
"""

from django.db import migrations

INDEXES = ("cases_patient_mrn_trgm", "cases_patient_given_trgm", "cases_patient_family_trgm")


def update_on_insert(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


def queue_updates(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_histology_kras_nras_marker_tests")]

    operations = [migrations.RunPython(update_on_insert, queue_updates, elidable=False)]
