import base64
import functools
import hashlib
import re
from pathlib import Path

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.template.utils import get_app_template_dirs
from django.utils import translation

# The API (clients send Accept-Language, not cookies) and the public certificate check a
# foreign buyer may open from a printed QR code: the standard negotiation.
NEGOTIATED = ("/api/", "/verify/")


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose English with the switch (the language cookie).

    Many Vietnamese officials run a browser in English; the platform of a Vietnamese
    programme still opens in Vietnamese for them. The API, the public certificate check
    and the scan pages (which negotiate for themselves) follow Accept-Language."""

    def process_request(self, request):
        if request.path.startswith(NEGOTIATED):
            return super().process_request(request)
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@functools.cache
def inline_style_hashes():
    """CSP sources ('sha256-...') for the <style> elements that templates keep inline on
    purpose (the scan page: one request on a slow phone). Read from the template files,
    never from a response, and only blocks without template syntax, whose rendered text
    is the file's text."""
    sources = set()
    for folder in get_app_template_dirs("templates"):
        for path in Path(folder).rglob("*.html"):
            for css in INLINE_STYLE.findall(path.read_text(encoding="utf-8")):
                if not re.search(r"\{[{%#]", css):
                    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
                    sources.add(f"'sha256-{digest}'")
    return sorted(sources)


class InlineStyleCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the template's inline styles allowed by hash."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        update = dict(parts.update or {})
        update["style-src"] = [*update.get("style-src", []), *inline_style_hashes()]
        parts.update = update
        return parts
