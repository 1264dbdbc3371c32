"""Digital Link parsing on valid and invalid URIs, against the GS1 rules."""

import pytest
from django.utils import translation

from ocophub.trace.digital_link import (
    DigitalLinkError,
    ai_table,
    build_uri,
    check_pair,
    parse,
)

BASE = "https://ocop.example.vn"

VALID = [
    # (uri, canonical path+query on BASE)
    ("https://id.gs1.org/01/09520123456788", "/01/09520123456788"),
    ("/01/9520123456788", "/01/09520123456788"),  # GTIN-13 padded
    ("/01/614141000005", "/01/00614141000005"),  # GTIN-12
    ("/01/12345670", "/01/00000012345670"),  # GTIN-8
    ("/01/09520123456788/10/ABC123", "/01/09520123456788/10/ABC123"),
    ("/01/09520123456788/21/12345", "/01/09520123456788/21/12345"),
    ("/01/09520123456788/22/2A/10/ABC/21/XYZ", "/01/09520123456788/22/2A/10/ABC/21/XYZ"),
    ("/01/09520123456788/10/ABC/21/XYZ", "/01/09520123456788/10/ABC/21/XYZ"),
    ("/01/09520123456788/235/TPX1", "/01/09520123456788/235/TPX1"),
    ("/01/09520123456788/10/AB%2F12", "/01/09520123456788/10/AB%2F12"),  # "/" in a lot
    ("/01/09520123456788/10/A%2BB", "/01/09520123456788/10/A%2BB"),
    ("/01/09520123456788/10/A!B", "/01/09520123456788/10/A%21B"),  # canonical encoding
    ("/01/09520123456788?17=251231", "/01/09520123456788?17=251231"),
    ("/01/09520123456788?17=250200", "/01/09520123456788?17=250200"),  # day 00 allowed
    ("/01/09520123456788?15=260101&3103=000189", "/01/09520123456788?15=260101&3103=000189"),
    ("/01/09520123456788?11=250701&17=270630", "/01/09520123456788?11=250701&17=270630"),
    ("/gtin/09520123456788/lot/A1/ser/9", "/01/09520123456788/10/A1/21/9"),  # short names
    ("https://x.example/some/stem/01/09520123456788/10/L1", "/01/09520123456788/10/L1"),
    ("/00/106141411234567897", "/00/106141411234567897"),  # SSCC
    ("/253/9520123456788ABC", "/253/9520123456788ABC"),  # GDTI with serial
    ("/255/9520123456788100", "/255/9520123456788100"),  # GCN
    ("/401/952012345ABC", "/401/952012345ABC"),  # GINC
    ("/402/95201234567890122", "/402/95201234567890122"),  # GSIN
    ("/414/9520123456788", "/414/9520123456788"),  # GLN
    ("/414/9520123456788/254/32a%2Fb", "/414/9520123456788/254/32a%2Fb"),
    ("/414/9520123456788/7040/1A2B", "/414/9520123456788/7040/1A2B"),
    ("/417/9520123456788/7040/1A2B", "/417/9520123456788/7040/1A2B"),
    ("/8003/095201234567880ABC", "/8003/095201234567880ABC"),  # GRAI
    ("/8004/9520123456", "/8004/9520123456"),  # GIAI
    ("/8004/9520123456/7040/1A2B", "/8004/9520123456/7040/1A2B"),
    ("/8006/095201234567880102", "/8006/095201234567880102"),  # ITIP piece 1 of 2
    ("/8006/095201234567880102/10/L1", "/8006/095201234567880102/10/L1"),
    ("/8010/0628165987/8011/9876", "/8010/0628165987/8011/9876"),  # CPID + serial
    ("/8013/1987654Ad4X4bL5ttr2310c2K", "/8013/1987654Ad4X4bL5ttr2310c2K"),  # GMN
    ("/8017/106141411234567897/8019/123", "/8017/106141411234567897/8019/123"),
    ("/8018/106141411234567897", "/8018/106141411234567897"),
    ("/01/09520123456788/", "/01/09520123456788"),  # trailing slash dropped
    ("/01/09520123456788/21/S1?8030=abc_-", "/01/09520123456788/21/S1?8030=abc_-"),
    ("/01/09520123456788?423=704840", "/01/09520123456788?423=704840"),  # VN then US
    ("/01/09520123456788?8008=2507011230", "/01/09520123456788?8008=2507011230"),
    ("/01/09520123456788?716=AB12", "/01/09520123456788?716=AB12"),
]


@pytest.mark.parametrize("uri,canonical", VALID)
def test_valid_uris_and_their_canonical_form(uri, canonical):
    dl = parse(uri)
    assert dl.canonical_uri(base=BASE) == BASE + canonical


