"""EPCIS 2.0 REST binding (GS1's epcis-rest-openapi.json) under /api/v1/epcis/.

Capture is synchronous and all-or-nothing: 202 with the capture's id (and a Location to
read it back) once every event is stored, or 400 listing every problem with its JSON
path, nothing stored. Queries answer an EPCISQueryDocument that passes GS1's schema, paged
with perPage / nextPageToken and a Link: rel="next" header as the binding describes. The
top-level resources (eventTypes, epcs, bizSteps, bizLocations, readPoints, dispositions)
and named queries read events through the same filters and the caller's read scope.
Every resource answers OPTIONS with the versions it speaks; a client whose
GS1-EPCIS-Min/Max or GS1-CBV-Min/Max exclude 2.0 is answered 406.
"""

import functools
import inspect
import json
import secrets
import uuid
from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Router

from ocophub.accounts.api_auth import WRITE_AUTH, caller
from ocophub.accounts.models import Role
from ocophub.core.api_errors import ERROR_REF

from . import xml
from .models import CLASS_ROLES, INSTANCE_ROLES, Capture, NamedQuery, Subscription
from .query import (
    EVENT_TYPES,
    PAGING,
    STAFF_READERS,
    QueryError,
    as_params,
    filtered,
    make_token,
    page,
    page_size_of,
    read_token,
    readable_events,
    token_expires,
)
from .schema import STANDARD_CONTEXT, parse_time, schema
from .store import CaptureError, capture, match_q, query_document
from .subscriptions import deliver
from .vocab import normalise_biz_step, normalise_disposition

router = Router(tags=["epcis"])

CAPTURE_ROLES = (Role.PRODUCER, Role.PROVINCE_OFFICE, Role.COMMUNE_OFFICER)
JSON_TYPES = ("application/json", "application/ld+json")
XML_TYPE = "application/xml"
VERSION_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
DISCOVERY_HEADERS = {
    **VERSION_HEADERS,
    "GS1-EPCIS-Min": "2.0.0",
    "GS1-EPCIS-Max": "2.0.0",
    "GS1-CBV-Min": "2.0.0",
    "GS1-CBV-Max": "2.0.0",
    "GS1-EPC-Format": "Always_GS1_Digital_Link",
    "GS1-CBV-XML-Format": "Always_URN",
}
# Events a capture may carry, and the document size (Django's own upload limit).
CAPTURE_LIMIT = settings.EPCIS_CAPTURE_LIMIT
TOP_LEVEL = (
    "events",
    "eventTypes",
    "epcs",
    "bizSteps",
    "bizLocations",
    "readPoints",
    "dispositions",
    "capture",
    "queries",
)


def _problem(status, title, problems=(), kind="ValidationException"):
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


# The problem+json body of _problem, for the schema.
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "object"}},
    },
}


def answers(*codes, **extra):
    """A binding route's `openapi_extra=`: the codes it answers besides 200 (an error
    with the problem+json body; 406 is every route's, see `binding`), merged with
    `extra` (its request body)."""
    responses = {}
    for code in (*codes, 406):
        responses[code] = {"description": HTTPStatus(code).phrase}
        if code >= 400:
            responses[code]["content"] = {"application/problem+json": {"schema": PROBLEM_SCHEMA}}
    if 404 in codes:
        # A path Django cannot decode never reaches the route: the API's JSON 404.
        responses[404]["content"]["application/json"] = {"schema": ERROR_REF}
    return {**extra, "responses": responses}


def _version(text):
    parts = text.strip().split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts) + (0,) * (3 - len(parts))


def _negotiation_problem(request):
    """406 when the client's version headers leave out EPCIS 2.0 / CBV 2.0, else None.
    GS1-*-Version names the version the client speaks (2.0.x passes); Min and Max bound
    the versions it accepts."""
    for kind in ("EPCIS", "CBV"):
        for name in ("Version", "Min", "Max"):
            header = f"GS1-{kind}-{name}"
            raw = request.headers.get(header)
            if raw is None:
                continue
            asked = _version(raw)
            fits = asked is not None and (
                (name == "Version" and asked[:2] == (2, 0))
                or (name == "Min" and asked <= (2, 0, 0))
                or (name == "Max" and asked >= (2, 0, 0))
            )
            if not fits:
                return _problem(
                    406,
                    _("%(header)s: %(value)s leaves out %(kind)s 2.0.0, which this server speaks.")
                    % {"header": header, "value": raw[:20], "kind": kind},
                    kind="NotAcceptableException",
                )
    return None


