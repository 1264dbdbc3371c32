"""The JSON API under /api/v1/: each domain app contributes a `router` in its api.py."""

from importlib import import_module

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from ocophub.accounts.models import ApiToken
from ocophub.core.api_errors import install as install_error_handlers


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            # Audit history and scope checks read request.user.
            request.user = user
        return user


bearer = BearerToken()
# Writes need a token or a session (the session path checks CSRF).
WRITE_AUTH = [bearer, django_auth]


def caller(request):
    """The user behind a read request: a bearer token if sent, else the session user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = ApiToken.authenticate(header.split(" ", 1)[1].strip())
        if user is not None:
            request.user = user
            return user
    return request.user


api = NinjaAPI(
    title="OCOP Hub API",
    version="1",
    description="Registry, evaluation, certificates and traceability for Vietnam's OCOP "
    "programme. Published data is open; writes need `Authorization: Bearer <token>` "
    "(`manage.py api_token USERNAME`) or a signed-in session.",
    urls_namespace="api",
)


# Every error answers {"detail": ..., "errors"?: {...}} (core.api_errors).
install_error_handlers(api)


for app in settings.OCOP_APPS:
    try:
        module = import_module(f"ocophub.{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"ocophub.{app}.api":
            raise
        continue
    api.add_router("", module.router)
