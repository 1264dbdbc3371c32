from django.urls import reverse
from django.utils.translation import gettext as _


def items(request):
    # The start page lists what waits for the signed-in person: first in the menu.
    if not request.user.is_authenticated:
        return []
    return [{"url": reverse("site:start"), "label": _("To do"), "order": 0}]
