from django.urls import reverse
from django.utils.translation import gettext as _

from ocophub.accounts.models import READS_PROVINCE, Role


def items(request):
    # Those with producers in their scope: officers and readers of a territory, and a
    # producer account its own. Council members and buyers have none.
    user = request.user
    if not user.is_authenticated:
        return []
    if not (
        user.is_superuser or user.role in (*READS_PROVINCE, Role.COMMUNE_OFFICER, Role.PRODUCER)
    ):
        return []
    return [{"url": reverse("producers:list"), "label": _("Producers"), "order": 20}]
