"""The case records' single values (weight, LVEF, pregnancy status) become the first entries of the series,
recorded by the person who last saved the case."""

from django.db import migrations
from django.utils import timezone


def series_from_cases(apps, schema_editor):
    from her2app.monitoring.series import values_from_clinical

    ClinicalStatus = apps.get_model("cases", "ClinicalStatus")
    Measurement = apps.get_model("monitoring", "Measurement")
    PregnancyStatus = apps.get_model("monitoring", "PregnancyStatus")
    for clinical in ClinicalStatus.objects.select_related("case__patient"):
        case = clinical.case
        saved_on = timezone.localdate(case.updated_at) if case.updated_at else timezone.localdate()
        for value in values_from_clinical(clinical, case.patient.sex, saved_on):
            model = PregnancyStatus if value.kind == "pregnancy" else Measurement
            kind = {} if value.kind == "pregnancy" else {"kind": value.kind}
            model.objects.get_or_create(case=case, source="case", **kind,
                                        defaults={"recorded_by_id": case.updated_by_id, **value.fields})


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_series_and_readiness_decisions"),
        ("cases", "0004_case_sent_engine_result_and_benzyl_alcohol_flag"),
    ]
    operations = [migrations.RunPython(series_from_cases, migrations.RunPython.noop)]
