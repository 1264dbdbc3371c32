from django.urls import reverse
from django.utils.translation import gettext as _


def items(request):
    user = request.user
    if not user.is_authenticated or not (user.is_staff_officer or user.is_producer):
        return []
    return [{"url": reverse("trace:batches"), "label": _("Batches")}]
