"""Rate limits per client address on the endpoints anyone can hammer: login, the scan
page and its linkset, certificate checks, search and the API (settings.RATE_LIMITS).

Counts live in the `ratelimit` cache (Redis when REDIS_URL is set, so every worker and
machine shares them); django-ratelimit does the counting, in fixed windows per address
(IPv6 by /64). Past the rate a request answers 429 with Retry-After: JSON in the API's
error shape under /api/, a page in the site's look elsewhere. A bearer token the API
refuses counts against `api_token`, so tokens cannot be guessed at the API's own rate.
If the cache cannot be reached the request goes through: a Redis outage must not take
the scan pages down with it."""

import fnmatch
import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    name: str
    rate: str
    # View names ("accounts:login") or path patterns ("/api/v1/*"), fnmatch style.
    match: tuple[str, ...]
    methods: tuple[str, ...] = ()

    def applies(self, request, view_name):
        if self.methods and request.method not in self.methods:
            return False
        return any(
            fnmatch.fnmatchcase(request.path if p.startswith("/") else view_name, p)
            for p in self.match
        )


def rules():
    return [
        Rule(
            name,
            rule["rate"],
            tuple(rule["match"]),
            tuple(m.upper() for m in rule.get("methods", ())),
        )
        for name, rule in settings.RATE_LIMITS.items()
        if name != "api_token"
    ]


def usage(request, group, rate, increment):
    try:
        return get_usage(request, group=group, key="ip", rate=rate, increment=increment)
    except Exception:  # the cache is down: let the request through, and say so
        log.warning("rate limit cache unreachable; %s not counted", group, exc_info=True)
        return None


def has_bearer(request):
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def too_many(request, seconds):
    seconds = max(1, int(seconds))
    if request.path.startswith("/api/"):
        detail = _("Too many requests from your address; try again in %(seconds)d seconds.")
        response = JsonResponse({"detail": detail % {"seconds": seconds}}, status=429)
    else:
        response = HttpResponse(render_to_string("429.html", {"seconds": seconds}), status=429)
    response["Retry-After"] = str(seconds)
    # A proxy or phone must not keep the refusal as the page.
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token_rate = settings.RATE_LIMITS.get("api_token", {}).get("rate")
        if (
            settings.RATE_LIMITS_ENABLED
            and token_rate
            and response.status_code == 401
            and request.path.startswith("/api/")
            and has_bearer(request)
        ):
            usage(request, "api_token", token_rate, increment=True)
        return response

    def process_view(self, request, view, args, kwargs):
        if not settings.RATE_LIMITS_ENABLED:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        token_rate = settings.RATE_LIMITS.get("api_token", {}).get("rate")
        if token_rate and request.path.startswith("/api/") and has_bearer(request):
            refused = usage(request, "api_token", token_rate, increment=False)
            if refused and refused["count"] >= refused["limit"]:
                return too_many(request, refused["time_left"])
        for rule in rules():
            if rule.applies(request, view_name):
                spent = usage(request, rule.name, rule.rate, increment=True)
                if spent and spent["should_limit"]:
                    return too_many(request, spent["time_left"])
        return None