def _extensions_header(context):
    """GS1-Extensions for an answer: the namespaces (prefix=URI) its @context declares."""
    pairs = []
    for entry in context or ():
        if isinstance(entry, dict):
            pairs += [f"{k}={v}" for k, v in entry.items() if isinstance(v, str)]
    return ", ".join(pairs)


def binding(view):
    """A route of the binding: version negotiation first, version headers on the answer,
    and the client's GS1-Extensions echoed (extensions are stored and returned as
    captured, so every one the client names is supported)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        refusal = _negotiation_problem(request)
        if refusal is not None:
            return refusal
        response = view(request, *args, **kwargs)
        for name, value in VERSION_HEADERS.items():
            if name not in response:
                response[name] = value
        asked = request.headers.get("GS1-Extensions")
        if asked and "GS1-Extensions" not in response:
            response["GS1-Extensions"] = asked
        return response

    return wrapper


def _may_capture(user):
    return user.is_superuser or user.role in CAPTURE_ROLES


DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "description": "An EPCIS 2.0 EPCISDocument or EPCISQueryDocument (GS1's JSON schema).",
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
    openapi_extra=answers(202, 400, 403, 413, 415, **DOCUMENT_BODY),
)
@binding
def capture_document(request):
    """Body: an EPCISDocument (or EPCISQueryDocument) as `application/json`,
    `application/ld+json` or EPCIS 2.0 XML (`application/xml`, `text/xml`, checked
    against GS1's XSD). At most GS1-EPCIS-Capture-Limit events; all or nothing
    (GS1-Capture-Error-Behaviour: rollback)."""
    user = request.auth
    if not _may_capture(user):
        return _problem(
            403,
            _("Your role may not capture supply-chain events."),
            kind="SecurityException",
        )
    behaviour = request.headers.get("GS1-Capture-Error-Behaviour", "rollback")
    if behaviour != "rollback":
        return _problem(
            406,
            _("This server captures a document whole or not at all (rollback)."),
            kind="NotAcceptableException",
        )
    if request.content_type not in JSON_TYPES + xml.XML_TYPES:
        return _problem(
            415,
            _("Send the document as application/json, application/ld+json or application/xml."),
            kind="UnsupportedMediaType",
        )
    try:
        raw = request.body
    except RequestDataTooBig:
        return _too_large()
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


def _too_large():
    return _problem(
        413,
        _("The document is too large; split its events over several documents."),
        kind="CaptureLimitExceededException",
    )


def _event_count(document):
    body = document.get("epcisBody") if isinstance(document, dict) else None
    if not isinstance(body, dict):
        return 0
    if "queryResults" in body:
        body = (body.get("queryResults") or {}).get("resultsBody") or {}
    events = body.get("eventList")
    return len(events) if isinstance(events, list) else 0


def _captured(request, document, user, validated=False):
    if _event_count(document) > CAPTURE_LIMIT:
        return _too_large()
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


def _job(record):
    return {
        "captureID": str(record.id),
        "createdAt": record.captured_at.isoformat(),
        "finishedAt": record.captured_at.isoformat(),
        "running": False,
        "success": True,
        "captureErrorBehaviour": "rollback",
        "eventCount": record.event_count,
        "errors": [],
    }


def _reads_every_capture(user):
    return user.is_superuser or user.role in STAFF_READERS


@router.get(
    "/epcis/capture",
    auth=WRITE_AUTH,
    summary="Capture jobs, newest first",
    openapi_extra=answers(400),
)
@binding
def capture_jobs(request):
    """The capture jobs the caller may see (its own; staff see all), newest first, paged
    with perPage / nextPageToken."""
    user = request.auth
    jobs = Capture.objects.order_by("-captured_at", "-id")
    if not _reads_every_capture(user):
        jobs = jobs.filter(captured_by=user)
    try:
        per_page = page_size_of(request.GET)
        token = request.GET.get("nextPageToken")
        if token:
            moment, pk = read_token(token)
            jobs = jobs.filter(
                Q(captured_at__lt=moment) | Q(captured_at=moment, id__lt=uuid.UUID(pk))
            )
    except (QueryError, ValueError, TypeError) as exc:
        return _query_problem(exc)
    rows = list(jobs[: per_page + 1])
    headers = {}
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        headers = _next_page(request, make_token(last.captured_at.isoformat(), str(last.id)))
    return JsonResponse([_job(r) for r in rows], safe=False, headers=headers)


@router.get(
    "/epcis/capture/{capture_id}",
    auth=WRITE_AUTH,
    summary="A capture's outcome",
    openapi_extra=answers(404),
)
@binding
def capture_status(request, capture_id: str):
    try:
        record = Capture.objects.filter(pk=uuid.UUID(capture_id)).first()
    except ValueError:
        record = None
    user = request.auth
    if record is None or not (_reads_every_capture(user) or record.captured_by_id == user.pk):
        return _problem(404, _("No such capture."), kind="NoSuchResourceException")
    job = _job(record)
    if xml.wants_xml(request.headers.get("Accept", "")):
        return HttpResponse(xml.capture_job(job), content_type=XML_TYPE, headers=VERSION_HEADERS)
    return JsonResponse(job, headers=VERSION_HEADERS)


# --- Reading events ------------------------------------------------------------------


def _query_problem(exc):
    if not isinstance(exc, QueryError):
        exc = QueryError(
            "nextPageToken",
            _("This nextPageToken is not one this server gave out; start again without it."),
        )
    return _problem(
        400,
        _("The query was not understood."),
        [{"path": exc.parameter, "message": exc.message}],
        kind="QueryParameterException",
    )


def _next_page(request, token):
    params = request.GET.copy()
    params["nextPageToken"] = token
    url = request.build_absolute_uri(request.path) + "?" + urlencode(params, doseq=True)
    return {"Link": f'<{url}>; rel="next"', "GS1-Next-Page-Token-Expires": token_expires()}


def _events_answer(request, extra=(), named=None, subscription_id=None):
    """The events answer of every events resource: the caller's filters (or a named
    query's), `extra` filters of the resource, paged, as JSON-LD or XML."""
    user = caller(request)
    try:
        if named is None:
            rows, token = page(request.GET, user, extra)
        else:
            for name in request.GET:
                if name not in PAGING:
                    raise QueryError(
                        name,
                        _("A named query's events take only perPage and nextPageToken."),
                    )
            rows, token = page(as_params(named.query), user, paging=request.GET)
    except QueryError as exc:
        return _query_problem(exc)
    headers = _next_page(request, token) if token else {}
    query_name = named.name if named is not None else "SimpleEventQuery"
    accept = request.headers.get("Accept", "")
    if xml.wants_xml(accept):
        body = xml.query_document_for(rows, query_name=query_name)
        return HttpResponse(body, content_type=XML_TYPE, headers=headers)
    document = query_document(rows, query_name=query_name)
    extensions = _extensions_header(document["@context"])
    if extensions:
        headers["GS1-Extensions"] = extensions
    content_type = "application/ld+json" if "application/ld+json" in accept else "application/json"
    return JsonResponse(
        document,
        content_type=content_type,
        json_dumps_params={"ensure_ascii": False},
        headers=headers,
    )


EVENTS_DOC = """Filters: eventType, GE_/LT_eventTime, GE_/LT_recordTime, EQ_action, EQ_bizStep,
    EQ_disposition, EQ_readPoint, EQ_bizLocation, EQ_eventID, MATCH_epc, MATCH_parentID,
    MATCH_inputEPC, MATCH_outputEPC, MATCH_anyEPC, MATCH_epcClass, MATCH_inputEPCClass,
    MATCH_outputEPCClass, MATCH_anyEPCClass (several values: repeat the parameter or
    separate them with "|"); paging: perPage, nextPageToken. Events naming a published
    product's GTIN are open to all; staff read every event."""


@router.get(
    "/epcis/events",
    summary="Query events (EPCIS 2.0 REST binding)",
    description=EVENTS_DOC,
    openapi_extra=answers(400),
)
@binding
def events(request):
    return _events_answer(request)


def _not_found(what):
    return _problem(404, what, kind="NoSuchResourceException")


@router.get(
    "/epcis/events/{path:event_id}",
    summary="One event by its eventID",
    openapi_extra=answers(404),
)
@binding
def event_by_id(request, event_id: str):
    """The event (and its error declaration, if any) under this eventID, URL-encoded
    (`ni:///sha-256;...?ver=CBV2.0` as `ni%3A%2F%2F%2Fsha-256%3B...%3Fver%3DCBV2.0`)."""
    if not filtered(MultiValueDict(), caller(request), [("EQ_eventID", event_id)]).exists():
        return _not_found(_("No event with this eventID that you may read."))
    return _events_answer(request, [("EQ_eventID", event_id)])


def _collection(request, members):
    """A Collection answer (eventTypes, bizSteps, ...): `members` sorted, paged by value."""
    try:
        per_page = page_size_of(request.GET)
        token = request.GET.get("nextPageToken")
        after = read_token(token)[0] if token else None
    except QueryError as exc:
        return _query_problem(exc)
    if callable(members):
        values = members(after, per_page + 1)
    else:
        values = [m for m in members if after is None or m > after][: per_page + 1]
    headers = {}
    if len(values) > per_page:
        values = values[:per_page]
        headers = _next_page(request, make_token(values[-1]))
    return JsonResponse(
        {"@context": STANDARD_CONTEXT, "type": "Collection", "member": values},
        json_dumps_params={"ensure_ascii": False},
        headers=headers,
    )


def _sub_resources():
    return JsonResponse({"@context": STANDARD_CONTEXT, "type": "Collection", "member": ["events"]})


@router.get("/epcis/", summary="The binding's top-level resources", openapi_extra=answers())
@binding
def top_level(request):
    return _collection(request, sorted(TOP_LEVEL))


@router.get("/epcis/eventTypes", summary="Event types", openapi_extra=answers(400))
@binding
def event_types(request):
    return _collection(request, sorted(EVENT_TYPES))


@router.get(
    "/epcis/eventTypes/{event_type}",
    summary="An event type's sub-resources",
    openapi_extra=answers(404),
)
@binding
def event_type(request, event_type: str):
    if event_type not in EVENT_TYPES:
        return _not_found(_("No such event type."))
    return _sub_resources()


@router.get(
    "/epcis/eventTypes/{event_type}/events",
    summary="Events of one type",
    description=EVENTS_DOC,
    openapi_extra=answers(400, 404),
)
@binding
def event_type_events(request, event_type: str):
    if event_type not in EVENT_TYPES:
        return _not_found(_("No such event type."))
    return _events_answer(request, [("eventType", event_type)])


EVERY_ROLE = INSTANCE_ROLES + CLASS_ROLES


@router.get(
    "/epcis/epcs/{path:epc}/events",
    summary="Events naming an EPC",
    description=EVENTS_DOC,
    openapi_extra=answers(400, 404),
)
@binding
def epc_events(request, epc: str):
    """Events naming the EPC (instance or class, URN or Digital Link, URL-encoded) in any
    role: an item's events, or a batch's (an EPC class)."""
    return _events_answer(request, [match_q([epc], EVERY_ROLE)])


@router.get("/epcis/epcs/{path:epc}", summary="An EPC's sub-resources", openapi_extra=answers(404))
@binding
def epc(request, epc: str):
    if not filtered(MultiValueDict(), caller(request), [match_q([epc], EVERY_ROLE)]).exists():
        return _not_found(_("No event you may read names this EPC."))
    return _sub_resources()


def _cbv_words(kind):
    choices = schema()["definitions"][kind]["anyOf"]
    return sorted(next(c["enum"] for c in choices if "enum" in c))


# Vocabulary resources: (column, EQ_ parameter, normaliser, CBV list in GS1's schema).
VOCABULARIES = {
    "bizSteps": ("biz_step", "EQ_bizStep", normalise_biz_step, "bizStep"),
    "dispositions": ("disposition", "EQ_disposition", normalise_disposition, "disposition"),
    "bizLocations": ("biz_location", "EQ_bizLocation", str, None),
    "readPoints": ("read_point", "EQ_readPoint", str, None),
}


def _vocabulary_members(request, resource):
    """The values of a vocabulary in the events the caller may read (and, for business
    steps and dispositions, every CBV word: the binding lists the standard ones too)."""
    column, _parameter, _normalise, cbv = VOCABULARIES[resource]
    user = caller(request)

    def members(after, limit):
        values = readable_events(user).exclude(**{column: ""})
        if after is not None:
            values = values.filter(**{f"{column}__gt": after})
        words = set()
        if cbv:
            standard = [w for w in _cbv_words(cbv) if after is None or w > after]
            words.update(standard)
            # The standard words are members anyway: look only for the others, so that
            # the read scope is asked of the few events with user vocabulary rather than
            # of every event (seconds at scale for a public reader).
            values = values.exclude(**{f"{column}__in": _cbv_words(cbv)})
        found = values.order_by(column).values_list(column, flat=True).distinct()[:limit]
        words.update(found)
        return sorted(words)[:limit]

    return members


def _vocabulary_known(request, resource, value):
    column, _parameter, normalise, cbv = VOCABULARIES[resource]
    value = normalise(value)
    if cbv and value in _cbv_words(cbv):
        return True
    return readable_events(caller(request)).filter(**{column: value}).exists()


def _vocabulary_routes(resource):
    label = resource[0].upper() + resource[1:]

    @router.get(
        f"/epcis/{resource}",
        summary=f"{label} (EPCIS 2.0 REST binding)",
        openapi_extra=answers(400),
    )
    @binding
    def collection(request):
        return _collection(request, _vocabulary_members(request, resource))

    @router.get(
        f"/epcis/{resource}/{{path:value}}/events",
        summary=f"Events by {resource}",
        openapi_extra=answers(400, 404),
    )
    @binding
    def value_events(request, value: str):
        return _events_answer(request, [(VOCABULARIES[resource][1], value)])

    @router.get(
        f"/epcis/{resource}/{{path:value}}",
        summary=f"One of the {resource}",
        openapi_extra=answers(404),
    )
    @binding
    def value_resource(request, value: str):
        if not _vocabulary_known(request, resource, value):
            return _not_found(_("No such value in the events you may read."))
        return _sub_resources()

    collection.__name__ = f"{resource}_collection"
    value_events.__name__ = f"{resource}_events"
    value_resource.__name__ = f"{resource}_resource"


for _resource in VOCABULARIES:
    _vocabulary_routes(_resource)


@router.delete("/epcis/nextPageToken/{token}", summary="Invalidate a nextPageToken")
@binding
def forget_token(request, token: str):
    """Tokens are signed, not stored: they expire by themselves (501, as the binding
    allows)."""
    return _problem(
        501,
        _("Page tokens expire by themselves; there is nothing to delete."),
        kind="ImplementationException",
    )


# --- Named queries -------------------------------------------------------------------


def _signed_in(request):
    user = caller(request)
    if user is None or not user.is_authenticated:
        return None
    return user


def _unauthorised():
    return _problem(
        401,
        _("Sign in or send an API token (Authorization: Bearer ...)."),
        kind="SecurityException",
    )


def _query_json(named):
    return {"name": named.name, "query": named.query}


def _visible_queries(user):
    queries = NamedQuery.objects.all()
    if not (user.is_superuser or user.role in STAFF_READERS):
        queries = queries.filter(created_by=user)
    return queries


def named_query_for(user, name):
    return _visible_queries(user).filter(name=name).first()


QUERY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["name", "query"],
                    "properties": {"name": {"type": "string"}, "query": {"type": "object"}},
                },
                "example": {
                    "name": "UniqueQueryName",
                    "query": {"eventType": ["ObjectEvent"], "EQ_bizStep": ["shipping"]},
                },
            }
        },
    }
}


