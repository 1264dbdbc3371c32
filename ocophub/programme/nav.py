from django.urls import reverse
from django.utils.translation import gettext as _

from .dashboard import may_view


def items(request):
    if not may_view(request.user):
        return []
    return [{"url": reverse("programme:dashboard"), "label": _("Programme")}]
