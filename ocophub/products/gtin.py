"""GTINs: GTIN-8, -12, -13 and -14 with a mod-10 check digit, stored as 14 digits.

`check_digit` is the platform's one GS1 mod-10 rule: GLNs, SSCCs and the other GS1 keys
that Digital Link and EPCIS check share it with GTINs."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import ean


def check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for the digits `body` (without the check digit): weights
    3, 1, 3, ... from the right, of any length."""
    return ean.calc_check_digit(body)


def normalise_gtin(value: str | None) -> str:
    """Validate a GTIN of 8, 12, 13 or 14 digits and return it as 14 digits."""
    digits = "".join((value or "").split())
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        raise ValidationError(
            _("A GTIN has 8, 12, 13 or 14 digits; “%(value)s” does not.") % {"value": value},
            code="format",
        )
    if not ean.is_valid(digits):
        raise ValidationError(
            _("GTIN “%(value)s” has a wrong check digit: the last digit should be %(digit)s.")
            % {"value": value, "digit": check_digit(digits[:-1])},
            code="checksum",
        )
    return digits.zfill(14)