@router.post(
    "/epcis/queries",
    summary="Create a named query",
    openapi_extra=answers(201, 400, 401, 409, 415, **QUERY_BODY),
)
@binding
def create_query(request):
    """Saves an EPCIS query under a name; its events are read at
    /queries/{name}/events with the reader's scope. 409 if the name is taken."""
    user = _signed_in(request)
    if user is None:
        return _unauthorised()
    if request.content_type != "application/json":
        return _problem(415, _("Send the query as application/json."), kind="UnsupportedMediaType")
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        body = None
    name = body.get("name") if isinstance(body, dict) else None
    if not isinstance(name, str) or not name.strip() or len(name) > 200 or "/" in name:
        return _problem(
            400,
            _("The query was not understood."),
            [
                {
                    "path": "$.name",
                    "message": _("Give the query a name (up to 200 characters, no /)."),
                }
            ],
            kind="QueryValidationException",
        )
    try:
        params = as_params(body.get("query"))
        for paging in PAGING:
            if paging in params:
                raise QueryError(paging, _("A named query holds filters; page when reading it."))
        filtered(params, user)  # refuses unknown parameters and bad values now
    except QueryError as exc:
        return _problem(
            400,
            _("The query was not understood."),
            [{"path": f"$.query.{exc.parameter}", "message": exc.message}],
            kind="QueryValidationException",
        )
    try:
        with transaction.atomic():
            NamedQuery.objects.create(name=name, query=body["query"], created_by=user)
    except IntegrityError:
        return _problem(
            409,
            _("A query named %(name)s already exists.") % {"name": name},
            kind="ResourceAlreadyExistsException",
        )
    return JsonResponse(
        {"name": name, "query": body["query"]},
        status=201,
        headers={"Location": f"/api/v1/epcis/queries/{name}"},
    )


