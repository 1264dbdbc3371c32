"""GS1 Digital Link rules, case by case from the URI Syntax standard and the AI table:
key qualifiers (AI 235 included), data attributes per primary key, character sets after
percent-decoding, "+" and "%20" in the query string, order and repetition. The readings
chosen where the text is open are in digital_link's docstring."""

import pytest
from django.utils import translation

from ocophub.trace.digital_link import DigitalLinkError, ai_table, parse

GTIN = "09520123456788"


def refused(uri):
    with translation.override("en"):
        with pytest.raises(DigitalLinkError) as exc:
            parse(uri)
    return str(exc.value)


def test_every_primary_keys_qualifier_sequences_come_from_the_table():
    keys = {code: ai.qualifiers for code, ai in ai_table().items() if ai.is_primary_key}
    assert keys["01"] == (("22", "10", "21"), ("235",))
    assert keys["8006"] == (("22", "10", "21"),)
    assert keys["414"] == (("254",), ("7040",))
    assert keys["8004"] == (("7040",),)
    assert keys["8010"] == (("8011",),)
    assert keys["8017"] == keys["8018"] == (("8019",),)
    assert keys["00"] == ((),)


def test_a_gtin_takes_the_third_party_serial_extension_alone():
    dl = parse(f"https://id.gs1.org/01/{GTIN}/235/TPX-1")
    assert dl.path == [("01", GTIN), ("235", "TPX-1")]
    # 235 is its own qualifier sequence: not after a lot, not with a serial.
    assert "order" in refused(f"/01/{GTIN}/10/L1/235/TPX")
    assert "order" in refused(f"/01/{GTIN}/21/S1/235/TPX")
    assert "too long" in refused(f"/01/{GTIN}/235/{'X' * 29}")  # X..28
    # The qualifier belongs in the path.
    assert "path" in refused(f"/01/{GTIN}?235=TPX")


def test_qualifiers_keep_their_order_and_may_be_left_out():
    assert parse(f"/01/{GTIN}/22/V1/21/S1").qualifiers == {"22": "V1", "21": "S1"}
    assert "order" in refused(f"/01/{GTIN}/21/S1/10/L1")
    assert "order" in refused(f"/01/{GTIN}/10/L1/22/V1")
    # A qualifier of another key is not one of this key's.
    assert "not a key qualifier" in refused(f"/01/{GTIN}/7040/1A2B")
    assert "not a key qualifier" in refused("/8004/9520123456/10/L1")


def test_another_keys_ai_is_a_data_attribute_where_pairing_allows():
    # A GIAI (individual asset) may carry the GTIN of the trade item it is.
    dl = parse(f"https://id.gs1.org/8004/0952012345ABC?01={GTIN}")
    assert dl.key == "8004"
    assert dl.attributes == [("01", GTIN)]
    # The attribute describes; it does not make the URI a GTIN's.
    assert dl.gtin is None
    assert parse(f"/01/{GTIN}/10/L1").gtin == GTIN
    # An SSCC with the GTIN of its contents and their count.
    sscc = parse("/00/106141411234567897?02=00614141123452&37=25&10=ABC123")
    assert [code for code, _v in sscc.attributes] == ["02", "37", "10"]
    # Pairing rules still hold: a GTIN never goes with a GCN (01 ex=255)...
    assert "cannot be used together" in refused(f"/255/9520123456788100?01={GTIN}")
    # ...a lot needs a GTIN-like key, and a GTIN's check digit is checked as an attribute.
    assert "needs one of" in refused("/414/9520123456788?10=L1")
    assert "check digit" in refused("/8004/0952012345ABC?01=09520123456789")


def test_character_sets_are_checked_after_percent_decoding():
    # CSET 82: "%2F" is "/" and allowed; "%23" is "#", not in CSET 82.
    assert parse(f"/01/{GTIN}/10/A%2FB").qualifiers["10"] == "A/B"
    assert "not allowed" in refused(f"/01/{GTIN}/10/A%23B")
    # CSET 39 (a CPID): "#" and "/" allowed once decoded, lower case never.
    assert parse("/8010/09520%23/8011/1").path[0] == ("8010", "09520#")
    assert parse("/8010/09520%2F/8011/1").path[0] == ("8010", "09520/")
    assert "not allowed" in refused("/8010/0952a/8011/1")
    assert "not allowed" in refused("/8010/0952%61/8011/1")  # %61 is "a"
    # CSET 64 (a digital signature): base64url letters and "=", not "+" or "/".
    assert parse(f"/01/{GTIN}/21/S1?8030=ab-_%3D").get("8030") == "ab-_="
    assert "not allowed" in refused(f"/01/{GTIN}/21/S1?8030=ab%2B")
    assert "not allowed" in refused(f"/01/{GTIN}/21/S1?8030=ab%2F")
    # A character outside ASCII, encoded as UTF-8, is no GS1 character at all.
    assert "not allowed" in refused(f"/01/{GTIN}/10/%C3%A9")
    assert "hexadecimal" in refused(f"/01/{GTIN}/10/A%2")


def test_plus_in_the_query_is_a_plus_and_percent_20_a_space():
    assert parse(f"/01/{GTIN}?240=A+B").get("240") == "A+B"
    assert parse(f"/01/{GTIN}?240=A%2BB").get("240") == "A+B"
    assert "not allowed" in refused(f"/01/{GTIN}?240=A%20B")
    # CSET 64 has no "+": the literal plus is refused there as well.
    assert "not allowed" in refused(f"/01/{GTIN}/21/S1?8030=ab+c")
    # The canonical form encodes the plus so no form decoder reads a space.
    assert parse(f"/01/{GTIN}?240=A+B").canonical_uri(base="https://x.vn") == (
        f"https://x.vn/01/{GTIN}?240=A%2BB"
    )


def test_attributes_come_in_any_order_and_each_ai_once():
    one = parse(f"/01/{GTIN}/10/L1?17=251231&11=250101")
    other = parse(f"/01/{GTIN}/10/L1?11=250101&17=251231")
    assert dict(one.attributes) == dict(other.attributes)
    assert "twice" in refused(f"/01/{GTIN}?17=251231&17=251231")
    assert "twice" in refused(f"/01/{GTIN}?17=251231&17=261231")
    assert "twice" in refused(f"/01/{GTIN}/10/L1/10/L2")
    # The key or a qualifier again in the query is refused, whatever its value.
    assert "path" in refused(f"/01/{GTIN}/10/L1?10=L1")
    assert "path" in refused(f"/01/{GTIN}?01={GTIN}")
    # Other parameters may repeat and are not identifiers.
    dl = parse(f"/01/{GTIN}?linkType=gs1:pip&linkType=gs1:certificationInfo&17=251231")
    assert dl.extra == [("linkType", "gs1:pip"), ("linkType", "gs1:certificationInfo")]
    assert dl.identity_uri(base="https://x.vn") == f"https://x.vn/01/{GTIN}"
