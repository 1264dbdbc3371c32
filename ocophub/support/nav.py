from django.urls import reverse
from django.utils.translation import gettext as _

from .models import may_work


def items(request):
    # Union officers keep these records; the province office oversees them.
    if not may_work(request.user):
        return []
    return [{"url": reverse("support:home"), "label": _("Farmers' union")}]
