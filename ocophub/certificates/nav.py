from django.urls import reverse
from django.utils.translation import gettext as _


def items(request):
    # Everyone signed in: the list is scoped (own products, or the officer's territory).
    if not request.user.is_authenticated:
        return []
    return [{"url": reverse("certificates:list"), "label": _("Certificates")}]
