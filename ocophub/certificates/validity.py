"""How long a certificate lasts.

A certificate is valid for 36 months from its decision date (Decision 148/QĐ-TTg). The
period is data (`VALIDITY_MONTHS`, a setting), not a constant in the rules that use it.

Month ends: adding months keeps the day of the month where that day exists and
otherwise takes the last day of the target month (31 Jan + 1 month = 28/29 Feb;
29 Feb 2024 + 36 months = 28 Feb 2027). The certificate is valid up to and including
the day before that date: a decision of 15 Mar 2024 gives a certificate valid until
14 Mar 2027 inclusive, expired from 15 Mar 2027.

In force on a day: started, not expired, not revoked or superseded by then (revocation
and supersession take effect on their day). `valid_q` is that rule as a query, the one
copy that querysets, counts and reports use.
"""

import calendar
import datetime

from django.conf import settings
from django.db.models import Q


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def validity_months() -> int:
    return settings.CERTIFICATE_VALIDITY_MONTHS


def valid_until(valid_from: datetime.date, months: int | None = None) -> datetime.date:
    """The last day a certificate issued on `valid_from` is valid (inclusive)."""
    end = add_months(valid_from, validity_months() if months is None else months)
    return end - datetime.timedelta(days=1)


def valid_q(day: datetime.date, prefix: str = "") -> Q:
    """Certificates in force on `day`, as a Q so that several days can be counted in one
    query; `prefix` reaches the certificate through a relation ("certificates__")."""
    p = prefix
    return (
        Q(**{f"{p}valid_from__lte": day, f"{p}valid_until__gte": day})
        & (Q(**{f"{p}revoked_on__isnull": True}) | Q(**{f"{p}revoked_on__gt": day}))
        & (Q(**{f"{p}superseded_on__isnull": True}) | Q(**{f"{p}superseded_on__gt": day}))
    )
