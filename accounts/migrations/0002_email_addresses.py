from django.db import migrations


def record_addresses(apps, schema_editor):
    """Each account's address as its primary one, so it can be changed from the Email address
    page; verified once its owner has chosen a password from an emailed link."""
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(
            user_id=user.pk,
            email=user.email,
            primary=True,
            verified=not user.password.startswith("!"),
        )
        for user in User.objects.exclude(pk__in=known).only("pk", "email", "password")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(record_addresses, migrations.RunPython.noop)]
