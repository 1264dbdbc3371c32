"""The REST binding's event query (GET /events): filters, read scope and paging.

Who reads what: events are the supply-chain story behind a product, and the scan page
tells it to anyone, so an event naming a GTIN of a published (certified) product is
public. Staff who oversee the programme (province office, commune officers, inspectors,
union officers, administrators) read every event. A producer also reads the events it
captured itself and those naming its own products' GTINs, published or not. Everything
else (events naming only unregistered or unpublished GTINs, or no GTIN at all) stays
with its capturer and staff.
"""

from datetime import timedelta

from django.core import signing
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from ocophub.accounts.models import Role
from ocophub.products.models import Product

from .models import CLASS_ROLES, INSTANCE_ROLES, EpcRole, Event, EventEpc
from .schema import parse_time
from .store import match_q
from .vocab import normalise_biz_step, normalise_disposition

STAFF_READERS = (Role.PROVINCE_OFFICE, Role.COMMUNE_OFFICER, Role.INSPECTOR, Role.UNION_OFFICER)
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 1000
TOKEN_SALT = "ocophub.epcis.nextPageToken"
# A nextPageToken is signed and carries its issue time; the binding lets it expire
# (GS1-Next-Page-Token-Expires tells the client when).
TOKEN_LIFETIME = timedelta(hours=24)

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)

# MATCH_ parameters and the roles each one looks in (EPCIS 2.0, section 8.2.7.1).
MATCHES = {
    "MATCH_epc": (EpcRole.EPC,),
    "MATCH_parentID": (EpcRole.PARENT,),
    "MATCH_inputEPC": (EpcRole.INPUT,),
    "MATCH_outputEPC": (EpcRole.OUTPUT,),
    "MATCH_anyEPC": INSTANCE_ROLES,
    "MATCH_epcClass": (EpcRole.QUANTITY,),
    "MATCH_inputEPCClass": (EpcRole.INPUT_QUANTITY,),
    "MATCH_outputEPCClass": (EpcRole.OUTPUT_QUANTITY,),
    "MATCH_anyEPCClass": CLASS_ROLES,
}
EQUALS = {
    "EQ_action": ("action", str),
    "EQ_bizStep": ("biz_step", normalise_biz_step),
    "EQ_disposition": ("disposition", normalise_disposition),
    "EQ_readPoint": ("read_point", str),
    "EQ_bizLocation": ("biz_location", str),
    "EQ_eventID": ("event_id", str),
}
TIMES = {
    "GE_eventTime": "event_time__gte",
    "LT_eventTime": "event_time__lt",
    "GE_recordTime": "record_time__gte",
    "LT_recordTime": "record_time__lt",
}
PAGING = ("perPage", "nextPageToken")


class QueryError(Exception):
    """A query parameter the caller must fix; `parameter` names it."""

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def readable_events(user):
    if user is not None and user.is_authenticated:
        if user.is_superuser or user.role in STAFF_READERS:
            return Event.objects.all()

    q = _names(Product.objects.published())
    if user is not None and user.is_authenticated:
        q |= Q(capture__captured_by=user)
        q |= _names(Product.objects.editable_by(user))
    return Event.objects.filter(q)


def _names(products):
    """Events naming a GTIN of one of `products`, asked of each candidate event (its few
    identifiers by event, each GTIN by the product's unique index). As `pk IN (events
    naming any such GTIN)` the database built that set, most of the table, for every
    query: 115 ms for one batch's events at 56,000 events, against 4 ms unscoped."""
    of_gtin = products.filter(gtin=OuterRef("gtin")).order_by()
    return Q(Exists(EventEpc.objects.filter(Exists(of_gtin), event_id=OuterRef("pk"))))


def _values(params, name):
    """A parameter's values: repeated parameters and "|"-separated lists both count."""
    out = []
    for raw in params.getlist(name):
        out.extend(v for v in raw.split("|") if v)
    return out


def page_size_of(params):
    raw = params.get("perPage")
    if raw in (None, ""):
        return DEFAULT_PER_PAGE
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PER_PAGE:
        raise QueryError(
            "perPage",
            _("perPage must be a whole number from 1 to %(max)s.") % {"max": MAX_PER_PAGE},
        )
    return value