@router.get("/epcis/queries", summary="Named queries", openapi_extra=answers(400, 401))
@binding
def list_queries(request):
    user = _signed_in(request)
    if user is None:
        return _unauthorised()
    try:
        per_page = page_size_of(request.GET)
        token = request.GET.get("nextPageToken")
        after = read_token(token)[0] if token else None
    except QueryError as exc:
        return _query_problem(exc)
    queries = _visible_queries(user).order_by("name")
    if after is not None:
        queries = queries.filter(name__gt=after)
    rows = list(queries[: per_page + 1])
    headers = {}
    if len(rows) > per_page:
        rows = rows[:per_page]
        headers = _next_page(request, make_token(rows[-1].name))
    return JsonResponse([_query_json(q) for q in rows], safe=False, headers=headers)


@router.get("/epcis/queries/{name}", summary="A named query", openapi_extra=answers(401, 404))
@binding
def get_query(request, name: str):
    user = _signed_in(request)
    if user is None:
        return _unauthorised()
    named = named_query_for(user, name)
    if named is None:
        return _not_found(_("No such query."))
    return JsonResponse(_query_json(named), json_dumps_params={"ensure_ascii": False})


@router.delete(
    "/epcis/queries/{name}",
    summary="Delete a named query and its subscriptions",
    openapi_extra=answers(204, 401, 403, 404),
)
@binding
def delete_query(request, name: str):
    user = _signed_in(request)
    if user is None:
        return _unauthorised()
    named = named_query_for(user, name)
    if named is None:
        return _not_found(_("No such query."))
    if not (user.is_superuser or named.created_by_id == user.pk):
        return _problem(403, _("Only the query's author deletes it."), kind="SecurityException")
    named.delete()
    return HttpResponse(status=204)


