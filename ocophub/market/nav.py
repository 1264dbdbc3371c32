from django.urls import reverse
from django.utils.translation import gettext as _

from .enquiries import may_send
from .staff_views import may_list, may_oversee, may_read_inbox


def items(request):
    user = request.user
    # Officers get one entry, the market's figures, which leads to the rest; a producer
    # goes straight to its listings and enquiries.
    if may_oversee(user):
        return [{"url": reverse("market:staff"), "label": _("Market")}]
    entries = []
    if may_list(user):
        entries.append({"url": reverse("market:listings"), "label": _("Listings")})
    if may_read_inbox(user):
        entries.append({"url": reverse("market:enquiries"), "label": _("Trade enquiries")})
    if may_send(user):
        entries.append({"url": reverse("market:my_enquiries"), "label": _("My enquiries")})
    return entries
