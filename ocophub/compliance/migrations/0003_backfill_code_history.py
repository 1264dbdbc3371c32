"""Give every code registered before the status history was kept (0002) its history:
a grant on the earliest day the records show the code in use (its first boundary, an
approval, an inspection, or the day it was entered), and, when its stored status is not
active, the change to that status dated the day of this migration, the only day we know
it held it. Without these rows `status_on` had to answer the stored status for every
date, so a code retired today failed checks of consignments shipped years ago."""

import datetime

from django.db import migrations

ACTIVE = "active"
GRANT_REASON = "Lịch sử bổ sung: mã được cấp trước khi hệ thống lưu lịch sử trạng thái."
CHANGE_REASON = (
    "Lịch sử bổ sung: trạng thái đã lưu khi bắt đầu lưu lịch sử; ngày thay đổi thực tế "
    "không rõ."
)


def _earliest(*days):
    known = [d for d in days if d is not None]
    return min(known) if known else None


def backfill(apps, schema_editor):
    CodeEvent = apps.get_model("compliance", "CodeEvent")
    Approval = apps.get_model("compliance", "Approval")
    Inspection = apps.get_model("compliance", "Inspection")
    today = datetime.date.today()
    holders = [
        ("area", apps.get_model("compliance", "GrowingArea")),
        ("facility", apps.get_model("compliance", "PackingFacility")),
    ]
    for kind, model in holders:
        for holder in model.objects.filter(code_events__isnull=True).iterator():
            mine = {kind: holder}
            approved = (
                Approval.objects.filter(**mine, approved_on__isnull=False)
                .order_by("approved_on")
                .values_list("approved_on", flat=True)
                .first()
            )
            inspected = (
                Inspection.objects.filter(**mine).order_by("on").values_list("on", flat=True).first()
            )
            drawn = None
            if kind == "area":
                drawn = (
                    holder.boundaries.order_by("valid_from")
                    .values_list("valid_from", flat=True)
                    .first()
                )
            entered = holder.created.date() if holder.created else today
            granted = _earliest(drawn, approved, inspected, entered) or today
            CodeEvent.objects.create(
                **mine, from_status="", to_status=ACTIVE, on=granted, reason=GRANT_REASON
            )
            if holder.status != ACTIVE:
                CodeEvent.objects.create(
                    **mine,
                    from_status=ACTIVE,
                    to_status=holder.status,
                    on=max(today, granted),
                    reason=CHANGE_REASON,
                )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_code_status_history")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