@router.get(
    "/epcis/queries/{name}/events",
    summary="A named query's events",
    openapi_extra=answers(400, 401, 404),
)
@binding
def query_events(request, name: str):
    user = _signed_in(request)
    if user is None:
        return _unauthorised()
    named = named_query_for(user, name)
    if named is None:
        return _not_found(_("No such query."))
    return _events_answer(request, named=named)


# --- Subscriptions -------------------------------------------------------------------


def _subscription_json(subscription):
    # The secret is never shown again after the subscription is made (the binding).
    out = {
        "subscriptionID": str(subscription.id),
        "dest": subscription.dest,
        "stream": subscription.stream,
        "createdAt": subscription.created_at.isoformat(),
    }
    if subscription.last_notified_at:
        out["lastNotifiedAt"] = subscription.last_notified_at.isoformat()
    if subscription.initial_record_time:
        out["initialRecordTime"] = subscription.initial_record_time.isoformat()
    return out


def _subscription_problem(path, message):
    return _problem(
        400,
        _("The subscription was not made."),
        [{"path": path, "message": message}],
        kind="SubscriptionControlsException",
    )


SUBSCRIPTION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "example": {
                    "dest": "https://client.example.com/queryCallback",
                    "signatureToken": "13df38d8275b13f05704629e5f1cf3d45d6132d5",
                    "stream": True,
                }
            }
        },
    }
}


