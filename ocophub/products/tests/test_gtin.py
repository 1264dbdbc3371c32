"""GTINs and the one GS1 mod-10 check digit (GTINs here; GLNs, SSCCs and the other GS1
keys that Digital Link and EPCIS check use the same `check_digit`)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ocophub.products.gtin import check_digit, normalise_gtin


def by_hand(body):
    """GS1 mod 10 written out: weights 3,1,3,... from the right of the body."""
    total = 0
    for position, digit in enumerate(reversed(body)):
        total += int(digit) * (3 if position % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


bodies = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


def test_known_gtins():
    assert normalise_gtin("8934588012228") == "08934588012228"
    assert normalise_gtin("96385074") == "00000096385074"
    assert normalise_gtin("036000291452") == "00036000291452"
    # A Vietnamese (893) GTIN-13 with a correct check digit.
    assert normalise_gtin("8934567890120") == "08934567890120"


@given(bodies)
def test_any_body_with_its_check_digit_is_valid_and_stored_as_14(body):
    gtin = body + by_hand(body)
    stored = normalise_gtin(gtin)
    assert stored == gtin.zfill(14)
    assert len(stored) == 14
    assert stored.lstrip("0") == gtin.lstrip("0")
    # Stored form is itself a valid GTIN-14 and is stable.
    assert normalise_gtin(stored) == stored


@given(bodies, st.integers(min_value=1, max_value=9))
def test_a_changed_check_digit_is_refused_and_the_right_one_named(body, shift):
    right = by_hand(body)
    wrong = str((int(right) + shift) % 10)
    with pytest.raises(ValidationError) as err:
        normalise_gtin(body + wrong)
    assert err.value.code == "checksum"
    assert right in err.value.messages[0]


# GLN 12 + 1, GTIN-14 13 + 1, SSCC 17 + 1 and the other lengths Digital Link checks.
@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_the_check_digit_is_gs1_mod_10_for_any_length(body):
    assert check_digit(body) == by_hand(body)


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=20).filter(
        lambda s: len(s) not in (8, 12, 13, 14)
    )
)
def test_other_lengths_are_refused(digits):
    with pytest.raises(ValidationError) as exc:
        normalise_gtin(digits)
    assert exc.value.code == "format"


@pytest.mark.parametrize(
    "value",
    ["123", "89345880122281", "abcdefghijklm", "893458801222", "abc", "893-456-789-012-8", ""],
)
def test_bad_lengths_or_letters_are_refused(value):
    with pytest.raises(ValidationError):
        normalise_gtin(value)
