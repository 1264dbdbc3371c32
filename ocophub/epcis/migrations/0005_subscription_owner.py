import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forget_ownerless(apps, schema_editor):
    # Subscriptions made before they had an owner cannot be delivered with a read scope.
    apps.get_model("epcis", "Subscription").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("epcis", "0004_named_queries_and_subscriptions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forget_ownerless, migrations.RunPython.noop),
        migrations.RemoveField(model_name="subscription", name="min_record_time"),
        migrations.AddField(
            model_name="subscription",
            name="initial_record_time",
            field=models.DateTimeField(blank=True, null=True, verbose_name="initial record time"),
        ),
        migrations.AddField(
            model_name="subscription",
            name="created_by",
            field=models.ForeignKey(
                default=None,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="epcis_subscriptions",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
            preserve_default=False,
        ),
    ]