@router.post(
    "/epcis/queries/{name}/subscriptions",
    summary="Subscribe a webhook to a named query",
    openapi_extra=answers(201, 400, 401, 404, 415, 501, **SUBSCRIPTION_BODY),
)
@binding
def subscribe(request, name: str):
    """`{"dest", "signatureToken", "stream": true, "initialRecordTime"}`: each capture's
    events matching the query (with the subscriber's read scope) are POSTed to `dest`,
    signed `GS1-Signature: sha256=<HMAC-SHA256 hex>`. Without a signatureToken the server
    makes one and shows it in this answer only. Scheduled subscriptions are not offered."""
    user = _signed_in(request)
    if user is None:
        return _unauthorised()
    named = named_query_for(user, name)
    if named is None:
        return _not_found(_("No such query."))
    if request.content_type != "application/json":
        return _problem(
            415, _("Send the subscription as application/json."), kind="UnsupportedMediaType"
        )
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return _subscription_problem("$", _("A subscription is a JSON object."))
    dest = body.get("dest")
    try:
        URLValidator(schemes=["http", "https"])(dest)
    except ValidationError:
        dest = None
    if not isinstance(dest, str):
        return _subscription_problem("$.dest", _("dest must be an http or https URL."))
    if "schedule" in body:
        return _problem(
            501,
            _("Scheduled subscriptions are not offered; subscribe with stream: true."),
            kind="ImplementationException",
        )
    if body.get("stream") is not True:
        return _subscription_problem("$.stream", _("Set stream to true (or give a schedule)."))
    secret = body.get("signatureToken") or secrets.token_hex(20)
    if not isinstance(secret, str) or len(secret) > 500:
        return _subscription_problem("$.signatureToken", _("signatureToken is text."))
    initial = body.get("initialRecordTime")
    if initial is not None:
        initial = parse_time(initial) if isinstance(initial, str) else None
        if initial is None:
            return _subscription_problem(
                "$.initialRecordTime", _("initialRecordTime is a date and time with a time zone.")
            )
    subscription = Subscription.objects.create(
        query=named, created_by=user, dest=dest, secret=secret, initial_record_time=initial
    )
    if initial is not None:
        transaction.on_commit(lambda: deliver.enqueue(str(subscription.id), None))
    location = f"/api/v1/epcis/queries/{named.name}/subscriptions/{subscription.id}"
    answer = {**_subscription_json(subscription)}
    if not body.get("signatureToken"):
        answer["signatureToken"] = secret
    return JsonResponse(answer, status=201, headers={"Location": location})


