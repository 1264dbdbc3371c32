"""Navigation entries contributed by each domain app's `nav.py` (`items(request)`)."""

from importlib import import_module

from django.conf import settings

_providers = None


def _load():
    global _providers
    if _providers is None:
        _providers = []
        for app in settings.OCOP_APPS:
            try:
                _providers.append(import_module(f"ocophub.{app}.nav").items)
            except ModuleNotFoundError as exc:
                if exc.name != f"ocophub.{app}.nav":
                    raise
    return _providers


def navigation(request):
    items = []
    for provider in _load():
        items.extend(provider(request))
    return {"nav_items": items}
