"""Recording an inspection: its findings, and the suspensions a critical finding makes,
all in one transaction (an inspection is never saved without the suspensions it
caused, nor a suspension without its inspection)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .areas import may_write_in
from .models import (
    Approval,
    ApprovalStatus,
    Finding,
    FindingKind,
    GrowingArea,
    Inspection,
    InspectionKind,
    Market,
    PackingFacility,
    Severity,
)


@dataclass
class FindingIn:
    kind: str
    severity: str
    market: Market | None = None
    note: str = ""


def record_inspection(
    holder: GrowingArea | PackingFacility,
    inspector: Any,
    on: datetime.date,
    findings: list[FindingIn] = (),  # type: ignore[assignment]
    kind: str = InspectionKind.SUPERVISION,
    **fields: Any,
) -> tuple[Inspection, list[Approval]]:
    """Save the inspection and its findings; a critical finding suspends the holder's
    approved approvals (those of its market, if it names one). Returns the inspection
    and the approvals it suspended."""
    if not may_write_in(inspector, holder.commune):
        raise ValidationError(_("You do not supervise %(code)s.") % {"code": holder.code})
    errors = {}
    if kind not in InspectionKind.values:
        errors["kind"] = _("Unknown kind of inspection.")
    for finding in findings:
        if finding.kind not in FindingKind.values:
            errors["findings"] = _("Unknown finding: %(kind)s.") % {"kind": finding.kind}
        elif finding.severity not in Severity.values:
            errors["findings"] = _("Unknown severity: %(severity)s.") % {
                "severity": finding.severity
            }
    latitude, longitude = fields.get("latitude"), fields.get("longitude")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    elif (
        latitude is not None
        and longitude is not None
        and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        errors["latitude"] = _("The position is outside the earth's range.")
    if errors:
        raise ValidationError(errors)
    target: dict[str, GrowingArea | PackingFacility] = (
        {"area": holder} if isinstance(holder, GrowingArea) else {"facility": holder}
    )
    suspended: list[Approval] = []
    with transaction.atomic():
        inspection = Inspection.objects.create(
            **target, inspector=inspector, on=on, kind=kind, **fields
        )
        Finding.objects.bulk_create(
            Finding(
                inspection=inspection,
                kind=f.kind,
                severity=f.severity,
                market=f.market,
                note=f.note,
            )
            for f in findings
        )
        for finding in findings:
            if finding.severity != Severity.CRITICAL:
                continue
            approvals = Approval.objects.filter(**target, status=ApprovalStatus.APPROVED)
            if finding.market is not None:
                approvals = approvals.filter(market=finding.market)
            reason = _("Critical finding at the inspection of %(day)s: %(finding)s") % {
                "day": date_format(on),
                "finding": FindingKind(finding.kind).label,
            }
            if finding.note:
                reason += f" ({finding.note})"
            for approval in approvals.select_for_update():
                approval.move(
                    ApprovalStatus.SUSPENDED,
                    inspector,
                    on=on,
                    reason=reason[:300],
                    inspection=inspection,
                )
                suspended.append(approval)
    return inspection, suspended
