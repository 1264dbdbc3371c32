"""The public resolver: every GS1 Digital Link path answered with the scan page, a
redirect or the linkset, in the phone's language, from the page cache when it can, each
scan counted by device class and language."""

import hashlib
import json
import re
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from ocophub.trace import resolver, scan_buffer, suspect
from ocophub.trace.digital_link import DigitalLinkError, parse
from ocophub.trace.scan import scan_context

LINKSET = "application/linkset+json"


def _scan_cache_control():
    # One number for the phone, nginx and the server's own page cache: TRACE_SCAN_MAX_AGE.
    return f"public, max-age={settings.TRACE_SCAN_MAX_AGE}"


def _raw_uri(request):
    # Gunicorn keeps the undecoded request target; Django's path has %2F already decoded.
    return request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or request.get_full_path()


def _query_pairs(query):
    pairs = []
    for part in query.split("&"):
        if part:
            name, _eq, value = part.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


def _is_canonical(raw, dl):
    path, _q, query = raw.partition("?")
    canonical_query = dl.canonical_query(extra=True)
    return unquote(path) == unquote(dl.canonical_path()) and _query_pairs(query) == _query_pairs(
        canonical_query
    )


def _language(request, dl=None):
    """?lang=, else the phone's Accept-Language, else Vietnamese. Not the language
    cookie: the page must depend only on what its Vary header names, so that shared
    caches can keep it."""
    lang = dict(dl.extra).get("lang", "") if dl is not None else request.GET.get("lang", "")
    codes = {code for code, _name in settings.LANGUAGES}
    if lang in codes:
        return lang
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def device_class(user_agent):
    ua = user_agent.lower()
    if not ua or re.search(r"bot|crawl|spider|curl|wget|python|wrk|httpclient|java/", ua):
        return "bot"
    if "ipad" in ua or "tablet" in ua or ("android" in ua and "mobile" not in ua):
        return "tablet"
    if "mobi" in ua or "iphone" in ua or "android" in ua:
        return "phone"
    return "desktop" if "mozilla" in ua else "other"


def _public_page(template, context, status=200):
    """Render without the request's context processors: the public resolver pages need
    no navigation or session, and must not vary on the cookie."""
    context.setdefault("lang", translation.get_language())
    return HttpResponse(render_to_string(template, context), status=status)


def _error_page(request, template, status, **context):
    response = _public_page(template, context, status)
    response["Cache-Control"] = _scan_cache_control()
    return response


def _page_key(dl, language, wants_linkset):
    what = f"{language}|{int(wants_linkset)}|{dl.canonical_path()}?{dl.canonical_query(extra=True)}"
    return "scan:" + hashlib.sha256(what.encode()).hexdigest()


def _cached_page(key):
    """A published product's scan page or linkset as rendered in the last minute, or None.
    Workers share these through files, so a busy QR code costs one render a minute."""
    if not settings.TRACE_SCAN_CACHE:
        return None
    hit = caches["scan"].get(key)
    if hit is None:
        return None
    body, headers = hit
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    return response


def _keep_page(key, response):
    if not settings.TRACE_SCAN_CACHE or response.status_code != 200:
        return
    if response.get("Cache-Control") != _scan_cache_control():  # drafts shown to their owners
        return
    names = ("Content-Type", "Content-Language", "Cache-Control", "Link", "Vary")
    headers = {name: response[name] for name in names if response.has_header(name)}
    caches["scan"].set(key, (response.content, headers), settings.TRACE_SCAN_MAX_AGE)


def resolve(request, dl_path=None):
    """/01/{gtin}/10/{lot} and every other Digital Link path: 400, 404, redirect, the
    scan page, or the linkset."""
    raw = _raw_uri(request)
    with translation.override(_language(request)):  # parse errors speak the phone's language
        try:
            dl = parse(raw)
        except DigitalLinkError as exc:
            return _error_page(request, "trace/bad_link.html", 400, reason=str(exc), uri=raw)
    if not _is_canonical(raw, dl):
        query = dl.canonical_query(extra=True)
        return HttpResponseRedirect(
            dl.canonical_path() + (f"?{query}" if query else ""), status=301
        )
    link_type = dict(dl.extra).get("linkType", "")
    wants_linkset = link_type == "all" or LINKSET in request.headers.get("Accept", "")
    language = _language(request, dl)
    key = _page_key(dl, language, wants_linkset)
    response = _cached_page(key) if wants_linkset or not link_type else None
    if response is None:
        target = resolver.find(dl, lambda: request.user)
        if target is None:
            with translation.override(language):
                return _error_page(request, "trace/unknown_link.html", 404, uri=raw, dl=dl)
        response = _resolved(request, dl, target, language, link_type, wants_linkset)
        _keep_page(key, response)
    if request.method == "GET":  # link checkers' HEAD requests are not scans
        device = device_class(request.headers.get("User-Agent", ""))
        scan_buffer.record(dl.canonical_path(), device, language, _item_scan(request, dl, device))
    return response


def _item_scan(request, dl, device):
    """What a scan of a serialised item's code keeps for the counterfeit warning; None
    for other codes and for robots (link checkers would flag every code they visit)."""
    serial = dl.qualifiers.get("21")
    if serial is None or device == "bot":
        return None
    return (dl.gtin, serial[:20], suspect.device_of(request), suspect.place_of(request))


def _resolved(request, dl, target, language, link_type, wants_linkset):
    anchor = dl.identity_uri()
    with translation.override(language):
        if wants_linkset:
            response = HttpResponse(
                json.dumps(resolver.linkset(target, anchor), ensure_ascii=False),
                content_type=LINKSET,
            )
        elif link_type:
            href = resolver.link_for_type(target, anchor, link_type)
            if href is None:
                raise Http404(_("This product has no link of type %s.") % link_type)
            response = HttpResponseRedirect(href, status=307)
        else:
            response = _public_page("trace/scan.html", scan_context(request, dl, target, language))
            response["Content-Language"] = language
    # Shared caches may keep public products' pages; a draft shown to its own people may not.
    response["Cache-Control"] = (
        _scan_cache_control() if target.product.is_published else "private, no-cache"
    )
    response["Link"] = f'<{anchor}?linkType=all>; rel="linkset"; type="{LINKSET}"'
    response["Vary"] = "Accept, Accept-Language"
    return response
