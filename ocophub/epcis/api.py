"""EPCIS 2.0 REST binding: POST /epcis/capture and GET /epcis/events.

Capture is synchronous and all-or-nothing: 202 with the capture's id (and a Location to
read it back) once every event is stored, or 400 listing every problem with its JSON
path, nothing stored. Query answers an EPCISQueryDocument that passes GS1's schema, paged
with perPage / nextPageToken and a Link: rel="next" header as the binding describes.
"""

import json
import uuid
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from ocophub.accounts.api_auth import WRITE_AUTH, caller
from ocophub.accounts.models import Role

from . import xml
from .models import Capture
from .query import STAFF_READERS, QueryError, page
from .store import CaptureError, capture, query_document

router = Router(tags=["epcis"])

CAPTURE_ROLES = (Role.PRODUCER, Role.PROVINCE_OFFICE, Role.COMMUNE_OFFICER)
JSON_TYPES = ("application/json", "application/ld+json")
XML_TYPE = "application/xml"
VERSION_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}


def _problem(status, title, problems, kind="ValidationException"):
    body = {
        "type": f"epcisException:{kind}",
        "title": title,
        "status": status,
        "detail": _("%(count)s problem(s) found; nothing was stored.") % {"count": len(problems)}
        if status == 400 and kind == "ValidationException"
        else title,
        "problems": [p if isinstance(p, dict) else p.as_dict() for p in problems],
    }
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
        headers=VERSION_HEADERS,
    )


def _may_capture(user):
    return user.is_superuser or user.role in CAPTURE_ROLES


DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "description": "An EPCIS 2.0 EPCISDocument (GS1's JSON schema).",
        "content": {
            **{
                media: {"schema": {"type": "object", "required": ["type", "epcisBody"]}}
                for media in JSON_TYPES
            },
            **{media: {"schema": {"type": "string"}} for media in xml.XML_TYPES},
        },
    }
}


@router.post(
    "/epcis/capture",
    auth=WRITE_AUTH,
    summary="Capture an EPCIS 2.0 document",
    openapi_extra=DOCUMENT_BODY,
)
def capture_document(request):
    """Body: an EPCISDocument (or EPCISQueryDocument) as `application/json`,
    `application/ld+json` or EPCIS 2.0 XML (`application/xml`, `text/xml`, checked
    against GS1's XSD)."""
    user = request.auth
    if not _may_capture(user):
        return _problem(
            403,
            _("Your role may not capture supply-chain events."),
            [],
            kind="SecurityException",
        )
    if request.content_type not in JSON_TYPES + xml.XML_TYPES:
        return _problem(
            415,
            _("Send the document as application/json, application/ld+json or application/xml."),
            [],
            kind="UnsupportedMediaType",
        )
    try:
        raw = request.body
    except RequestDataTooBig:
        return _problem(
            413,
            _("The document is too large; split its events over several documents."),
            [],
            kind="CaptureLimitExceededException",
        )
    if request.content_type in xml.XML_TYPES:
        try:
            document = xml.read_document(raw)
        except xml.XmlDocumentError as exc:
            return _problem(400, _("The document was not captured."), exc.problems)
        return _captured(request, document, user, validated=True)
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        where = getattr(exc, "lineno", None)
        message = (
            _("This is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
            if where
            else _("This is not valid JSON.")
        )
        return _problem(
            400, _("The document was not captured."), [{"path": "$", "message": message}]
        )
    return _captured(request, document, user)


def _captured(request, document, user, validated=False):
    try:
        result = capture(document, user=user, media_type=request.content_type, validated=validated)
    except CaptureError as exc:
        return _problem(400, _("The document was not captured."), exc.problems)
    location = request.build_absolute_uri(f"/api/v1/epcis/capture/{result.capture_id}")
    return JsonResponse(
        {
            "captureID": result.capture_id,
            "eventCount": result.event_count,
            "errorDeclarations": result.declared,
            "running": False,
            "success": True,
        },
        status=202,
        headers={"Location": location, **VERSION_HEADERS},
    )


@router.get("/epcis/capture/{capture_id}", auth=WRITE_AUTH, summary="A capture's outcome")
def capture_status(request, capture_id: str):
    try:
        record = Capture.objects.filter(pk=uuid.UUID(capture_id)).first()
    except ValueError:
        record = None
    user = request.auth
    if record is None or not (
        user.is_superuser or user.role in STAFF_READERS or record.captured_by_id == user.pk
    ):
        return _problem(404, _("No such capture."), [], kind="NoSuchResourceException")
    job = {
        "captureID": str(record.id),
        "createdAt": record.captured_at.isoformat(),
        "finishedAt": record.captured_at.isoformat(),
        "running": False,
        "success": True,
        "captureErrorBehaviour": "rollback",
        "eventCount": record.event_count,
        "errors": [],
    }
    if xml.wants_xml(request.headers.get("Accept", "")):
        return HttpResponse(xml.capture_job(job), content_type=XML_TYPE, headers=VERSION_HEADERS)
    return JsonResponse(job, headers=VERSION_HEADERS)


@router.get("/epcis/events", summary="Query events (EPCIS 2.0 REST binding)")
def events(request):
    """Filters: eventType, GE_/LT_eventTime, GE_/LT_recordTime, EQ_action, EQ_bizStep,
    EQ_disposition, EQ_readPoint, EQ_bizLocation, EQ_eventID, MATCH_epc, MATCH_parentID,
    MATCH_inputEPC, MATCH_outputEPC, MATCH_anyEPC, MATCH_epcClass, MATCH_inputEPCClass,
    MATCH_outputEPCClass, MATCH_anyEPCClass (several values: repeat the parameter or
    separate them with "|"); paging: perPage, nextPageToken. Events naming a published
    product's GTIN are open to all; staff read every event."""
    user = caller(request)
    try:
        rows, token = page(request.GET, user)
    except QueryError as exc:
        return _problem(
            400,
            _("The query was not understood."),
            [{"path": exc.parameter, "message": exc.message}],
            kind="QueryParameterException",
        )
    headers = dict(VERSION_HEADERS)
    if token:
        params = request.GET.copy()
        params["nextPageToken"] = token
        url = request.build_absolute_uri(request.path) + "?" + urlencode(params, doseq=True)
        headers["Link"] = f'<{url}>; rel="next"'
    accept = request.headers.get("Accept", "")
    if xml.wants_xml(accept):
        return HttpResponse(xml.query_document_for(rows), content_type=XML_TYPE, headers=headers)
    content_type = "application/ld+json" if "application/ld+json" in accept else "application/json"
    return JsonResponse(
        query_document(rows),
        content_type=content_type,
        json_dumps_params={"ensure_ascii": False},
        headers=headers,
    )
