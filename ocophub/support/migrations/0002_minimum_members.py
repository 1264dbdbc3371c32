"""The minimum members per organisation type, as read in the Cooperative Law 2023
(17/2023/QH15): marked unconfirmed until someone checks them against the law's text."""

from django.db import migrations

SOURCE = "Luật Hợp tác xã 2023 (17/2023/QH15), chưa đối chiếu / not yet checked"
MINIMUMS = {"coop_group": 2, "cooperative": 5, "coop_union": 3}


def load(apps, schema_editor):
    MinimumMembers = apps.get_model("support", "MinimumMembers")
    for org_type, minimum in MINIMUMS.items():
        MinimumMembers.objects.update_or_create(
            org_type=org_type, defaults={"minimum": minimum, "source": SOURCE, "confirmed": False}
        )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
