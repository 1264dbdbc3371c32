"""Validation against GS1's EPCIS 2.0 JSON schema, both ways, with every problem listed."""

import fastjsonschema
import pytest
from django.utils import translation

from ocophub.epcis.schema import fast_validator, parse_time, schema_problems
from ocophub.testing.epcis import document, example_paths, load_example, object_event


def paths(problems):
    return {p.path for p in problems}


def test_good_document_has_no_problems():
    assert schema_problems(document(object_event(1), object_event(2))) == []


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_every_gs1_example_passes_the_schema(path):
    assert schema_problems(load_example(path)) == []


@pytest.mark.parametrize(
    "change, where, words",
    [
        (lambda e: e.pop("eventTime"), "$.epcisBody.eventList[0].eventTime", ""),
        (lambda e: e.update(action="MOVE"), "$.epcisBody.eventList[0].action", "OBSERVE"),
        (lambda e: e.update(eventTime="01/03/2025"), "$.epcisBody.eventList[0].eventTime", ""),
        (
            lambda e: e.update(eventTime="2025-03-01T08:00:00"),
            "$.epcisBody.eventList[0].eventTime",
            "",
        ),
        (lambda e: e.update(epcList="one"), "$.epcisBody.eventList[0].epcList", ""),
        (lambda e: e.update(colour="red"), "$.epcisBody.eventList[0].colour", "colour"),
        (
            lambda e: e.update(bizStep="urn:epcglobal:cbv:bizstep:teleporting"),
            "$.epcisBody.eventList[0].bizStep",
            "",
        ),
        (lambda e: e.update(eventTimeZoneOffset="7h"), "$.epcisBody.eventList[0]", ""),
    ],
    ids=[
        "missing-time",
        "bad-action",
        "bad-time",
        "time-without-zone",
        "epcList-not-list",
        "unknown-field",
        "unknown-cbv-step",
        "bad-offset",
    ],
)
def test_each_kind_of_bad_event_is_refused_with_its_path(change, where, words):
    event = object_event(1)
    change(event)
    problems = schema_problems(document(object_event(0), event))
    assert problems, "the bad document passed"
    assert any(p.path.startswith(where.replace("[0]", "[1]")) for p in problems), problems
    assert all(p.message for p in problems)
    if words:
        assert any(words in p.message for p in problems)
    # The compiled fast path must not let through what the reference validator refuses.
    with pytest.raises(fastjsonschema.JsonSchemaException):
        fast_validator()(document(object_event(0), event))


def test_all_problems_of_a_document_are_listed():
    bad = [object_event(i) for i in range(6)]
    bad[1]["action"] = "MOVE"
    del bad[3]["eventTime"]
    bad[5]["readPoint"] = "not an object"
    found = paths(schema_problems(document(*bad)))
    assert "$.epcisBody.eventList[1].action" in found
    assert "$.epcisBody.eventList[3].eventTime" in found
    assert any(p.startswith("$.epcisBody.eventList[5].readPoint") for p in found)
    assert not any("[0]" in p or "[2]" in p or "[4]" in p for p in found)


def test_document_level_problems():
    doc = document(object_event(1))
    del doc["@context"]
    doc["epcisBody"] = {"eventList": "none"}
    found = paths(schema_problems(doc))
    assert "$.@context" in found
    assert "$.epcisBody.eventList" in found


def test_messages_are_in_the_users_language(compiled_catalogues):
    event = object_event(1, colour="red")
    with translation.override("vi"):
        vi = schema_problems(document(event))[0].message
    with translation.override("en"):
        en = schema_problems(document(event))[0].message
    assert "colour" in vi and "colour" in en
    assert vi != en


def test_time_parsing_keeps_the_instant():
    a = parse_time("2005-04-03T20:33:31.116000-06:00")
    b = parse_time("2005-04-04T02:33:31.116Z")
    assert a == b
    assert parse_time("2013-06-08T14:58:56.5912345Z").microsecond == 591234
    assert parse_time("2025-02-30T00:00:00Z") is None
    assert parse_time("2025-03-01 08:00:00+07:00") is None
