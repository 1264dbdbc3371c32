"""Registration numbers of the four kinds of OCOP producer.

Enterprises and cooperatives are registered under their tax code (mã số thuế, MST): 10
digits with a check digit, or 13 for a branch (10 + "-" + 3). Cooperative groups and
household businesses may also be registered under the representative's 12-digit citizen
ID, which has no public check digit, so only its shape is checked.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.vn import mst

from .choices import ProducerKind

CITIZEN_ID = re.compile(r"^0\d{11}$")


def normalise_registration_number(value):
    return re.sub(r"[\s.]", "", value or "").upper()


def validate_registration_number(value, kind):
    value = normalise_registration_number(value)
    if not value:
        raise ValidationError(_("Enter the registration or tax number."), code="required")
    if kind in (ProducerKind.COOP_GROUP, ProducerKind.HOUSEHOLD) and CITIZEN_ID.match(value):
        return value
    digits = value.replace("-", "")
    if not digits.isdigit() or len(digits) not in (10, 13):
        raise ValidationError(
            _(
                "“%(value)s” is not a tax number: use 10 digits, or 10 digits, a dash and 3 for "
                "a branch (e.g. 0100233583-001)%(citizen)s."
            )
            % {
                "value": value,
                "citizen": _(", or a 12-digit citizen ID for groups and households")
                if kind in (ProducerKind.COOP_GROUP, ProducerKind.HOUSEHOLD)
                else "",
            },
            code="format",
        )
    if not mst.is_valid(digits):
        raise ValidationError(
            _(
                "Tax number “%(value)s” fails its check digit: check it against the business "
                "registration certificate."
            )
            % {"value": value},
            code="checksum",
        )
    return mst.format(digits)
