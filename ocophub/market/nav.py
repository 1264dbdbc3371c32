from django.urls import reverse
from django.utils.translation import gettext as _

from .enquiries import may_send
from .staff_views import may_keep_shops, may_list, may_oversee, may_read_inbox


def items(request):
    user = request.user
    # Officers get one entry, the market's figures, which leads to the rest; a producer
    # goes straight to its listings, enquiries and shops; a buyer's enquiries are its work.
    if may_oversee(user):
        return [{"url": reverse("market:staff"), "label": _("Market"), "order": 60}]
    entries = []
    if may_list(user):
        entries.append({"url": reverse("market:listings"), "label": _("Listings"), "order": 60})
    if may_read_inbox(user):
        entries.append(
            {"url": reverse("market:enquiries"), "label": _("Trade enquiries"), "order": 61}
        )
    if may_keep_shops(user):
        entries.append({"url": reverse("market:shops"), "label": _("Points of sale"), "order": 62})
    if may_send(user):
        entries.append(
            {"url": reverse("market:my_enquiries"), "label": _("My enquiries"), "order": 5}
        )
    return entries
