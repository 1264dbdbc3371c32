"""Navigation entries contributed by each domain app's `nav.py` (`items(request)`).

An entry is {"url", "label"} and may carry "order" (a number, 50 unless given) so that
the menu reads in the order of the work rather than of the app table; the entry whose
URL the current page sits under is marked "current"."""

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
    items.sort(key=lambda item: item.get("order", 50))
    # The longest URL the path starts with: /trace/batches/ rather than /.
    under = [i for i in items if request.path.startswith(i["url"])]
    current = max(under, key=lambda i: len(i["url"]), default=None)
    return {"nav_items": [dict(i, current=i is current) for i in items]}