def _subscriptions_of(user, name):
    named = named_query_for(user, name)
    if named is None:
        return None
    subscriptions = named.subscriptions.all()
    if not user.is_superuser:
        subscriptions = subscriptions.filter(created_by=user)
    return subscriptions


@router.get(
    "/epcis/queries/{name}/subscriptions",
    summary="A named query's subscriptions",
    openapi_extra=answers(401, 404),
)
@binding
def list_subscriptions(request, name: str):
    user = _signed_in(request)
    if user is None:
        return _unauthorised()
    subscriptions = _subscriptions_of(user, name)
    if subscriptions is None:
        return _not_found(_("No such query."))
    return JsonResponse([_subscription_json(s) for s in subscriptions], safe=False)


def _one_subscription(request, name, subscription_id):
    user = _signed_in(request)
    if user is None:
        return None, _unauthorised()
    subscriptions = _subscriptions_of(user, name)
    try:
        found = (
            subscriptions.filter(pk=uuid.UUID(subscription_id)).first()
            if subscriptions is not None
            else None
        )
    except ValueError:
        found = None
    if found is None:
        return None, _not_found(_("No such subscription."))
    return found, None


@router.get(
    "/epcis/queries/{name}/subscriptions/{subscription_id}",
    summary="A subscription",
    openapi_extra=answers(401, 404),
)
@binding
def get_subscription(request, name: str, subscription_id: str):
    found, refusal = _one_subscription(request, name, subscription_id)
    return refusal or JsonResponse(_subscription_json(found))


