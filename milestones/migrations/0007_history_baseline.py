from django.db import migrations
from django.utils import timezone

TRACKED = ["Milestone", "Attendance", "ProgressUpload"]


def record_what_exists(apps, schema_editor):
    """A first history record for every row saved before history was kept, so edits opened
    from now on have a record to start from."""
    now = timezone.now()
    for name in TRACKED:
        model = apps.get_model("milestones", name)
        historical = apps.get_model("milestones", f"Historical{name}")
        copied = [
            field.attname
            for field in historical._meta.concrete_fields
            if not field.name.startswith("history_") and field.name != "id"
        ]
        rows = []
        for row in model.objects.iterator(chunk_size=2000):
            rows.append(
                historical(
                    id=row.pk,
                    history_date=now,
                    history_type="+",
                    history_change_reason="History starts",
                    **{attname: getattr(row, attname) for attname in copied},
                )
            )
            if len(rows) >= 2000:
                historical.objects.bulk_create(rows)
                rows = []
        historical.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("milestones", "0006_history")]

    operations = [migrations.RunPython(record_what_exists, migrations.RunPython.noop)]
