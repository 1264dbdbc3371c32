"""Who calls the JSON API: a bearer token (ApiToken) or the signed-in session. Every
app's api.py imports these from here, not from ocophub/api.py, which sits above the apps
and mounts their routers."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from .models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            # Audit history and scope checks read request.user.
            request.user = user
        return user


bearer = BearerToken()
# Writes need a token or a session (the session path checks CSRF).
WRITE_AUTH = [bearer, django_auth]


def caller(request: HttpRequest) -> Any:
    """The user behind a read request: a bearer token if sent, else the session user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = ApiToken.authenticate(header.split(" ", 1)[1].strip())
        if user is not None:
            request.user = user
            return user
    return request.user