@router.delete(
    "/epcis/queries/{name}/subscriptions/{subscription_id}",
    summary="Unsubscribe",
    openapi_extra=answers(204, 401, 404),
)
@binding
def unsubscribe(request, name: str, subscription_id: str):
    found, refusal = _one_subscription(request, name, subscription_id)
    if refusal:
        return refusal
    found.delete()
    return HttpResponse(status=204)


# --- Discovery -----------------------------------------------------------------------

# Path (under /epcis) -> the methods it answers, for OPTIONS.
ALLOW = {
    "/": "OPTIONS, GET",
    "/capture": "OPTIONS, POST, GET",
    "/capture/{capture_id}": "OPTIONS, GET",
    "/events": "OPTIONS, GET",
    "/events/{path:event_id}": "OPTIONS, GET",
    "/eventTypes": "OPTIONS, GET",
    "/eventTypes/{event_type}": "OPTIONS, GET",
    "/eventTypes/{event_type}/events": "OPTIONS, GET",
    "/epcs/{path:epc}/events": "OPTIONS, GET",
    "/epcs/{path:epc}": "OPTIONS, GET",
    "/queries": "OPTIONS, POST, GET",
    "/queries/{name}": "OPTIONS, GET, DELETE",
    "/queries/{name}/events": "OPTIONS, GET",
    "/queries/{name}/subscriptions": "OPTIONS, POST, GET",
    "/queries/{name}/subscriptions/{subscription_id}": "OPTIONS, GET, DELETE",
    **{f"/{r}": "OPTIONS, GET" for r in VOCABULARIES},
    **{f"/{r}/{{path:value}}/events": "OPTIONS, GET" for r in VOCABULARIES},
    **{f"/{r}/{{path:value}}": "OPTIONS, GET" for r in VOCABULARIES},
}


def discovery_headers(path, allow):
    headers = {"Allow": allow, **DISCOVERY_HEADERS}
    if path == "/capture":
        headers["GS1-EPCIS-Capture-Limit"] = str(CAPTURE_LIMIT)
        headers["GS1-EPCIS-Capture-File-Size-Limit"] = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        headers["GS1-Capture-Error-Behaviour"] = "rollback"
    return headers


def _options_route(path, allow):
    def discover(request, **kwargs):
        refusal = _negotiation_problem(request)
        if refusal is not None:
            return refusal
        response = HttpResponse(status=204, headers=discovery_headers(path, allow))
        asked = request.headers.get("GS1-Extensions")
        if asked:
            response["GS1-Extensions"] = asked
        return response

    name = path.replace("{path:", "{").strip("/").replace("/", "_") or "root"
    discover.__name__ = f"discover_{name}".replace("{", "").replace("}", "")
    # The path parameters as str arguments, so ninja passes them through.
    params = [p.split(":")[-1].strip("{}") for p in path.split("/") if p.startswith("{")]
    discover.__signature__ = inspect.Signature(
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(p, inspect.Parameter.KEYWORD_ONLY, annotation=str) for p in params]
    )
    router.api_operation(
        ["OPTIONS"], f"/epcis{path}", summary="Discovery (OPTIONS)", include_in_schema=False
    )(discover)


for _path, _allow in ALLOW.items():
    _options_route(_path, _allow)
