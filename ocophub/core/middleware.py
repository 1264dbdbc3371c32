from django.conf import settings
from django.middleware.locale import LocaleMiddleware
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
