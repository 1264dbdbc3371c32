"""EPCIS 2.0 XML: GS1's XML examples captured and queried back, XML and JSON-LD twins
giving the same stored events, every query answering XML, and bad XML refused."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from ocophub.epcis import xml
from ocophub.epcis.models import Capture, Event, EventEpc
from ocophub.epcis.schema import parse_time, schema_problems
from ocophub.testing.epcis import (
    EXAMPLES,
    client_for,
    document,
    example_paths,
    gtin,
    item,
    load_example,
    object_event,
    post_document,
)

pytestmark = pytest.mark.django_db

XML_EXAMPLES = EXAMPLES.parent / "gs1_xml_examples"
CAPTURE_XML = sorted(p for p in XML_EXAMPLES.rglob("*.xml") if p.parent.name != "CaptureJob")
CAPTURE_JOBS = sorted((XML_EXAMPLES / "CaptureJob").glob("*.xml"))
# Where GS1's JSON schema is narrower than its XSD and the standard: persistentDisposition
# on an AggregationEvent, a sensorReport with an exception and no type. The XSD is the XML
# binding's authority, so these are captured; their JSON-LD answer cannot pass the JSON
# schema, and cannot be captured again as JSON-LD.
JSON_SCHEMA_NARROWER = {"Example-PersistentDisposition.xml", "SensorDataExamples.xml"}
# GS1 ships these as the same example in both bindings.
TWINS = [
    ("Example_9.6.1-ObjectEvent-2020_06_18a.xml", "Example_9.6.1-ObjectEvent.jsonld"),
    ("Example-TransactionEvent-2020_07_03y.xml", "Example-TransactionEvents-2020_07_03y.jsonld"),
]
EVENTS = "/api/v1/epcis/events"


def post_xml(client, data, content_type="application/xml"):
    return client.post("/api/v1/epcis/capture", data=data, content_type=content_type)


def xml_events(reply):
    assert reply.status_code == 200, reply.content
    assert reply["Content-Type"].startswith("application/xml")
    root = etree.fromstring(reply.content)
    assert xml.schema_errors(root) == []
    assert root.tag == f"{{{xml.QUERY_NS}}}EPCISQueryDocument"
    return xml.read_document(reply.content)["epcisBody"]["eventList"]


def without_record_time(events):
    return [{k: v for k, v in e.items() if k != "recordTime"} for e in events]


def canonical(events):
    """Events without the repository's recordTime, in a stable order (queries answer in
    eventTime order, documents in any)."""
    return sorted(json.dumps(e, sort_keys=True) for e in without_record_time(events))


def stored(capture_id):
    """The stored events of a capture: indexed columns, identifiers and body."""
    out = []
    for row in Event.objects.filter(capture_id=capture_id).order_by("id"):
        keys = sorted(EventEpc.objects.filter(event=row).values_list("role", "key"))
        columns = (
            row.type,
            row.event_time,
            row.event_time_zone_offset,
            row.action,
            row.biz_step,
            row.disposition,
            row.read_point,
            row.biz_location,
        )
        body = json.loads(row.body)
        body.pop("recordTime", None)  # the repository sets its own (EPCIS 2.0, 7.4.1)
        out.append((columns, keys, body))
    return sorted(out, key=lambda e: (e[0][1], json.dumps(e[2], sort_keys=True)))


CBV_URN = "urn:epcglobal:cbv:"


def reading(value):
    """A value as the standard reads it, whichever binding and spelling wrote it: times
    as instants, CBV URNs and gs1: terms as bare words, numbers and booleans by value,
    empty elements as absent."""
    if isinstance(value, dict):
        return {k: reading(v) for k, v in value.items() if v != ""}
    if isinstance(value, list):
        return [reading(v) for v in value]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(Decimal(str(value)).normalize())
    if isinstance(value, str):
        moment = parse_time(value)
        if moment is not None:
            return moment.timestamp()
        if value.startswith(CBV_URN):
            return value.rsplit(":", 1)[1]
        if value.startswith("gs1:"):
            return value[4:]
        try:
            return str(Decimal(value).normalize())
        except ArithmeticError:
            return value
    return value


@pytest.mark.parametrize("path", CAPTURE_XML, ids=lambda p: p.name)
def test_gs1_xml_example_is_captured_and_queried_back_as_xml_and_json_ld(path, admin_user):
    data = path.read_bytes()
    assert xml.schema_errors(xml.parse(data)) == []
    client = client_for(admin_user)
    answer = post_xml(client, data)
    assert answer.status_code == 202, answer.content
    sent = xml.read_document(data)["epcisBody"]["eventList"]
    assert Event.objects.count() == len(sent)
    assert Capture.objects.get().media_type == "application/xml"

    back = xml_events(client.get(EVENTS, {"perPage": 1000}, HTTP_ACCEPT="application/xml"))
    assert canonical(back) == canonical(sent)

    reply = client.get(EVENTS, {"perPage": 1000}, HTTP_ACCEPT="application/ld+json")
    body = reply.json()
    assert canonical(body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == canonical(
        sent
    )
    if path.name not in JSON_SCHEMA_NARROWER:
        assert schema_problems(body) == []


@pytest.mark.parametrize(
    "path", [p for p in CAPTURE_XML if p.name not in JSON_SCHEMA_NARROWER], ids=lambda p: p.name
)
def test_an_xml_capture_sent_again_as_its_json_ld_answer_gives_the_same_stored_events(
    path, admin_user
):
    client = client_for(admin_user)
    first = post_xml(client, path.read_bytes()).json()["captureID"]
    answer = client.get(EVENTS, {"perPage": 1000}, HTTP_ACCEPT="application/ld+json").json()
    again = {
        "@context": answer["@context"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": answer["creationDate"],
        "epcisBody": {
            "eventList": without_record_time(
                answer["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            )
        },
    }
    from_xml = stored(first)
    Event.objects.all().delete()
    reply = post_document(client, again, content_type="application/ld+json")
    assert reply.status_code == 202, reply.content
    assert stored(reply.json()["captureID"]) == from_xml


@pytest.mark.parametrize("xml_name,json_name", TWINS)
def test_the_xml_and_json_ld_forms_of_one_gs1_example_give_the_same_stored_events(
    xml_name, json_name, admin_user
):
    client = client_for(admin_user)
    from_xml = stored(post_xml(client, (XML_EXAMPLES / xml_name).read_bytes()).json()["captureID"])
    twin = load_example(EXAMPLES / json_name)
    from_json = stored(post_document(client, twin).json()["captureID"])
    assert len(from_xml) == len(from_json) > 0
    for (columns, keys, body), (json_columns, json_keys, json_body) in zip(
        from_xml, from_json, strict=True
    ):
        assert columns == json_columns
        assert keys == json_keys
        # GS1 gave the JSON-LD twins hash event IDs the XML files do not carry.
        json_body = {k: v for k, v in json_body.items() if k in body or k != "eventID"}
        assert reading(body) == reading(json_body)


def test_gs1s_json_twin_of_the_hash_id_example_reads_as_the_xml_does():
    # GS1's JSON twin writes CBV URNs, which its own JSON schema refuses: compared as read.
    converted = xml.read_document(
        (XML_EXAMPLES / "WithEventHashID" / "event_with_identical_hash_id_1.xml").read_bytes()
    )
    twin = json.loads(
        (XML_EXAMPLES / "WithEventHashID" / "event_with_identical_hash_id_7.json").read_text()
    )
    assert reading(converted["epcisBody"]) == reading(twin["epcisBody"])


def test_the_reading_of_gs1s_xml_follows_the_standards_json_forms():
    event = xml.read_document(
        (XML_EXAMPLES / "WithEventHashID" / "event_with_identical_hash_id_1.xml").read_bytes()
    )["epcisBody"]["eventList"][0]
    assert event["bizStep"] == "receiving"
    assert event["disposition"] == "in_progress"
    assert event["bizTransactionList"] == [
        {"type": "po", "bizTransaction": "urn:epc:id:gdti:0614141.00001.1618034"}
    ]
    assert event["sourceList"][0] == {
        "type": "location",
        "source": "urn:epc:id:sgln:4012345.00225.0",
    }
    assert event["quantityList"][0]["quantity"] == 200
    report = event["sensorElementList"][0]["sensorReport"][0]
    assert report["type"] == "Temperature"
    assert report["booleanValue"] is True
    assert report["value"] == 26.0
    assert report["ext1:someFurtherReportData"] == "someText"
    assert event["persistentDisposition"] == {
        "unset": ["completeness_inferred"],
        "set": ["completeness_verified"],
    }
    assert event["ilmd"] == {
        "ext1:default": "stringAsDefaultValue",
        "ext1:int": 10,
        "ext1:float": 20.0,
    }


def test_an_extension_elements_attributes_and_repeats_are_kept():
    data = (
        XML_EXAMPLES
        / "WithFullCombinationOfFields"
        / "transformation_event_all_possible_fields.xml"
    ).read_bytes()
    converted = xml.read_document(data)
    event = converted["epcisBody"]["eventList"][0]
    assert event["ilmd"]["cbvmda:netWeight"] == {"@measurementUnitCode": "KGM", "#text": "3.5"}
    assert event["ext1:array"][:5] == [12, 22.0, "2013-06-08T14:58:56.591Z", True, "stringInArray"]
    assert {"ext1": "http://example.com/ext1/"} in converted["@context"]
    # cbvmda is the standard context's: not declared again.
    assert not any(isinstance(c, dict) and "cbvmda" in c for c in converted["@context"])


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_every_gs1_json_ld_example_answers_as_xml_that_passes_the_xsd_and_reads_back_the_same(
    path, admin_user
):
    example = load_example(path)
    if example["type"] != "EPCISDocument":
        pytest.skip("the query-document example is captured in test_examples")
    client = client_for(admin_user)
    assert post_document(client, example, content_type="application/ld+json").status_code == 202
    back = xml_events(client.get(EVENTS, {"perPage": 1000}, HTTP_ACCEPT="application/xml"))
    assert canonical(back) == canonical(example["epcisBody"]["eventList"])


def test_filters_and_paging_apply_to_the_xml_answer(province_officer):
    client = client_for(province_officer)
    events = [object_event(n, bizStep="shipping" if n % 2 else "receiving") for n in range(5)]
    assert post_document(client, document(*events)).status_code == 202
    reply = client.get(EVENTS, {"EQ_bizStep": "shipping", "perPage": 1}, HTTP_ACCEPT="text/xml")
    back = xml_events(reply)
    assert [e["eventID"] for e in back] == [events[1]["eventID"]]
    assert back[0]["bizStep"] == "shipping"
    assert 'rel="next"' in reply["Link"]


def test_json_stays_the_answer_unless_xml_is_asked_for_first():
    assert xml.wants_xml("application/xml")
    assert xml.wants_xml("text/xml, application/json")
    assert not xml.wants_xml("application/json, application/xml")
    assert not xml.wants_xml("application/ld+json")
    assert not xml.wants_xml("*/*")
    assert not xml.wants_xml("")


def test_an_xml_document_breaking_the_xsd_is_refused_with_where_and_nothing_stored(
    province_officer,
):
    data = (XML_EXAMPLES / "Example_9.6.1-ObjectEvent-2020_06_18a.xml").read_bytes()
    broken = data.replace(b"<action>OBSERVE</action>", b"<action>LOOK</action>", 1)
    reply = post_xml(client_for(province_officer), broken)
    assert reply.status_code == 400
    problems = reply.json()["problems"]
    assert problems[0]["path"] == "/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/action"
    assert "LOOK" in problems[0]["message"]
    assert Event.objects.count() == 0 and Capture.objects.count() == 0


def test_xml_that_is_not_well_formed_is_refused_saying_the_line(province_officer):
    reply = post_xml(
        client_for(province_officer), b"<?xml version='1.0'?>\n<epcis:EPCISDocument>\n<oops>"
    )
    assert reply.status_code == 400
    assert "2" in reply.json()["problems"][0]["message"]
    assert Event.objects.count() == 0


def test_an_xml_root_other_than_an_epcis_document_is_refused(province_officer):
    job = (XML_EXAMPLES / "CaptureJob" / "Example-CaptureJobSuccess.xml").read_bytes()
    reply = post_xml(client_for(province_officer), job, content_type="text/xml")
    assert reply.status_code == 400
    assert "EPCISDocument" in reply.json()["problems"][0]["message"]


def test_external_entities_are_never_read(province_officer, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    data = (XML_EXAMPLES / "Example_9.6.1-ObjectEvent-2020_06_18a.xml").read_text()
    data = data.replace(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>',
    ).replace("Example of a vendor/user extension", "&x;")
    reply = post_xml(client_for(province_officer), data.encode())
    assert b"TOP-SECRET" not in reply.content
    for event in Event.objects.all():
        assert "TOP-SECRET" not in event.body


def test_an_xml_capture_names_only_products_the_writer_may_edit(
    producer_account, make_producer, make_product
):
    other_product = make_product(make_producer(), name="Gà Ri", gtin=gtin(8))
    data = (XML_EXAMPLES / "Example_9.6.1-ObjectEvent-2020_06_18a.xml").read_text()
    data = data.replace(
        "urn:epc:id:sgtin:0614141.107346.2017", item(other_product.gtin, "X1"), 1
    ).encode()
    reply = post_xml(client_for(producer_account), data)
    assert reply.status_code == 400
    assert other_product.gtin in reply.json()["problems"][0]["message"]
    assert Event.objects.count() == 0


def test_the_capture_job_answers_xml_that_passes_the_xsd(province_officer):
    client = client_for(province_officer)
    data = (XML_EXAMPLES / "Example_9.6.1-ObjectEvent-2020_06_18a.xml").read_bytes()
    location = post_xml(client, data)["Location"]
    reply = client.get(location, HTTP_ACCEPT="application/xml")
    assert reply.status_code == 200
    assert xml.schema_errors(etree.fromstring(reply.content)) == []
    job = xml.read_capture_job(reply.content)
    as_json = client.get(location).json()
    assert job["captureID"] == as_json["captureID"]
    assert job["success"] is True and job["running"] is False
    assert job["captureErrorBehaviour"] == "rollback"


@pytest.mark.parametrize("path", CAPTURE_JOBS, ids=lambda p: p.name)
def test_gs1s_capture_job_examples_pass_the_same_schema_and_read_as_the_binding_says(path):
    data = path.read_bytes()
    assert xml.schema_errors(xml.parse(data)) == []
    job = xml.read_capture_job(data)
    assert job["captureID"]
    assert job["captureErrorBehaviour"] in ("rollback", "proceed")
    assert xml.schema_errors(etree.fromstring(xml.capture_job(job))) == []


def test_the_schema_is_compiled_once_per_process():
    assert xml.xml_schema() is xml.xml_schema()


def test_the_xsds_are_the_vendored_copies():
    names = {p.name for p in Path(xml.XSD_DIR).glob("*.xsd")}
    assert {"EPCglobal-epcis-2_0.xsd", "EPCglobal-epcis-query-2_0.xsd"} <= names
