import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ocophub.products.gtin import check_digit, normalise_gtin
from ocophub.trace.digital_link import mod10


def by_hand(body):
    """GS1 mod 10 written out: weights 3,1,3,... from the right of the body."""
    total = 0
    for position, digit in enumerate(reversed(body)):
        total += int(digit) * (3 if position % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


bodies = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


@given(bodies)
def test_valid_gtins_normalise_to_14_digits(body):
    gtin = body + by_hand(body)
    stored = normalise_gtin(gtin)
    assert len(stored) == 14
    assert stored.lstrip("0") == gtin.lstrip("0")
    assert stored.endswith(gtin)
    # Stored form is itself a valid GTIN-14 and is stable.
    assert normalise_gtin(stored) == stored


@given(bodies, st.integers(min_value=1, max_value=9))
def test_any_wrong_check_digit_is_refused(body, shift):
    wrong = str((int(by_hand(body)) + shift) % 10)
    with pytest.raises(ValidationError) as exc:
        normalise_gtin(body + wrong)
    assert exc.value.code == "checksum"
    assert by_hand(body) in exc.value.messages[0]


@given(bodies)
def test_library_and_own_mod10_agree(body):
    assert check_digit(body) == by_hand(body) == mod10(body)


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=20).filter(
        lambda s: len(s) not in (8, 12, 13, 14)
    )
)
def test_other_lengths_refused(digits):
    with pytest.raises(ValidationError) as exc:
        normalise_gtin(digits)
    assert exc.value.code == "format"


@pytest.mark.parametrize("value", ["8934567890120", "abc", "893-456-789-012-8", ""])
def test_known_values(value):
    if value == "8934567890120":
        # A Vietnamese (893) GTIN-13 with a correct check digit.
        assert normalise_gtin(value) == "08934567890120"
    else:
        with pytest.raises(ValidationError):
            normalise_gtin(value)
