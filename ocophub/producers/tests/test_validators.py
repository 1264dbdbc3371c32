import pytest
from django.core.exceptions import ValidationError

from ocophub.producers.models import ProducerKind
from ocophub.producers.validators import validate_registration_number


def test_tax_numbers_with_a_right_check_digit_pass():
    assert validate_registration_number("0100233583", ProducerKind.ENTERPRISE) == "0100233583"
    assert validate_registration_number("0100233583001", ProducerKind.ENTERPRISE) == (
        "0100233583-001"
    )
    assert validate_registration_number(" 0100 233 583 ", ProducerKind.COOPERATIVE) == (
        "0100233583"
    )


def test_a_wrong_check_digit_says_so():
    with pytest.raises(ValidationError) as err:
        validate_registration_number("0100233584", ProducerKind.ENTERPRISE)
    assert err.value.code == "checksum"


@pytest.mark.parametrize("value", ["12345", "01002335AB", "0100-233583-0011"])
def test_malformed_numbers_say_what_shape_is_wanted(value):
    with pytest.raises(ValidationError) as err:
        validate_registration_number(value, ProducerKind.COOPERATIVE)
    assert err.value.code == "format"
    assert "10" in err.value.messages[0]


def test_households_may_use_a_citizen_id_but_enterprises_may_not():
    assert validate_registration_number("017203001234", ProducerKind.HOUSEHOLD) == "017203001234"
    with pytest.raises(ValidationError):
        validate_registration_number("017203001234", ProducerKind.ENTERPRISE)


@pytest.mark.django_db
def test_the_test_builder_makes_many_valid_producers(make_producer):
    # Some tax-number bodies have no valid check digit; the builder must skip them.
    numbers = {make_producer().registration_number for _i in range(20)}
    assert len(numbers) == 20