def make_token(*position):
    return signing.dumps(list(position), salt=TOKEN_SALT)


def token_expires():
    return (timezone.now() + TOKEN_LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_token(token):
    """The position a nextPageToken this server gave out points after."""
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_LIFETIME)
    except signing.SignatureExpired as exc:
        raise QueryError(
            "nextPageToken",
            _("This nextPageToken has expired; start again without it."),
        ) from exc
    except signing.BadSignature as exc:
        raise QueryError(
            "nextPageToken",
            _("This nextPageToken is not one this server gave out; start again without it."),
        ) from exc


def as_params(query):
    """A stored named query ({"eventType": ["ObjectEvent"], "GE_eventTime": "..."}) as
    the query-string parameters GET /events takes."""
    if not isinstance(query, dict):
        raise QueryError("query", _("A query is a JSON object of query parameters."))
    params = MultiValueDict()
    for name, value in query.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
            raise QueryError(name, _("%(name)s takes text values.") % {"name": name})
        params.setlist(name, [str(v) for v in values])
    return params


def _after(token):
    try:
        moment, pk = read_token(token)
        return parse_time(moment), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise QueryError(
            "nextPageToken",
            _("This nextPageToken is not one this server gave out; start again without it."),
        ) from exc


def filtered(params, user, extra=()):
    """The readable events matching the query parameters, in eventTime order. `extra`:
    (parameter, value) pairs a resource adds (/bizSteps/{bizStep}/events: EQ_bizStep),
    ANDed with the caller's own parameters."""
    events = _filter(readable_events(user), params)
    for item in extra:
        if isinstance(item, Q):
            events = events.filter(item)
        else:
            name, value = item
            events = _filter(events, MultiValueDict({name: [value]}))
    return events.order_by("event_time", "id")


def _filter(events, params):
    known = set(MATCHES) | set(EQUALS) | set(TIMES) | set(PAGING) | {"eventType"}
    for name in params:
        if name not in known:
            raise QueryError(
                name,
                _("Unknown or unsupported query parameter %(name)s.") % {"name": name},
            )
    types = _values(params, "eventType")
    for value in types:
        if value not in EVENT_TYPES:
            raise QueryError(
                "eventType",
                _("eventType %(value)s is not an EPCIS event type (%(types)s).")
                % {"value": value, "types": ", ".join(EVENT_TYPES)},
            )
    if types:
        events = events.filter(type__in=types)
    for name, lookup in TIMES.items():
        if name in params:
            # An unencoded "+07:00" in a URL arrives as " 07:00".
            moment = parse_time(params[name].replace(" ", "+"))
            if moment is None:
                raise QueryError(
                    name,
                    _(
                        "%(name)s must be a date and time with a time zone, "
                        "for example 2025-03-01T00:00:00Z."
                    )
                    % {"name": name},
                )
            events = events.filter(**{lookup: moment})
    for name, (column, normalise) in EQUALS.items():
        values = _values(params, name)
        if values:
            events = events.filter(**{f"{column}__in": [normalise(v) for v in values]})
    for name, roles in MATCHES.items():
        values = _values(params, name)
        if values:
            events = events.filter(match_q(values, roles))
    return events


def page(params, user, extra=(), paging=None):
    """(events on this page, token for the next page or None). `paging`: where perPage
    and nextPageToken come from when not from `params` (a named query's events)."""
    paging = params if paging is None else paging
    per_page = page_size_of(paging)
    events = filtered(params, user, extra)
    token = paging.get("nextPageToken")
    if token:
        moment, pk = _after(token)
        events = events.filter(Q(event_time__gt=moment) | Q(event_time=moment, pk__gt=pk))
    # Only what the answer is made of: the JSON as captured and the paging keys.
    events = events.only("id", "event_time", "record_time", "capture_id", "body")
    rows = list(events[: per_page + 1])
    if len(rows) <= per_page:
        return rows, None
    rows = rows[:per_page]
    last = rows[-1]
    return rows, make_token(last.event_time.isoformat(), last.pk)
