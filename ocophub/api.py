"""The JSON API under /api/v1/: each domain app contributes a `router` in its api.py."""

from importlib import import_module

from django.conf import settings
from ninja import NinjaAPI

from ocophub.core.api_errors import install as install_error_handlers

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
