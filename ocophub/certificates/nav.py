from django.urls import reverse
from django.utils.translation import gettext as _

from ocophub.accounts.models import Role

# Council members and buyers have no certificates in scope (anyone checks one at /verify/).
NO_CERTIFICATES = (Role.COUNCIL_MEMBER, Role.BUYER)


def items(request):
    # The list is scoped: a producer's own products, or an officer's territory.
    user = request.user
    if not user.is_authenticated or (not user.is_superuser and user.role in NO_CERTIFICATES):
        return []
    return [{"url": reverse("certificates:list"), "label": _("Certificates"), "order": 40}]
