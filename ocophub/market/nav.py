from django.urls import reverse
from django.utils.translation import gettext as _

from .enquiries import may_send
from .staff_views import may_list, may_read_inbox, may_see_connections


def items(request):
    user = request.user
    entries = []
    if may_list(user):
        entries.append({"url": reverse("market:listings"), "label": _("Listings")})
    if may_read_inbox(user):
        entries.append({"url": reverse("market:enquiries"), "label": _("Trade enquiries")})
    if may_see_connections(user):
        entries.append({"url": reverse("market:connections"), "label": _("Trade connections")})
    if may_send(user):
        entries.append({"url": reverse("market:my_enquiries"), "label": _("My enquiries")})
    return entries