INVALID = [
    ("/01/09520123456789", "check digit"),
    ("/01/952012345678", "check digit"),  # a GTIN-12 with a wrong check digit
    ("/01/952012345", "too short"),  # 9 digits is no GTIN length
    ("/01/095201234567880", "too long"),
    ("/01/0952012345678A", "not allowed"),
    ("/01/09520123456788/21/A1/10/B", "order"),
    ("/01/09520123456788/10/A1/22/B", "order"),
    ("/01/09520123456788/10/A1/10/B", "twice"),
    ("/01/09520123456788/235/T/21/S", "order"),  # 235 excludes the 22/10/21 sequence
    ("/01/09520123456788/17/250101", "not a key qualifier"),
    ("/414/9520123456788/10/1", "not a key qualifier"),
    ("/00/106141411234567897/10/1", "not a key qualifier"),
    ("/01/09520123456788/10/" + "A" * 21, "too long"),
    ("/01/09520123456788/10/A%zz", "hexadecimal"),
    ("/01/09520123456788/10/A%20B", "not allowed"),  # space is outside set 82
    ("/01/09520123456788/10/L%C3%B4", "not allowed"),  # ô is outside set 82
    ("/01/09520123456788?17=251301", "month 13"),
    ("/01/09520123456788?17=250230", "day 30"),
    ("/01/09520123456788?17=2512", "too short"),
    ("/01/09520123456788?17=25123A", "not allowed"),
    ("/01/09520123456788?9999=1", "not a GS1 Application Identifier"),
    ("/01/09520123456788?10=ABC", "belongs in the path"),
    ("/01/09520123456788?17=251231&17=251231", "twice"),
    ("/01/09520123456788?3103=000189&3102=000100", "cannot be used together"),
    ("/01/09520123456788?4300=ABC", "needs one of"),  # ship-to company needs an SSCC
    ("/01/09520123456788?254=X", "not permitted as a data attribute"),
    ("/01/09520123456788?8200=x", "not permitted as a data attribute"),
    ("/01/09520123456788?8030=abc", "needs one of"),  # a signature needs 01 with 21
    ("/01/09520123456788?7250=19900101", "needs one of"),  # date of birth: GSRN only
    ("/01/09520123456788?423=7048", "too short"),  # countries are 3 digits each
    ("/01/09520123456788?8008=2507012412", "not a valid time"),
    ("/01/09520123456788?7022=A", "needs one of"),  # REV STAT needs FUNC STAT
    ("/414/9520123456789", "check digit"),
    ("/00/106141411234567898", "check digit"),
    ("/8006/095201234567880302", "piece number"),  # piece 3 of 2
    ("/8013/1987654Ad4X4bL5ttr2310cXK", "check characters"),
    ("/8003/195201234567880ABC", "must be 0"),
    ("/8010/abc", "not allowed"),  # CPID is set 39: capitals only
    ("/8011/1", "No GS1 primary key"),  # a qualifier alone
    ("/products/12", "No GS1 primary key"),
    ("/01", "No GS1 primary key"),
    ("/01//10/A", "empty segment"),
    ("ftp://example.com/01/09520123456788", "http"),
]


@pytest.mark.parametrize("uri,reason", INVALID)
def test_invalid_uris_say_why(uri, reason, settings):
    settings.LANGUAGE_CODE = "en"

    with translation.override("en"):
        with pytest.raises(DigitalLinkError) as exc:
            parse(uri)
    assert reason.lower() in str(exc.value).lower(), str(exc.value)


def test_gtin12_with_good_check_digit_is_valid():
    assert parse("/01/952012345672").gtin == "00952012345672"


def test_every_primary_key_of_the_standard_is_known():
    keys = {code for code, ai in ai_table().items() if ai.is_primary_key}
    assert keys == {
        "00", "01", "253", "255", "401", "402", "414", "415", "417",
        "8003", "8004", "8006", "8010", "8013", "8017", "8018",
    }  # fmt: skip
    assert ai_table()["01"].qualifiers == (("22", "10", "21"), ("235",))
    assert ai_table()["414"].qualifiers == (("254",), ("7040",))


def test_ai_ranges_are_expanded_with_their_formats():
    table = ai_table()
    assert {"3100", "3105", "3695", "7030", "7039", "91", "99"} <= set(table)
    assert "3106" not in table
    assert table["17"].components[0].linters == ("yymmd0",)
    assert table["10"].components[0].max == 20 and table["10"].components[0].kind == "X"


def test_extra_query_parameters_are_kept_but_not_in_the_identity():
    dl = parse("/01/09520123456788/10/L1?17=270630&linkType=all&lang=en")
    assert dl.extra == [("linkType", "all"), ("lang", "en")]
    assert dl.identity_uri(BASE) == BASE + "/01/09520123456788/10/L1"
    assert dl.canonical_uri(BASE) == BASE + "/01/09520123456788/10/L1?17=270630"


def test_values_are_percent_decoded():
    dl = parse("/01/09520123456788/10/AB%2F12%25")
    assert dl.qualifiers == {"10": "AB/12%"}


def test_build_uri_round_trips_through_the_parser():
    lot = "A/B+C%(1)"
    uri = build_uri([("01", "08930000000019"), ("10", lot)], [("17", "270630")], base=BASE)
    dl = parse(uri)
    assert dl.qualifiers["10"] == lot
    assert dl.canonical_uri(BASE) == uri


def test_gmn_check_pair():
    assert check_pair("1987654Ad4X4bL5ttr2310c") == "2K"
    assert check_pair("12345_ABCDEFGHIJKLM") == "CP"
