"""Settings from the environment: a value the platform cannot read stops it, by name."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ocophub.settings import env_flag, env_int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("yes", True), ("True", True), ("1", True), (" on ", True)]
    + [("no", False), ("FALSE", False), ("0", False), ("off", False)],
)
def test_a_flag_reads_yes_no_true_false_on_off_and_one_zero(monkeypatch, raw, expected):
    monkeypatch.setenv("OCOP_TEST_FLAG", raw)
    assert env_flag("OCOP_TEST_FLAG", not expected) is expected


def test_an_unset_or_empty_flag_takes_its_default(monkeypatch):
    monkeypatch.delenv("OCOP_TEST_FLAG", raising=False)
    assert env_flag("OCOP_TEST_FLAG", True) is True
    monkeypatch.setenv("OCOP_TEST_FLAG", "")
    assert env_flag("OCOP_TEST_FLAG", False) is False


@pytest.mark.parametrize("raw", ["ye", "enabled", "2", "tru"])
def test_an_unknown_flag_value_is_an_error_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("SECURE_COOKIES", raw)
    with pytest.raises(ImproperlyConfigured, match=f"SECURE_COOKIES='{raw}'"):
        env_flag("SECURE_COOKIES", False)


def test_a_number_reads_whole_numbers_and_takes_its_default_when_unset(monkeypatch):
    monkeypatch.setenv("TRACE_SCAN_MAX_AGE", "120")
    assert env_int("TRACE_SCAN_MAX_AGE", 60) == 120
    monkeypatch.delenv("TRACE_SCAN_MAX_AGE")
    assert env_int("TRACE_SCAN_MAX_AGE", 60) == 60


@pytest.mark.parametrize("raw", ["sixty", "1.5", "60s"])
def test_a_number_that_is_not_whole_is_an_error_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("TRACE_SCAN_MAX_AGE", raw)
    with pytest.raises(ImproperlyConfigured, match="TRACE_SCAN_MAX_AGE"):
        env_int("TRACE_SCAN_MAX_AGE", 60)
