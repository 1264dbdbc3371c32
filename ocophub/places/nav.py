from django.urls import reverse
from django.utils.translation import gettext as _


def items(request):
    # Visitors browse the units; of the staff, the officers keep the old-to-new mapping.
    user = request.user
    if user.is_authenticated and not user.is_staff_officer:
        return []
    return [{"url": reverse("places:provinces"), "label": _("Places"), "order": 90}]
