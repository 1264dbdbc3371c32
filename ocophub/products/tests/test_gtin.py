import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ocophub.products.gtin import check_digit, normalise_gtin


def test_known_gtins():
    assert normalise_gtin("8934588012228") == "08934588012228"
    assert normalise_gtin("96385074") == "00000096385074"
    assert normalise_gtin("036000291452") == "00036000291452"


@given(
    st.sampled_from([7, 11, 12, 13]).flatmap(
        lambda n: st.text("0123456789", min_size=n, max_size=n)
    )
)
def test_any_body_with_its_check_digit_is_valid_and_stored_as_14(body):
    gtin = body + check_digit(body)
    assert normalise_gtin(gtin) == gtin.zfill(14)


@given(st.text("0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_a_changed_check_digit_is_refused_and_the_right_one_named(body, shift):
    right = check_digit(body)
    wrong = str((int(right) + shift) % 10)
    with pytest.raises(ValidationError) as err:
        normalise_gtin(body + wrong)
    assert err.value.code == "checksum"
    assert right in err.value.messages[0]


@pytest.mark.parametrize("value", ["123", "89345880122281", "abcdefghijklm", "893458801222"])
def test_bad_lengths_or_letters_are_refused(value):
    with pytest.raises(ValidationError):
        normalise_gtin(value)
