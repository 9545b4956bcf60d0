from django.db import migrations, models


def number_activities(apps, schema_editor):
    """Existing activities keep the order they were listed in: by when they were added."""
    Activity = apps.get_model("milestones", "Activity")
    numbered = []
    position, group = 0, None
    for activity in Activity.objects.order_by("milestone_id", "phase", "created_at", "pk"):
        if (activity.milestone_id, activity.phase) != group:
            position, group = 0, (activity.milestone_id, activity.phase)
        activity.order = position
        numbered.append(activity)
        position += 1
    Activity.objects.bulk_update(numbered, ["order"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0007_history_baseline"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="activity",
            options={
                "ordering": ["milestone", "phase", "order", "pk"],
                "verbose_name_plural": "activities",
            },
        ),
        migrations.AddField(
            model_name="activity",
            name="order",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(number_activities, migrations.RunPython.noop, elidable=True),
    ]
